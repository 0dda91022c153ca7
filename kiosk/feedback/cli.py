"""`kiosk feedback list | update | rate`: 差评 and 投诉建议 follow-up for staff, ratings for tests.

kiosk feedback list [--status open|待回访|已回访|已整改|申诉] [--json]
kiosk feedback update ID --status 已回访 [--note TEXT] [--json]
kiosk feedback rate --level N [--service CODE] [--counter C] [--ticket NUMBER]
                    [--reason TAG]... [--phone NUMBER] [--channel kiosk|window] [--json]
"""

from __future__ import annotations

import argparse
from typing import Any

from kiosk.feedback import texts


def register(verbs: Any, common: argparse.ArgumentParser) -> None:
    from kiosk.commandline import verb_group

    actions = verb_group(verbs, "feedback", common, "好差评 and 投诉建议 follow-up")

    listing = actions.add_parser("list", parents=[common], help="差评 and complaint items")
    listing.add_argument(
        "--status",
        choices=("open", *texts.STATUSES),
        help="only items with this status (open = 待回访)",
    )
    listing.add_argument("--json", action="store_true", help="JSON lines, one per item")
    listing.set_defaults(handler=_list)

    update = actions.add_parser("update", parents=[common], help="record a follow-up")
    update.add_argument("id", type=int, metavar="ID", help="the item's number from `list`")
    update.add_argument("--status", required=True, choices=texts.STATUSES)
    update.add_argument("--note", help="what was done (kept with the item)")
    update.add_argument("--json", action="store_true", help="one JSON document")
    update.set_defaults(handler=_update)

    rate = actions.add_parser("rate", parents=[common], help="record a rating without the screen")
    rate.add_argument(
        "--level",
        type=int,
        required=True,
        choices=sorted(texts.LEVELS),
        help="5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意",
    )
    rate.add_argument("--service", metavar="CODE", help="service id or ticket letter")
    rate.add_argument("--counter", metavar="C", help="the window, e.g. 3")
    rate.add_argument("--ticket", metavar="NUMBER", help="the ticket served, e.g. A012")
    rate.add_argument(
        "--reason", action="append", default=[], choices=texts.REASONS, help="差评 reason"
    )
    rate.add_argument("--phone", help="call-back number the resident asked for")
    rate.add_argument("--channel", choices=tuple(texts.CHANNELS), default=None)
    rate.add_argument("--json", action="store_true", help="one JSON document")
    rate.set_defaults(handler=_rate)


def _settings(args: argparse.Namespace) -> Any:
    from kiosk.commandline import settings_for

    return settings_for(args)


def _pack(settings: Any) -> Any:
    from kiosk.packs.loader import load_content

    return load_content(settings).pack


def _list(args: argparse.Namespace) -> int:
    from kiosk.commandline import emit_lines
    from kiosk.feedback import items

    settings = _settings(args)
    db = items.open_feedback(settings)
    items.purge(settings, db)
    found = items.items(db, status=args.status)
    if args.json:
        emit_lines([item.as_json() for item in found])
        return 0
    if not found:
        print("no items" + (f" with status {args.status}" if args.status else ""))
        return 0
    from kiosk import clock

    today = clock.today()
    for item in found:
        what = (
            f"{texts.LEVELS.get(item.level or 0, '')} {item.reasons}".strip()
            if item.kind == "rating"
            else f"{item.category} {item.message}".strip()
        )
        where = " ".join(
            part
            for part in (
                texts.CHANNELS.get(item.channel, item.channel),
                item.service or "",
                f"{item.counter}号窗口" if item.counter else "",
                item.ticket or "",
            )
            if part
        )
        late = " 已逾期" if item.overdue(today) else ""
        print(f"#{item.id} {item.created_at[:16]} {texts.KINDS[item.kind]} {what}")
        print(f"    {where} | {item.status}{late}，期限 {item.due}")
        if item.phone:
            print(f"    回访电话 {item.phone}")
        if item.note:
            print(f"    处理情况 {item.note}")
    return 0


def _update(args: argparse.Namespace) -> int:
    from kiosk.commandline import emit
    from kiosk.feedback import items

    item = items.update(_settings(args), args.id, args.status, args.note)
    emit(item.as_json(), args.json, lambda d: f"#{d['id']}: {d['status']}")
    return 0


def _rate(args: argparse.Namespace) -> int:
    from kiosk.commandline import emit
    from kiosk.feedback import items

    settings = _settings(args)
    pack = _pack(settings)
    service = None
    if args.service:
        service = _service_id(pack, settings.kiosk.site, args.service)
    channel = args.channel or ("window" if args.counter or args.ticket else "kiosk")
    item = items.rate(
        settings,
        args.level,
        channel=channel,
        service=service,
        counter=args.counter,
        ticket=args.ticket,
        reasons=tuple(args.reason),
        phone=args.phone,
        calendar=pack.calendar,
    )
    result = {
        "level": args.level,
        "level_name": texts.LEVELS[args.level],
        "channel": channel,
        "service": service,
        "item": item.as_json() if item else None,
    }
    emit(
        result,
        args.json,
        lambda r: (
            f"recorded {r['level_name']}"
            + (f"; follow-up item #{item.id} due {item.due}" if item else "")
        ),
    )
    return 0


def _service_id(pack: Any, site: str, code: str) -> str:
    from kiosk.feedback.items import FeedbackError

    services = pack.services_at(site)
    for service in services:
        if code in (service.id, service.prefix) or code.upper() == service.prefix.upper():
            return str(service.id)
    known = ", ".join(f"{s.prefix} ({s.id})" for s in services) or "none at this site"
    raise FeedbackError(f"unknown service {code!r}; known: {known}")
