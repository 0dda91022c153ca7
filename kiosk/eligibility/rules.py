"""The rule file as typed data: questions, dated parameters, rules, outcomes and their texts.

`legal_aid/rules.yaml` in the content pack holds everything the engine needs;
`legal_aid/articles.yaml` holds the article texts a resident can tap to read. Both are data
staff update when a standard changes. Parsing here is strict about shapes the engine relies on
(a RulesError names the item); `kiosk.eligibility.lint` reports everything else to staff.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from kiosk.eligibility import conditions
from kiosk.errors import KioskError

RULES_FILE = "legal_aid/rules.yaml"
ARTICLES_FILE = "legal_aid/articles.yaml"
CASES_FILE = "legal_aid/cases.csv"

OUTCOMES = ("likely_eligible", "may_not_be_eligible", "staff_check")
MEANS_TESTS = ("not_applicable", "waived_with_proof", "required_met", "required_not_met", "unknown")
QUESTION_TYPES = ("choice", "yesno", "number")
MATTER_TOKEN = "matter"  # in cite/documents: "what the chosen matter brings with it"
DEFAULT_UNSURE = "不确定"


class RulesError(KioskError):
    """The rule file cannot be used; the message names the item."""


@dataclass(frozen=True)
class Citation:
    law: str
    article: int

    @classmethod
    def parse(cls, token: str) -> Citation:
        match = re.fullmatch(r"\s*([A-Za-z0-9_]+)\s*:\s*(\d+)\s*", str(token))
        if not match:
            raise RulesError(f"条文引用“{token}”应写成 法律编号:条号，例如 legal_aid_law:31")
        return cls(match.group(1), int(match.group(2)))

    def as_dict(self) -> dict[str, Any]:
        return {"law": self.law, "article": self.article}


@dataclass(frozen=True)
class Option:
    value: Any
    label: str
    group: str = ""
    cite: tuple[Citation, ...] = ()
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    text: str
    short: str  # the label on the review screen
    help: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()
    unsure: str = DEFAULT_UNSURE  # "" when 不确定 is not offered
    ask_if: Any = None
    text_when: tuple[tuple[Any, str], ...] = ()
    unit: str = ""
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    decimals: int = 0
    line: int | None = None

    def wording(self, lookup: conditions.Lookup) -> str:
        for condition, text in self.text_when:
            if conditions.holds(condition, lookup):
                return text
        return self.text

    def option(self, value: Any) -> Option | None:
        return next((o for o in self.options if o.value == value), None)

    def allowed(self) -> list[Any]:
        if self.type == "yesno":
            return [True, False]
        return [o.value for o in self.options]


@dataclass(frozen=True)
class ParamValue:
    start: date
    value: Decimal
    source: str = ""
    note: str = ""
    verified: bool = True


@dataclass(frozen=True)
class Param:
    id: str
    name: str
    unit: str
    values: tuple[ParamValue, ...]  # oldest first

    def at(self, day: date) -> ParamValue | None:
        """The value in force on `day`: the newest one that started on or before it."""
        current = None
        for value in self.values:
            if value.start <= day:
                current = value
        return current

    def newest(self) -> ParamValue | None:
        return self.values[-1] if self.values else None


@dataclass(frozen=True)
class Rule:
    id: str
    when: Any
    outcome: str
    means_test: str
    explain: tuple[str, ...] = ()
    cite: tuple[str, ...] = ()  # "law:article" or the token "matter"
    documents: tuple[str, ...] = ()  # document ids or the token "matter"
    places: tuple[str, ...] = ()  # added after the outcome's places
    alternatives: tuple[str, ...] = ()
    line: int | None = None


@dataclass(frozen=True)
class Outcome:
    id: str
    title: str
    summary: str
    places: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class Law:
    id: str
    title: str
    source: str = ""


@dataclass(frozen=True)
class Article:
    law: str
    article: int
    heading: str
    text: str


@dataclass(frozen=True)
class Document:
    id: str
    name: str
    detail: str = ""


@dataclass(frozen=True)
class Place:
    """Where to go. `site` is a site id, or "station" for the kiosk's own 镇街工作站."""

    id: str
    name: str
    role: str
    site: str = ""
    window: str = ""
    note: str = ""


