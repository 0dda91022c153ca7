"""The 统计表 as files: an XLSX a centre hands in as is, a CSV of the same tables, or JSON.

`sheets(summary)` lays the summary out as tables (title, then rows); XLSX and CSV both write
those tables, so the two never disagree.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk import clock
from kiosk.stats import events as ev
from kiosk.stats.summary import LEVEL_NAMES, Figures, Summary, minutes

Table = tuple[str, list[list[Any]]]  # sheet name, rows (first row: headers or title lines)

FEATURE_NAMES = {
    "directory": "机构查询",
    "eligibility": "法律援助自测",
    "tickets": "取号",
    "videos": "普法视频",
    "disclosure": "公示信息",
    "complaints": "投诉建议",
}
SEARCH_NAMES = {
    "site": "服务场所",
    "window": "窗口",
    "duty": "值班",
    "institution": "服务机构",
    "help": "办事指引",
    "product": "服务产品",
}


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _num(value: Any) -> Any:
    return "—" if value is None else value


def summary_rows(summary: Summary) -> list[list[Any]]:
    t, f = summary.total, summary.followups
    made = clock.now()
    rows: list[list[Any]] = [
        [summary.title],
        [
            f"统计期间：{summary.quarter.start:%Y年%m月%d日}至{summary.quarter.end:%Y年%m月%d日}"
            f"　　站点：{summary.site}　　制表时间：{made:%Y-%m-%d %H:%M}"
        ],
        [],
        ["类别", "项目", "数值", "说明"],
        ["服务量", "自助终端访问人次", t.n(ev.VISIT), "居民在首页点选一项服务即计一次"],
        ["服务量", "功能使用次数", t.n(ev.FEATURE), "见“功能与查询”表"],
        ["服务量", "查询次数", t.n(ev.SEARCH), "按查询结果类别计，不记录查询内容"],
        ["服务量", "法律援助自测次数", t.n(ev.ELIGIBILITY), ""],
        ["取号排队", "取号数", t.n(ev.TICKET_ISSUED), ""],
        ["取号排队", "叫号数", t.n(ev.TICKET_CALLED), ""],
        ["取号排队", "办结数", t.n(ev.TICKET_SERVED), ""],
        ["取号排队", "过号（未到）数", t.n(ev.TICKET_NO_SHOW), ""],
        ["取号排队", "等候时间中位数（分钟）", _num(minutes(t.wait, 0.5)), "取号到叫号"],
        ["取号排队", "等候时间90%分位（分钟）", _num(minutes(t.wait, 0.9)), ""],
        ["取号排队", "办理时间中位数（分钟）", _num(minutes(t.service, 0.5)), "叫号到办结"],
        ["取号排队", "办理时间90%分位（分钟）", _num(minutes(t.service, 0.9)), ""],
        ["好差评", "评价总数", t.ratings, "一次一评"],
        ["好差评", "其中自助终端评价", t.n(ev.RATING), ""],
        ["好差评", "其中窗口评价器评价", t.n(ev.RATING_WINDOW), ""],
    ]
    rows += [["好差评", name, t.levels[level], ""] for level, name in LEVEL_NAMES.items()]
    rows += [
        ["好差评", "满意率", _pct(t.satisfaction_rate), "（非常满意+满意+基本满意）÷评价总数"],
        ["差评整改", "差评数", f.bad_ratings, "不满意、非常不满意"],
        ["差评整改", "差评待回访", f.bad_ratings_open, ""],
        ["差评整改", "回访整改率", _pct(f.rate), "差评及投诉建议中已回访、已整改、申诉的比例"],
        ["差评整改", "逾期未回访", _num(f.overdue), "超过回访期限仍待回访"],
        ["投诉建议", "投诉建议数", f.complaints, "见“功能与查询”表的分类"],
        ["设备运行", "运行时长（小时）", round(t.uptime_seconds / 3600, 1), ""],
        ["设备运行", "打印故障次数", t.n(ev.PRINTER_FAULT), ""],
    ]
    return rows


def _figure_row(label: str, fig: Figures, with_visits: bool) -> list[Any]:
    row: list[Any] = [label]
    if with_visits:
        row += [fig.n(ev.VISIT), fig.n(ev.FEATURE), fig.n(ev.SEARCH), fig.n(ev.ELIGIBILITY)]
    row += [
        fig.n(ev.TICKET_ISSUED),
        fig.n(ev.TICKET_CALLED),
        fig.n(ev.TICKET_SERVED),
        fig.n(ev.TICKET_NO_SHOW),
        _num(minutes(fig.wait, 0.5)),
        _num(minutes(fig.wait, 0.9)),
        _num(minutes(fig.service, 0.5)),
        _num(minutes(fig.service, 0.9)),
        fig.ratings,
        _pct(fig.satisfaction_rate),
        fig.bad,
    ]
    if with_visits:
        row += [fig.n(ev.COMPLAINT), fig.n(ev.PRINTER_FAULT), round(fig.uptime_seconds / 3600, 1)]
    return row


QUEUE_HEADERS = [
    "取号",
    "叫号",
    "办结",
    "过号",
    "等候中位数（分钟）",
    "等候90%分位（分钟）",
    "办理中位数（分钟）",
    "办理90%分位（分钟）",
    "评价数",
    "满意率",
    "差评",
]


def sheets(summary: Summary) -> list[Table]:
    month_head = ["月份", "访问人次", "功能使用", "查询", "法援自测", *QUEUE_HEADERS]
    month_head += ["投诉建议", "打印故障", "运行小时"]
    months = [month_head] + [
        _figure_row(f"{m[:4]}年{int(m[5:])}月", fig, True) for m, fig in summary.months.items()
    ]
    services = [["业务", *QUEUE_HEADERS]] + [
        _figure_row(summary.service_names.get(key, key), fig, False)
        for key, fig in summary.services.items()
    ]
    counters = [["窗口", *QUEUE_HEADERS]] + [
        _figure_row(key if not key.isdigit() else f"{key}号窗口", fig, False)
        for key, fig in summary.counters.items()
    ]
    details: list[list[Any]] = [["类别", "项目", "次数"]]
    named: list[tuple[str, str, dict[str, str] | Callable[[str], str]]] = [
        (ev.FEATURE, "功能使用", FEATURE_NAMES),
        (ev.SEARCH, "查询（按结果类别）", SEARCH_NAMES),
        (ev.ELIGIBILITY, "法律援助自测结果", {}),
        (ev.COMPLAINT, "投诉建议分类", {}),
        (ev.PRINTER_FAULT, "打印故障原因", {}),
    ]
    for kind, label, names in named:
        for subject, count in sorted(summary.total.by_subject.get(kind, {}).items()):
            shown = names.get(subject, subject) if isinstance(names, dict) else names(subject)
            details.append([label, shown, count])
    return [
        ("汇总", summary_rows(summary)),
        ("按月", months),
        ("按业务", services),
        ("按窗口", counters),
        ("功能与查询", details),
    ]


def write_xlsx(summary: Summary, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    for name, rows in sheets(summary):
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        header_row = 4 if name == "汇总" else 1
        if name == "汇总":
            sheet["A1"].font = Font(bold=True, size=16)
            width = len(rows[header_row - 1])
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
            sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
            sheet["A1"].alignment = Alignment(horizontal="center")
        for cell in sheet[header_row]:
            cell.font = bold
            cell.fill = head_fill
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
        for column in sheet.iter_cols(min_row=header_row):
            longest = max((_width(c.value) for c in column), default=8)
            sheet.column_dimensions[column[0].column_letter].width = min(40, max(8, longest + 2))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    book.save(tmp)
    tmp.replace(path)
    return path


def _width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def write_csv(summary: Summary, path: Path) -> Path:
    """All tables in one UTF-8 (with BOM, for Excel) CSV, each under a line with its name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        for index, (name, rows) in enumerate(sheets(summary)):
            if index:
                writer.writerow([])
            writer.writerow([f"【{name}】"])
            writer.writerows(rows)
    tmp.replace(path)
    return path


def write_json(summary: Summary, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(summary.as_json(), ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)
    return path
