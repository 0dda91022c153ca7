"""The sync process killed (SIGKILL) at chosen bytes of a download and at every step, then
restarted: the kiosk must find a consistent, loadable active pack every time, and finish.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from kiosk import config
from kiosk.packs.installed import Installed
from kiosk.packs.loader import load_content
from kiosk.sync.engine import Engine
from tests.conftest import ROOT
from tests.integration.packserver import pattern

pytestmark = pytest.mark.slow

STEPS = ["manifest-verified", "object-committed", "downloaded", "staged", "activated", "collected"]


def start_sync(settings: Any, pause_at: str | None = None) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KIOSK_CONFIG": str(settings.file)}
    if pause_at:
        env["KIOSK_SYNC_PAUSE_AT"] = pause_at
    return subprocess.Popen(
        [sys.executable, "-m", "kiosk", "sync", "--once"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_line(proc: subprocess.Popen[str], text: str, timeout: float = 60) -> None:
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stderr], daemon=True).start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if text in lines.get(timeout=0.2):
                return
        except queue.Empty:
            if proc.poll() is not None:
                break
    raise AssertionError(f"the sync never reached {text!r}")


def assert_consistent(settings: Any, allowed: set[int]) -> int:
    """What a kiosk starting now would show: an installed pack that verifies, nothing else."""
    installed = Installed(settings.sync.packs)
    state = installed.state()
    assert not state.rebuilt, "state.json is always complete"
    assert state.active in allowed
    loaded = load_content(settings)
    assert loaded.origin == "built", loaded.notes
    assert loaded.installed_version == state.active
    assert loaded.notes == ()
    for logical, path in loaded.pack.files.items():
        assert Path(path).is_file(), logical
    return state.active


@pytest.fixture
def prepared(tmp_path, settings, server, publisher) -> Any:
    """A kiosk with version 1 installed; the server offers version 2 with 3 MB of new media,
    sent at 3 MB/s so that a run lasts about a second."""
    Engine(settings).run_once()
    for index in range(3):
        publisher.media(f"film-{index}.mp4", pattern(1_000_000, 40 + index))
    publisher.publish()
    server.faults.rate = 3_000_000
    template = tmp_path / "template-packs"
    shutil.copytree(settings.sync.packs, template, symlinks=True)
    return template


def fresh_kiosk(settings: Any, template: Path) -> None:
    shutil.rmtree(settings.sync.packs)
    shutil.copytree(template, settings.sync.packs, symlinks=True)


@pytest.mark.parametrize(
    ("film", "offset"), [(0, 0), (0, 1), (0, 500_000), (1, 65_536), (2, 999_999)]
)
def test_killed_mid_download_then_restarted(settings, server, publisher, prepared, film, offset):
    """Killed with exactly `offset` bytes of a film sent (the server holds the rest back
    until the kill), then restarted: the old pack is shown meanwhile and the restart
    finishes the update."""
    server.faults.rate = None
    fresh_kiosk(settings, prepared)
    path = "/objects/" + publisher.object_of(f"film-{film}.mp4").name
    server.faults.held.clear()
    server.faults.release.clear()
    server.faults.hold[path] = offset
    proc = start_sync(settings)
    try:
        assert server.faults.held.wait(60), "the download reached the hold"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        server.faults.hold.clear()
        server.faults.release.set()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert assert_consistent(settings, {1}) == 1, "the old pack until the new one is complete"
    restarted = start_sync(settings)
    restarted.wait(timeout=120)
    restarted.stderr.close()
    assert restarted.returncode == 0
    assert assert_consistent(settings, {2}) == 2


@pytest.mark.parametrize("step", STEPS)
def test_killed_at_each_step_then_restarted(settings, server, prepared, step):
    fresh_kiosk(settings, prepared)
    proc = start_sync(settings, pause_at=step)
    wait_for_line(proc, f"sync paused at {step}")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    proc.stderr.close()
    expected = 2 if step in ("activated", "collected") else 1
    assert assert_consistent(settings, {expected}) == expected
    server.log()
    settings = config.load(settings.file)
    outcome = Engine(settings).run_once()
    assert assert_consistent(settings, {2}) == 2
    if expected == 1:
        assert outcome.result == "installed"
    served = server.log()
    # what was already downloaded is not fetched again
    if step in ("downloaded", "staged"):
        assert not [e for e in served if e.path.startswith("/objects/")]