@dataclass(frozen=True)
class Alternative:
    id: str
    name: str
    detail: str = ""
    contact: str = ""  # a contact id of the pack (its phone is shown)
    site: str = ""
    window: str = ""


@dataclass(frozen=True)
class RuleSet:
    version: str
    title: str
    notice: str
    notice_cite: tuple[Citation, ...]
    urgent_when: Any
    urgent_text: str
    urgent_cite: tuple[Citation, ...]
    questions: tuple[Question, ...]
    params: dict[str, Param]
    derived: dict[str, str]
    rules: tuple[Rule, ...]
    outcomes: dict[str, Outcome]
    laws: dict[str, Law]
    articles: dict[tuple[str, int], Article]
    documents: dict[str, Document]
    places: dict[str, Place]
    alternatives: dict[str, Alternative]
    _formulas: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    @property
    def fact_names(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)

    def formula(self, name: str) -> Any:
        return self._formulas[name]

    def article(self, citation: Citation) -> Article | None:
        return self.articles.get((citation.law, citation.article))

    def citation_label(self, citation: Citation) -> str:
        law = self.laws.get(citation.law)
        article = self.article(citation)
        heading = article.heading if article else f"第{citation.article}条"
        return f"{law.title if law else citation.law}{heading}"


# --- loading ---------------------------------------------------------------------------------


def load_pack_rules(pack: Any) -> RuleSet:
    """The rules of a loaded content pack: rules.yaml, with articles.yaml under "_articles",
    compiled into pack.legal_aid when the pack was built (no YAML is read at run time)."""
    if not pack.legal_aid:
        raise RulesError("本内容包没有法律援助自测规则（legal_aid/rules.yaml）")
    data = dict(pack.legal_aid)
    articles = data.pop("_articles", None) or {}
    return from_data(data, articles)


_shown: list[tuple[Any, RuleSet]] = []  # (pack, its rules): the pack on show, parsed once


def rules_of(pack: Any) -> RuleSet:
    """load_pack_rules(pack), parsed once for the pack on show (a new pack replaces it)."""
    if _shown and _shown[0][0] is pack:
        return _shown[0][1]
    ruleset = load_pack_rules(pack)
    _shown[:] = [(pack, ruleset)]
    return ruleset


def load_folder(folder: Path) -> RuleSet:
    """The rules of an unbuilt pack folder (used by the lint and the CLI)."""
    from kiosk.eligibility import yamlfile

    folder = Path(folder)
    rules_file = folder / RULES_FILE
    if not rules_file.is_file():
        raise RulesError(f"{rules_file}: 文件不存在")
    try:
        data = yamlfile.load(rules_file)
        articles_file = folder / ARTICLES_FILE
        articles = yamlfile.load(articles_file) if articles_file.is_file() else {}
    except yamlfile.YamlProblem as exc:
        where = f"第{exc.line}行" if exc.line else ""
        raise RulesError(f"{rules_file}{where}: {exc}") from None
    return from_data(data, articles or {})


