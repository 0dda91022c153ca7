"""The hall's JSON API: public state and events, counter actions (with a key), help calls, and
tickets handed in by the hall's other dispensers.

Every input is checked before anything changes; a refusal is a 4xx with a message that says
what was wrong (see the error middleware in kiosk.hall.server).
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import TYPE_CHECKING, Any

from aiohttp import web

from kiosk.hall import texts
from kiosk.hall.queue import DISPENSER, HallError

if TYPE_CHECKING:
    from kiosk.hall.server import HallServer

ACTIONS = ("call", "recall", "done", "no-show", "transfer")
KIOSK_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
NUMBER = re.compile(r"[A-Z]{1,3}[A-Z0-9]{0,2}[0-9]{3,5}")
PRINT_STATES = ("pending", "printed", "failed", "screen")
MAX_TICKETS = 200  # per batch from a dispenser
MAX_TEXT = 60  # characters of a help call's label, site or place


def bad(detail: str) -> HallError:
    return HallError(texts.BAD_INPUT.format(detail=detail), 400, "bad_input")


async def body(request: web.Request) -> dict[str, Any]:
    """The JSON object of a request (bounded by the app's client_max_size)."""
    raw = await request.read()
    if not raw:
        return {}
    if request.content_type != "application/json":
        # also keeps a web page of another site from posting here with a plain form
        raise HallError(texts.NOT_JSON, 415, "not_json")
    try:
        import json

        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise bad("不是 JSON") from None
    if not isinstance(value, dict):
        raise bad("应该是一个 JSON 对象") from None
    return value


def key_of(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return request.headers.get("X-Hall-Key") or None


def short_text(data: dict[str, Any], name: str, required: bool = False) -> str:
    value = data.get(name, "")
    if not isinstance(value, str) or len(value) > MAX_TEXT or (required and not value.strip()):
        raise bad(f"{name} 应该是不超过 {MAX_TEXT} 个字的文字")
    return value.strip()


def routes(server: HallServer) -> list[web.RouteDef]:
    hall = server.hall

    async def state(request: web.Request) -> web.Response:
        return web.json_response(
            await server.run(hall.state), dumps=_dumps, headers={"Cache-Control": "no-cache"}
        )

    async def counter_view(request: web.Request) -> web.Response:
        counter = request.match_info["counter"]
        await server.run(hall.counter, counter)
        await server.run(hall.check_key, counter, key_of(request))
        return web.json_response(await server.run(hall.counter_view, counter), dumps=_dumps)

    async def action(request: web.Request) -> web.Response:
        counter, verb = request.match_info["counter"], request.match_info["action"]
        if verb not in ACTIONS:
            raise HallError(texts.NOT_FOUND, 404, "not_found")
        await server.run(hall.counter, counter)
        await server.run(hall.check_key, counter, key_of(request))
        data = await body(request)
        if verb == "call":
            called = await server.run(hall.call_next, counter)
        elif verb == "recall":
            called = await server.run(hall.recall, counter)
        elif verb == "done":
            called = await server.run(hall.done, counter)
        elif verb == "no-show":
            called = await server.run(hall.no_show, counter)
        else:
            target = data.get("to")
            if not isinstance(target, str | int) or not str(target).strip():
                raise bad("转窗口需要目标窗口号 to")
            called = await server.run(hall.transfer, counter, str(target).strip())
        server.changed()
        if called is None:
            return web.json_response(
                {"ok": True, "called": None, "message": texts.NOBODY_WAITING}, dumps=_dumps
            )
        return web.json_response({"ok": True, "called": called.as_json()}, dumps=_dumps)

    async def add_help(request: web.Request) -> web.Response:
        data = await body(request)
        kiosk = data.get("kiosk")
        if not isinstance(kiosk, str) or not KIOSK_ID.fullmatch(kiosk):
            raise bad("kiosk 应该是终端编号（字母、数字）")
        label = short_text(data, "label") or texts.HELP_LABEL
        site = short_text(data, "site")
        place = short_text(data, "place")
        await server.run(hall.add_help, kiosk, label, site, place)
        server.changed()
        return web.json_response({"ok": True})

    async def clear_help(request: web.Request) -> web.Response:
        kiosk = request.match_info["kiosk"]
        if not KIOSK_ID.fullmatch(kiosk):
            raise bad("kiosk 应该是终端编号（字母、数字）")
        cleared = await server.run(hall.clear_help, kiosk)
        server.changed()
        return web.json_response({"ok": True, "cleared": cleared})

    async def tickets_in(request: web.Request) -> web.Response:
        await server.run(hall.check_key, DISPENSER, key_of(request))
        data = await body(request)
        kiosk = data.get("kiosk")
        if not isinstance(kiosk, str) or not KIOSK_ID.fullmatch(kiosk):
            raise bad("kiosk 应该是终端编号")
        tickets = data.get("tickets")
        if not isinstance(tickets, list) or not 1 <= len(tickets) <= MAX_TICKETS:
            raise bad(f"tickets 应该是 1 到 {MAX_TICKETS} 张号票")
        checked = [_ticket(item, hall.services) for item in tickets]
        result = await server.run(hall.receive, kiosk, checked)
        server.changed()
        return web.json_response(result, status=409 if result["conflicts"] else 200)

    return [
        web.get("/api/state", state),
        web.get("/api/events", server.stream),
        web.get("/api/counters/{counter}", counter_view),
        web.post("/api/counters/{counter}/{action}", action),
        web.post("/api/help", add_help),
        web.delete("/api/help/{kiosk}", clear_help),
        web.post("/api/tickets", tickets_in),
    ]


def _ticket(item: Any, services: dict[str, Any]) -> dict[str, Any]:
    """One ticket of a dispenser's batch, checked field by field."""
    if not isinstance(item, dict):
        raise bad("每张号票应该是一个 JSON 对象")
    number = item.get("number")
    if not isinstance(number, str) or not NUMBER.fullmatch(number):
        raise bad("number 应该是号码，如 A012")
    if item.get("service") not in services:
        raise bad(f"{number}: 没有这项业务 {item.get('service')!r}")
    for name in ("seq", "position"):
        value = item.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 99_999:
            raise bad(f"{number}: {name} 应该是 0 到 99999 的整数")
    if not isinstance(item.get("priority"), bool):
        raise bad(f"{number}: priority 应该是 true 或 false")
    stamp = item.get("issued_ts")
    if isinstance(stamp, bool) or not isinstance(stamp, int | float) or not math.isfinite(stamp):
        raise bad(f"{number}: issued_ts 应该是时间戳")
    try:
        date.fromisoformat(str(item.get("day")))
        issued_at = str(item.get("issued_at"))
        if len(issued_at) > 40:
            raise ValueError
        from datetime import datetime

        datetime.fromisoformat(issued_at)
    except ValueError:
        raise bad(f"{number}: day / issued_at 应该是 ISO 日期时间") from None
    if item.get("print_status") not in PRINT_STATES:
        raise bad(f"{number}: print_status 应该是 {', '.join(PRINT_STATES)} 之一")
    return {
        key: item[key]
        for key in (
            "number",
            "service",
            "seq",
            "position",
            "priority",
            "issued_ts",
            "day",
            "issued_at",
            "print_status",
        )
    }


def _dumps(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
