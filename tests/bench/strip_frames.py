"""Frame times of the LED strip while it scrolls, on the software renderer under Xvfb: for
each strip size, the intervals between frames at maxfps 60, the share of frames later than
one 60 Hz period (16.7 ms, i.e. a dropped frame), the strip's own work per frame and the CPU
time per drawn frame (all threads: the software renderer draws in its own), against
a baseline of the same window with a static line (the event loop's ticks, nothing to redraw).
Prints milliseconds.

    python tests/bench/strip_frames.py [--seconds 6]
"""

from __future__ import annotations

import argparse
import gc
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ["KIVY_NO_ARGS"] = "1"  # our own --size, not Kivy's

SIZES = ("384x64", "352x80", "192x96")
PERIOD = 1 / 60


def measure(size: str, seconds: float) -> None:
    from kiosk import config
    from kiosk.packs.loader import load_content
    from tests.conftest import write_config

    folder = Path(tempfile.mkdtemp(prefix="kiosk-bench-"))
    settings = config.load(
        write_config(
            folder,
            {
                "display": {"size": size, "maxfps": "60"},
                "kiosk": {"mode": "signage"},
                "signage": {"layout": "strip"},
            },
        )
    )
    from kiosk.ui.driver import Driver

    driver = Driver.start(settings, load_content(settings))  # configures Kivy first
    from kivy.base import EventLoop
    from kivy.core.window import Window

    strip = driver.app.screens.current_screen
    driver.wait(lambda: strip.scrolling, timeout=10)

    cpu_used: dict[bool, float] = {}
    gc_pauses: dict[bool, list[float]] = {}

    def run(static: bool) -> tuple[list[float], list[float]]:
        flips: list[float] = []
        work: list[float] = []
        handler = lambda *_: flips.append(time.perf_counter())  # noqa: E731
        Window.bind(on_flip=handler)
        original = strip.step

        def timed(*a):
            started = time.perf_counter()
            if not static:
                original(*a)
            work.append(time.perf_counter() - started)

        strip._event.cancel()
        event = __import__("kivy.clock", fromlist=["Clock"]).Clock.schedule_interval(timed, 0)
        end = time.perf_counter() + seconds
        ticks: list[float] = []
        cpu = time.process_time()  # all threads (llvmpipe draws in its own): load-proof
        gc_started: list[float] = []
        pauses: list[float] = []

        def collector(phase: str, _info: dict) -> None:
            if phase == "start":
                gc_started.append(time.perf_counter())
            elif gc_started:
                pauses.append(time.perf_counter() - gc_started.pop())

        gc.callbacks.append(collector)
        while time.perf_counter() < end:
            EventLoop.idle()  # the real loop's step, including its maxfps sleep
            ticks.append(time.perf_counter())
        gc.callbacks.remove(collector)
        cpu_used[static] = (time.process_time() - cpu) / max(len(flips), 1)
        gc_pauses[static] = pauses
        event.cancel()
        Window.unbind(on_flip=handler)
        strip._event = __import__("kivy.clock", fromlist=["Clock"]).Clock.schedule_interval(
            strip.step, 0
        )
        # a static line redraws nothing: its loop ticks are the floor to compare with
        gaps = [b - a for a, b in itertools.pairwise(flips if len(flips) > 10 else ticks)]
        return gaps, work

    base, _ = run(static=True)
    gaps, work = run(static=False)
    driver.stop()
    for label, values in (("static line", base), ("scrolling", gaps)):
        late = sum(1 for g in values if g > PERIOD * 1.5) / max(len(values), 1)
        print(
            f"{size:<8}{label:<13}{len(values):>7}{statistics.median(values) * 1000:>10.2f}"
            f"{sorted(values)[int(len(values) * 0.99) - 1] * 1000:>10.2f}"
            f"{max(values) * 1000:>10.2f}{late * 100:>9.1f}%"
        )
    print(f"{size:<8}{'strip work':<13}{len(work):>7}{statistics.median(work) * 1000:>10.3f}")
    print(f"{size:<8}{'CPU / frame':<13}{'':>7}{cpu_used[False] * 1000:>10.3f}  (all threads, ms)")
    pauses = gc_pauses[False]
    print(
        f"{size:<8}{'gc pauses':<13}{len(pauses):>7}"
        f"{max(pauses, default=0) * 1000:>10.3f}  (count, longest ms, while scrolling)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=6)
    parser.add_argument("--size", choices=SIZES)
    args = parser.parse_args()
    if args.size is None:  # one Kivy window per process: one child per size
        import subprocess

        print(
            f"{'size':<8}{'':<13}{'frames':>7}{'median':>10}{'p99':>10}{'max':>10}{'dropped':>10}"
        )
        for size in SIZES:
            subprocess.run(
                [sys.executable, __file__, "--size", size, "--seconds", str(args.seconds)],
                check=False,
            )
        print("dropped = frame interval > 1.5 x 16.7 ms (60 Hz); goal: none")
        return
    from kiosk.xdisplay import ensure_display

    with ensure_display(1920, 1920):
        measure(args.size, args.seconds)


if __name__ == "__main__":
    main()
