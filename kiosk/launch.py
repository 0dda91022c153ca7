"""`kiosk run` and `kiosk tour`: settings, content and display checks before Kivy starts."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from kiosk import config, xdisplay
from kiosk.errors import KioskError
from kiosk.packs.loader import LoadedContent, load_content

NO_DISPLAY = (
    "no screen found (DISPLAY is not set). Start the kiosk from the kiosk's graphical session "
    "(see README: 'Installing on a kiosk PC'), or add --virtual-display to run it on an "
    "invisible virtual screen (Xvfb), or use --smoke to check that it starts."
)


def prepare(args: argparse.Namespace) -> tuple[config.Settings, LoadedContent]:
    from kiosk.commandline import settings_for

    settings = settings_for(args)
    if getattr(args, "size", None):
        settings = settings.replace("display", size=args.size)
    if getattr(args, "windowed", False):
        settings = settings.replace("display", fullscreen=False)
    print(
        f"kiosk: config {settings.file}; data in {settings.kiosk.data_dir}",
        file=sys.stderr,
        flush=True,
    )
    preview = Path(args.content) if getattr(args, "content", None) else None
    loaded = load_content(settings, preview)
    return settings, loaded


def run(args: argparse.Namespace) -> int:
    settings, loaded = prepare(args)
    virtual = args.smoke or args.virtual_display
    screen = os.environ.get("DISPLAY") if xdisplay.has_display() else None
    if not xdisplay.has_display() and not virtual:
        raise KioskError(NO_DISPLAY)
    width, height = settings.display.size
    context = (
        xdisplay.ensure_display(max(width, height), max(width, height))
        if virtual
        else nullcontext()
    )
    hall = None if args.smoke else start_hall(settings, loaded)
    try:
        with context as display:
            if virtual and display and display != screen:
                print(
                    f"kiosk: on virtual display {display} (Xvfb, invisible; "
                    f"watch it with e.g. `x11vnc -display {display}`)",
                    file=sys.stderr,
                    flush=True,
                )
            from kiosk.ui.main import run_app

            shot = Path(args.screenshot) if args.smoke and args.screenshot else None
            return run_app(settings, loaded, smoke=args.smoke, screenshot=shot)
    finally:
        if hall is not None:
            hall.stop()


def start_hall(settings: config.Settings, loaded: LoadedContent) -> Any:
    """The hall server on the hall's host; on the hall's other dispensers the thread that hands
    their tickets to it. A failure never stops the kiosk itself."""
    hall = settings.hall
    if not hall.host:
        if not hall.url:
            return None
        from kiosk.hall.dispatch import Dispatcher

        return Dispatcher(settings).start()
    from kiosk.hall.server import HallServer
    from kiosk.hall.voice import announcer_for

    try:
        server = HallServer(settings, loaded.pack, announcer=announcer_for(settings, loaded))
        server.start()
    except KioskError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return None
    print(f"hall server on {server.url}", file=sys.stderr)
    return server


# A Tuesday morning: every queue and office of the bundled content is open (the pictures must
# not depend on when they are taken). `kiosk tour --at` picks another moment.
TOUR_AT = "2025-06-03T10:00:00"


@contextmanager
def _throwaway(
    args: argparse.Namespace, prefix: str
) -> Iterator[tuple[config.Settings, LoadedContent, Any]]:
    """What the tour and the audit render on: the kiosk's settings and content, moved onto a
    throw-away data folder (`throwaway_settings`), under a fixed clock (`--at`, default
    TOUR_AT) and on a virtual display. Yields (settings, loaded content, the frozen clock)."""
    import tempfile

    from kiosk import clock

    settings, loaded = prepare(args)
    width, height = settings.display.size
    with tempfile.TemporaryDirectory(prefix=prefix) as scratch:
        settings = throwaway_settings(settings, Path(scratch))
        at = getattr(args, "at", None) or TOUR_AT
        with (
            clock.freeze(at) as frozen,
            xdisplay.ensure_display(max(width, height), max(width, height)),
        ):
            yield settings, loaded, frozen


def throwaway_settings(settings: config.Settings, data: Path) -> config.Settings:
    """The settings with every file under `data`: the database, packs and speech cache, and
    tickets printed as images into data/tickets; no network (no content sync, no hall server)
    and no sound. The tour and the audit never touch the kiosk's own data, printer or hall."""
    import dataclasses

    settings = config.rebase(settings, settings.kiosk.data_dir, data)
    settings = settings.replace("kiosk", data_dir=data)
    settings = settings.replace("store", path=data / "kiosk.sqlite3")
    settings = settings.replace("sync", url="", packs=data / "packs")
    settings = settings.replace("hall", url="").replace("speech", player="none")
    if "printer" in config.sections():
        tickets = dataclasses.replace(
            settings.printer.url,
            kind="image",
            url=f"image://{data}/tickets/",
            path=data / "tickets",
            host="",
            port=0,
        )
        settings = settings.replace("printer", url=tickets)
    return settings


def tour(args: argparse.Namespace) -> int:
    """Every screen to PNG, with a fixed clock and a throw-away data folder: the tour never
    writes into the kiosk's own database, packs or printer."""
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with _throwaway(args, "kiosk-tour-") as (settings, loaded, frozen):
        from kiosk.ui.tour import run_tour

        written, problems = run_tour(settings, loaded, out, frozen)
    for path in written:
        print(path)
    for problem in problems:
        print(f"overflow: {problem}")
    if problems:
        print(f"{len(written)} screens, {len(problems)} texts do not fit")
        return 1
    print(f"{len(written)} screens, all text fits")
    return 0


def audit(args: argparse.Namespace) -> int:
    """`kiosk tour --audit [--json]`: measure every screen in both modes; exit 1 below the
    thresholds. Runs on a throw-away copy of the data folder (never the live database)."""
    import json

    out = Path(args.out) if getattr(args, "out", None) else None
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    with _throwaway(args, "kiosk-audit-") as (settings, loaded, frozen):
        from kiosk.ui.tour import run_audit

        rows = run_audit(settings, loaded, out, frozen)
        width, height = settings.display.size
    if getattr(args, "json", False):
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        for row in rows:
            print(
                f"{'ok  ' if row['ok'] else 'FAIL'} {row['mode']:6} {row['screen']:32} "
                f"text {row['min_text_px']} px  target {row['min_target_px']} px  "
                f"contrast {row['min_contrast']}"
            )
            for problem in row["problems"]:
                print(f"     {problem}")
        failed = sum(not row["ok"] for row in rows)
        print(f"{len(rows) - failed} of {len(rows)} screens pass at {width}x{height}")
    return 0 if all(row["ok"] for row in rows) else 1
