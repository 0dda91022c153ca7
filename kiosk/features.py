"""The kiosk's features, registered in one list: what each adds below the UI.

A feature lives in its own package (`kiosk/<name>/`) and is registered here with one
`Feature(...)` entry naming, as "module" or "module:attribute" strings, what it adds:

    sections   kiosk.ini sections it reads: {"printer": "kiosk.tickets.settings:PrinterSection"}
    cli        a module with `register(subparsers, common)` adding its `kiosk` verbs
    checks     a module whose import registers pack checks (`kiosk.packs.problems.check`)
    indexers   a module whose import registers build-time data (`kiosk.packs.compiled.indexer`)
    followups  "module:function" (settings, since, until) -> kiosk.stats.summary.Followups: the
               差评/complaint follow-up counts of the quarterly 统计表 (`kiosk stats export`
               asks through this, so statistics never import the feature that keeps them)

Its screens, home entry, admin rows, tour stops and signage slides are registered in the UI
layer's one list (`kiosk/ui/features.py`); its SQLite tables are migrated by the feature itself
(`kiosk.store.migrate(db, name, MIGRATIONS)`). Only strings are named here and nothing is
imported until used, so `kiosk --help` and start-up import only what they need, and this core
module depends on no feature (the import contract in pyproject.toml checks the layers).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Feature:
    name: str
    # A home-screen feature staff switch on or off in kiosk.ini `[kiosk] features`.
    switchable: bool = True
    sections: Mapping[str, str] = field(default_factory=dict)
    cli: str = ""
    checks: str = ""
    indexers: str = ""
    followups: str = ""


# The one list. Order: home tiles by default (switchable ones), `kiosk --help`, validation.
FEATURES: tuple[Feature, ...] = (
    Feature("sync", switchable=False, cli="kiosk.sync.cli"),  # content updates; joins `kiosk pack`
    Feature("directory", cli="kiosk.directory.cli", checks="kiosk.directory.lint"),
    Feature("eligibility", cli="kiosk.eligibility.cli", checks="kiosk.eligibility.lint"),
    Feature(
        "tickets",
        sections={
            "printer": "kiosk.tickets.settings:PrinterSection",
            "tickets": "kiosk.tickets.settings:TicketsSection",
        },
        cli="kiosk.tickets.cli",
        checks="kiosk.tickets.checks",
    ),
    Feature("videos"),  # screens only (kiosk/ui/screens/videos.py); videos come from the pack
    Feature("disclosure"),  # screens only; pages come from the pack
    Feature("complaints"),  # 投诉建议 tile: screens only (kiosk/ui/screens/complaints.py)
    Feature(
        "hall",  # the hall queue server, counter and display pages (`kiosk hall ...`)
        switchable=False,
        sections={"hall": "kiosk.hall.settings:HallSection"},
        cli="kiosk.hall.cli",
    ),
    Feature(
        "feedback",  # ratings, follow-ups and complaints (`kiosk feedback ...`)
        switchable=False,
        sections={"feedback": "kiosk.feedback.settings:FeedbackSection"},
        cli="kiosk.feedback.cli",
        followups="kiosk.feedback.items:quarter_followups",
    ),
    Feature("stats", switchable=False, cli="kiosk.stats.cli"),  # anonymous statistics
    Feature("notices", switchable=False, cli="kiosk.notices.cli"),  # urgent notices
    Feature(
        "access",  # 长者模式, 朗读 (`kiosk say`), 呼叫工作人员 (kiosk/speech, kiosk/helpcall)
        switchable=False,
        sections={
            "access": "kiosk.speech.settings:AccessSection",
            "speech": "kiosk.speech.settings:SpeechSection",
        },
        cli="kiosk.speech.cli",
    ),
    Feature(
        "upload",  # statistics, heartbeats and batches to the district's WebDAV folder
        switchable=False,
        sections={"upload": "kiosk.upload.settings:UploadSection"},
        cli="kiosk.upload.cli",
    ),
    Feature("fleet", switchable=False, cli="kiosk.fleet.cli"),  # the district's view (DuckDB)
)


def switchable() -> tuple[str, ...]:
    """Names allowed in `[kiosk] features`, in their default home order."""
    return tuple(f.name for f in FEATURES if f.switchable)


def sections() -> dict[str, type]:
    """kiosk.ini section name -> its dataclass, for every feature (imports the classes)."""
    return {
        name: resolve(target) for feature in FEATURES for name, target in feature.sections.items()
    }


def cli_modules() -> list[str]:
    return [f.cli for f in FEATURES if f.cli]


def check_modules() -> list[str]:
    return [f.checks for f in FEATURES if f.checks]


def index_modules() -> list[str]:
    return [f.indexers for f in FEATURES if f.indexers]


def followup_sources() -> list[str]:
    return [f.followups for f in FEATURES if f.followups]


def resolve(target: str) -> Any:
    """ "module" -> the module; "module:attribute" -> that attribute of it."""
    module_name, _, attribute = target.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, attribute) if attribute else module
