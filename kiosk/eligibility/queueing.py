"""Which queue a resident who checked their legal-aid chances is sent to (for 取号)."""

from __future__ import annotations

from kiosk.eligibility.rules import RuleSet
from kiosk.packs import model


def legal_aid_service(ruleset: RuleSet, pack: model.Pack, site_id: str) -> str:
    """The queue service of the legal-aid window at this site ("" when there is none).

    The rules name the district centre's legal-aid place; its window, if this site has it,
    offers the services; the first one this site issues tickets for is the one.
    """
    site = pack.site(site_id)
    place = ruleset.places.get("district_center")
    if site is None or place is None or not place.window:
        return ""
    window = next((w for w in site.windows if w.id == place.window), None)
    offered = {s.id for s in pack.services_at(site.id)}
    for service in window.services if window else ():
        if service in offered:
            return service
    return ""
