"""The quarterly 统计表 from a real store: XLSX read back with openpyxl, CSV and JSON."""

from __future__ import annotations

import csv
import json
from datetime import datetime

import openpyxl
import pytest

from kiosk import clock, config, stats
from kiosk.feedback import items, texts
from kiosk.stats import events, summary
from kiosk.stats.cli import export
from tests.conftest import write_config


@pytest.fixture
def settings(tmp_path):
    yield config.load(write_config(tmp_path))
    events.close_all()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=clock.timezone())


def fill(settings) -> None:
    """A small quarter: known counts, waits and ratings, plus rows that must be left out."""
    rec = stats.record
    for day, n in (("2026-10-09", 3), ("2026-11-10", 2), ("2026-12-01", 1)):
        for _ in range(n):
            rec(settings, stats.VISIT, at=at(f"{day} 10:00"))
            rec(settings, stats.TICKET_ISSUED, "center-legal-aid", at=at(f"{day} 10:00"))
    for seconds in (60, 120, 300, 600, 1200):  # waits: median 5 min
        rec(
            settings,
            stats.TICKET_CALLED,
            "center-legal-aid",
            "3",
            seconds,
            at=at("2026-10-09 11:00"),
        )
    for seconds in (600, 900):
        rec(
            settings,
            stats.TICKET_SERVED,
            "center-legal-aid",
            "3",
            seconds,
            at=at("2026-10-09 11:30"),
        )
    rec(settings, stats.TICKET_NO_SHOW, "center-legal-aid", "3", at=at("2026-10-09 11:40"))
    rec(settings, stats.SEARCH, "institution", at=at("2026-11-10 10:00"))
    rec(settings, stats.FEATURE, "directory", at=at("2026-11-10 10:00"))
    rec(settings, stats.PRINTER_FAULT, "paper_out", at=at("2026-12-01 10:00"))
    rec(settings, stats.UPTIME, value=7200, at=at("2026-12-01 12:00"))
    # Outside the quarter, and another site's row in the same file: neither counts.
    rec(settings, stats.TICKET_ISSUED, "center-legal-aid", at=at("2026-09-30 23:59"))
    rec(
        settings,
        stats.TICKET_ISSUED,
        "x",
        site="other-site",
        kiosk="k-1",
        at=at("2026-10-09 10:00"),
    )
    with clock.freeze("2026-10-12 09:00") as frozen:
        items.rate(settings, 5, channel="window", service="center-legal-aid", counter="3")
        items.rate(settings, 4)
        items.rate(settings, 3)
        late = items.rate(settings, 1, channel="window", service="center-legal-aid", counter="3")
        handled = items.rate(settings, 2, phone="13800138000")
        items.complain(settings, "服务投诉", "等候时间太长")
        items.update(settings, handled.id, texts.RECTIFIED)
        frozen.advance(days=1)
    assert late is not None


