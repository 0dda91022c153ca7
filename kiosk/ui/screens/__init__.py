"""Screens, created the first time they are shown (start-up draws only the home screen).

REGISTRY maps a screen name to "module:Class". Feature screens add one line here.
"""

from __future__ import annotations

REGISTRY: dict[str, str] = {
    "home": "kiosk.ui.screens.home:HomeScreen",
    "admin": "kiosk.ui.screens.admin:AdminScreen",
    "disclosure": "kiosk.ui.screens.disclosure:DisclosureScreen",
    "page": "kiosk.ui.screens.disclosure:PageScreen",
}

# Which screen a home entry opens.
ENTRY_SCREENS: dict[str, str] = {
    "disclosure": "disclosure",
}
