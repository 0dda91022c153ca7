"""`kiosk search` and `kiosk roster`: the directory from the command line (staff, scripts)."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from kiosk.errors import KioskError


def register(verbs: Any, common: argparse.ArgumentParser) -> None:
    search = verbs.add_parser(
        "search",
        parents=[common],
        help="search the directory like the kiosk keyboard does (pinyin initials, pinyin, 汉字)",
    )
    search.add_argument("query", help="e.g. FLYZ, tiaojie, 法律yz")
    search.add_argument("--site", help="rank as the kiosk of this site does (default: kiosk.ini)")
    search.add_argument("--limit", type=int, default=20, help="most results to show (default 20)")
    search.add_argument("--content", metavar="SRC", help="search unbuilt content sources in SRC")
    search.add_argument("--json", action="store_true", help="one JSON object per result line")
    search.set_defaults(handler=_cmd_search)

    roster = verbs.add_parser("roster", parents=[common], help="who is on duty at a site")
    roster.add_argument("--site", help="site id (default: the kiosk's site in kiosk.ini)")
    roster.add_argument("--date", help="YYYY-MM-DD (default: today, site time)")
    roster.add_argument("--content", metavar="SRC", help="use unbuilt content sources in SRC")
    roster.add_argument("--json", action="store_true", help="one JSON document")
    roster.set_defaults(handler=_cmd_roster)


def _load(args: argparse.Namespace) -> tuple[Any, Any]:
    from pathlib import Path

    from kiosk.commandline import settings_for
    from kiosk.packs.loader import load_content

    settings = settings_for(args)
    loaded = load_content(settings, Path(args.content) if args.content else None)
    return settings, loaded.pack


def _site(pack: Any, wanted: str) -> Any:
    site = pack.site(wanted)
    if site is None:
        known = ", ".join(s.id for s in pack.sites) or "none"
        raise KioskError(f"no site '{wanted}' in content pack '{pack.id}' (sites: {known})")
    return site


def _cmd_search(args: argparse.Namespace) -> int:
    from kiosk.commandline import emit_lines
    from kiosk.directory.entries import pack_entries
    from kiosk.directory.search import SearchIndex

    settings, pack = _load(args)
    site = _site(pack, args.site or settings.kiosk.site)
    if args.limit < 1:
        raise KioskError("--limit must be 1 or more")
    index = SearchIndex(pack_entries(pack, site.id), own_site=site.id)
    results = index.search(args.query, limit=args.limit)
    if args.json:
        emit_lines([hit.as_dict() for hit in results.hits])
        return 0
    if not results.hits:
        print(f"nothing found for {args.query!r}")
        return 0
    for hit in results.hits:
        mark = "*" if hit.own else " "
        line = f"{hit.score:4d} {mark} {hit.entry.kind:<11} {hit.entry.name}"
        print(line + (f" — {hit.entry.subtitle}" if hit.entry.subtitle else ""))
    if results.more:
        print(f"(more than {len(results.hits)} results; type more letters or use --limit)")
    return 0


def _cmd_roster(args: argparse.Namespace) -> int:
    from kiosk import clock
    from kiosk.commandline import emit
    from kiosk.directory.roster import roster, undated
    from kiosk.packs import openinghours
    from kiosk.packs.model import WEEKDAY_NAMES

    settings, pack = _load(args)
    site = _site(pack, args.site or settings.kiosk.site)
    if args.date:
        try:
            day = date.fromisoformat(args.date)
        except ValueError:
            raise KioskError(f"--date {args.date!r} is not a date like 2025-03-05") from None
    else:
        day = clock.today()
    result = roster(pack, site.id, day)
    document = {
        "site": site.id,
        "site_name": site.name,
        "date": day,
        "on_duty": [d.as_dict() for d in result.on_duty],
        "rules": [d.as_dict() for d in result.duties],
        "next_duty": result.next_date(),
    }

    def human(_: Any) -> str:
        lines = [f"{site.name} {day.isoformat()}（{WEEKDAY_NAMES[day.weekday()]}）"]
        if not result.duties:
            lines.append("  no duty rules for this site")
        for duty in result.duties:
            rule = duty.rule
            hours_text = openinghours.interval_text(duty.hours)
            when = "on duty " + hours_text if duty.today else "not on duty"
            if duty.next_date:
                upcoming = duty.next_date.isoformat()
            elif undated(rule):
                upcoming = "monthly, day not fixed in the pack"
            else:
                upcoming = "none within a year"
            brand = f" [{rule.brand}]" if rule.brand else ""
            lines.append(f"  {rule.who}{brand}: {when}; next: {upcoming}")
        return "\n".join(lines)

    emit(document, args.json, human)
    return 0
