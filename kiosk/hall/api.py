"""The hall's JSON API: public state and events, counter actions (with a key), help calls, and
tickets handed in by the hall's other dispensers.

Every input is checked before anything changes; a refusal is a 4xx with a message that says
what was wrong (see the error middleware in kiosk.hall.server).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from aiohttp import web

from kiosk.hall import handin, texts, view
from kiosk.hall.keys import DISPENSER
from kiosk.hall.queue import ACTIONS, HallError

if TYPE_CHECKING:
    from kiosk.hall.server import HallServer

KIOSK_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
MAX_TEXT = 60  # characters of a help call's label, site or place


bad = HallError.bad_input


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
            await server.run(view.public_state, hall),
            dumps=_dumps,
            headers={"Cache-Control": "no-cache"},
        )

    async def counter_view(request: web.Request) -> web.Response:
        counter = request.match_info["counter"]
        await server.run(hall.counter, counter)
        await server.run(hall.check_key, counter, key_of(request))
        return web.json_response(await server.run(view.counter_view, hall, counter), dumps=_dumps)

    async def action(request: web.Request) -> web.Response:
        counter, verb = request.match_info["counter"], request.match_info["action"]
        if verb not in ACTIONS:
            raise HallError(texts.NOT_FOUND, 404, "not_found")
        await server.run(hall.counter, counter)
        await server.run(hall.check_key, counter, key_of(request))
        data = await body(request)  # checked for every action: JSON or nothing
        target = data.get("to") if verb == "transfer" else None
        if target is not None and not isinstance(target, str | int):
            raise bad("转窗口需要目标窗口号 to")
        called = await server.run(hall.act, verb, counter, None if target is None else str(target))
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
        if not isinstance(tickets, list) or not 1 <= len(tickets) <= handin.MAX_TICKETS:
            raise bad(f"tickets 应该是 1 到 {handin.MAX_TICKETS} 张号票")
        checked = [handin.check_ticket(item, hall.services) for item in tickets]
        result = await server.run(handin.receive, hall, kiosk, checked)
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


def _dumps(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
