"""UI tests run in the real Kivy window under Xvfb, each test in a fresh Python process.

Kivy keeps one window, its size and its kv rules per process, so tests cannot share one. The
parent pytest never imports Kivy: for each test it starts `python -m pytest NODEID` with
KIOSK_UI_CHILD=1 on a shared Xvfb, and reports the child's result as its own. Inside the child
the `ui` fixture starts the app at the size the test asks for and returns a Driver.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CONTENT, ROOT, write_config

CHILD = os.environ.get("KIOSK_UI_CHILD") == "1"
# The default content, compiled once per machine and copied into each test's data folder:
# parsing the YAML sources costs about half a second of every UI test process otherwise.
# The kiosk's own cache key (every source file's size and time, the program version) keeps
# it from ever being stale.
SOURCE_CACHE = Path(tempfile.gettempdir()) / f"kiosk-tests-{os.getuid()}" / "source-cache"
CHILD_TIMEOUT = float(os.environ.get("KIOSK_UI_TIMEOUT", "180"))
PORTRAIT, LANDSCAPE = (1080, 1920), (1920, 1080)
SIZES = [pytest.param(PORTRAIT, id="portrait"), pytest.param(LANDSCAPE, id="landscape")]

_xvfb: dict[str, Any] = {}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.ui)


def _display() -> str:
    """One Xvfb for the whole run, big enough for both orientations."""
    if "display" not in _xvfb:
        from kiosk.xdisplay import virtual_display

        context = virtual_display(1920, 1920)
        _xvfb["display"] = context.__enter__()
        _xvfb["context"] = context
    return _xvfb["display"]


def pytest_unconfigure(config: pytest.Config) -> None:
    if "context" in _xvfb:
        _xvfb["context"].__exit__(None, None, None)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> bool | None:
    if CHILD or item.get_closest_marker("ui") is None:
        return None
    from _pytest.reports import TestReport

    ihook = item.ihook
    ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
    with tempfile.TemporaryDirectory() as tmp:
        result_file = Path(tmp) / "reports.jsonl"
        env = {
            **os.environ,
            "KIOSK_UI_CHILD": "1",
            "KIOSK_UI_REPORT": str(result_file),
            "DISPLAY": _display(),
            "PYTHONPATH": str(ROOT),
        }
        started = time.monotonic()
        returncode: int | None = None
        try:
            proc = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pytest",
                    item.nodeid,
                    "-q",
                    "-p",
                    "no:cacheprovider",
                    "--no-header",
                    "-x",
                    # UI tests use no hypothesis: importing it (and rewriting its asserts)
                    # cost every child more than its own start-up
                    "-p",
                    "no:hypothesispytest",
                    "-p",
                    "no:xdist",
                ],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=CHILD_TIMEOUT,
            )
            output = proc.stdout + proc.stderr
            returncode = proc.returncode
        except subprocess.TimeoutExpired as exc:
            output = f"UI test timed out after {CHILD_TIMEOUT:.0f} s\n{_text(exc.stdout)}"
        duration = time.monotonic() - started
        reports = []
        if result_file.exists():
            reports = [json.loads(line) for line in result_file.read_text().splitlines()]
    reports = _with_child_failure(reports, returncode, output)
    keywords = {name: 1 for name in item.keywords}
    seen = set()
    for data in reports:
        seen.add(data["when"])
        longrepr: Any = data["longrepr"]
        if data["outcome"] == "skipped" and data.get("skip"):
            longrepr = tuple(data["skip"])
        report = TestReport(
            item.nodeid,
            item.location,
            keywords,
            data["outcome"],
            longrepr,
            data["when"],
            sections=[("Captured output (child)", output)] if data["outcome"] == "failed" else [],
            duration=duration if data["when"] == "call" else 0.0,
        )
        ihook.pytest_runtest_logreport(report=report)
    ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)
    return True


def _text(value: str | bytes | None) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value or ""


def _with_child_failure(
    reports: list[dict[str, Any]], returncode: int | None, output: str
) -> list[dict[str, Any]]:
    """Turn a child that crashed, was killed, timed out or exited wrongly into a failure.

    The child's own reports are trusted only when it also exited the way pytest exits after
    them: 0 when nothing failed, 1 when something did. Anything else (no call report after a
    passing setup, a signal, os._exit, a timeout) fails the test with the child's output, so a
    dead child can never vanish from the results.
    """
    failed = any(r["outcome"] == "failed" for r in reports)
    setup = next((r for r in reports if r["when"] == "setup"), None)
    stopped_in_setup = setup is not None and setup["outcome"] != "passed"
    has_call = any(r["when"] == "call" for r in reports)
    if returncode is None:
        problem = "the UI test process timed out and was killed"
    elif not has_call and not stopped_in_setup:
        problem = f"the UI test process ended without a result (exit code {returncode})"
    elif returncode != (1 if failed else 0):
        problem = f"the UI test process exited with code {returncode}"
    else:
        return reports
    failure = {"outcome": "failed", "longrepr": f"{problem}\n\n{output}", "skip": None}
    if not has_call and not stopped_in_setup:
        kept = [r for r in reports if r["when"] == "setup"]
        return [*kept, {"when": "call", **failure}]
    kept = [r for r in reports if r["when"] != "teardown"]
    return [*kept, {"when": "teardown", **failure}]


if CHILD:

    def pytest_runtest_logreport(report: pytest.TestReport) -> None:
        skip = None
        if report.skipped and isinstance(report.longrepr, tuple):
            path, line, reason = report.longrepr
            skip = [str(path), line, reason]
        record = {
            "when": report.when,
            "outcome": report.outcome,
            "skip": skip,
            "longrepr": None if report.passed else str(report.longrepr),
        }
        with open(os.environ["KIOSK_UI_REPORT"], "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record) + "\n")


@pytest.fixture
def ui(tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """ui(size=(w, h), content=None, **{section: {key: value}}) -> a started Driver."""
    if not CHILD:
        pytest.fail("the ui fixture only works inside a UI test process")
    started: list[Any] = []

    def start(
        size: tuple[int, int] = PORTRAIT,
        content: Path | None = None,
        hardened: bool = True,
        **sections: dict[str, str],
    ) -> Any:
        from kiosk import clock, config
        from kiosk.packs.loader import load_content
        from kiosk.ui.driver import Driver

        sections.setdefault("display", {})["size"] = f"{size[0]}x{size[1]}"
        file = write_config(tmp_path, sections)
        if content is None and "content" not in sections:
            seed_default_content(tmp_path / "var" / "cache")
        settings = config.load(file)
        clock.set_timezone(settings.kiosk.timezone)
        driver = Driver.start(settings, load_content(settings, content), hardened=hardened)
        started.append(driver)
        return driver

    yield start
    for driver in started:
        driver.stop()


@pytest.fixture
def shots() -> Path:
    """Where UI tests leave their screenshots for people to look at."""
    folder = ROOT / "out" / "ui"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def default_sites() -> list[str]:
    """The site ids of the default content (for tests parametrized per site)."""
    from kiosk.packs.sourcecache import load_source_cached

    return [site.id for site in load_source_cached(CONTENT, SOURCE_CACHE).sites]


def seed_default_content(cache: Path) -> None:
    """Put the compiled default content into a test's cache folder (see SOURCE_CACHE)."""
    import shutil

    from kiosk.packs.sourcecache import load_source_cached

    load_source_cached(CONTENT, SOURCE_CACHE)  # parses once; later calls read the copy
    cache.mkdir(parents=True, exist_ok=True)
    for compiled in SOURCE_CACHE.glob("source-*"):
        try:
            shutil.copy2(compiled, cache / compiled.name)
        except OSError:
            return  # another test process is rewriting it: this test parses the sources
