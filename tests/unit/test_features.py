"""The feature registrations (kiosk/features.py, kiosk/ui/features.py) name things that exist.

A typo in a registration would otherwise surface only when a resident taps the tile or staff
run the verb; these checks find it without a window (screens are checked in their source).
"""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

from kiosk import config, features
from kiosk.ui import features as ui_features
from kiosk.ui import strings

ROOT = Path(__file__).resolve().parents[2]


def _module_file(name: str) -> Path:
    path = ROOT.joinpath(*name.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def _defines(module: str, name: str) -> bool:
    tree = ast.parse(_module_file(module).read_text(encoding="utf-8"))
    return any(
        isinstance(node, ast.ClassDef | ast.FunctionDef) and node.name == name for node in tree.body
    )


def test_feature_names_are_unique_in_each_layer():
    for registry in (features.FEATURES, ui_features.FEATURES):
        names = [f.name for f in registry]
        assert len(names) == len(set(names)), names


def test_every_registered_section_is_a_declared_dataclass_with_its_own_name():
    core = set(config.CORE_SECTIONS)
    seen: set[str] = set()
    for feature in features.FEATURES:
        for name in feature.sections:
            assert name not in core | seen, f"[{name}] of {feature.name} is registered twice"
            seen.add(name)
    for name, cls in features.sections().items():
        assert dataclasses.is_dataclass(cls), name
        for spec in dataclasses.fields(cls):
            assert {"default", "parse", "allowed"} <= set(spec.metadata), (name, spec.name)


def test_every_registered_module_exists_and_provides_what_it_is_for():
    for module in features.cli_modules():
        assert _defines(module, "register"), f"{module} has no register(subparsers, common)"
    for module in features.check_modules() + features.index_modules():
        assert _module_file(module).is_file(), module
    for target in features.followup_sources():
        module, _, function = target.partition(":")
        assert _defines(module, function), f"{target}: no such function"


def test_a_registered_section_reads_like_a_core_one(tmp_path):
    file = tmp_path / "kiosk.ini"
    file.write_text("[printer]\npaper = 58mm\n[display]\nsize = 1920x1080\n", encoding="utf-8")
    settings = config.load(file)
    assert settings.printer.paper == 384 and settings.display.size == (1920, 1080)
    changed = settings.replace("printer", copies=2).replace("display", maxfps=10)
    assert changed.printer.copies == 2 and changed.printer.paper == 384
    assert changed.display.maxfps == 10 and settings.printer.copies == 1


def test_every_screen_names_a_class_defined_in_its_module():
    names: list[str] = list(ui_features.CORE_SCREENS)
    for feature in ui_features.FEATURES:
        names += list(feature.screens)
    assert len(names) == len(set(names)), "two features register the same screen name"
    for name, target in ui_features.screens().items():
        module, _, cls = target.partition(":")
        assert _defines(module, cls), f"screen {name}: {target} not found"
    for module in ui_features.hook_modules():
        assert _module_file(module).is_file(), module
    for feature in ui_features.background():
        assert _defines(feature.background, "start"), feature.background


def test_home_tiles_and_the_features_staff_can_switch_are_the_same_set():
    tiles = ui_features.entries()
    assert set(tiles) == set(features.switchable())
    for name, feature in tiles.items():
        assert feature.entry in ui_features.screens(), name
        title, subtitle = strings.ENTRIES[name]
        assert title and subtitle
