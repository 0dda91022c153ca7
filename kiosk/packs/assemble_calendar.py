"""The assembler's calendar and duty rosters: holidays, 调休 workdays, who is on duty."""

from __future__ import annotations

from datetime import date
from typing import Any

from kiosk.packs import model
from kiosk.packs import values as v
from kiosk.packs.assemble_base import AssemblerBase
from kiosk.packs.sourcefields import (
    CALENDAR,
    DUTY,
    HOLIDAY,
)
from kiosk.packs.sourcereader import take
from kiosk.packs.values import UNVERIFIED, Bad
from kiosk.packs.yamlpos import MAP, SCALAR, SEQ, Node


class CalendarParts(AssemblerBase):
    def calendar(self) -> model.Calendar:
        file = "calendar.yaml"
        if not (self.folder / file).is_file():
            self.r.warn(
                file,
                None,
                "",
                "没有 calendar.yaml：终端不知道法定节假日和调休，会按星期显示开放时间",
            )
            return model.Calendar()
        root = self.r.yaml(file)
        if root is None:
            return model.Calendar()
        item = self.r.item(file, root, CALENDAR, "日历", skip=("holidays", "workdays"))
        if item is None:
            return model.Calendar()
        names: dict[date, str] = {}
        lines: dict[date, int] = {}
        for entry in self._entries(file, root.get("holidays"), "holidays"):
            if entry.kind == SCALAR:
                day = self._day(file, entry, "holidays")
                if day:
                    names[day], lines[day] = "", entry.line
                continue
            sub = self.r.item(file, entry, HOLIDAY, "放假安排")
            if sub is None:
                continue
            first = sub.values.get("from") or sub.values.get("date")
            last = sub.values.get("to") or first
            if first is None:
                if sub.ok:
                    self.r.error(
                        file, sub.line, "from", "放假安排要写 date（一天）或 from 和 to（几天）"
                    )
                continue
            if last < first:
                self.r.error(file, sub.at("to"), "to", "结束日期早于开始日期")
                continue
            if (last - first).days > 31:
                self.r.error(file, sub.at("to"), "to", "一次放假超过一个月，请检查日期")
                continue
            day = first
            while day <= last:
                names[day], lines[day] = sub.values.get("name", ""), sub.line
                day = date.fromordinal(day.toordinal() + 1)
        workdays: dict[date, int] = {}
        for entry in self._entries(file, root.get("workdays"), "workdays"):
            node = entry.get("date") if entry.kind == MAP else entry
            if node is None:
                self.r.error(file, entry.line, "workdays", "调休上班日要写 date")
                continue
            day = self._day(file, node, "workdays")
            if day is None:
                continue
            workdays[day] = node.line
            if day in names:
                self.r.error(
                    file,
                    node.line,
                    "workdays",
                    f"{day} 既是放假日（第 {lines[day]} 行）又是调休上班日，请改正其中一个",
                )
            elif day.weekday() < 5:
                self.r.warn(
                    file,
                    node.line,
                    "workdays",
                    f"{day} 是{model.WEEKDAY_NAMES[day.weekday()]}，本来就上班；"
                    "调休上班日通常是周末",
                )
        years = tuple(item.values.get("years", ()))
        if not years:
            years = tuple(sorted({d.year for d in [*names, *workdays]}))
        for day, line in [*lines.items(), *workdays.items()]:
            if day.year not in years:
                self.r.error(file, line, "years", f"{day} 不在 years 列出的年份（{years}）里")
                break
        status = item.values.get("status", "")
        if UNVERIFIED in status:
            self.r.warn(
                file,
                item.at("status"),
                "status",
                "节假日安排尚未核对：请对照国务院办公厅当年的放假通知逐日核对，"
                "核对后把 status 改为“已核对”",
            )
        for year in sorted(
            {self.r.today.year} | ({self.r.today.year + 1} if self.r.today.month == 12 else set())
        ):
            if year not in years:
                self.r.warn(
                    file,
                    None,
                    "years",
                    f"还没有填写 {year} 年的节假日和调休安排：终端会把节日当作普通日子显示开放；"
                    "国务院办公厅通知发布后请尽快补上",
                )
        return model.Calendar(
            holidays=frozenset(names),
            extra_workdays=frozenset(workdays),
            names={d: n for d, n in names.items() if n},
            years=years,
            note=status,
        )

    def _entries(self, file: str, node: Node | None, key: str) -> list[Node]:
        if node is None or node.is_null:
            return []
        if node.kind != SEQ:
            self.r.error(file, node.line, key, f"{key} 下面应当是列表，每项以“- ”开头")
            return []
        return [child for child in node.value if not child.is_null]

    def _day(self, file: str, node: Node, key: str) -> date | None:
        try:
            return v.a_date(node)
        except Bad as exc:
            self.r.error(file, node.line, key, exc.message)
            return None

    def rosters(self, sites: dict[str, Any]) -> list[model.DutyRule]:
        file = "rosters.yaml"
        read = []
        for node in self.r.list_file(file):
            item = self.r.item(file, node, DUTY, "值班规则")
            if item is None or not all(k in item.values for k in ("id", "site", "who", "pattern")):
                continue
            values = item.values
            pattern = values["pattern"]
            needs = {
                "weekly": ("weekdays",),
                "monthly": ("month_days", "nth_weekday"),
                "dates": ("dates",),
            }.get(pattern, ())
            if pattern == "monthly" and not any(values.get(k) for k in needs):
                self.r.warn(
                    file,
                    item.at("pattern"),
                    "month_days",
                    "没有写每月哪一天（month_days 或 nth_weekday），终端只能显示“每月定期”，"
                    "无法显示具体日期；日期确定后请补上",
                )
            elif needs and not any(values.get(k) for k in needs):
                fields = " 或 ".join(needs)
                self.r.error(
                    file,
                    item.at("pattern"),
                    needs[0],
                    f"重复方式是“{model.DUTY_PATTERNS[pattern]}”，还要写 {fields}"
                    f"（{'、'.join(DUTY[k].label for k in needs)}）",
                )
                continue
            if values.get("start") and values.get("end") and values["end"] < values["start"]:
                self.r.error(file, item.at("end"), "end", "结束日期早于开始日期")
            rule = model.DutyRule(**take(item, DUTY), unverified=item.unverified)
            read.append((rule, item))
        self.unique(file, "值班规则")
        return [rule for rule, _ in read]
