"""The searchable entries of a pack, seen from one kiosk's site."""

from __future__ import annotations

import re

from kiosk.directory import kinds, words
from kiosk.directory.search import Entry
from kiosk.packs import model

# "张三", "曾小明律师", "单丽（某律师事务所）": a person, whose surname is read as a surname.
_PERSON = re.compile(r"[\u4e00-\u9fff]{2,4}(律师)?([（(].*[)）])?")


def pack_entries(pack: model.Pack, site_id: str | None) -> list[Entry]:
    """Sites, institutions, this site's windows, kinds of help, products and duty people."""
    found: list[Entry] = []
    names = {site.id: site.name for site in pack.sites}
    for site in pack.sites:
        found.append(
            Entry(
                id=f"site:{site.id}",
                kind="site",
                name=site.name,
                subtitle=_place_subtitle(model.LEVEL_NAMES.get(site.level, ""), site.town),
                site=site.id,
                ref=site.id,
            )
        )
    for inst in pack.institutions:
        found.append(
            Entry(
                id=f"institution:{inst.id}",
                kind="institution",
                name=inst.name,
                subtitle=_place_subtitle(kinds.institution_kind_name(inst.kind), inst.town),
                site=inst.site,
                ref=inst.id,
            )
        )
    own = pack.site(site_id) if site_id else None
    if own is not None:
        for window in own.windows:
            found.append(
                Entry(
                    id=f"window:{own.id}/{window.id}",
                    kind="window",
                    name=window.name,
                    subtitle=words.WINDOW_SUBTITLE.format(number=window.number, site=own.name)
                    if window.number
                    else own.name,
                    site=own.id,
                    ref=own.id,
                )
            )
    for kind, name in kinds.HELP_KINDS.items():
        found.append(
            Entry(
                id=f"help:{kind}",
                kind="help",
                name=name,
                subtitle=words.HELP_SUBTITLE,
                ref=kind,
                aliases=kinds.HELP_ALIASES.get(kind, ()),
            )
        )
    for product in pack.products:
        found.append(
            Entry(
                id=f"product:{product.id}",
                kind="product",
                name=product.name,
                subtitle=model.PRODUCT_CLASS_NAMES.get(product.product_class, product.type),
                ref=product.id,
            )
        )
    for rule in pack.rosters:
        site_name = names.get(rule.site, rule.site)
        subtitle = (
            words.DUTY_SUBTITLE.format(brand=rule.brand, site=site_name)
            if rule.brand
            else words.DUTY_SUBTITLE_PLAIN.format(site=site_name)
        )
        found.append(
            Entry(
                id=f"duty:{rule.id}",
                kind="duty",
                name=rule.who,
                subtitle=subtitle,
                site=rule.site,
                ref=rule.site,
                person=bool(_PERSON.fullmatch(rule.who)),
            )
        )
    return found


def _place_subtitle(what: str, town: str) -> str:
    if what and town:
        return words.PLACE_SUBTITLE.format(what=what, town=town)
    return what or town
