"""`kiosk notice ...`: staff put up an urgent notice here without building a pack.

kiosk notice set --text TEXT --until WHEN [--level urgent|important|general]
                 [--closes all|SERVICE...] [--from WHEN] [--body TEXT] [--json]
                 [--status actual|test|exercise] [--replaces ID]
kiosk notice list [--all] [--json]      notices showing now (pack, local, hall-shared)
kiosk notice clear ID                   take a notice down now (one from the pack or the hall
                                        host: a CAP cancel kept here and shared by the host)
"""

from __future__ import annotations

import argparse
from typing import Any

from kiosk.errors import KioskError


def register(verbs: Any, common: argparse.ArgumentParser) -> None:
    from kiosk.commandline import verb_group

    actions = verb_group(verbs, "notice", common, "urgent notices (公告)")

    put = actions.add_parser("set", parents=[common], help="put up a notice now")
    put.add_argument("--text", required=True, help="the notice, one line, e.g. 14:00后暂停办公")
    put.add_argument(
        "--until", required=True, metavar="WHEN", help="18:00, '2026-02-10 18:00', 2026-02-10, +2h"
    )
    put.add_argument(
        "--level", default="urgent", help="urgent (紧急, default), important (重要), general (一般)"
    )
    put.add_argument(
        "--closes",
        nargs="+",
        default=[],
        metavar="SERVICE",
        help="stop tickets: 'all' for the whole site, or service ids / letters",
    )
    put.add_argument(
        "--from", dest="effective", metavar="WHEN", help="closing starts then (default: now)"
    )
    put.add_argument("--body", default="", help="more text shown on the sign")
    put.add_argument(
        "--status",
        default="actual",
        help="actual (default); test or exercise: travels like a notice, never shown to residents",
    )
    put.add_argument(
        "--replaces", metavar="ID", help="this notice updates notice ID (which is then taken down)"
    )
    put.add_argument("--json", action="store_true", help="one JSON document")
    put.set_defaults(handler=_set)

    listing = actions.add_parser("list", parents=[common], help="notices showing now")
    listing.add_argument(
        "--all", action="store_true", help="also local notices not (or no longer) showing"
    )
    listing.add_argument("--json", action="store_true", help="one JSON document (a list)")
    listing.set_defaults(handler=_list)

    clear = actions.add_parser("clear", parents=[common], help="take a local notice down")
    clear.add_argument("id", metavar="ID", help="as `kiosk notice list` shows it, e.g. n3")
    clear.set_defaults(handler=_clear)


def _context(args: argparse.Namespace) -> tuple[Any, Any]:
    from kiosk.commandline import settings_for
    from kiosk.packs.loader import load_content

    settings = settings_for(args)
    return settings, load_content(settings).pack


def _set(args: argparse.Namespace) -> int:
    from kiosk.commandline import emit
    from kiosk.notices import local
    from kiosk.notices.compose import compose

    settings, pack = _context(args)
    replaces = None
    if args.replaces:
        replaces = find(settings, pack, args.replaces)
        if replaces is None:
            raise KioskError(f"no notice {args.replaces!r}; `kiosk notice list` shows the ids")
    notice = compose(
        pack,
        settings.kiosk.site,
        args.text,
        args.until,
        level=args.level,
        closes=args.closes,
        effective=args.effective,
        body=args.body,
        status=args.status,
        replaces=replaces,
    )
    saved = local.add(settings.store.path, notice)
    emit(local.to_json(saved), args.json, lambda data: f"{describe(saved)}\nset as {saved.id}")
    return 0


def _list(args: argparse.Namespace) -> int:
    from kiosk.commandline import emit
    from kiosk.notices import current, local

    settings, pack = _context(args)
    shown = list(current(settings, pack))
    if args.all:
        ids = {n.id for n in shown}
        shown += [n for n in local.stored(settings.store.path, ("local",)) if n.id not in ids]
    emit(
        [local.to_json(n) for n in shown],
        args.json,
        lambda _data: "\n".join(describe(n) for n in shown) or "no notices",
    )
    return 0


def _clear(args: argparse.Namespace) -> int:
    from kiosk.notices import local
    from kiosk.notices.compose import cancel

    settings, pack = _context(args)
    ident = args.id.strip()
    gone = local.clear(settings.store.path, ident)
    if gone is None:
        shown = find(settings, pack, ident)
        if shown is None or shown.origin == "local":
            raise KioskError(f"no notice {args.id!r} is up; `kiosk notice list` shows the ids")
        saved = local.add(settings.store.path, cancel(shown, settings.kiosk.site))
        print(f"cancelled {ident} ({shown.origin}) with {saved.id}: {shown.title}")
        return 0
    print(f"cleared {gone.id}: {gone.title}")
    return 0


def find(settings: Any, pack: Any, ident: str) -> Any:
    """The notice with this id as `kiosk notice list` shows it (showing now), or None."""
    from kiosk.notices import current

    return next((n for n in current(settings, pack) if n.id == ident), None)


def describe(notice: Any) -> str:
    from kiosk.notices import texts

    parts = [f"{notice.id:<8}", f"[{texts.LEVELS.get(notice.level, notice.level)}]", notice.title]
    if notice.status != "actual":
        parts.append(f"<{notice.status}: never shown to residents>")
    if notice.msg_type != "alert":
        parts.append(f"<{notice.msg_type} of {', '.join(notice.references)}>")
    if notice.end:
        parts.append(f"until {notice.end:%Y-%m-%d %H:%M}")
    if notice.closes:
        closed = "whole site" if "all" in notice.closes else ", ".join(notice.closes)
        start = f" from {notice.effective:%Y-%m-%d %H:%M}" if notice.effective else ""
        parts.append(f"closes {closed}{start}")
    parts.append(f"({notice.origin})")
    return "  ".join(parts)
