"""What the latency benches share: a fixed kiosk clock, percentiles and one summary line.

Import after the bench has put the checkout on sys.path (each bench does that first, since
they run as scripts: `python tests/bench/NAME.py`).
"""

from __future__ import annotations

import os
import socket


def fix_clock(at: str) -> str:
    """Run the kiosk code of this process and its children at `at` (KIOSK_NOW): inside
    opening hours, whatever the wall clock says."""
    os.environ["KIOSK_NOW"] = at
    return at


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of values."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(name: str, values: list[float], width: int = 44) -> str:
    """One line: count, p50, p95 and max in milliseconds of values given in seconds."""
    ms = [v * 1000 for v in values]
    return (
        f"{name:<{width}} n={len(ms):<5} p50={percentile(ms, 50):7.1f} ms"
        f"  p95={percentile(ms, 95):7.1f} ms  max={max(ms):7.1f} ms"
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
