"""Start-up cost: `kiosk run --smoke` against a bare Kivy app that draws one label.

Both run the same way (fresh process, same virtual display, window created, first frame
drawn, exit), alternating, several times; prints medians and the ratio (goal <= 1.3).

    python tests/bench/startup.py [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

BARE_APP = """
import os
os.environ.setdefault("KIVY_NO_ARGS", "1")
from kivy.config import Config
Config.set("graphics", "width", "1080")
Config.set("graphics", "height", "1920")
Config.set("graphics", "borderless", "1")
from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.uix.label import Label


class Bare(App):
    def build(self):
        return Label(text="hello", font_size=40)

    def on_start(self):
        Window.bind(on_flip=self.done)

    def done(self, *_):
        Window.unbind(on_flip=self.done)
        Clock.schedule_once(lambda dt: self.stop(), 0)


Bare().run()
"""


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()

    from kiosk.xdisplay import ensure_display
    from tests.conftest import write_config

    folder = Path(tempfile.mkdtemp(prefix="kiosk-bench-"))
    ini = write_config(folder)
    with ensure_display(1920, 1920):
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "KIOSK_CONFIG": str(ini),
            "KIVY_NO_CONSOLELOG": "1",
            "KIVY_NO_FILELOG": "1",
            "KIVY_HOME": str(folder / "kivy"),
        }
        kiosk = [sys.executable, "-m", "kiosk", "run", "--smoke"]
        bare_file = folder / "bare.py"
        bare_file.write_text(BARE_APP, encoding="utf-8")
        bare = [sys.executable, str(bare_file)]
        timed(kiosk, env), timed(bare, env)  # warm the file cache
        kiosk_times, bare_times = [], []
        for _ in range(args.runs):
            kiosk_times.append(timed(kiosk, env))
            bare_times.append(timed(bare, env))
    k, b = statistics.median(kiosk_times), statistics.median(bare_times)
    print(
        f"bare Kivy app, first frame and exit: median {b * 1000:.0f} ms "
        f"(min {min(bare_times) * 1000:.0f}, max {max(bare_times) * 1000:.0f})"
    )
    print(
        f"kiosk run --smoke:                   median {k * 1000:.0f} ms "
        f"(min {min(kiosk_times) * 1000:.0f}, max {max(kiosk_times) * 1000:.0f})"
    )
    print(f"ratio kiosk / bare: {k / b:.2f}  (goal <= 1.3)")


if __name__ == "__main__":
    main()
