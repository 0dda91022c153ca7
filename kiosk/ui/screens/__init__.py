"""Screens, created the first time they are shown (start-up draws only the home screen).

REGISTRY maps a screen name to "module:Class". Feature screens add one line here. A screen
module may also define, at module level:

    TOUR_STOPS: list[tuple[str, Callable[[Driver], None]]]   pictures for `kiosk tour`
    admin_rows(app) -> list[tuple[label, value, warn]]       status rows on the admin screen
    ADMIN_ACTIONS: list[tuple[label, Callable[[app], None]]] buttons on the admin screen
    signage_slides(app) -> list[signage.Slide]               slides for the signage mode

Modules without a screen that provide these hooks (e.g. content sync) are listed in
HOOK_MODULES.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType

from kiosk.packs.model import Pack

REGISTRY: dict[str, str] = {
    "home": "kiosk.ui.screens.home:HomeScreen",
    "admin": "kiosk.ui.screens.admin:AdminScreen",
    "disclosure": "kiosk.ui.screens.disclosure:DisclosureScreen",
    "page": "kiosk.ui.screens.disclosure:PageScreen",
    "tickets": "kiosk.ui.screens.tickets:TicketsScreen",
    "ticket-confirm": "kiosk.ui.screens.tickets:TicketConfirmScreen",
    "ticket": "kiosk.ui.screens.tickets:TicketScreen",
    "ticket-admin": "kiosk.ui.screens.tickets:TicketAdminScreen",
    "signage": "kiosk.ui.screens.signage:SignageScreen",
    "videos": "kiosk.ui.screens.videos:VideosScreen",
    "player": "kiosk.ui.screens.videos:PlayerScreen",
    "eligibility": "kiosk.ui.screens.eligibility:EligibilityScreen",
    "eligibility-question": "kiosk.ui.screens.eligibility:EligibilityQuestionScreen",
    "eligibility-review": "kiosk.ui.screens.eligibility:EligibilityReviewScreen",
    "eligibility-result": "kiosk.ui.screens.eligibility:EligibilityResultScreen",
    "directory": "kiosk.ui.screens.directory:DirectoryScreen",
    "directory-list": "kiosk.ui.screens.directory:PlaceListScreen",
    "directory-search": "kiosk.ui.screens.directory_search:SearchScreen",
    "directory-detail": "kiosk.ui.screens.directory_detail:DetailScreen",
    "directory-products": "kiosk.ui.screens.directory_products:ProductsScreen",
    "rate": "kiosk.ui.screens.feedback:RateScreen",
    "evaluator": "kiosk.ui.screens.feedback:EvaluatorScreen",
    "complaints": "kiosk.ui.screens.feedback:ComplaintsScreen",
    "complaint-form": "kiosk.ui.screens.feedback:ComplaintFormScreen",
    "feedback-admin": "kiosk.ui.screens.feedback:FeedbackAdminScreen",
}

# Which screen a home entry opens.
ENTRY_SCREENS: dict[str, str] = {
    "directory": "directory",
    "disclosure": "disclosure",
    "tickets": "tickets",
    "videos": "videos",
    "eligibility": "eligibility",
    "complaints": "complaints",
}

# Entries shown only when the pack has something for them at this site.
ENTRY_NEEDS: dict[str, Callable[[Pack, str], bool]] = {
    "videos": lambda pack, site: bool(pack.videos),
    "eligibility": lambda pack, site: bool(pack.legal_aid),
    "tickets": lambda pack, site: bool(pack.services_at(site)),
}


# Modules with admin/tour hooks but no screen of their own.
HOOK_MODULES: tuple[str, ...] = ("kiosk.ui.sync", "kiosk.ui.upload")


def screen_modules() -> list[ModuleType]:
    """Every module named in REGISTRY or HOOK_MODULES, imported (for the tour and admin)."""
    names = dict.fromkeys(
        [target.split(":")[0] for target in REGISTRY.values()] + list(HOOK_MODULES)
    )
    return [importlib.import_module(name) for name in names]
