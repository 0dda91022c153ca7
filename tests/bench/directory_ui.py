"""Benchmark: from a tap on a letter key to the updated result list on screen.

Run: python tests/bench/directory_ui.py [--size 1080x1920] [--generated 50000] [--rounds 3]

Drives the real kiosk window (on its own Xvfb) through Kivy's input path: a touch down and up
on a key of the on-screen keyboard. Measures, per key:
- search + list: from the key's handler starting to the result rows being filled;
- key to frame: from the key's handler starting to the first frame drawn after it (search,
  the first screenful of rows, line wrapping, layout and drawing): what the resident sees;
- key to all rows: until the frame in which the last of up to 30 rows is in place;
- a redraw with nothing to compute, for scale: under Xvfb the GL is software (llvmpipe) and
  drawing a full 1080x1920 frame alone takes tens of milliseconds;
on the bundled content and on a generated directory of N institutions, against a same-run
baseline where the result rows are built new for every key instead of reused.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

SEQUENCES = ("FLYZ", "TJ", "RMTJ", "GZC", "SLHJD", "FLFW", "LSSWS", "XLZ", "QXQX", "ZXLS")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def generated_pack(base, count: int):  # type: ignore[no-untyped-def]
    import dataclasses

    from directory_search import generate

    from kiosk.packs import model

    institutions = tuple(
        model.Institution(id=f"gen{n}", name=e.name, kind="law_firm", town="")
        for n, e in enumerate(generate(count))
    )
    return dataclasses.replace(base, institutions=base.institutions + institutions)


def measure(driver, rounds: int, fresh_rows: bool):  # type: ignore[no-untyped-def]
    from kivy.core.window import Window
    from kivy.tests.common import UnitTestTouch

    app = driver.app
    screen = app.screens.get_screen("directory-search")
    flips: list[float] = []
    Window.bind(on_flip=lambda *_: flips.append(time.perf_counter()))
    handled, framed, whole = [], [], []
    for _ in range(rounds):
        for sequence in SEQUENCES:
            for letter in sequence + "\b":
                action = "key-clear" if letter == "\b" else f"key-{letter}"
                key = driver.find(action=action)
                if fresh_rows:
                    screen._pool = []  # every row made anew, the way a naive list does
                x, y = key.to_window(*key.center)
                touch = UnitTestTouch(x, y)
                touch.touch_down()
                driver.pump(1)
                touch.touch_up()
                deadline = time.perf_counter() + 5
                while time.perf_counter() < deadline:
                    driver.pump(1)
                    if screen.last_key_at and any(t > screen.last_shown_at for t in flips[-3:]):
                        break
                while (
                    time.perf_counter() < deadline and screen.last_complete_at < screen.last_key_at
                ):
                    driver.pump(1)
                driver.pump(1)
                if letter == "\b":
                    continue
                after = [t for t in flips if t > screen.last_shown_at]
                complete = [t for t in flips if t > screen.last_complete_at]
                handled.append(screen.last_shown_at - screen.last_key_at)
                framed.append(after[0] - screen.last_key_at)
                whole.append(complete[0] - screen.last_key_at)
    return handled, framed, whole


def redraws(driver, count: int = 30) -> list[float]:  # type: ignore[no-untyped-def]
    """A frame with nothing to compute: the window asked to redraw, until it has flipped."""
    from kivy.core.window import Window

    flips: list[float] = []
    Window.bind(on_flip=lambda *_: flips.append(time.perf_counter()))
    times = []
    for _ in range(count):
        asked = time.perf_counter()
        Window.canvas.ask_update()
        while not flips or flips[-1] < asked:
            driver.pump(1)
        times.append(flips[-1] - asked)
    return times


def run(size: tuple[int, int], generated: int, rounds: int) -> None:
    from kiosk import clock, config
    from kiosk.packs.loader import load_content
    from kiosk.ui.driver import Driver
    from tests.conftest import write_config

    folder = Path(tempfile.mkdtemp(prefix="directory-ui-bench-"))
    file = write_config(folder, {"display": {"size": f"{size[0]}x{size[1]}", "maxfps": "120"}})
    settings = config.load(file)
    clock.set_timezone(settings.kiosk.timezone)
    loaded = load_content(settings)
    driver = Driver.start(settings, loaded)
    from kiosk.ui.screens.directory import wait_for_index  # imports Kivy: after Driver.start

    app = driver.app
    results = {}
    try:
        for label, pack in (
            ("bundled content", loaded.pack),
            (f"{generated:,} generated institutions", generated_pack(loaded.pack, generated)),
        ):
            import dataclasses

            app.set_content(dataclasses.replace(loaded, pack=pack))
            app.reset_session()
            app.go("directory")
            app.go("directory-search")
            started = time.perf_counter()
            index = wait_for_index(app, 600)
            built = time.perf_counter() - started
            driver.wait(lambda: len(app.screens.current_screen._pool) >= 60, timeout=60)
            for fresh in (False, True):
                handled, framed, whole = measure(driver, rounds, fresh)
                results[(label, fresh)] = (handled, framed, whole, len(index), built)
        idle = redraws(driver)
    finally:
        driver.stop()
    ms = 1000.0
    print(f"window {size[0]}x{size[1]}, {rounds} rounds of {len(SEQUENCES)} typed sequences")
    print(
        f"a redraw with nothing to compute (this machine's GL): p50 "
        f"{percentile(idle, 0.5) * ms:.2f} ms  p95 {percentile(idle, 0.95) * ms:.2f} ms"
    )
    for (label, fresh), (handled, framed, whole, entries, built) in results.items():
        how = "rows built new each key (baseline)" if fresh else "rows reused (kiosk)"
        print(f"{label} ({entries:,} entries, index ready {built:.2f} s after asking), {how}:")
        print(
            f"  search + list  p50 {percentile(handled, 0.5) * ms:6.2f} ms  "
            f"p95 {percentile(handled, 0.95) * ms:6.2f} ms"
        )
        print(
            f"  key to frame   p50 {percentile(framed, 0.5) * ms:6.2f} ms  "
            f"p95 {percentile(framed, 0.95) * ms:6.2f} ms  "
            f"mean {statistics.fmean(framed) * ms:6.2f} ms  ({len(framed)} keys)"
        )
        print(
            f"  key to all rows p50 {percentile(whole, 0.5) * ms:6.2f} ms  "
            f"p95 {percentile(whole, 0.95) * ms:6.2f} ms"
        )
    for label in {label for label, _ in results}:
        reused = percentile(results[(label, False)][1], 0.5)
        fresh = percentile(results[(label, True)][1], 0.5)
        print(f"{label}: key to frame, baseline/kiosk at p50 = {fresh / reused:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1080x1920")
    parser.add_argument("--generated", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    from kiosk.xdisplay import virtual_display

    with virtual_display(max(width, height), max(width, height)):
        run((width, height), args.generated, args.rounds)


if __name__ == "__main__":
    main()
