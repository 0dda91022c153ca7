"""Time to show a screen as a resident meets it: the first visit (screen built on demand,
nothing prebuilt) and warm visits (built before), separately.

Every screen is reached the way `kiosk tour` reaches it, with real parameters (a service
to confirm, an institution's detail, a question of the legal-aid walkthrough, a search typed
on the keys ...), not an empty screen. The background prebuild that a running kiosk starts a
few seconds after start-up is switched off, so a first visit really builds its screen; the
bench times every `app.go()` (what a tap calls): for a screen not built yet that is building
it and filling it; afterwards filling it only. Prints milliseconds per screen and medians.

    python tests/bench/navigation.py [--size 1080x1920] [--warm 5]
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="1080x1920")
    parser.add_argument("--warm", type=int, default=5, help="warm visits per stop")
    args = parser.parse_args()
    from kiosk import clock, config
    from kiosk.launch import TOUR_AT
    from kiosk.packs.loader import load_content
    from kiosk.xdisplay import ensure_display
    from tests.conftest import write_config

    folder = Path(tempfile.mkdtemp(prefix="kiosk-bench-"))
    settings = config.load(write_config(folder, {"display": {"size": args.size}}))
    clock.set_timezone(settings.kiosk.timezone)
    with ensure_display(1920, 1920), clock.freeze(TOUR_AT) as frozen:
        from kiosk.ui import boot
        from kiosk.ui.main import window_options

        boot.prepare(window_options(settings), settings.kiosk.data_dir / "kivy")  # before Kivy
        from kiosk.ui import app as app_module

        app_module.PREWARM_DELAY = 1e9  # no background prebuild: first visits build
        from kiosk.ui.driver import Driver
        from kiosk.ui.tour import all_stops

        driver = Driver.start(settings, load_content(settings), stats=False)
        driver.clock = frozen
        app = driver.app
        # Time every app.go(): building the screen (first visit) and filling it (each visit),
        # with the parameters the stops pass, as a tap would.
        first: dict[str, float] = {}
        warm: dict[str, list[float]] = {}
        go = app.go

        def timed_go(name: str, *args: object, **params: object) -> object:
            cold = not app.screens.has_screen(name)
            started = time.perf_counter()
            screen = go(name, *args, **params)
            elapsed = time.perf_counter() - started
            if cold:
                first[name] = elapsed
            else:
                warm.setdefault(name, []).append(elapsed)
            return screen

        app.go = timed_go
        # What a resident waits for after a tap is the next frame drawn with the screen in
        # it (layout, wrapping, text rendering): the frame after a stop's visit is added to
        # the screen it shows, on its first visit.
        frame: dict[str, float] = {}
        stops = [(name, visit) for name, visit in all_stops() if name != "home"]
        for _round in range(1 + args.warm):
            for _name, visit in stops:
                app.reset_session()
                app.close_overlay()
                built = set(first)
                visit(driver)
                shown = app.screens.current
                started = time.perf_counter()
                driver.pump(1)
                if shown in first and shown not in built and shown not in frame:
                    frame[shown] = time.perf_counter() - started
                app.close_overlay()
                app.idle.kick()
        driver.stop()
    print(
        f"{'screen':<24}{'first visit ms':>16}{'+ first frame':>15}{'warm median ms':>16}"
        f"{'warm visits':>13}"
    )
    for name in sorted(first, key=first.get, reverse=True):
        times = warm.get(name, [])
        median = f"{statistics.median(times) * 1000:16.1f}" if times else f"{'-':>16}"
        shown = f"{(first[name] + frame[name]) * 1000:15.1f}" if name in frame else f"{'-':>15}"
        print(f"{name:<24}{first[name] * 1000:>16.1f}{shown}{median}{len(times):>13}")
    warm_medians = [statistics.median(t) for t in warm.values() if t]
    print(
        f"first visits ({len(first)} screens, each built on demand): median "
        f"{statistics.median(first.values()) * 1000:.0f} ms, max {max(first.values()) * 1000:.0f} ms; "
        f"warm visits: median {statistics.median(warm_medians) * 1000:.0f} ms, "
        f"max {max(warm_medians) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
