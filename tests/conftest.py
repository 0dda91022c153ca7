"""Shared fixtures: a kiosk.ini of its own for each test, pointing into tmp_path."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content" / "yubei"

os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(ROOT / ".hypothesis"))


def write_config(folder: Path, sections: dict[str, dict[str, str]] | None = None) -> Path:
    """A kiosk.ini whose data, database and content live where the test says."""
    values: dict[str, dict[str, str]] = {
        "kiosk": {
            "data_dir": str(folder / "var"),
            "features": "directory, eligibility, videos, tickets, disclosure",
        },
        "content": {"source": str(CONTENT)},
        "store": {"path": str(folder / "var" / "kiosk.sqlite3")},
        # The end-of-visit rating would stand between 首页 and home in every other test;
        # tests of the rating switch it on.
        "feedback": {"prompt": "no"},
    }
    for section, keys in (sections or {}).items():
        values.setdefault(section, {}).update(keys)
    lines = []
    for section, keys in values.items():
        lines.append(f"[{section}]")
        lines += [f"{key} = {value}" for key, value in keys.items()]
        lines.append("")
    file = folder / "kiosk.ini"
    file.write_text("\n".join(lines), encoding="utf-8")
    return file


@pytest.fixture
def config_file(tmp_path: Path) -> Callable[..., Path]:
    """config_file(section={key: value}, ...) -> path of a fresh kiosk.ini in tmp_path."""

    def make(**sections: dict[str, str]) -> Path:
        return write_config(tmp_path, sections)

    return make


def run_cli(
    *args: str,
    config: Path | None = None,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run `python -m kiosk ARGS` as a user would, in a fresh process."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    if config is not None:
        full_env["KIOSK_CONFIG"] = str(config)
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        cwd=ROOT,
        env=full_env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