def from_data(data: Any, articles: Any = None) -> RuleSet:
    if not isinstance(data, dict):
        raise RulesError(f"{RULES_FILE}: 顶层应是“名称: 内容”的映射")
    questions = tuple(_question(q) for q in _list(data, "questions"))
    params = {str(k): _param(str(k), v) for k, v in _map(data, "params").items()}
    derived = {str(k): str(v) for k, v in _map(data, "derived").items()}
    formulas = {}
    for name, text in derived.items():
        try:
            formulas[name] = conditions.parse_formula(text)
        except conditions.ConditionError as exc:
            raise RulesError(f"derived.{name}: {exc}") from None
    rules = tuple(_rule(r) for r in _list(data, "rules"))
    outcomes = {str(k): _outcome(str(k), v) for k, v in _map(data, "outcomes").items()}
    laws = {
        str(k): Law(str(k), _str(v, "title", str(k)), _str(v, "source"))
        for k, v in _map(data, "laws").items()
    }
    documents = {
        str(k): Document(str(k), _str(v, "name", str(k)), _str(v, "detail"))
        if isinstance(v, dict)
        else Document(str(k), str(v))
        for k, v in _map(data, "documents").items()
    }
    places = {
        str(k): Place(
            str(k),
            _str(v, "name", str(k)),
            _str(v, "role"),
            _str(v, "site"),
            _str(v, "window"),
            _str(v, "note"),
        )
        for k, v in _map(data, "places").items()
    }
    alternatives = {
        str(k): Alternative(
            str(k),
            _str(v, "name", str(k)),
            _str(v, "detail"),
            _str(v, "contact"),
            _str(v, "site"),
            _str(v, "window"),
        )
        for k, v in _map(data, "alternatives").items()
    }
    urgent = data.get("urgent") or {}
    return RuleSet(
        version=str(data.get("version", "")),
        title=str(data.get("title", "")),
        notice=tidy(str(data.get("notice", ""))),
        notice_cite=tuple(Citation.parse(c) for c in _tuple(data.get("notice_cite"))),
        urgent_when=urgent.get("when") if isinstance(urgent, dict) else None,
        urgent_text=tidy(str(urgent.get("text", ""))) if isinstance(urgent, dict) else "",
        urgent_cite=tuple(
            Citation.parse(c)
            for c in _tuple(urgent.get("cite") if isinstance(urgent, dict) else None)
        ),
        questions=questions,
        params=params,
        derived=derived,
        rules=rules,
        outcomes=outcomes,
        laws=laws,
        articles=_articles(articles),
        documents=documents,
        places=places,
        alternatives=alternatives,
        _formulas=formulas,
    )


def _map(data: dict[str, Any], key: str) -> dict[Any, Any]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise RulesError(f"{RULES_FILE}: “{key}”下应是映射")
    return value


