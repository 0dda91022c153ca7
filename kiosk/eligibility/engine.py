"""Facts in, one hedged result out: the first rule whose conditions hold decides.

The engine never says "eligible": the outcomes are 很可能可以申请 / 可能不符合条件 /
需要工作人员确认, and every result carries the notice that the legal-aid centre decides within
7 days (法律援助法第四十三条). Facts are the answers (absent or None = unknown / 不确定);
derived values and the parameters in force on the given day are computed on demand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from kiosk.eligibility import conditions
from kiosk.eligibility.rules import (
    MATTER_TOKEN,
    Citation,
    Document,
    ParamValue,
    Question,
    Rule,
    RulesError,
    RuleSet,
    chinese_date,
    money,
)
from kiosk.errors import KioskError

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class FactsError(KioskError):
    """Facts given directly (CLI, case table) that the rules do not know or cannot use."""


@dataclass(frozen=True)
class ResolvedPlace:
    id: str
    name: str
    role: str
    address: str = ""
    phone: str = ""
    window: str = ""
    note: str = ""
    here: bool = False  # the kiosk stands in this place

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in ("", None)}


@dataclass(frozen=True)
class ResolvedAlternative:
    id: str
    name: str
    detail: str = ""
    phone: str = ""
    where: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in ("", None)}


@dataclass(frozen=True)
class Result:
    outcome: str
    means_test: str
    rule: str
    rules_version: str
    title: str
    summary: str
    why: tuple[str, ...]
    citations: tuple[Citation, ...]
    documents: tuple[Document, ...]
    places: tuple[ResolvedPlace, ...]
    alternatives: tuple[ResolvedAlternative, ...]
    urgent: bool
    urgent_text: str
    notice: str
    day: date
    income_line: ParamValue | None

    def as_dict(self) -> dict[str, Any]:
        """The JSON form: the contract keys first, then what the screens show."""
        line = self.income_line
        return {
            "outcome": self.outcome,
            "means_test": self.means_test,
            "citations": [c.as_dict() for c in self.citations],
            "documents": [{"id": d.id, "name": d.name} for d in self.documents],
            "places": [p.as_dict() for p in self.places],
            "alternatives": [a.as_dict() for a in self.alternatives],
            "urgent": self.urgent,
            "rule": self.rule,
            "rules_version": self.rules_version,
            "title": self.title,
            "why": list(self.why),
            "notice": self.notice,
            "date": self.day.isoformat(),
            "income_line": None
            if line is None
            else {
                "value": float(line.value),
                "from": line.start.isoformat(),
                "source": line.source,
                "verified": line.verified,
            },
        }


class Context:
    """Resolves names for conditions: facts, then derived values, then dated parameters."""

    def __init__(self, ruleset: RuleSet, facts: dict[str, Any], day: date) -> None:
        self.ruleset = ruleset
        self.facts = facts
        self.day = day
        self._derived: dict[str, Decimal | None] = {}

    def __call__(self, name: str) -> Any:
        if name in self.facts:
            return self.facts[name]
        if name in self.ruleset.derived:
            if name not in self._derived:
                self._derived[name] = None  # guards against a formula naming itself
                self._derived[name] = conditions.compute(self.ruleset.formula(name), self)
            return self._derived[name]
        param = self.ruleset.params.get(name)
        if param is not None:
            row = param.at(self.day)
            return row.value if row else None
        return None

    def placeholder(self, name: str) -> str:
        """The text a {name} in an explanation stands for."""
        for param in self.ruleset.params.values():
            row = param.at(self.day)
            if name == f"{param.id}_from":
                return chinese_date(row.start) if row else "不详"
            if name == f"{param.id}_source":
                return row.source if row else "不详"
        question = self.ruleset.question(name)
        value = self(name)
        if question is not None and question.type == "choice":
            option = question.option(value)
            return option.label if option else "不详"
        if isinstance(value, bool):
            return "是" if value else "否"
        if value is None:
            return "不详"
        number = conditions.to_decimal(value)
        return money(number) if number is not None else str(value)

    def fill(self, text: str) -> str:
        return PLACEHOLDER.sub(lambda m: self.placeholder(m.group(1)), text)


def evaluate(
    ruleset: RuleSet,
    facts: dict[str, Any],
    day: date,
    pack: Any = None,
    site_id: str = "",
) -> Result:
    """The result for `facts` on `day`; addresses come from `pack` when given."""
    context = Context(ruleset, {name: facts.get(name) for name in ruleset.fact_names}, day)
    rule = first_match(ruleset, context)
    outcome = ruleset.outcomes.get(rule.outcome)
    if outcome is None:
        raise RulesError(f"规则 {rule.id} 的结果“{rule.outcome}”没有在 outcomes 中定义")
    matter_option = _matter_option(ruleset, context)
    urgent = ruleset.urgent_when is not None and conditions.holds(ruleset.urgent_when, context)
    citations = _unique(
        [
            *_citations(rule, matter_option),
            *ruleset.notice_cite,
            *(ruleset.urgent_cite if urgent else ()),
        ]
    )
    documents = tuple(
        ruleset.documents[d]
        for d in _unique(_expand(rule.documents, matter_option.evidence if matter_option else ()))
        if d in ruleset.documents
    )
    place_ids = _unique([*outcome.places, *rule.places])
    alternative_ids = _unique([*outcome.alternatives, *rule.alternatives])
    line_param = ruleset.params.get("income_line")
    return Result(
        outcome=rule.outcome,
        means_test=rule.means_test,
        rule=rule.id,
        rules_version=ruleset.version,
        title=outcome.title,
        summary=context.fill(outcome.summary),
        why=tuple(context.fill(text) for text in rule.explain),
        citations=tuple(citations),
        documents=documents,
        places=tuple(resolve_place(ruleset, p, pack, site_id) for p in place_ids),
        alternatives=tuple(resolve_alternative(ruleset, a, pack) for a in alternative_ids),
        urgent=urgent,
        urgent_text=context.fill(ruleset.urgent_text) if urgent else "",
        notice=ruleset.notice,
        day=day,
        income_line=line_param.at(day) if line_param else None,
    )


def first_match(ruleset: RuleSet, context: Context) -> Rule:
    for rule in ruleset.rules:
        if conditions.holds(rule.when, context):
            return rule
    raise RulesError("没有一条规则适用：规则表的最后一条应是“其余情况”（when: {}）")


def _matter_option(ruleset: RuleSet, context: Context) -> Any:
    question = ruleset.question(MATTER_TOKEN)
    return question.option(context(MATTER_TOKEN)) if question else None


def _citations(rule: Rule, matter_option: Any) -> list[Citation]:
    found: list[Citation] = []
    for token in rule.cite:
        if token == MATTER_TOKEN:
            found.extend(matter_option.cite if matter_option else ())
        else:
            found.append(Citation.parse(token))
    return found


def _expand(tokens: tuple[str, ...], matter_items: tuple[str, ...]) -> list[str]:
    found: list[str] = []
    for token in tokens:
        found.extend(matter_items if token == MATTER_TOKEN else (token,))
    return found


def _unique(items: list[Any]) -> list[Any]:
    return list(dict.fromkeys(items))


# --- where to go -----------------------------------------------------------------------------


def station_for(pack: Any, site_id: str) -> Any:
    """The 镇街工作站 that serves the kiosk's site: itself, or the parent of a 村居工作室."""
    if pack is None or not site_id:
        return None
    site = pack.site(site_id)
    while site is not None and site.level == "room" and site.parent:
        site = pack.site(site.parent)
    return site if site is not None and site.level == "station" else None


