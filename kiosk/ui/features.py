"""What each feature adds to the UI, registered in one list (the UI layer's kiosk/features.py).

One `UiFeature(...)` entry per feature names, as strings, everything the shell needs:

    screens     screen name -> "module:Class"; a screen is built the first time it is shown
    entry       the screen its home tile opens ("" for no tile); the tile's words are
                strings.ENTRIES[name], shown only when `[kiosk] features` lists the name
    colour      the tile's colour (hex)
    needs       (pack, site id) -> bool: show the tile only when the pack has something here
    hooks       modules without a screen that define hooks (below)
    background  a module whose `start(app)` runs after the first frame and returns a
                controller with `stop()` (or None); the app keeps it in `app.background[name]`

A screen module or a hooks module may define, at module level:

    TOUR_STOPS: list[tuple[str, Callable[[Driver], None]]]   pictures for `kiosk tour`
    admin_rows(app) -> list[tuple[label, value, warn]]       status rows on the admin screen
    ADMIN_ACTIONS: list[tuple[label, Callable[[app], None]]] buttons on the admin screen
    signage_slides(app) -> list[signage.Slide]               slides for the signage mode

Nothing here imports Kivy or a screen: start-up imports only the screens it shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from kiosk.packs.model import Pack


@dataclass(frozen=True)
class UiFeature:
    name: str
    screens: Mapping[str, str] = field(default_factory=dict)
    entry: str = ""
    colour: str = "#164A8C"  # every tile colour keeps white text at 7:1 or better
    needs: Callable[[Pack, str], bool] | None = None
    hooks: tuple[str, ...] = ()
    background: str = ""


# Screens of the shell itself (not features): the start screens and the staff screen.
CORE_SCREENS: dict[str, str] = {
    "home": "kiosk.ui.screens.home:HomeScreen",
    "admin": "kiosk.ui.screens.admin:AdminScreen",
    "signage": "kiosk.ui.screens.signage:SignageScreen",
}

# The one list.
FEATURES: tuple[UiFeature, ...] = (
    UiFeature(
        "directory",
        screens={
            "directory": "kiosk.ui.screens.directory:DirectoryScreen",
            "directory-list": "kiosk.ui.screens.directory:PlaceListScreen",
            "directory-search": "kiosk.ui.screens.directory_search:SearchScreen",
            "directory-detail": "kiosk.ui.screens.directory_detail:DetailScreen",
            "directory-products": "kiosk.ui.screens.directory_products:ProductsScreen",
        },
        entry="directory",
        colour="#164A8C",
    ),
    UiFeature(
        "eligibility",
        screens={
            "eligibility": "kiosk.ui.screens.eligibility:EligibilityScreen",
            "eligibility-question": "kiosk.ui.screens.eligibility:EligibilityQuestionScreen",
            "eligibility-review": "kiosk.ui.screens.eligibility:EligibilityReviewScreen",
            "eligibility-result": "kiosk.ui.screens.eligibility_result:EligibilityResultScreen",
        },
        entry="eligibility",
        colour="#155027",
        needs=lambda pack, site: bool(pack.legal_aid),
        hooks=("kiosk.ui.screens.eligibility_hooks",),
    ),
    UiFeature(
        "tickets",
        screens={
            "tickets": "kiosk.ui.screens.tickets:TicketsScreen",
            "ticket-confirm": "kiosk.ui.screens.tickets:TicketConfirmScreen",
            "ticket": "kiosk.ui.screens.ticket:TicketScreen",
            "ticket-admin": "kiosk.ui.screens.tickets_admin:TicketAdminScreen",
        },
        entry="tickets",
        colour="#843A00",
        needs=lambda pack, site: bool(pack.services_at(site)),
    ),
    UiFeature(
        "videos",
        screens={
            "videos": "kiosk.ui.screens.videos:VideosScreen",
            "player": "kiosk.ui.screens.videos:PlayerScreen",
        },
        entry="videos",
        colour="#6A3D9A",
        needs=lambda pack, site: bool(pack.videos),
    ),
    UiFeature(
        "disclosure",
        screens={
            "disclosure": "kiosk.ui.screens.disclosure:DisclosureScreen",
            "page": "kiosk.ui.screens.disclosure:PageScreen",
        },
        entry="disclosure",
        colour="#2A5564",
    ),
    UiFeature(
        "complaints",  # 投诉建议: phones, QR codes, the 投诉受理 window, a message left here
        screens={
            "complaints": "kiosk.ui.screens.complaints:ComplaintsScreen",
            "complaint-form": "kiosk.ui.screens.complaints:ComplaintFormScreen",
        },
        entry="complaints",
        colour="#8A2D3B",
    ),
    UiFeature(
        "feedback",  # 好差评: the end-of-visit rating, the window 评价器, staff follow-up
        screens={
            "rate": "kiosk.ui.screens.feedback:RateScreen",
            "evaluator": "kiosk.ui.screens.feedback:EvaluatorScreen",
            "feedback-admin": "kiosk.ui.screens.feedback:FeedbackAdminScreen",
        },
    ),
    UiFeature("sync", hooks=("kiosk.ui.sync",), background="kiosk.ui.sync"),
    UiFeature("upload", hooks=("kiosk.ui.upload",), background="kiosk.ui.upload"),
    # 长者模式, 朗读, 呼叫工作人员: the header's tools (admin rows of help calls, a tour stop)
    UiFeature("access", hooks=("kiosk.ui.access",)),
    UiFeature(
        "notices",  # urgent notices: a strip on every screen, 发布紧急通知 for staff
        screens={"notice-compose": "kiosk.ui.screens.notices:NoticeComposeScreen"},
        hooks=("kiosk.ui.notices",),
        background="kiosk.ui.notices",
    ),
    UiFeature(
        "attract",  # the loop that invites people in after a rest on the home screen
        screens={"attract": "kiosk.ui.screens.attract:AttractScreen"},
    ),
    UiFeature(
        "signage",  # LED strips and the hall's queue on signs
        screens={"strip": "kiosk.ui.screens.strip:StripScreen"},
        background="kiosk.ui.screens.signage",
    ),
)


def screens() -> dict[str, str]:
    """Every screen: name -> "module:Class" (the shell's, then each feature's)."""
    found = dict(CORE_SCREENS)
    for feature in FEATURES:
        found.update(feature.screens)
    return found


def entries() -> dict[str, UiFeature]:
    """Features with a home tile, by name."""
    return {feature.name: feature for feature in FEATURES if feature.entry}


def hook_modules() -> list[str]:
    """Modules that may define hooks, in tour order: the shell's screens, then each feature's
    screen modules followed by its hooks-only modules."""
    names = [target.split(":")[0] for target in CORE_SCREENS.values()]
    for feature in FEATURES:
        names += [target.split(":")[0] for target in feature.screens.values()]
        names += list(feature.hooks)
    return list(dict.fromkeys(names))


def background() -> list[UiFeature]:
    return [feature for feature in FEATURES if feature.background]
