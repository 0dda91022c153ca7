"""Kinds of help residents browse by, and how sites' services and institutions map to them.

The pack's vocabulary (service ids, institution kinds, their Chinese names) is in
kiosk.packs.model; the loader already turns Chinese names into ids. `service_id` and
`institution_kind` accept either as well, for packs built from hand-written data.
"""

from __future__ import annotations

from collections.abc import Iterable

from kiosk.packs import model

# The six kinds of help residents browse by, in the order the directory shows them.
HELP_KINDS: dict[str, str] = {
    "consultation": "法律咨询",
    "legal_aid": "法律援助",
    "mediation": "人民调解",
    "notary": "公证",
    "forensic": "司法鉴定",
    "lawyer": "律师",
}

# Other words residents know a kind of help by (found by search as well as the name).
HELP_ALIASES: dict[str, tuple[str, ...]] = {
    "consultation": ("问法律", "法律问题"),
    "legal_aid": ("法援", "免费律师"),
    "mediation": ("调解", "调委会", "纠纷"),
    "notary": ("公证处", "办公证"),
    "forensic": ("鉴定", "伤残鉴定"),
    "lawyer": ("找律师", "律师事务所", "值班律师"),
}

# Every service a site may list (the pack's vocabulary), with the name residents read.
SERVICE_NAMES: dict[str, str] = model.HELP_KINDS

# A service that also counts as a kind of help when residents browse (初审 is where one applies).
SERVICE_HELP: dict[str, str] = {"legal_aid_intake": "legal_aid"}

INSTITUTION_KINDS: dict[str, str] = model.INSTITUTION_KINDS

# Kinds of help an institution offers by its nature, whatever its `services` column says.
INSTITUTION_HELP: dict[str, tuple[str, ...]] = {
    "law_firm": ("lawyer", "consultation"),
    "notary": ("notary",),
    "forensic": ("forensic",),
    "mediation": ("mediation",),
    "legal_aid": ("legal_aid", "consultation"),
    "legal_service": ("consultation",),
}

_SERVICE_ALIASES: dict[str, str] = {
    **{name: key for key, name in SERVICE_NAMES.items()},
    **{name: key for key, name in HELP_KINDS.items()},
    "legal-aid": "legal_aid",
    "法律援助受理": "legal_aid",
    "法援": "legal_aid",
    "调解": "mediation",
    "公证受理": "notary",
    "律师服务": "lawyer",
    "鉴定": "forensic",
    "普法": "education",
    "法治宣传教育": "education",
    "投诉": "complaint",
    "咨询": "consultation",
}

_KIND_ALIASES: dict[str, str] = {
    **{name: key for key, name in INSTITUTION_KINDS.items()},
    "律所": "law_firm",
    "公证处": "notary",
    "人民调解委员会": "mediation",
    "公证机构": "notary",
    "司法鉴定所": "forensic",
    "司法鉴定中心": "forensic",
    "鉴定机构": "forensic",
    "调委会": "mediation",
    "调解委员会": "mediation",
    "法律援助中心": "legal_aid",
    "法律援助工作站": "legal_aid",
    "法律援助站": "legal_aid",
    "法律服务所": "legal_service",
}


def service_id(value: str) -> str:
    """'法律援助' or 'legal_aid' -> 'legal_aid'; unknown values come back unchanged."""
    value = value.strip()
    return value if value in SERVICE_NAMES else _SERVICE_ALIASES.get(value, value)


def service_name(value: str) -> str:
    """What a resident reads for a service id (unknown ids are shown as written)."""
    return SERVICE_NAMES.get(service_id(value), value)


def institution_kind(value: str) -> str:
    value = value.strip()
    return value if value in INSTITUTION_KINDS else _KIND_ALIASES.get(value, value)


def institution_kind_name(value: str) -> str:
    return INSTITUTION_KINDS.get(institution_kind(value), value)


def help_kinds(services: Iterable[str], institution: str | None = None) -> tuple[str, ...]:
    """The kinds of help (HELP_KINDS ids, in their order) behind services and a kind."""
    found = {SERVICE_HELP.get(service_id(s), service_id(s)) for s in services}
    if institution is not None:
        found.update(INSTITUTION_HELP.get(institution_kind(institution), ()))
    return tuple(kind for kind in HELP_KINDS if kind in found)