def _window_text(site: Any, window_id: str) -> str:
    if not window_id or site is None:
        return ""
    window = next((w for w in site.windows if w.id == window_id), None)
    if window is None:
        return ""
    return f"{window.number} {window.name}".strip()


def resolve_place(
    ruleset: RuleSet, place_id: str, pack: Any = None, site_id: str = ""
) -> ResolvedPlace:
    place = ruleset.places.get(place_id)
    if place is None:
        return ResolvedPlace(place_id, place_id, "")
    site = None
    if pack is not None:
        site = station_for(pack, site_id) if place.site == "station" else pack.site(place.site)
    if site is None:
        return ResolvedPlace(place.id, place.name, place.role, note=place.note)
    return ResolvedPlace(
        id=place.id,
        name=site.name if place.site == "station" else place.name,
        role=place.role,
        address=site.address,
        phone=site.phone,
        window=_window_text(site, place.window),
        here=site.id == site_id,
    )


def resolve_alternative(ruleset: RuleSet, alt_id: str, pack: Any = None) -> ResolvedAlternative:
    alt = ruleset.alternatives.get(alt_id)
    if alt is None:
        return ResolvedAlternative(alt_id, alt_id)
    phone = where = ""
    if pack is not None:
        contact = (
            next((c for c in pack.contacts if c.id == alt.contact), None) if alt.contact else None
        )
        phone = contact.phone if contact else ""
        site = pack.site(alt.site) if alt.site else None
        if site is not None:
            where = " ".join(p for p in (site.name, _window_text(site, alt.window)) if p)
    return ResolvedAlternative(alt.id, alt.name, alt.detail, phone, where)


# --- facts given directly --------------------------------------------------------------------

YES_WORDS = {"yes", "true", "1", "是", "y"}
NO_WORDS = {"no", "false", "0", "否", "n"}
UNSURE_WORDS = {"", "?", "？", "不确定", "null", "none", "unknown", "说不清"}


def validate_facts(ruleset: RuleSet, raw: Any) -> dict[str, Any]:
    """Check facts given as JSON/CSV; unknown keys and impossible values are errors."""
    if not isinstance(raw, dict):
        raise FactsError('事实应是一个 JSON 对象，例如 {"matter": "labour_or_wages"}')
    unknown = sorted(set(raw) - set(ruleset.fact_names))
    if unknown:
        raise FactsError(
            f"无法识别的事实：{'、'.join(unknown)}（可用：{'、'.join(ruleset.fact_names)}）"
        )
    return {q.id: coerce(q, raw.get(q.id)) for q in ruleset.questions}


def coerce(question: Question, value: Any) -> Any:
    """One answer in its engine form; None for unknown. Strings come from CSV cells."""
    if value is None or (isinstance(value, str) and value.strip().lower() in UNSURE_WORDS):
        return None
    if question.type == "yesno":
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in YES_WORDS:
            return True
        if word in NO_WORDS:
            return False
        raise FactsError(f"{question.id}：“{value}”应为 true/false（是/否），或留空表示不确定")
    if question.type == "number":
        number = conditions.to_decimal(value)
        if number is None or not number.is_finite():
            raise FactsError(f"{question.id}：“{value}”不是数字")
        if question.minimum is not None and number < question.minimum:
            raise FactsError(f"{question.id}：{value} 小于允许的最小值 {question.minimum}")
        if question.maximum is not None and number > question.maximum:
            raise FactsError(f"{question.id}：{value} 大于允许的最大值 {question.maximum}")
        if question.decimals == 0 and number != number.to_integral_value():
            raise FactsError(f"{question.id}：{value} 应为整数")
        return number
    if question.option(value) is None:
        allowed = "、".join(str(o.value) for o in question.options)
        raise FactsError(f"{question.id}：“{value}”不是可选的值（可用：{allowed}）")
    return value
