"""`kiosk tour`'s other windows: the door-head LED strips (384x64, 352x80, 192x96) and a
window-top strip showing one counter's number. Each is its own window size and signage layout
(a strip starts bare: no header, no bar), so each is drawn by a child process with the
tour's throw-away settings. The queue they show comes from the real hall queue
(kiosk.signage.sample) run on a throw-away database, like the big screen's queue stop.

    python -m kiosk.ui.tour_layouts JOB.pickle     (the child; run_layouts starts it)
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

# (picture name, window size, [signage] settings for it)
LAYOUTS: list[tuple[str, tuple[int, int], dict[str, Any]]] = [
    ("signage-strip", (384, 64), {"layout": "strip"}),
    ("signage-strip", (352, 80), {"layout": "strip"}),
    ("signage-strip", (192, 96), {"layout": "strip"}),
    ("signage-strip-counter", (192, 96), {"layout": "strip", "counter": "1"}),
    ("signage-strip-counter", (384, 64), {"layout": "strip", "counter": "2"}),
    # the hall's big screen as it runs (signage mode), on its queue page
    ("signage-queue", (1920, 1080), {}),
    ("signage-queue", (1080, 1920), {}),
]
CHILD_SECONDS = 120


def run_layouts(settings: Any, out: Path, at: str) -> list[Path]:
    """One child per layout; the pictures it wrote (a child that fails is reported, the
    tour goes on with the others). Named after the tour's own size first, like its other
    pictures: 1080x1920-layout-signage-strip-384x64.png."""
    from kiosk.packs.loader import load_content
    from kiosk.signage.sample import sample_state

    state = sample_state(settings, load_content(settings).pack)
    written: list[Path] = []
    main = "x".join(str(n) for n in settings.display.size)
    with tempfile.TemporaryDirectory(prefix="kiosk-tour-layouts-") as scratch:
        for name, (width, height), signage in LAYOUTS:
            path = out / f"{main}-layout-{name}-{width}x{height}.png"
            job = Path(scratch) / "job.pickle"
            job.write_bytes(
                pickle.dumps(
                    {
                        "settings": settings,
                        "size": (width, height),
                        "signage": signage,
                        "state": state,
                        "at": at,
                        "path": path,
                    }
                )
            )
            result = subprocess.run(
                [sys.executable, "-m", "kiosk.ui.tour_layouts", str(job)],
                capture_output=True,
                text=True,
                timeout=CHILD_SECONDS,
                env={**os.environ, "KIVY_NO_ARGS": "1"},
            )
            if result.returncode == 0 and path.exists():
                written.append(path)
            else:
                tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
                print(f"tour: {path.name} failed: {' | '.join(tail)}", file=sys.stderr)
    return written


def _child(job_path: Path) -> int:
    job = pickle.loads(job_path.read_bytes())
    from kiosk import clock
    from kiosk.packs.loader import load_content

    width, height = job["size"]
    settings = job["settings"].replace("display", size=(width, height))
    settings = settings.replace("kiosk", mode="signage").replace("hall", url="")
    settings = settings.replace("signage", **job["signage"])
    with clock.freeze(job["at"]):
        from kiosk.ui.driver import Driver

        driver = Driver.start(settings, load_content(settings), stats=False)
        try:
            driver.app.hall_state = job["state"]
            screen = driver.app.screens.current_screen
            if driver.app.screens.current == "strip":
                driver.wait(lambda: bool(screen.line))
                driver.settle()
                if screen.scrolling:  # held still with the line's start at the left edge
                    screen.on_leave()
                    screen._start = clock.monotonic() - (screen.width - 6) / screen.speed()
                    screen.step()
            else:  # the big screen: its queue page
                from kiosk.signage import lines

                driver.settle()
                screen.rebuild()
                titles = [title for title, _page in screen.pages]
                if lines.QUEUE_TITLE in titles:
                    screen.index = titles.index(lines.QUEUE_TITLE)
                    screen._render()
            driver.settle()
            driver.screenshot(job["path"])
        finally:
            driver.stop()
    return 0


if __name__ == "__main__":
    sys.exit(_child(Path(sys.argv[1])))
