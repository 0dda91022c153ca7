"""kiosk.ini parsing: defaults, relative paths, and a clear message for every kind of mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import config
from kiosk.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str, name: str = "kiosk.ini") -> Path:
    file = tmp_path / name
    file.write_text(text, encoding="utf-8")
    return file


def test_the_bundled_kiosk_ini_parses_and_matches_the_declared_defaults():
    bundled = config.load(ROOT / "kiosk.ini")
    declared = config.defaults(ROOT / "kiosk.ini")
    for section in config.sections():
        assert getattr(bundled, section) == getattr(declared, section), section


def test_every_key_is_documented_with_a_comment_in_the_bundled_kiosk_ini():
    lines = (ROOT / "kiosk.ini").read_text(encoding="utf-8").splitlines()
    import dataclasses

    for section, cls in config.sections().items():
        assert f"[{section}]" in lines, section
        for field in dataclasses.fields(cls):
            index = next(
                (i for i, line in enumerate(lines) if line.startswith(f"{field.name} =")), None
            )
            assert index is not None, f"[{section}] {field.name} missing from kiosk.ini"
            assert lines[index - 1].startswith("#"), f"[{section}] {field.name} has no comment"


def test_empty_file_gives_defaults_and_relative_paths_follow_the_file(tmp_path):
    folder = tmp_path / "etc"
    folder.mkdir()
    settings = config.load(write(folder, "[store]\npath = db/k.sqlite3\n"))
    assert settings.store.path == folder / "db" / "k.sqlite3"
    assert settings.kiosk.data_dir == folder / "var"
    assert settings.session.idle_timeout == 90
    assert settings.display.size == (1080, 1920)
    assert settings.display.fullscreen is True


def test_values_are_typed(tmp_path):
    settings = config.load(
        write(
            tmp_path,
            """
[kiosk]
site = shuanglonghu-station
features = tickets, directory ; comment after a value
[display]
fullscreen = no
size = 1920x1080
rotation = 90
[session]
idle_timeout = 30
""",
        )
    )
    assert settings.kiosk.site == "shuanglonghu-station"
    assert settings.kiosk.features == ("tickets", "directory")
    assert settings.display.fullscreen is False
    assert settings.display.size == (1920, 1080)
    assert settings.display.rotation == 90
    assert settings.session.idle_timeout == 30


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "[kiosk]\nsite = Center One\n",
            "[kiosk] site = 'Center One' is not allowed; expected lowercase",
        ),
        (
            "[session]\nidle_timeout = soon\n",
            "[session] idle_timeout = 'soon' is not allowed; expected a whole number from 1 to 3600",
        ),
        ("[session]\nidle_timeout = 0\n", "from 1 to 3600"),
        ("[session]\nidle_timeout = 99999\n", "from 1 to 3600"),
        (
            "[display]\nfullscreen = maybe\n",
            "[display] fullscreen = 'maybe' is not allowed; expected yes or no",
        ),
        ("[display]\nsize = big\n", "[display] size = 'big' is not allowed; expected WIDTHxHEIGHT"),
        ("[display]\nsize = 10x10\n", "each side from 32 to 8192"),
        ("[display]\nposition = left\n", "X,Y in pixels"),
        ("[signage]\nlayout = banner\n", "expected one of slides, strip"),
        ("[display]\nrotation = 45\n", "expected one of 0, 90, 180, 270"),
        ("[display]\nmaxfps = fast\n", "[display] maxfps"),
        ("[kiosk]\nmode = party\n", "expected one of kiosk, signage"),
        ("[kiosk]\ntimezone = Mars/Olympus\n", "expected an IANA time zone"),
        ("[kiosk]\nfeatures = directory, chess\n", "expected a comma-separated list of directory"),
        ("[admin]\npin_hash = 1234\n", "[admin] pin_hash = '1234' is not allowed"),
        ("[store]\npath =\n", "[store] path = '' is not allowed; expected a file or folder path"),
        ("[kiosk]\nsitee = x\n", "[kiosk] sitee: unknown key; keys of [kiosk]: site, mode"),
        ("[printers]\nurl = none\n", "unknown section [printers]; known sections: [kiosk]"),
        ("site = x\n", "line 1: a [section] header must come before any key"),
        ("[kiosk]\n[kiosk]\n", "line 2: section [kiosk] appears twice"),
        ("[kiosk]\nsite = a\nsite = b\n", "line 3: [kiosk] site appears twice"),
        ("[kiosk]\nthis line has no equals sign\n", "line 2: not a 'key = value' line"),
    ],
)
def test_every_bad_value_names_file_section_key_and_what_is_allowed(tmp_path, text, expected):
    file = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        config.load(file)
    message = str(caught.value)
    assert message.startswith(str(file))
    assert expected in message
    assert "\n" not in message


def test_missing_and_unreadable_files_are_clear(tmp_path):
    with pytest.raises(ConfigError, match="configuration file not found"):
        config.load(tmp_path / "nope.ini")
    binary = tmp_path / "bad.ini"
    binary.write_bytes(b"[kiosk]\nsite = \xff\xfe\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        config.load(binary)


def test_locate_prefers_argument_then_environment_then_cwd(tmp_path, monkeypatch):
    explicit, env = write(tmp_path, "", "a.ini"), write(tmp_path, "", "b.ini")
    monkeypatch.setenv(config.ENV_VAR, str(env))
    assert config.locate(explicit) == explicit
    assert config.locate(None) == env
    monkeypatch.delenv(config.ENV_VAR)
    monkeypatch.chdir(tmp_path)
    assert config.locate(None) == config.DEFAULT_CONFIG
    write(tmp_path, "")
    assert config.locate(None) == tmp_path / "kiosk.ini"


def test_set_value_rewrites_one_key_and_keeps_comments(tmp_path):
    file = write(tmp_path, "# top\n[admin]\n# the hash\npin_hash =\n\n[kiosk]\nsite = a\n")
    config.set_value(file, "admin", "max_attempts", "3")
    config.set_value(file, "admin", "pin_hash", "")
    assert file.read_text() == (
        "# top\n[admin]\n# the hash\npin_hash = \nmax_attempts = 3\n\n[kiosk]\nsite = a\n"
    )
    config.set_value(file, "kiosk", "mode", "signage")
    assert "[kiosk]\nsite = a\nmode = signage\n" in file.read_text()
    config.set_value(file, "session", "idle_timeout", "30")
    assert file.read_text().endswith("[session]\nidle_timeout = 30\n")
    assert config.load(file).session.idle_timeout == 30
    with pytest.raises(ConfigError, match="unknown key"):
        config.set_value(file, "admin", "pin", "1234")


def test_the_bundled_config_never_puts_data_into_the_code_tree_when_run_elsewhere(
    tmp_path, monkeypatch
):
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    monkeypatch.setenv("KIOSK_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # an installed kiosk started from anywhere but its checkout
    settings = config.load()
    assert settings.file == config.DEFAULT_CONFIG.resolve()
    home = tmp_path / "data"
    assert settings.kiosk.data_dir == home
    assert settings.store.path == home / "kiosk.sqlite3"
    assert settings.sync.packs == home / "packs"
    assert settings.content.source == config.PROJECT_DIR / "content" / "yubei", "read-only"
    assert settings.printer.url.path == home / "tickets"
    monkeypatch.chdir(config.PROJECT_DIR)  # a developer in the checkout keeps var/
    assert config.load().kiosk.data_dir == config.PROJECT_DIR / "var"
