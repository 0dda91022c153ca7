"""Notices: the pack's, those staff set on the spot (`kiosk notice set`, admin screen), and
those the hall host shares with the hall's other kiosks and displays.

Fields follow CAP 1.2 (see kiosk.packs.model.Notice): level 紧急/重要/一般, shown from `start`,
in force from `effective`, gone at `end` (expires), `sites`, and `closes` (services, or the
whole site); CAP's status (only 'actual' reaches residents: a test or an exercise never
does) and msgType (an update or a cancel takes down the notices it references). Whether a
notice shows is decided from the clock every time it is asked, so an expired notice is never
shown, also by a kiosk that was switched off when it expired.

    from kiosk.notices import current, closing

    current(settings, pack)                 # active notices here, most urgent first
    closing(settings, pack, "legal-aid")    # the notice that stops tickets for it, or None

Modules: local (the SQLite table of local and hall-shared notices), when (the times staff
type), share (the hall host's GET /api/notices and the other kiosks' client), cli, texts.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from kiosk import clock
from kiosk.packs.model import Notice, notice_rank, replaced_ids

if TYPE_CHECKING:
    from kiosk.config import Settings
    from kiosk.packs.model import Pack


def current(settings: Settings, pack: Pack, moment: datetime | None = None) -> tuple[Notice, ...]:
    """The pack's, local and hall-shared notices active now at this kiosk's site."""
    from kiosk.notices.local import stored

    moment = moment or clock.now()
    site = settings.kiosk.site
    every = [*pack.notices, *stored(settings.store.path)]
    replaced = replaced_ids(every, moment)
    active = [n for n in every if n.id not in replaced and n.active(moment, site)]
    return tuple(sorted(active, key=notice_rank))


def closing(
    settings: Settings,
    pack: Pack,
    service_id: str,
    moment: datetime | None = None,
    notices: tuple[Notice, ...] | None = None,
) -> Notice | None:
    """The most urgent notice that stops tickets for `service_id` now, if any."""
    moment = moment or clock.now()
    site = settings.kiosk.site
    pool = notices if notices is not None else current(settings, pack, moment)
    return next((n for n in pool if n.closes_service(service_id, moment, site)), None)


__all__ = ["Notice", "closing", "current"]
