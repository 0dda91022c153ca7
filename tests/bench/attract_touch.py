"""Touch during the attract loop -> the home screen's frame on screen (goal <= 300 ms), while a
muted video plays and while a slide shows, against a baseline from the same run: a touch on
a home tile -> the frame of its (prebuilt) screen. Prints milliseconds and ratios.

    python tests/bench/attract_touch.py [--size 1080x1920] [--rounds 8]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ["KIVY_NO_ARGS"] = "1"  # our own --size, not Kivy's


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="1080x1920")
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()
    from kiosk import config
    from kiosk.packs.loader import load_content
    from kiosk.xdisplay import ensure_display
    from tests.conftest import write_config
    from tests.media import pack_with_videos

    folder = Path(tempfile.mkdtemp(prefix="kiosk-bench-"))
    pack = pack_with_videos(folder, seconds=20)
    settings = config.load(
        write_config(
            folder,
            {"display": {"size": args.size}, "session": {"attract_after": "1"}},
        )
    )
    with ensure_display(1920, 1920):
        from kivy.core.window import Window
        from kivy.tests.common import UnitTestTouch

        from kiosk.ui.driver import Driver

        driver = Driver.start(settings, load_content(settings, pack))
        app = driver.app
        driver.wait(lambda: app.background, timeout=30)
        driver.wait(lambda: len(app.screens.screens) >= 10, timeout=60)  # prewarmed, as live

        flips: list[float] = []
        Window.bind(on_flip=lambda *_: flips.append(time.perf_counter()))

        def touch_to_frame(condition, at=None, tap=False) -> float:
            """Finger down (and up, for a tap: a tile acts on release) -> the first frame
            after `condition` holds. A condition that never comes ends the bench with a
            message (it used to pump forever until killed, then crash in the shutdown)."""
            flips.clear()
            started = time.perf_counter()
            x, y = at or (Window.width * 0.5, Window.height * 0.5)
            touch = UnitTestTouch(x, y)
            touch.touch_down()
            if tap:
                touch.touch_up()
            deadline = started + 30
            while not condition():
                if time.perf_counter() > deadline:
                    driver.stop()
                    raise SystemExit("bench: the touch never reached its screen")
                driver.pump(1)
            seen = len(flips)
            while len(flips) <= seen:  # the frame that shows the result
                driver.pump(1)
            if not tap:
                touch.touch_up()
            return flips[-1] - started

        results: dict[str, list[float]] = {"baseline": [], "video": [], "slide": []}
        for _ in range(args.rounds):
            app.reset_session()
            driver.pump(3)
            tile = driver.find(cls="Tile", action="directory")
            results["baseline"].append(
                touch_to_frame(
                    lambda: app.screens.current == "directory",
                    tile.to_window(*tile.center),
                    tap=True,
                )
            )
            app.reset_session()
            driver.pump(3)
            for kind in ("video", "slide"):
                app.last_touch = 0.0
                driver.wait(lambda: app.screens.current == "attract", timeout=30)
                screen = app.screens.current_screen
                if kind == "slide":
                    screen.position = (
                        next(i for i, item in enumerate(screen.items) if item.kind == "slide") - 1
                    )
                    screen.next_item()
                else:
                    player = screen.ids.player
                    driver.wait(lambda p=player: p.loaded, timeout=30)
                driver.pump(5)
                results[kind].append(touch_to_frame(lambda: app.screens.current == "home"))
        driver.stop()
    base = statistics.median(results["baseline"])
    print(f"{'touch ->':<28}{'median ms':>10}{'max ms':>10}{'ratio':>8}")
    for kind, label in (
        ("baseline", "home tile -> its screen"),
        ("video", "home frame, from a video"),
        ("slide", "home frame, from a slide"),
    ):
        values = results[kind]
        median = statistics.median(values)
        print(f"{label:<28}{median * 1000:>10.1f}{max(values) * 1000:>10.1f}{median / base:>8.1f}")
    print("goal: touch -> home frame <= 300 ms")


if __name__ == "__main__":
    main()
