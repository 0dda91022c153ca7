"""Screens, created the first time they are shown (start-up draws only the home screen).

REGISTRY maps a screen name to "module:Class". Feature screens add one line here. A screen
module may also define, at module level:

    TOUR_STOPS: list[tuple[str, Callable[[Driver], None]]]   pictures for `kiosk tour`
    admin_rows(app) -> list[tuple[label, value, warn]]       status rows on the admin screen
    ADMIN_ACTIONS: list[tuple[label, Callable[[app], None]]] buttons on the admin screen
"""

from __future__ import annotations

import importlib
from types import ModuleType

REGISTRY: dict[str, str] = {
    "home": "kiosk.ui.screens.home:HomeScreen",
    "admin": "kiosk.ui.screens.admin:AdminScreen",
    "disclosure": "kiosk.ui.screens.disclosure:DisclosureScreen",
    "page": "kiosk.ui.screens.disclosure:PageScreen",
    "tickets": "kiosk.ui.screens.tickets:TicketsScreen",
    "ticket-confirm": "kiosk.ui.screens.tickets:TicketConfirmScreen",
    "ticket": "kiosk.ui.screens.tickets:TicketScreen",
    "ticket-admin": "kiosk.ui.screens.tickets:TicketAdminScreen",
}

# Which screen a home entry opens.
ENTRY_SCREENS: dict[str, str] = {
    "disclosure": "disclosure",
    "tickets": "tickets",
}


def screen_modules() -> list[ModuleType]:
    """Every module named in REGISTRY, imported (for the tour and the admin screen)."""
    names = dict.fromkeys(target.split(":")[0] for target in REGISTRY.values())
    return [importlib.import_module(name) for name in names]