def test_xlsx_summary_a_centre_can_hand_in(settings, tmp_path):
    fill(settings)
    out = tmp_path / "out" / "2026Q4.xlsx"
    with clock.freeze("2027-01-04 09:00"):  # the 差评 of 2026-10-12 is overdue by now
        export(settings, "2026Q4", out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["汇总", "按月", "按业务", "按窗口", "功能与查询"]
    sheet = book["汇总"]
    assert sheet["A1"].value == "渝北区公共法律服务中心自助终端服务统计表（2026年第四季度）"
    assert "2026年10月01日至2026年12月31日" in sheet["A2"].value
    values = {row[1]: row[2] for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert values["取号数"] == 6 and values["自助终端访问人次"] == 6
    assert values["叫号数"] == 5 and values["办结数"] == 2 and values["过号（未到）数"] == 1
    assert values["等候时间中位数（分钟）"] == 5.0 and values["办理时间中位数（分钟）"] == 12.5
    assert values["评价总数"] == 5 and values["非常满意"] == 1 and values["非常不满意"] == 1
    assert values["满意率"] == "60.0%"  # (1 + 1 + 1) / 5
    assert values["差评数"] == 2 and values["差评待回访"] == 1
    assert values["回访整改率"] == "33.3%"  # 1 of 2 差评 + 1 complaint handled
    assert values["逾期未回访"] == 2  # the open 差评 and the open complaint
    assert values["投诉建议数"] == 1 and values["打印故障次数"] == 1
    assert values["运行时长（小时）"] == 2.0
    months = list(book["按月"].iter_rows(values_only=True))
    assert [row[0] for row in months[1:]] == ["2026年10月", "2026年11月", "2026年12月"]
    assert [row[5] for row in months[1:]] == [3, 2, 1]  # tickets issued per month
    services = list(book["按业务"].iter_rows(values_only=True))
    assert services[1][0] == "法律援助" and services[1][1:4] == (6, 5, 2)
    counters = list(book["按窗口"].iter_rows(values_only=True))
    assert counters[1][0] == "3号窗口" and counters[1][9:12] == (2, "50.0%", 1)
    details = {(r[0], r[1]): r[2] for r in book["功能与查询"].iter_rows(values_only=True)}
    assert details[("功能使用", "机构查询")] == 1
    assert details[("查询（按结果类别）", "服务机构")] == 1
    assert details[("投诉建议分类", "服务投诉")] == 1


def test_json_and_csv_say_the_same(settings, tmp_path):
    fill(settings)
    with clock.freeze("2027-01-04 09:00"):
        export(settings, "2026q4", tmp_path / "q.json")
        export(settings, "2026Q4", tmp_path / "q.txt", "csv")
    data = json.loads((tmp_path / "q.json").read_text(encoding="utf-8"))
    for key in ("quarter", "site", "tickets_issued", "tickets_served", "ratings",
                "satisfaction_rate", "bad_ratings", "bad_ratings_open", "complaints"):  # fmt: skip
        assert key in data
    assert (data["quarter"], data["site"], data["tickets_issued"]) == ("2026Q4", "yubei-center", 6)
    assert data["ratings"] == {
        "非常满意": 1,
        "满意": 1,
        "基本满意": 1,
        "不满意": 1,
        "非常不满意": 1,
    }
    assert data["satisfaction_rate"] == 0.6 and data["bad_ratings_open"] == 1
    assert data["waiting_minutes"] == {"median": 5.0, "p90": 20.0}
    with open(tmp_path / "q.txt", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["【汇总】"] and rows[1][0].endswith("（2026年第四季度）")
    assert ["取号排队", "取号数", "6", ""] in rows and ["【按窗口】"] in rows


def test_the_fleet_path_gives_the_same_numbers_from_event_dicts(settings):
    """Events read back as dicts (as from uploaded JSONL) summarize like the store does."""
    fill(settings)
    quarter = summary.Quarter.parse("2026Q4")
    rows = [r for r in stats.events_after(settings, 0, 10_000) if r["site"] == "yubei-center"]
    rows = [r for r in rows if quarter.start.isoformat() <= r["day"] <= quarter.end.isoformat()]
    from_dicts = summary.summarize(summary.tally_events(rows), quarter, "yubei-center", "中心")
    conn = events.ensure(items.open_feedback(settings))
    local = summary.tally_sqlite(conn, quarter.start, quarter.end, "yubei-center")
    from_store = summary.summarize(local, quarter, "yubei-center", "中心")
    assert from_dicts.as_json() == from_store.as_json()
    fleet = from_dicts.as_json()
    # Without the kiosk's items, follow-up comes from events: 1 of 2 差评 closed; overdue unknown.
    assert (fleet["bad_ratings"], fleet["bad_ratings_open"], fleet["overdue"]) == (2, 1, None)


def test_a_quarter_must_be_written_like_2026Q4():
    assert summary.Quarter.parse("2026Q1").end.isoformat() == "2026-03-31"
    assert summary.Quarter.parse("2024-q1").months == ["2024-01", "2024-02", "2024-03"]
    with pytest.raises(summary.QuarterError, match="2026Q4"):
        summary.Quarter.parse("2026-12")
