"""Checks of legal_aid/rules.yaml (and its case table) run by `kiosk pack validate`.

Errors stop a pack from being published: a name no question, derived value or parameter
defines (unknown fact), a rule without a defined outcome (missing outcome), a citation whose
article text is not in articles.yaml (dangling article), references to documents, places or
laws that do not exist, a rule table without the final catch-all. Warnings do not stop it: the
newest value of a dated parameter is more than 12 months old, a value is marked unverified,
a place names a site the pack does not have.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from kiosk import clock
from kiosk.eligibility import conditions, yamlfile
from kiosk.eligibility.engine import PLACEHOLDER
from kiosk.eligibility.rules import (
    ARTICLES_FILE,
    CASES_FILE,
    MATTER_TOKEN,
    MEANS_TESTS,
    OUTCOMES,
    RULES_FILE,
    Citation,
    RulesError,
    RuleSet,
    from_data,
)
from kiosk.packs.problems import ERROR, WARNING, Problem, check

STALE_DAYS = 365


def lint_folder(folder: Path, today: date | None = None) -> list[Problem]:
    """Every problem of the rule file in pack folder `folder` (nothing if it has none)."""
    folder = Path(folder)
    if not (folder / RULES_FILE).is_file():
        return []
    today = today or clock.today()
    try:
        data = yamlfile.load(folder / RULES_FILE)
    except yamlfile.YamlProblem as exc:
        return [Problem(RULES_FILE, exc.line or None, "", f"不是有效的 YAML：{exc}")]
    articles: Any = {}
    if (folder / ARTICLES_FILE).is_file():
        try:
            articles = yamlfile.load(folder / ARTICLES_FILE) or {}
        except yamlfile.YamlProblem as exc:
            return [Problem(ARTICLES_FILE, exc.line or None, "", f"不是有效的 YAML：{exc}")]
    try:
        ruleset = from_data(data, articles)
    except RulesError as exc:
        return [Problem(RULES_FILE, None, "", str(exc))]
    except conditions.ConditionError as exc:
        return [Problem(RULES_FILE, None, "", str(exc))]
    sites = _ids(folder / "sites.yaml", "sites")
    contacts = _ids(folder / "contacts.yaml", "contacts")
    return list(Linter(ruleset, data, today, sites, contacts).run())


def _ids(file: Path, key: str) -> dict[str, Any] | None:
    """id -> item of a pack list file, or None when the file cannot be read."""
    if not file.is_file():
        return None
    try:
        data = yamlfile.load(file) or {}
    except yamlfile.YamlProblem:
        return None
    items = data.get(key) if isinstance(data, dict) else None
    return {str(i.get("id")): i for i in items or [] if isinstance(i, dict)}


class Linter:
    def __init__(
        self,
        ruleset: RuleSet,
        data: dict[str, Any],
        today: date,
        sites: dict[str, Any] | None,
        contacts: dict[str, Any] | None,
    ) -> None:
        self.rs = ruleset
        self.data = data
        self.today = today
        self.sites = sites
        self.contacts = contacts

    def problem(self, line: int | None, field: str, message: str, severity: str = ERROR) -> Problem:
        return Problem(RULES_FILE, line, field, message, severity)

    def run(self) -> Iterator[Problem]:
        yield from self.header()
        yield from self.params()
        yield from self.derived()
        yield from self.questions()
        yield from self.rules()
        yield from self.outcomes()
        yield from self.places()
        yield from self.articles()

    # --- pieces ------------------------------------------------------------------------

    def header(self) -> Iterator[Problem]:
        if not self.rs.version:
            yield self.problem(
                None, "version", "缺少规则版本号 version（结果和打印的清单上会显示）"
            )
        if not self.rs.notice:
            yield self.problem(
                None, "notice", "缺少 notice：结果页必须说明自测不是审批决定（第四十三条）"
            )
        for citation in self.rs.notice_cite:
            yield from self.citation(None, "notice_cite", citation)
        for citation in self.rs.urgent_cite:
            yield from self.citation(None, "urgent.cite", citation)
        if self.rs.urgent_when is not None:
            yield from self.condition(None, "urgent.when", self.rs.urgent_when, self.all_names())

    def params(self) -> Iterator[Problem]:
        raw = self.data.get("params") or {}
        for pid, param in self.rs.params.items():
            line = yamlfile.line_of(raw.get(pid))
            newest = param.newest()
            if newest is None:
                yield self.problem(line, f"params.{pid}", "没有任何取值行（values）")
                continue
            age = (self.today - newest.start).days
            if age > STALE_DAYS:
                yield self.problem(
                    line,
                    f"params.{pid}",
                    f"“{param.name}”最新一行从 {newest.start:%Y-%m-%d} 起执行，已超过12个月"
                    f"（{age}天）。请确认标准是否已调整；调整了就加一行新的 from 日期。",
                    WARNING,
                )
            rows = (raw.get(pid) or {}).get("values") or []
            for row, value in zip(rows, sorted(param.values, key=lambda v: v.start), strict=False):
                row_line = yamlfile.line_of(row) or line
                if not value.source:
                    yield self.problem(
                        row_line, f"params.{pid}.source", "每个取值都要写出处（source）"
                    )
                if not value.verified:
                    yield self.problem(
                        row_line,
                        f"params.{pid}",
                        f"{value.start:%Y-%m-%d} 起的 {value.value} 标记为待核实"
                        "（verified: false），上线前请区法律援助中心确认",
                        WARNING,
                    )

    def derived(self) -> Iterator[Problem]:
        known = set(self.rs.fact_names) | set(self.rs.params) | set(self.rs.derived)
        for name, text in self.rs.derived.items():
            for used in conditions.formula_names(text):
                if used not in known:
                    yield self.problem(
                        None, f"derived.{name}", f"公式用到了未知的名称“{used}”（未知事实）"
                    )

    def all_names(self) -> set[str]:
        return set(self.rs.fact_names) | set(self.rs.params) | set(self.rs.derived)

    def _derived_inputs(self, name: str, seen: set[str] | None = None) -> set[str]:
        seen = seen if seen is not None else set()
        if name in seen:
            return set()
        seen.add(name)
        found = set()
        for used in conditions.formula_names(self.rs.derived[name]):
            if used in self.rs.derived:
                found |= self._derived_inputs(used, seen)
            else:
                found.add(used)
        return found

    def questions(self) -> Iterator[Problem]:
        seen: set[str] = set()
        for question in self.rs.questions:
            field = f"questions.{question.id}"
            if question.id in seen:
                yield self.problem(question.line, field, f"问题 id“{question.id}”重复")
            if question.type == "choice" and not question.options:
                yield self.problem(question.line, field, "选择题没有选项（options）")
            values = [o.value for o in question.options]
            if len(values) != len(set(map(str, values))):
                yield self.problem(question.line, field, "选项的 value 有重复")
            for option in question.options:
                for citation in option.cite:
                    yield from self.citation(question.line, f"{field}.{option.value}", citation)
                for doc in option.evidence:
                    if doc not in self.rs.documents:
                        yield self.problem(
                            question.line,
                            f"{field}.{option.value}",
                            f"材料“{doc}”没有在 documents 中定义",
                        )
            # ask_if may use only what is known before this question is asked
            earlier = set(seen) | set(self.rs.params)
            earlier |= {d for d in self.rs.derived if self._derived_inputs(d) <= earlier}
            for condition, where in [(question.ask_if, "ask_if")] + [
                (c, "text_when") for c, _ in question.text_when
            ]:
                if condition is None:
                    continue
                for used in set(conditions.names_in(condition)):
                    if used in earlier:
                        continue
                    later = used in self.all_names()
                    yield self.problem(
                        question.line,
                        f"{field}.{where}",
                        f"用到了“{used}”，但它在这个问题之前还没有问到"
                        if later
                        else f"用到了未知的名称“{used}”（未知事实）",
                    )
                for message in conditions.problems_in(condition):
                    yield self.problem(question.line, f"{field}.{where}", message)
            seen.add(question.id)

    def condition(
        self, line: int | None, field: str, condition: Any, names: set[str]
    ) -> Iterator[Problem]:
        for message in conditions.problems_in(condition):
            yield self.problem(line, field, message)
        for used in sorted(set(conditions.names_in(condition))):
            if used not in names:
                yield self.problem(
                    line,
                    field,
                    f"条件用到了未知的名称“{used}”（未知事实）；可用：{'、'.join(sorted(names))}",
                )
        yield from self.values(line, field, condition)

    def values(self, line: int | None, field: str, condition: Any) -> Iterator[Problem]:
        """Values compared with a choice or yes/no question must be among its answers."""
        if not isinstance(condition, dict):
            return
        for key, expected in condition.items():
            if key in ("all", "any"):
                for item in expected or []:
                    yield from self.values(line, field, item)
                continue
            if key == "not":
                yield from self.values(line, field, expected)
                continue
            question = self.rs.question(str(key))
            if question is None or question.type == "number" or isinstance(expected, dict):
                continue
            listed = expected if isinstance(expected, list) else [expected]
            allowed = question.allowed()
            for value in listed:
                if value is not None and value not in allowed:
                    shown = "、".join(str(a) for a in allowed)
                    yield self.problem(
                        line, field, f"“{key}”没有“{value}”这个答案（可用：{shown}）"
                    )

    def citation(self, line: int | None, field: str, citation: Citation) -> Iterator[Problem]:
        if citation.law not in self.rs.laws:
            yield self.problem(line, field, f"法律编号“{citation.law}”没有在 laws 中定义")
        elif self.rs.article(citation) is None:
            yield self.problem(
                line,
                field,
                f"引用了 {citation.law}:{citation.article}，但 {ARTICLES_FILE} 中没有这一条的"
                "条文（居民点开会看不到原文）",
            )

    def rules(self) -> Iterator[Problem]:
        if not self.rs.rules:
            yield self.problem(None, "rules", "没有任何规则")
            return
        names = self.all_names()
        placeholder_names = (
            names | {f"{p}_from" for p in self.rs.params} | {f"{p}_source" for p in self.rs.params}
        )
        seen: set[str] = set()
        catch_all_at: str | None = None
        for rule in self.rs.rules:
            field = f"rules.{rule.id}"
            if catch_all_at is not None:
                yield self.problem(
                    rule.line,
                    field,
                    f"这条规则永远用不到：前面的“{catch_all_at}”已包括其余所有情况",
                )
            if rule.id in seen:
                yield self.problem(rule.line, field, f"规则 id“{rule.id}”重复")
            seen.add(rule.id)
            yield from self.condition(rule.line, f"{field}.when", rule.when, names)
            if not rule.outcome:
                yield self.problem(rule.line, field, "缺少结果（outcome）")
            elif rule.outcome not in self.rs.outcomes:
                yield self.problem(
                    rule.line, field, f"结果“{rule.outcome}”没有在 outcomes 中定义（缺少结果）"
                )
            if rule.means_test not in MEANS_TESTS:
                yield self.problem(
                    rule.line,
                    f"{field}.means_test",
                    f"“{rule.means_test}”无法识别（可用：{'、'.join(MEANS_TESTS)}）",
                )
            if not rule.explain:
                yield self.problem(rule.line, field, "缺少给居民看的理由（explain）")
            for text in rule.explain:
                for used in PLACEHOLDER.findall(text):
                    if used not in placeholder_names:
                        yield self.problem(
                            rule.line, f"{field}.explain", f"文字中的 {{{used}}} 没有对应的名称"
                        )
            for token in rule.cite:
                if token != MATTER_TOKEN:
                    yield from self.citation(rule.line, f"{field}.cite", Citation.parse(token))
            for doc in rule.documents:
                if doc != MATTER_TOKEN and doc not in self.rs.documents:
                    yield self.problem(
                        rule.line, f"{field}.documents", f"材料“{doc}”没有在 documents 中定义"
                    )
            for place in rule.places:
                if place not in self.rs.places:
                    yield self.problem(
                        rule.line, f"{field}.places", f"地点“{place}”没有在 places 中定义"
                    )
            for alt in rule.alternatives:
                if alt not in self.rs.alternatives:
                    yield self.problem(
                        rule.line,
                        f"{field}.alternatives",
                        f"途径“{alt}”没有在 alternatives 中定义",
                    )
            if not rule.when:
                catch_all_at = rule.id
        if catch_all_at is None:
            last = self.rs.rules[-1]
            yield self.problem(
                last.line,
                "rules",
                "最后一条规则应是“其余情况”（when: {}），否则有的回答会没有结果",
            )

    def outcomes(self) -> Iterator[Problem]:
        for oid in OUTCOMES:
            if oid not in self.rs.outcomes:
                yield self.problem(None, f"outcomes.{oid}", f"缺少结果“{oid}”的文字（缺少结果）")
        for oid, outcome in self.rs.outcomes.items():
            if oid not in OUTCOMES:
                yield self.problem(
                    None,
                    f"outcomes.{oid}",
                    f"终端只认识三种结果（{'、'.join(OUTCOMES)}），“{oid}”无法显示",
                )
            if not outcome.summary:
                yield self.problem(None, f"outcomes.{oid}", "缺少说明文字（summary）")
            for place in outcome.places:
                if place not in self.rs.places:
                    yield self.problem(
                        None, f"outcomes.{oid}.places", f"地点“{place}”没有在 places 中定义"
                    )
            for alt in outcome.alternatives:
                if alt not in self.rs.alternatives:
                    yield self.problem(
                        None,
                        f"outcomes.{oid}.alternatives",
                        f"途径“{alt}”没有在 alternatives 中定义",
                    )

    def places(self) -> Iterator[Problem]:
        for place in self.rs.places.values():
            field = f"places.{place.id}"
            if place.site and place.site != "station" and self.sites is not None:
                site = self.sites.get(place.site)
                if site is None:
                    yield self.problem(
                        None, field, f"站点“{place.site}”不在 sites.yaml 中，地址无法显示", WARNING
                    )
                elif place.window and place.window not in {
                    str(w.get("id")) for w in site.get("windows") or [] if isinstance(w, dict)
                }:
                    yield self.problem(
                        None, field, f"站点“{place.site}”没有窗口“{place.window}”", WARNING
                    )
        for alt in self.rs.alternatives.values():
            if alt.contact and self.contacts is not None and alt.contact not in self.contacts:
                yield self.problem(
                    None,
                    f"alternatives.{alt.id}",
                    f"联系方式“{alt.contact}”不在 contacts.yaml 中",
                    WARNING,
                )
            if alt.site and self.sites is not None and alt.site not in self.sites:
                yield self.problem(
                    None, f"alternatives.{alt.id}", f"站点“{alt.site}”不在 sites.yaml 中", WARNING
                )

    def articles(self) -> Iterator[Problem]:
        for (law, number), article in self.rs.articles.items():
            if not article.text.strip():
                yield Problem(ARTICLES_FILE, None, f"{law}:{number}", "条文内容是空的")
            if law not in self.rs.laws:
                yield Problem(
                    ARTICLES_FILE,
                    None,
                    f"{law}:{number}",
                    f"法律编号“{law}”没有在 rules.yaml 的 laws 中定义",
                )


def lint_cases(folder: Path, today: date | None = None) -> list[Problem]:
    """Run the pack's own case table; each failing case is an error."""
    from kiosk.eligibility.cases import CasesError, run_file
    from kiosk.eligibility.rules import load_folder

    folder = Path(folder)
    if not (folder / CASES_FILE).is_file() or not (folder / RULES_FILE).is_file():
        return []
    try:
        ruleset = load_folder(folder)
        runs = run_file(ruleset, folder / CASES_FILE, today or clock.today())
    except (RulesError, CasesError) as exc:
        return [Problem(CASES_FILE, None, "", str(exc))]
    return [
        Problem(
            CASES_FILE,
            run.case.row,
            run.case.case_id,
            f"案例“{run.case.description or run.case.case_id}”不符合预期："
            + "；".join(run.failures),
        )
        for run in runs
        if not run.passed
    ]


@check("法律援助自测规则")
def check_rules(folder: Path) -> list[Problem]:
    return lint_folder(folder)


@check("法律援助自测案例表")
def check_cases(folder: Path) -> list[Problem]:
    if any(p.severity == ERROR for p in lint_folder(folder)):
        return []  # the rule file's own errors say it better
    return lint_cases(folder)
