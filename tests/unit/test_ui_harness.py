"""The UI harness must report a child process that crashed, was killed or hung as a failure.

Runs tests/ui/probe_harness.py through the real parent/child machinery of tests/ui/conftest.py
(one pytest parent, one child per test), with one probe misbehaving at a time.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT

PROBES = "tests/ui/probe_harness.py"


def run_probe(name: str, timeout: str = "120") -> tuple[int, str]:
    env = {
        **os.environ,
        "KIOSK_HARNESS_PROBE": name,
        "KIOSK_UI_TIMEOUT": timeout,
    }
    env.pop("KIOSK_UI_CHILD", None)
    env.pop("PYTEST_XDIST_WORKER", None)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            f"{PROBES}::test_{name}",
            "-p",
            "no:xdist",
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            "-rA",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return proc.returncode, proc.stdout + proc.stderr


def counts(output: str) -> dict[str, int]:
    summary = output.strip().splitlines()[-1]
    return {
        word: int(n)
        for n, word in re.findall(r"(\d+) (passed|failed|error|errors|skipped)", summary)
    }


def test_a_passing_child_passes() -> None:
    code, output = run_probe("passes")
    assert code == 0, output
    assert counts(output) == {"passed": 1}, output


def test_a_failing_child_fails() -> None:
    code, output = run_probe("fails")
    assert code == 1, output
    assert counts(output) == {"failed": 1}, output
    assert "the probe failed on purpose" in output


@pytest.mark.parametrize(
    ("probe", "reason"),
    [
        ("exits_quietly", "ended without a result (exit code 0)"),
        ("killed", "ended without a result (exit code -9)"),
    ],
)
def test_a_child_that_dies_in_the_test_fails(probe: str, reason: str) -> None:
    code, output = run_probe(probe)
    assert code == 1, output
    assert "no tests ran" not in output
    assert counts(output) == {"failed": 1}, output
    assert reason in output


def test_a_child_that_hangs_is_killed_and_fails() -> None:
    code, output = run_probe("hangs", timeout="5")
    assert code == 1, output
    assert counts(output) == {"failed": 1}, output
    assert "timed out and was killed" in output


def test_a_child_that_dies_after_passing_is_an_error() -> None:
    code, output = run_probe("dies_in_teardown")
    assert code == 1, output
    assert counts(output) == {"passed": 1, "error": 1}, output
    assert "exited with code 3" in output
