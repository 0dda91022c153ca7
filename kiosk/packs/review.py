"""Items whose legal review is overdue (待复核): warned at validation, listed for staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kiosk.packs import model


@dataclass(frozen=True)
class Overdue:
    kind: str
    id: str
    name: str
    review_due: date


def overdue(pack: model.Pack, today: date) -> list[Overdue]:
    groups: list[tuple[str, tuple]] = [
        ("site", pack.sites),
        ("service", pack.services),
        ("institution", pack.institutions),
        ("product", pack.products),
        ("page", pack.pages),
        ("video", pack.videos),
    ]
    found = []
    for kind, items in groups:
        for item in items:
            currency = item.currency
            if currency.overdue(today):
                label = getattr(item, "name", None) or getattr(item, "title", item.id)
                found.append(Overdue(kind, item.id, label, currency.review_due))
    return sorted(found, key=lambda o: (o.review_due, o.kind, o.id))
