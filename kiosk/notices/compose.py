"""A notice staff set on the spot (command line or admin screen), checked before it is stored."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from kiosk import clock
from kiosk.errors import KioskError
from kiosk.notices import when
from kiosk.packs.model import CLOSES_ALL, NOTICE_LEVELS, NOTICE_STATUSES, Notice, Pack

LEVEL_WORDS = {**{k: k for k in NOTICE_LEVELS}, **{v: k for k, v in NOTICE_LEVELS.items()}}
STATUS_WORDS = {v: k for k, v in NOTICE_STATUSES.items()}
MAX_TITLE = 60  # one banner line on a portrait screen at most twice over


def compose(
    pack: Pack,
    site: str,
    text: str,
    until: str,
    level: str = "urgent",
    closes: Sequence[str] = (),
    effective: str | None = None,
    body: str = "",
    now: datetime | None = None,
    status: str = "actual",
    replaces: Notice | None = None,
) -> Notice:
    """-> an unsaved local notice for `site`; KioskError saying what to fix otherwise.
    `status` test/exercise: stored and shared but never shown to residents (a drill of the
    way a notice travels). `replaces`: this is a CAP update of that notice."""
    now = now or clock.now()
    title = " ".join(text.split())
    if not title:
        raise KioskError("the notice text is empty")
    if len(title) > MAX_TITLE:
        raise KioskError(f"the notice text is {len(title)} characters; at most {MAX_TITLE}")
    if level.strip() not in LEVEL_WORDS:
        raise KioskError("level must be urgent/紧急, important/重要 or general/一般")
    end = when.parse(until, now, end=True)
    if end <= now.replace(tzinfo=None):
        raise KioskError(f"--until {until} is already past ({end:%Y-%m-%d %H:%M})")
    starts = when.parse(effective, now) if effective else None
    if starts is not None and starts >= end:
        raise KioskError(f"--from {effective} is not before --until {until}")
    status = STATUS_WORDS.get(status.strip().lower(), status.strip())
    if status not in NOTICE_STATUSES:
        raise KioskError("status must be actual/正式, test/测试, exercise/演练 or draft/草稿")
    return Notice(
        id="",
        title=title,
        body=body.strip(),
        level=LEVEL_WORDS[level.strip()],
        start=now.replace(tzinfo=None, second=0, microsecond=0),
        effective=starts,
        end=end,
        sites=(site,),
        closes=service_ids(pack, site, closes),
        origin="local",
        status=status,
        msg_type="update" if replaces else "alert",
        references=(replaces.id,) if replaces else (),
    )


def cancel(notice: Notice, site: str, now: datetime | None = None) -> Notice:
    """A CAP cancel of `notice` (from the pack or the hall): kept as a local notice so it
    survives a restart and the hall host shares it; it lasts as long as the notice it takes
    down (a cancel that ran out first would let the notice come back)."""
    now = (now or clock.now()).replace(tzinfo=None, second=0, microsecond=0)
    return Notice(
        id="",
        title=notice.title,
        level=notice.level,
        start=now,
        end=max(notice.end, now) if notice.end else None,
        sites=(site,),
        origin="local",
        msg_type="cancel",
        references=(notice.id,),
    )


def service_ids(pack: Pack, site: str, given: Sequence[str]) -> tuple[str, ...]:
    """Service ids or ticket letters of this site, or all/全部 -> ids (or ('all',))."""
    services = pack.services_at(site)
    chosen: list[str] = []
    for word in given:
        word = word.strip()
        if word.lower() in (CLOSES_ALL, "全部"):
            return (CLOSES_ALL,)
        match = next(
            (s for s in services if s.id == word or s.prefix.upper() == word.upper()), None
        )
        if match is None:
            known = ", ".join(f"{s.id} ({s.prefix})" for s in services) or "none"
            raise KioskError(f"no service {word!r} at site {site}; services here: {known}, or all")
        chosen.append(match.id)
    return tuple(dict.fromkeys(chosen))