def _list(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise RulesError(f"{RULES_FILE}: “{key}”下应是列表，每项是一个映射")
    return value


_FOLD = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")


def tidy(text: str) -> str:
    """Drop the spaces YAML folding (>) leaves between two Chinese characters."""
    return _FOLD.sub("", text.strip())


def _str(item: Any, key: str, default: str = "") -> str:
    if not isinstance(item, dict):
        return default
    value = item.get(key)
    return default if value is None else tidy(str(value))


def _tuple(value: Any) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    if isinstance(value, list | tuple):
        return tuple(tidy(str(v)) for v in value)
    return (tidy(str(value)),)


def _line(item: Any) -> int | None:
    return getattr(item, "line", 0) or None


def _decimal(value: Any, where: str) -> Decimal | None:
    if value is None:
        return None
    number = conditions.to_decimal(value)
    if number is None:
        raise RulesError(f"{where}: “{value}”不是数字")
    return number


def _question(item: dict[str, Any]) -> Question:
    qid = _str(item, "id")
    if not qid:
        raise RulesError(f"{RULES_FILE}: 有一个问题缺少 id")
    kind = _str(item, "type", "choice")
    if kind not in QUESTION_TYPES:
        raise RulesError(f"问题 {qid}: 类型“{kind}”无法识别（可用：{'、'.join(QUESTION_TYPES)}）")
    options = []
    for option in item.get("options") or []:
        if not isinstance(option, dict) or "value" not in option:
            raise RulesError(f"问题 {qid}: 每个选项要有 value 和 label")
        options.append(
            Option(
                value=option["value"],
                label=_str(option, "label", str(option["value"])),
                group=_str(option, "group"),
                cite=tuple(Citation.parse(c) for c in _tuple(option.get("cite"))),
                evidence=_tuple(option.get("evidence")),
            )
        )
    unsure = item.get("unsure", DEFAULT_UNSURE)
    text_when = []
    for variant in item.get("text_when") or []:
        if isinstance(variant, dict) and "when" in variant and "text" in variant:
            text_when.append((variant["when"], str(variant["text"]).strip()))
    return Question(
        id=qid,
        type=kind,
        text=_str(item, "text", qid),
        short=_str(item, "short", _str(item, "text", qid)),
        help=_tuple(item.get("help")),
        options=tuple(options),
        unsure="" if unsure in (False, None) else str(unsure),
        ask_if=item.get("ask_if"),
        text_when=tuple(text_when),
        unit=_str(item, "unit"),
        minimum=_decimal(item.get("min"), f"问题 {qid} min"),
        maximum=_decimal(item.get("max"), f"问题 {qid} max"),
        decimals=int(item.get("decimals") or 0),
        line=_line(item),
    )


def _date(value: Any, where: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise RulesError(f"{where}: “{value}”不是日期（应写成 2025-01-01）") from None


def _param(pid: str, item: Any) -> Param:
    if not isinstance(item, dict):
        raise RulesError(f"参数 {pid}: 应是映射（name、unit、values）")
    values = []
    for row in item.get("values") or []:
        if not isinstance(row, dict):
            raise RulesError(f"参数 {pid}: values 的每一行应有 from、value、source")
        value = _decimal(row.get("value"), f"参数 {pid}")
        if value is None:
            raise RulesError(f"参数 {pid}: 有一行缺少 value")
        values.append(
            ParamValue(
                start=_date(row.get("from"), f"参数 {pid} from"),
                value=value,
                source=_str(row, "source"),
                note=_str(row, "note"),
                verified=bool(row.get("verified", True)),
            )
        )
    values.sort(key=lambda v: v.start)
    return Param(pid, _str(item, "name", pid), _str(item, "unit"), tuple(values))


def _rule(item: dict[str, Any]) -> Rule:
    rid = _str(item, "id")
    if not rid:
        raise RulesError(f"{RULES_FILE}: 有一条规则缺少 id")
    for token in _tuple(item.get("cite")):
        if token != MATTER_TOKEN:
            Citation.parse(token)
    return Rule(
        id=rid,
        when=item.get("when") or {},
        outcome=_str(item, "outcome"),
        means_test=_str(item, "means_test", "unknown"),
        explain=_tuple(item.get("explain")),
        cite=_tuple(item.get("cite")),
        documents=_tuple(item.get("documents")),
        places=_tuple(item.get("places")),
        alternatives=_tuple(item.get("alternatives")),
        line=_line(item),
    )


def _outcome(oid: str, item: Any) -> Outcome:
    return Outcome(
        id=oid,
        title=_str(item, "title", oid),
        summary=_str(item, "summary"),
        places=_tuple(item.get("places") if isinstance(item, dict) else None),
        alternatives=_tuple(item.get("alternatives") if isinstance(item, dict) else None),
    )


def _articles(data: Any) -> dict[tuple[str, int], Article]:
    found: dict[tuple[str, int], Article] = {}
    items = data.get("articles") if isinstance(data, dict) else None
    for item in items or []:
        if not isinstance(item, dict):
            continue
        try:
            key = (_str(item, "law"), int(item.get("article")))
        except (TypeError, ValueError):
            continue
        found[key] = Article(
            key[0], key[1], _str(item, "heading", f"第{key[1]}条"), _str(item, "text")
        )
    return found


# --- small shared helpers --------------------------------------------------------------------


def money(value: Decimal | None) -> str:
    """2372 -> '2372', 2371.99 -> '2371.99', 4666.666… -> '4666.67' (display only)."""
    if value is None:
        return "不详"
    rounded = value.quantize(Decimal("0.01"))
    if rounded == rounded.to_integral_value():
        return str(rounded.to_integral_value())
    return f"{rounded:.2f}"


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
