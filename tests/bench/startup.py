"""Start-up as a user waits for it: `kiosk run --smoke` against a bare Kivy app.

Both are whole, fresh processes started the way a user starts them (the installed `kiosk`
command; `python bare.py`), on the same virtual display, from process start to the first
frame and exit, nothing warmed up inside either process, in the same window (1080x1920,
borderless: the bundled kiosk.ini's; a frame's cost grows with its pixels, and Kivy's default
800x600 window made the bare app look 1.37x faster than it is on the kiosk's screen). Runs alternate (kiosk, bare, kiosk,
...) so that load on the machine hits both alike; prints medians and the ratio (goal <= 1.2).
The kiosk uses a copy of the bundled kiosk.ini (every feature on, the bundled content) with
its data folder in a temporary directory; one start before the timed runs compiles the
content cache, as the first start of a real kiosk does.

    python tests/bench/startup.py [--runs 7] [--importtime]

The kiosk's own modules are measured as found: scripts/setup.sh byte-compiles them; without
that (PYTHONDONTWRITEBYTECODE=1 in the environment, or a program folder the kiosk's user may
not write) every start compiles them, which costs about a third of the kiosk's extra time.

--importtime also prints the kiosk's own modules imported before the first frame, slowest
first (python -X importtime), which is where start-up time hides.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
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

from kivy.config import Config

# The same window as the kiosk's (kiosk.ini [display] size, borderless at 0,0): a frame's cost
# grows with its pixels, so a smaller bare window would flatter the bare app.
width, height = os.environ.get("BARE_SIZE", "1080x1920").split("x")
Config.set("graphics", "width", width)
Config.set("graphics", "height", height)
Config.set("graphics", "borderless", "1")
Config.set("graphics", "position", "custom")
Config.set("graphics", "left", "0")
Config.set("graphics", "top", "0")

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


def kiosk_command() -> list[str]:
    installed = Path(sys.executable).with_name("kiosk")
    return [str(installed)] if installed.exists() else [sys.executable, "-m", "kiosk"]


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True, timeout=300)
    return time.perf_counter() - started


def kiosk_config(folder: Path) -> Path:
    """The bundled kiosk.ini, its data folder and content made absolute, nothing else."""
    text = (ROOT / "kiosk.ini").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^data_dir = .*$", f"data_dir = {folder / 'var'}", text)
    text = re.sub(r"(?m)^source = .*$", f"source = {ROOT / 'content' / 'yubei'}", text)
    text = re.sub(r"(?m)^path = var/kiosk.sqlite3$", f"path = {folder / 'var/kiosk.sqlite3'}", text)
    text = re.sub(r"(?m)^packs = var/packs$", f"packs = {folder / 'var/packs'}", text)
    ini = folder / "kiosk.ini"
    ini.write_text(text, encoding="utf-8")
    return ini


def own_imports(command: list[str], cwd: Path, env: dict[str, str]) -> list[tuple[int, str]]:
    """(cumulative microseconds, module) of the kiosk's modules, slowest first."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "kiosk", *command[1:]]
        if command[0].endswith("kiosk")
        else [*command[:1], "-X", "importtime", *command[1:]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    rows = []
    for line in result.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if match and match[3].startswith("kiosk") and len(match[2]) <= 3:
            rows.append((int(match[1]), match[3]))
    return sorted(rows, reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--importtime", action="store_true")
    args = parser.parse_args()

    from kiosk.xdisplay import virtual_display

    folder = Path(tempfile.mkdtemp(prefix="kiosk-bench-"))
    try:
        ini = kiosk_config(folder)
        bare_file = folder / "bare.py"
        bare_file.write_text(BARE_APP, encoding="utf-8")
        with virtual_display(1920, 1920):
            env = {k: v for k, v in os.environ.items() if not k.startswith(("KIVY", "KIOSK"))}
            env["KIOSK_CONFIG"] = str(ini)
            kiosk = [*kiosk_command(), "run", "--smoke"]
            bare = [sys.executable, str(bare_file)]
            timed(kiosk, folder, env)  # the first start compiles the content cache
            kiosk_times, bare_times = [], []
            for _ in range(args.runs):
                kiosk_times.append(timed(kiosk, folder, env))
                bare_times.append(timed(bare, folder, env))
            imports = own_imports(kiosk, folder, env) if args.importtime else []
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    k, b = statistics.median(kiosk_times), statistics.median(bare_times)
    for name, times, median in (("bare Kivy app", bare_times, b), ("kiosk", kiosk_times, k)):
        print(
            f"{name:<14} start -> first frame -> exit: median {median * 1000:.0f} ms "
            f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {len(times)} runs)"
        )
    print(f"ratio kiosk / bare: {k / b:.2f}  (goal <= 1.2)")
    if not any((ROOT / "kiosk").glob("__pycache__/*.pyc")):
        print(
            "note: the kiosk's modules are not byte-compiled (PYTHONDONTWRITEBYTECODE, or a "
            "tree the user may not write), so every start compiles them; scripts/setup.sh "
            "compiles them once (python -m compileall kiosk), as an installed kiosk has them"
        )
    if imports:
        print("kiosk modules imported at start-up (cumulative ms, top level):")
        for micros, module in imports[:15]:
            print(f"  {micros / 1000:7.1f}  {module}")


if __name__ == "__main__":
    main()
