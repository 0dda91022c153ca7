"""The hall's counters: which windows call which services, from [hall] counters or the pack."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.config import Settings
from kiosk.errors import KioskError
from kiosk.hall import texts
from kiosk.packs.model import Pack


@dataclass(frozen=True)
class Counter:
    id: str
    name: str
    services: tuple[str, ...]


def counters_for(settings: Settings, pack: Pack) -> tuple[Counter, ...]:
    """[hall] counters, or one counter per window of the site; names checked against the pack."""
    site_id = settings.kiosk.site
    site = pack.site(site_id)
    windows = {w.id: w for w in site.windows} if site else {}
    services = {s.id for s in pack.services_at(site_id)}
    spec = settings.hall.counters
    if not spec:
        spec = tuple(
            (str(index), (window.id,))
            for index, window in enumerate(
                (w for w in windows.values() if any(s in services for s in w.services)), 1
            )
        )
    result = []
    for counter, names in spec:
        chosen: list[str] = []
        for name in names:
            if name in windows:
                chosen += [s for s in windows[name].services if s in services]
            elif name in services:
                chosen.append(name)
            else:
                raise KioskError(
                    f"[hall] counters: {counter}: {name!r} is neither a window nor a service of"
                    f" site {site_id}; windows: {', '.join(windows) or 'none'};"
                    f" services: {', '.join(sorted(services)) or 'none'}"
                )
        result.append(
            Counter(
                counter, texts.COUNTER_NAME.format(counter=counter), tuple(dict.fromkeys(chosen))
            )
        )
    return tuple(result)
