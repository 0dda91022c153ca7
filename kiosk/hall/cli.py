"""`kiosk hall ...`: run the hall server and work the queue from the host's command line.

kiosk hall serve [--host H] [--port P]          the hall server alone (without the kiosk UI)
kiosk hall counter-key --counter N              a new key for counter N (old one stops working)
kiosk hall counter-key --dispenser              the key the hall's other dispensers use
kiosk hall call --counter N [--json]            call the next ticket; prints its number
kiosk hall recall|done|no-show --counter N      recall, finish, or mark missed (过号)
kiosk hall transfer --counter N --to M          send the ticket being served to counter M
kiosk hall status [--json]                      waiting per service, who is at which counter
                                                (on another kiosk of the hall: asks the host)

The queue verbs work on this machine's database (run them on the hall's host); the server,
when it runs, sees the change within a fraction of a second and tells every screen.
"""

from __future__ import annotations

import argparse
from typing import Any

from kiosk.errors import KioskError


def register(verbs: Any, common: argparse.ArgumentParser) -> None:
    from kiosk.commandline import verb_group

    actions = verb_group(verbs, "hall", common, "the hall queue (叫号)")

    serve = actions.add_parser("serve", parents=[common], help="run the hall server")
    serve.add_argument("--host", metavar="H", help="address to listen on (default: [hall] bind)")
    serve.add_argument("--port", type=int, metavar="P", help="port (default: [hall] port)")
    serve.set_defaults(handler=_serve)

    key = actions.add_parser(
        "counter-key", parents=[common], help="make a new key for a counter (or the dispensers)"
    )
    who = key.add_mutually_exclusive_group(required=True)
    who.add_argument("--counter", metavar="N", help="counter number, e.g. 3")
    who.add_argument(
        "--dispenser",
        action="store_true",
        help="the key the hall's other kiosks hand tickets in with",
    )
    key.add_argument("--json", action="store_true", help="one JSON document")
    key.set_defaults(handler=_counter_key)

    for verb, text in (
        ("call", "call the next ticket (finishes the one being served)"),
        ("recall", "call the ticket being served again (重呼)"),
        ("done", "the ticket being served is finished (完成)"),
        ("no-show", "the ticket being served did not come (过号)"),
        ("transfer", "send the ticket being served to another counter (转窗口)"),
    ):
        parser = actions.add_parser(verb, parents=[common], help=text)
        parser.add_argument("--counter", required=True, metavar="N", help="counter number")
        if verb == "transfer":
            parser.add_argument("--to", required=True, metavar="M", help="target counter")
        parser.add_argument("--json", action="store_true", help="one JSON document")
        parser.set_defaults(handler=_action, action=verb)

    status = actions.add_parser("status", parents=[common], help="the queue now")
    status.add_argument("--json", action="store_true", help="the same JSON as GET /api/state")
    status.set_defaults(handler=_status)


NOT_HOST = (
    "this kiosk is not the hall's host ([hall] host = no): run this on the host, whose database"
    " holds the queue"
)


def _hall(args: argparse.Namespace) -> Any:
    from kiosk.commandline import settings_for
    from kiosk.hall.queue import Hall
    from kiosk.packs.loader import load_content

    settings = settings_for(args)
    if not settings.hall.host:
        raise KioskError(NOT_HOST)
    return Hall(settings, load_content(settings).pack)


def _remote_state(settings: Any) -> dict[str, Any]:
    """On another kiosk of the hall: the host's state over the LAN, and what is not handed in."""
    import requests

    from kiosk.hall.dispatch import Dispatcher

    try:
        state = requests.get(settings.hall.url + "api/state", timeout=settings.hall.timeout)
        state.raise_for_status()
        value = state.json()
    except (requests.RequestException, ValueError) as exc:
        raise KioskError(
            f"the hall's host at {settings.hall.url} does not answer ({type(exc).__name__});"
            f" tickets not yet handed in: {len(Dispatcher(settings).unsent())}"
        ) from None
    value["not_handed_in"] = len(Dispatcher(settings).unsent())
    return value


def _serve(args: argparse.Namespace) -> int:
    from kiosk.commandline import settings_for
    from kiosk.hall.server import HallServer
    from kiosk.hall.voice import announcer_for
    from kiosk.packs.loader import load_content

    settings = settings_for(args)
    if args.port is not None and not 0 <= args.port <= 65535:
        raise KioskError("--port: expected 0 to 65535")
    loaded = load_content(settings)
    server = HallServer(
        settings,
        loaded.pack,
        host=args.host,
        port=args.port,
        announcer=announcer_for(settings, loaded),
    )
    server.serve_forever(lambda line: print(line, flush=True))
    return 0


def _counter_key(args: argparse.Namespace) -> int:
    from kiosk.commandline import emit
    from kiosk.hall.keys import DISPENSER

    hall = _hall(args)
    name = DISPENSER if args.dispenser else args.counter
    key = hall.make_key(name)
    value = {"counter": None if args.dispenser else hall.counter(name).id, "key": key}
    human = (
        f"dispenser key: {key}\nput it into [hall] key = ... of every other kiosk of the hall"
        if args.dispenser
        else f"key of counter {value['counter']}: {key}\n(the previous key no longer works)"
    )
    emit(value, args.json, lambda _v: human)
    return 0


def _action(args: argparse.Namespace) -> int:
    from kiosk.commandline import emit
    from kiosk.hall import texts
    from kiosk.hall.queue import HallError

    hall = _hall(args)
    try:
        called = hall.act(args.action, args.counter, getattr(args, "to", None))
    except HallError as exc:
        raise KioskError(str(exc)) from None
    if called is None:
        emit(
            {"called": None, "message": texts.NOBODY_WAITING},
            args.json,
            lambda _v: texts.NOBODY_WAITING,
        )
        return 0
    emit(called.as_json(), args.json, lambda v: _human(args.action, v))
    return 0


def _human(action: str, value: dict[str, Any]) -> str:
    if action == "call":
        return value["ticket"]
    words = {"recall": "重呼", "done": "完成", "no-show": "过号", "transfer": "转到"}
    target = f" {value['counter']}号窗口" if action == "transfer" else ""
    return f"{value['ticket']} {words[action]}{target}"


def _status(args: argparse.Namespace) -> int:
    from kiosk.commandline import emit, settings_for

    settings = settings_for(args)
    if not settings.hall.host and settings.hall.url:
        state = _remote_state(settings)
    else:
        from kiosk.hall.view import public_state

        state = public_state(_hall(args))
    if args.json:
        emit(state, True)
        return 0
    print(f"{state['site']}  {state['now']}")
    for service in state["services"]:
        print(f"{service['letter']:<3} {service['name']:<8} 等候 {service['waiting']}")
    for counter in state["counters"]:
        serving = counter["serving"] or "—"
        print(f"{counter['name']:<6} 正在办理 {serving}")
    for call in state["help"]:
        print(f"呼叫工作人员：{call['label']} {call['place']} {call['at']}")
    if state.get("not_handed_in"):
        print(f"本机还有 {state['not_handed_in']} 张号没有交给叫号主机（会自动重试）")
    return 0
