"""The shape of the code: layers that import one way, and Kivy only in kiosk/ui/.

Domain code must run in tests and tools without a window; the layers contract (import-linter,
in pyproject.toml) keeps arrows pointing from the UI through the features and packs to core.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "kiosk"
UI = PACKAGE / "ui"


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules_outside_ui() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if not p.is_relative_to(UI)]


def test_no_module_outside_kiosk_ui_imports_kivy():
    offenders = {
        str(path.relative_to(ROOT)): sorted(n for n in _imports(path) if n.split(".")[0] == "kivy")
        for path in _modules_outside_ui()
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_no_module_outside_kiosk_ui_imports_the_ui_at_import_time():
    """kiosk.ui may only be imported lazily (inside a function), e.g. by `kiosk run`."""
    offenders = []
    for path in _modules_outside_ui():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # module level only
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kiosk.ui"):
                offenders.append(str(path.relative_to(ROOT)))
            if isinstance(node, ast.Import) and any(
                a.name.startswith("kiosk.ui") for a in node.names
            ):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_importing_every_domain_module_loads_no_kivy():
    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in _modules_outside_ui()
        if p.name != "__main__.py"
    )
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'kivy' or m.startswith('kivy.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_imports_follow_the_layers_of_pyproject():
    """`lint-imports` with the contracts in pyproject.toml (layers; no cycles between siblings,
    feature <-> feature included): names every import that breaks them."""
    script = (
        "import sys\n"
        "from importlinter.cli import lint_imports\n"
        "sys.exit(lint_imports(no_cache=True))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "2 kept, 0 broken" in result.stdout


def test_screens_keep_their_state_on_the_screen_or_the_app():
    """No module globals in kiosk/ui/screens/: a screen module's names at module level are
    constants (UPPER_CASE), type aliases (CapWords) or its logger; nothing is rebound with
    `global`. State kept in a module outlives the app and leaks between apps and tests."""
    offenders = []
    for path in sorted((UI / "screens").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = str(path.relative_to(ROOT))
        for node in tree.body:
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, ast.AnnAssign | ast.AugAssign):
                targets = [node.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name) and not (
                        name.id.isupper() or name.id[:1].isupper() or name.id == "log"
                    ):
                        offenders.append(f"{where}:{node.lineno} {name.id}")
        offenders += [
            f"{where}:{node.lineno} global {', '.join(node.names)}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Global)
        ]
    assert offenders == []
