"""Do 长者模式 and 朗读 slow down screen changes? Tap-to-drawn time of the same screen changes
with both off (the baseline, measured in the same run), 长者模式 on, and 朗读 on (real
espeak-ng voice, speaker replaced by the recording player), plus the time to switch 长者模式
itself on a busy screen. Prints medians, p95 and the ratio to the baseline.

    python tests/bench/access_switch.py [--size 1080x1920] [--rounds 8]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

ROUTE = ["disclosure", "directory", "tickets", "eligibility", "videos"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="1080x1920")
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()
    from kiosk import config
    from kiosk.packs.loader import load_content
    from kiosk.xdisplay import ensure_display
    from tests.conftest import write_config

    folder = Path(tempfile.mkdtemp(prefix="kiosk-bench-"))
    settings = config.load(
        write_config(folder, {"display": {"size": args.size}, "speech": {"player": "none"}})
    )
    with ensure_display(1920, 1920):
        from kiosk.ui.driver import Driver

        driver = Driver.start(settings, load_content(settings))
        app = driver.app
        access = app.access

        def tour_once() -> list[float]:
            """Each screen change through the tile, timed to the frame that shows it."""
            times = []
            for name in ROUTE:
                tile = [t for t in driver.find_all(cls="Tile") if t.action == name]
                if not tile:
                    continue
                started = time.perf_counter()
                driver.tap(tile[0])  # touch down, a frame, touch up, two frames
                times.append(time.perf_counter() - started)
                assert app.screens.current != "home"
                app.home()
                driver.pump(2)
            return times

        # Visit everything once in every mode first: a first visit builds the screen.
        for elder, read in ((False, False), (True, False), (False, True)):
            access.settings = settings.replace(
                "access", elder_default=elder, read_aloud_default=read
            )
            app.home()
            driver.settle()
            tour_once()
        results: dict[str, list[float]] = {"baseline": [], "长者模式": [], "朗读": []}
        for _ in range(args.rounds):  # interleaved, so machine load hits every mode alike
            for label, elder, read in (
                ("baseline", False, False),
                ("长者模式", True, False),
                ("朗读", False, True),
            ):
                access.settings = settings.replace(
                    "access", elder_default=elder, read_aloud_default=read
                )
                app.home()
                driver.settle()
                results[label] += tour_once()
        said = sum(1 for kind, _ in access.speaker.requests if kind == "say")
        toggles = []
        app.go("directory")
        driver.settle()
        for _ in range(args.rounds):
            button = driver.find(action="elder")
            started = time.perf_counter()
            driver.tap(button)
            driver.settle()
            toggles.append(time.perf_counter() - started)
        driver.stop()

    base = statistics.median(results["baseline"])
    print(f"{'mode':<10}{'median ms':>12}{'p95 ms':>10}{'ratio':>8}  (screen change, tap to frame)")
    for label, values in results.items():
        values.sort()
        p95 = values[int(0.95 * (len(values) - 1))]
        median = statistics.median(values)
        print(f"{label:<10}{median * 1000:>12.1f}{p95 * 1000:>10.1f}{median / base:>8.2f}")
    print(f"朗读 requests issued: {said}")
    print(
        f"switching 长者模式 on the directory screen (relayout of every size): median "
        f"{statistics.median(toggles) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
