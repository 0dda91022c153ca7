"""Browsing without typing: by level, by town or street, by kind of help, by product class.

Lists put what is nearest to the resident first: this kiosk's own site, then the district
center, then places in the same town or street, then the rest in the order staff wrote them in
the pack.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kiosk.directory import kinds
from kiosk.packs import model


@dataclass(frozen=True)
class Place:
    """A row of a browse list: a site or an institution."""

    kind: str  # "site" | "institution"
    ref: str
    name: str
    what: str  # 镇街工作站 / 律师事务所 ...
    town: str
    address: str
    own: bool = False

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.ref}"


def site_place(site: model.Site, own_site: str | None) -> Place:
    return Place(
        "site",
        site.id,
        site.name,
        model.LEVEL_NAMES.get(site.level, ""),
        site.town,
        site.address,
        site.id == own_site,
    )


def institution_place(inst: model.Institution, own_site: str | None) -> Place:
    return Place(
        "institution",
        inst.id,
        inst.name,
        kinds.institution_kind_name(inst.kind),
        inst.town,
        inst.address,
        bool(own_site) and inst.site == own_site,
    )


def _nearness(pack: model.Pack, own_site: str | None) -> Callable[[Place], tuple[int, ...]]:
    """Sort key: own site, the district center, the same town, then the pack's order."""
    own = pack.site(own_site) if own_site else None
    centers = {site.id for site in pack.sites if site.level == "center"}
    order = {f"site:{s.id}": i for i, s in enumerate(pack.sites)}
    order.update({f"institution:{inst.id}": i for i, inst in enumerate(pack.institutions)})

    def key(place: Place) -> tuple[int, ...]:
        if place.own:
            rank = 0
        elif place.kind == "site" and place.ref in centers:
            rank = 1
        elif own is not None and place.town and place.town == own.town:
            rank = 2
        else:
            rank = 3
        return (rank, 0 if place.kind == "site" else 1, order.get(place.key, 0))

    return key


def sites_at_level(pack: model.Pack, level: str, own_site: str | None) -> list[Place]:
    places = [site_place(s, own_site) for s in pack.sites if s.level == level]
    return sorted(places, key=_nearness(pack, own_site))


def towns(pack: model.Pack, level: str | None = None) -> list[str]:
    """Towns and streets in the pack's order (with `level`: only those with such sites).

    The district itself (the center's town, e.g. 渝北区) is not a town to browse by.
    """
    district = {site.town for site in pack.sites if site.level == "center"}
    found: dict[str, None] = {}
    for site in pack.sites:
        if level is None or site.level == level:
            found.setdefault(site.town, None)
    if level is None:
        for inst in pack.institutions:
            found.setdefault(inst.town, None)
    return [town for town in found if town and town not in district]


def places_in_town(
    pack: model.Pack, town: str, own_site: str | None, level: str | None = None
) -> list[Place]:
    places = [
        site_place(s, own_site)
        for s in pack.sites
        if s.town == town and (level is None or s.level == level)
    ]
    if level is None:
        places += [institution_place(i, own_site) for i in pack.institutions if i.town == town]
    levels = {
        f"site:{s.id}": model.LEVELS.index(s.level) for s in pack.sites if s.level in model.LEVELS
    }
    return sorted(places, key=lambda p: (not p.own, levels.get(p.key, len(model.LEVELS))))


def site_help(site: model.Site) -> tuple[str, ...]:
    return kinds.help_kinds(site.services)


def institution_help(inst: model.Institution) -> tuple[str, ...]:
    return kinds.help_kinds(inst.services, inst.kind)


def places_for_help(pack: model.Pack, kind: str, own_site: str | None) -> list[Place]:
    """Every site and institution offering a kind of help, nearest first."""
    places = [site_place(s, own_site) for s in pack.sites if kind in site_help(s)]
    places += [
        institution_place(i, own_site) for i in pack.institutions if kind in institution_help(i)
    ]
    return sorted(places, key=_nearness(pack, own_site))


def products_by_class(pack: model.Pack) -> dict[str, list[model.Product]]:
    """The catalogue in the seed's five classes, in order; classes without products are left out."""
    grouped: dict[str, list[model.Product]] = {}
    for product_class in model.PRODUCT_CLASSES:
        chosen = [p for p in pack.products if p.product_class == product_class]
        if chosen:
            grouped[product_class] = chosen
    others = [p for p in pack.products if p.product_class not in model.PRODUCT_CLASSES]
    if others:
        grouped["other"] = others
    return grouped
