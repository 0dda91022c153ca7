"""The one place where features add routes to the hall server.

Each module named here defines `routes(server) -> list[aiohttp.web.RouteDef]`; `server` is the
running kiosk.hall.server.HallServer (its `hall` queue, `run()` for blocking work, `changed()`
after a change). Import nothing heavy at module level.
"""

from __future__ import annotations

ROUTE_MODULES: tuple[str, ...] = (
    "kiosk.hall.api",  # /api/state, /api/events, counter actions, help calls, tickets in
    "kiosk.hall.pages",  # /counter, /display and their files
    "kiosk.notices.share",  # /api/notices: local notices the host shares with the hall
)
