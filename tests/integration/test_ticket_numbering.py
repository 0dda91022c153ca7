"""Several processes issuing at once, and processes killed at the worst instants."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk import clock
from tests.conftest import ROOT, run_cli
from tests.tickets.env import TicketEnv

NOW = "2025-06-03T10:00:00"


def spawn(env: TicketEnv, code: str, count: int, go: Path | None = None, **extra: str):
    environ = {**os.environ, "PYTHONPATH": str(ROOT), "KIOSK_NOW": NOW, **extra}
    args = [sys.executable, "-m", "tests.tickets.worker", str(env.config), code, str(count)]
    if go:
        args.append(str(go))
    return subprocess.Popen(
        args, cwd=ROOT, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def numbers_in_db(env: TicketEnv, service: str = "consultation") -> list[int]:
    rows = env.ledger.conn.execute(
        "SELECT seq FROM tickets WHERE service = ? ORDER BY seq", (service,)
    ).fetchall()
    return [seq for (seq,) in rows]


@pytest.fixture
def env(tmp_path):
    environment = TicketEnv(tmp_path, printer={"url": "none"})
    yield environment
    environment.close()


@pytest.mark.slow
def test_four_processes_issuing_at_once_get_unique_consecutive_numbers(env, tmp_path):
    go = tmp_path / "go"
    workers = [spawn(env, "A", 40, go) for _ in range(4)]
    for worker in workers:
        assert worker.stdout.readline().strip() == "ready"
    go.touch()
    outputs = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        outputs.append(out.split())
    handed_out = [number for out in outputs for number in out]
    assert len(handed_out) == 160
    assert sorted(handed_out) == [f"A{n:03d}" for n in range(1, 161)], "unique, no gaps"
    for out in outputs:
        assert out == sorted(out), "each process sees its own numbers rise"
    assert sum(1 for out in outputs if out) == 4
    assert numbers_in_db(env) == list(range(1, 161))


def _in_sqlite_busy_wait(pid: int) -> bool:
    """The process sleeps in a syscall: after the "before-begin" announcement the only sleep
    left is SQLite's busy handler waiting for the write lock (nanosleep/clock_nanosleep)."""
    try:
        number = Path(f"/proc/{pid}/syscall").read_text().split()[0]
    except (OSError, IndexError):
        return False
    return number in ("35", "230")  # x86-64 nanosleep, clock_nanosleep


def test_a_process_that_must_wait_for_the_lock_gets_the_next_number(env, tmp_path):
    """Forced contention: the first process has taken A001 inside its transaction and hangs
    before COMMIT; three others start issuing and are seen waiting for the lock; only then
    does the first commit. A reader that did not wait for the lock would also take A001."""
    holder_marker, holder_go = tmp_path / "holder.pid", tmp_path / "holder.go"
    holder = spawn(
        env,
        "A",
        1,
        KIOSK_TICKETS_PAUSE="before-commit",
        KIOSK_TICKETS_PAUSE_FILE=str(holder_marker),
        KIOSK_TICKETS_RESUME_FILE=str(holder_go),
    )
    assert holder.stdout.readline().strip() == "ready"
    assert wait_for(holder_marker.exists), holder.stderr.read()
    waiters, markers = [], []
    for index in range(3):
        marker = tmp_path / f"waiter-{index}.pid"
        markers.append(marker)
        waiters.append(
            spawn(
                env,
                "A",
                5,
                KIOSK_TICKETS_PAUSE="before-begin",
                KIOSK_TICKETS_PAUSE_FILE=str(marker),
                KIOSK_TICKETS_RESUME_FILE=str(tmp_path),  # exists: announce, go on
            )
        )
    for waiter, marker in zip(waiters, markers, strict=True):
        assert waiter.stdout.readline().strip() == "ready"
        assert wait_for(marker.exists)
        assert wait_for(lambda w=waiter: _in_sqlite_busy_wait(w.pid)), "waits for the lock"
    assert numbers_in_db(env) == [], "nothing committed while the first holds the lock"
    holder_go.touch()
    out, err = holder.communicate(timeout=60)
    assert holder.returncode == 0, err
    assert out.split() == ["A001"]
    handed_out = []
    for waiter in waiters:
        out, err = waiter.communicate(timeout=60)
        assert waiter.returncode == 0, err
        handed_out += out.split()
    assert sorted(handed_out) == [f"A{n:03d}" for n in range(2, 17)], "unique, no gaps"
    assert numbers_in_db(env) == list(range(1, 17))


def wait_for(predicate, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return False


def _kill_at(env: TicketEnv, point: str, tmp_path: Path) -> None:
    marker = tmp_path / f"{point}.pid"
    worker = spawn(env, "A", 1, KIOSK_TICKETS_PAUSE=point, KIOSK_TICKETS_PAUSE_FILE=str(marker))
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert marker.exists(), worker.stderr.read() if worker.poll() is not None else "no marker"
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(10)
    assert worker.returncode == -signal.SIGKILL


def test_killed_before_commit_leaves_no_trace_and_no_gap(env, tmp_path):
    _kill_at(env, "before-commit", tmp_path)
    assert numbers_in_db(env) == []
    result = run_cli(
        "ticket", "issue", "--service", "A", "--json", config=env.config, env={"KIOSK_NOW": NOW}
    )
    assert result.returncode == 0, result.stderr
    assert '"number": "A001"' in result.stdout
    assert env.ledger.conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_killed_after_commit_keeps_the_ticket_for_staff_to_reprint(env, tmp_path):
    _kill_at(env, "after-commit", tmp_path)
    assert numbers_in_db(env) == [1]
    with clock.freeze(NOW) as frozen:
        frozen.advance(minutes=5)
        desk = env.desk()
        (interrupted,) = desk.unprinted()
        assert interrupted.number == "A001"
        assert interrupted.print_error == "打印中断（程序在打印时退出）"
        assert desk.issue("A").number == "A002"
        reprinted = env.desk(url=f"image://{tmp_path}/png/").reprint("A001")
    assert reprinted.printed


@pytest.mark.slow
def test_random_kills_never_lose_an_acknowledged_ticket_nor_leave_a_gap(tmp_path):
    env = TicketEnv(tmp_path)  # prints PNGs: the kill lands in SQL, rendering or saving
    rng = random.Random(6)
    acknowledged: list[str] = []
    for _round in range(8):
        worker = spawn(env, "A", 1000)
        assert worker.stdout.readline().strip() == "ready"
        # Force the case: the worker has acknowledged a ticket before the kill lands (on a
        # loaded machine a fixed sleep could kill it before its first one, every round).
        first = worker.stdout.readline().strip()
        assert first, "the worker issued a ticket"
        time.sleep(rng.uniform(0.0, 0.3))
        os.kill(worker.pid, signal.SIGKILL)
        out, _ = worker.communicate(timeout=10)
        acknowledged += [first, *out.split()]
        seqs = numbers_in_db(env)
        assert seqs == list(range(1, len(seqs) + 1)), "consecutive after every crash"
    stored = {f"A{n:03d}" for n in numbers_in_db(env)}
    assert acknowledged, "the workers issued tickets before being killed"
    assert set(acknowledged) <= stored, "every number a resident saw is in the ledger"
    assert env.ledger.conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    env.close()
