"""Deliberately broken UI tests for tests/unit/test_ui_harness.py (not collected by default).

Each probe misbehaves only when KIOSK_HARNESS_PROBE names it, so the harness test can run one
at a time through the real parent/child machinery and check that the parent reports a failure.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import pytest

PROBE = os.environ.get("KIOSK_HARNESS_PROBE", "")


def _only(name: str) -> None:
    if name != PROBE:
        pytest.skip("harness probe; run by tests/unit/test_ui_harness.py")


def test_passes() -> None:
    _only("passes")
    assert True


def test_fails() -> None:
    _only("fails")
    raise AssertionError("the probe failed on purpose")


def test_exits_quietly() -> None:
    _only("exits_quietly")
    os._exit(0)  # no call report, exit code 0: used to vanish as "no tests ran"


def test_killed() -> None:
    _only("killed")
    os.kill(os.getpid(), signal.SIGKILL)


def test_hangs() -> None:
    _only("hangs")
    time.sleep(600)


@pytest.fixture
def dies_in_teardown() -> Iterator[None]:
    yield
    if PROBE == "dies_in_teardown":
        os._exit(3)


def test_dies_in_teardown(dies_in_teardown: None) -> None:
    _only("dies_in_teardown")
