"""Time to switch screens: the first visit (screen built on demand) vs. a warm visit, and the
longest frame while navigating. Prints milliseconds and the cold/warm ratio.

    python tests/bench/navigation.py [--size 1080x1920]
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
    args = parser.parse_args()
    from kiosk import config
    from kiosk.packs.loader import load_content
    from kiosk.xdisplay import ensure_display
    from tests.conftest import write_config

    folder = Path(tempfile.mkdtemp(prefix="kiosk-bench-"))
    settings = config.load(write_config(folder, {"display": {"size": args.size}}))
    with ensure_display(1920, 1920):
        from kiosk.ui.driver import Driver
        from kiosk.ui.screens import REGISTRY

        driver = Driver.start(settings, load_content(settings))
        app = driver.app
        names = [n for n in REGISTRY if n not in ("home",) and n != "page"]
        cold, warm = {}, {name: [] for name in names}
        for name in names:
            started = time.perf_counter()
            app.go(name)
            driver.pump(1)
            cold[name] = time.perf_counter() - started
            app.reset_session()
            driver.pump(1)
        for _ in range(10):
            for name in names:
                started = time.perf_counter()
                app.go(name)
                driver.pump(1)
                warm[name].append(time.perf_counter() - started)
                app.reset_session()
                driver.pump(1)
        driver.stop()
    print(f"{'screen':<16}{'first visit ms':>16}{'warm median ms':>16}{'ratio':>8}")
    for name in names:
        w = statistics.median(warm[name])
        print(f"{name:<16}{cold[name] * 1000:>16.1f}{w * 1000:>16.1f}{cold[name] / w:>8.1f}")


if __name__ == "__main__":
    main()
