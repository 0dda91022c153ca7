"""`kiosk ticket ...` and `kiosk printer ...`: the same desk as the touch screen, for staff.

kiosk ticket services [--json]                    services here, hours, open or why not
kiosk ticket issue --service CODE [--priority] [--json]
kiosk ticket list [--date YYYY-MM-DD] [--unprinted] [--json]
kiosk ticket reprint NUMBER [--date YYYY-MM-DD]
kiosk printer status [--json]                     exit 0 when printing is possible
kiosk printer test                                prints a test page
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from kiosk.errors import KioskError


def register(verbs: Any, common: argparse.ArgumentParser) -> None:
    from kiosk.commandline import date_arg, verb_group

    actions = verb_group(verbs, "ticket", common, "queue tickets (取号)")

    services = actions.add_parser(
        "services", parents=[common], help="this site's services, hours and state"
    )
    services.add_argument("--json", action="store_true", help="one JSON document")
    services.set_defaults(handler=_services)

    issue = actions.add_parser("issue", parents=[common], help="take a ticket and print it")
    issue.add_argument("--service", required=True, metavar="CODE", help="service id or letter")
    issue.add_argument("--priority", action="store_true", help="绿色通道 (priority) ticket")
    issue.add_argument("--json", action="store_true", help="one JSON document")
    issue.set_defaults(handler=_issue)

    listing = actions.add_parser("list", parents=[common], help="tickets of a day")
    listing.add_argument("--date", type=date_arg, metavar="YYYY-MM-DD", help="default: today")
    listing.add_argument(
        "--unprinted", action="store_true", help="only tickets whose paper did not come out"
    )
    listing.add_argument("--json", action="store_true", help="JSON lines, one per ticket")
    listing.set_defaults(handler=_list)

    reprint = actions.add_parser("reprint", parents=[common], help="print a ticket again")
    reprint.add_argument("number", metavar="NUMBER", help="e.g. A012")
    reprint.add_argument("--date", type=date_arg, metavar="YYYY-MM-DD", help="default: today")
    reprint.add_argument("--json", action="store_true", help="one JSON document")
    reprint.set_defaults(handler=_reprint)

    printer_actions = verb_group(verbs, "printer", common, "the ticket printer")
    status = printer_actions.add_parser(
        "status", parents=[common], help="paper, cover, online (exit 1 when it cannot print)"
    )
    status.add_argument("--json", action="store_true", help="one JSON document")
    status.set_defaults(handler=_printer_status)
    test = printer_actions.add_parser("test", parents=[common], help="print a test page")
    test.add_argument("--json", action="store_true", help="one JSON document")
    test.set_defaults(handler=_printer_test)


def _desk(args: argparse.Namespace) -> Any:
    from kiosk.commandline import settings_for
    from kiosk.packs.loader import load_content
    from kiosk.tickets.desk import Desk

    settings = settings_for(args)
    return Desk(settings, load_content(settings).pack)


def _services(args: argparse.Namespace) -> int:
    from kiosk.commandline import emit

    desk = _desk(args)
    states = desk.states()
    if args.json:
        emit([state.as_json() for state in states], True)
        return 0
    if not states:
        print(f"no queue services at site {desk.site_id} (add them to services.yaml)")
        return 0
    for state in states:
        service = state.service
        line = f"{service.prefix:<3} {service.id:<20} {service.name}"
        extra = []
        if state.windows:
            extra.append(state.windows)
        if state.hours:
            extra.append(state.hours)
        extra.append(f"今日已取 {state.issued}，等候 {state.waiting}")
        if service.daily_cap:
            extra.append(f"每日限 {service.daily_cap}")
        if service.priority:
            extra.append("可取绿色通道号")
        print(line)
        print("    " + " | ".join(extra))
        print("    " + ("可以取号" if state.open else f"不能取号：{state.availability.reason}"))
    return 0


def _issue(args: argparse.Namespace) -> int:
    from kiosk.commandline import emit

    desk = _desk(args)
    issued = desk.issue_and_print(args.service, priority=args.priority)
    ticket = issued.ticket
    if args.json:
        emit(issued.as_json(), True)
        return 0
    mark = "（绿色通道）" if ticket.priority else ""
    print(f"{ticket.number}{mark}  {ticket.service_name}  {ticket.issued_at:%Y-%m-%d %H:%M:%S}")
    print(f"今日第 {ticket.position} 位，前面 {ticket.ahead} 人等候")
    if issued.printed:
        print("已打印")
    else:
        print(
            f"未打印：{issued.print_error}（号码有效，可用 kiosk ticket reprint {ticket.number}）"
        )
    return 0


def _list(args: argparse.Namespace) -> int:
    from kiosk import clock
    from kiosk.commandline import emit_lines

    desk = _desk(args)
    day = args.date or clock.today()
    tickets = desk.unprinted(day) if args.unprinted else desk.ledger.day(desk.site_id, day)
    if args.json:
        emit_lines([ticket.as_json() for ticket in tickets])
        return 0
    if not tickets:
        print(f"no tickets on {day.isoformat()} at {desk.site_id}")
        return 0
    for ticket in tickets:
        state = {"printed": "已打印", "failed": "打印失败", "screen": "仅屏幕显示"}.get(
            ticket.print_status, "未确认打印"
        )
        mark = " 优先" if ticket.priority else ""
        error = f"  {ticket.print_error}" if ticket.print_error else ""
        print(
            f"{ticket.number:<7} {ticket.issued_at:%H:%M:%S}  {ticket.service_name}{mark}"
            f"  {state}{error}"
        )
    return 0


def _reprint(args: argparse.Namespace) -> int:
    from kiosk.commandline import emit

    desk = _desk(args)
    issued = desk.reprint(args.number, args.date)
    if args.json:
        emit(issued.as_json(), True)
    if not issued.printed:
        raise KioskError(f"{issued.ticket.number} was not printed: {issued.print_error}")
    if not args.json:
        print(f"{issued.ticket.number} 已重新打印")
    return 0


def _printer_status(args: argparse.Namespace) -> int:
    from kiosk.commandline import emit

    desk = _desk(args)
    status = desk.printer_status()
    value = {"printer": desk.printer.target.url, **status.as_json()}
    emit(value, args.json, lambda v: f"{v['printer']}: {v['label']}" + _detail(v["detail"]))
    return 0 if status.can_print else 1


def _detail(detail: str) -> str:
    return f" ({detail})" if detail else ""


def _printer_test(args: argparse.Namespace) -> int:
    from kiosk.commandline import emit

    desk = _desk(args)
    started = time.perf_counter()
    outcome = desk.print_test()
    elapsed = time.perf_counter() - started
    if not outcome.ok:
        raise KioskError(f"test page not printed: {outcome.error}")
    value = {
        "printer": desk.printer.target.url,
        "ok": True,
        "bytes": outcome.bytes_sent,
        "seconds": round(elapsed, 3),
        "path": outcome.path or None,
    }
    emit(
        value,
        args.json,
        lambda v: (
            f"test page printed on {v['printer']} in {v['seconds']} s"
            + (f", {v['bytes']} bytes" if v["bytes"] else "")
            + (f": {v['path']}" if v["path"] else "")
        ),
    )
    return 0
