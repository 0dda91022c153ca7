"""The counter page (/counter) and the display page (/display): plain HTML and JavaScript
served from kiosk/hall/static, no build step. Both live-update from /api/events and fall back
to polling /api/state; the bundled Chinese font is served too, for screens without one."""

from __future__ import annotations

from pathlib import Path
from string import Template
from typing import TYPE_CHECKING

from aiohttp import web

from kiosk.hall import texts
from kiosk.hall.queue import HallError
from kiosk.tickets.render import FONT_DIR

if TYPE_CHECKING:
    from kiosk.hall.server import HallServer

STATIC = Path(__file__).resolve().parent / "static"
FILES = {
    "counter.js": "text/javascript",
    "display.js": "text/javascript",
    "live.js": "text/javascript",
    "hall.css": "text/css",
}
FONT = FONT_DIR / "NotoSansSC-Bold.otf"
SHELL = "page.html"  # the head every page shares, with ${title} and ${body}


def routes(server: HallServer) -> list[web.RouteDef]:
    def page(title: str, name: str) -> web.Response:
        shell = Template((STATIC / SHELL).read_text(encoding="utf-8"))
        html = shell.substitute(title=title, body=(STATIC / name).read_text(encoding="utf-8"))
        return web.Response(
            text=html,
            content_type="text/html",
            charset="utf-8",
            headers={"Cache-Control": "no-cache"},
        )

    async def counter(request: web.Request) -> web.Response:
        return page(texts.COUNTER_PAGE, "counter.html")

    async def display(request: web.Request) -> web.Response:
        return page(texts.DISPLAY_PAGE, "display.html")

    async def index(request: web.Request) -> web.Response:
        raise web.HTTPFound("/display")

    async def static(request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name == "hall.otf":
            return web.FileResponse(FONT, headers={"Cache-Control": "max-age=604800"})
        if name not in FILES:
            raise HallError(texts.NOT_FOUND, 404, "not_found")
        return web.Response(
            body=(STATIC / name).read_bytes(),
            content_type=FILES[name],
            charset="utf-8",
            headers={"Cache-Control": "no-cache"},
        )

    return [
        web.get("/", index),
        web.get("/counter", counter),
        web.get("/display", display),
        web.get("/static/{name}", static),
    ]
