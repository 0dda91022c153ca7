"""Local notices travel through the hall: the host serves `GET /api/notices`, the hall's other
kiosks and displays fetch it and keep a copy (origin 'hall') in their own database.

The copy is replaced whole on every successful fetch, and kept when the host cannot be
reached — expiry is decided by each kiosk's clock, so a copy never outlives its notice.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kiosk import clock
from kiosk.notices import local
from kiosk.packs.model import Notice

if TYPE_CHECKING:
    from kiosk.config import Settings

PATH = "api/notices"
MAX_BYTES = 256 * 1024


def shared_now(settings: Settings, moment: datetime | None = None) -> list[dict[str, Any]]:
    """What the host shares: its local notices that have not expired (future ones too)."""
    now = (moment or clock.now()).replace(tzinfo=None)
    return [
        local.to_json(n)
        for n in local.stored(settings.store.path, ("local",))
        if n.end is None or n.end > now
    ]


def routes(server: Any) -> list[Any]:
    """For kiosk.hall.routes: GET /api/notices (read-only, no personal data)."""
    from aiohttp import web

    async def notices(request: web.Request) -> web.Response:
        data = await server.run(shared_now, server.settings)
        return web.json_response(
            {"notices": data, "now": clock.now().isoformat(timespec="seconds")},
            headers={"Cache-Control": "no-cache"},
        )

    return [web.get("/" + PATH, notices)]


def fetch(settings: Settings) -> list[Notice]:
    """The host's notices; OSError/ValueError when it cannot be reached or answers nonsense."""
    url = settings.hall.url + PATH
    with urllib.request.urlopen(url, timeout=settings.hall.timeout) as response:
        raw = response.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ValueError("answer too large")
    data = json.loads(raw)
    items = data["notices"] if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ValueError("no notices list")
    try:
        return [local.from_json(item) for item in items]
    except (KeyError, TypeError) as exc:
        raise ValueError(f"malformed notice: {exc}") from None


def pull(settings: Settings) -> bool:
    """Fetch and store the host's notices; False (copy kept) when the host is unreachable."""
    if not settings.hall.url or settings.hall.host:
        return False
    try:
        notices = fetch(settings)
    except (OSError, ValueError, urllib.error.URLError):
        return False
    local.replace_shared(settings.store.path, notices)
    return True
