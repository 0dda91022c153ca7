"""Institutions kept as CSV or XLSX give the same pack and the same problems; value parsing."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.packs import values
from kiosk.packs.validate import validate
from kiosk.packs.yamlpos import SCALAR, Node
from tests.unit.test_pack_validate import BASE, TODAY, write_pack

HEADER = ["编号", "名称", "类别", "电话", "地址", "所属站点", "生效日期", "下次复核日期", "备注"]
ROWS = [
    [
        "i1",
        "渝北区某法律援助工作站",
        "法律援助机构",
        "待核实",
        "某路（待核实）",
        "center",
        "",
        "2027-01-01",
        "内部备注",
    ],
    ["i2", "某公证处", "公证机构", 12348, "", "", "", "2025-06-30", ""],  # overdue: a warning
    ["i3", "某律师事务所", "律所", "023-6781234", "", "centre", "", "", ""],  # unknown site
    ["i3", "重复编号", "律师事务所", "", "", "", "2026-13-01", "", ""],  # duplicate, bad date
    ["", "", "", "", "", "", "", "", ""],  # blank row: skipped, still counted
    ["i5", "某司法鉴定所", "鉴定所", "8888", "", "", "", "", ""],  # unknown kind, bad phone
]
XLSX_ROWS = [
    [
        "i1",
        "渝北区某法律援助工作站",
        "法律援助机构",
        "待核实",
        "某路（待核实）",
        "center",
        None,
        datetime(2027, 1, 1),
        "内部备注",
    ],
    ["i2", "某公证处", "公证机构", 12348, None, None, None, date(2025, 6, 30), None],
    ["i3", "某律师事务所", "律所", "023-6781234", None, "centre", None, None, None],
    ["i3", "重复编号", "律师事务所", None, None, None, "2026-13-01", None, None],
    [None] * 9,
    ["i5", "某司法鉴定所", "鉴定所", 8888.0, None, None, None, None, None],
]


def as_csv(rows: list[list[object]], header: list[str] = HEADER) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([["" if c is None else c for c in row] for row in rows])
    return buffer.getvalue()


def save_xlsx(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "机构名录"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)


def report_for(tmp_path: Path, name: str, writer) -> tuple[list, list]:
    folder = write_pack(tmp_path / name, {k: v for k, v in BASE.items() if k != "institutions.csv"})
    file = writer(folder)
    report = validate(folder, TODAY)
    problems = sorted(
        (p.line, p.field, p.message, p.severity) for p in report.problems if p.file == file
    )
    institutions = sorted(report.pack.institutions, key=lambda i: i.id) if report.pack else []
    return problems, institutions


def test_csv_and_xlsx_give_the_same_result(tmp_path):
    def csv_writer(folder: Path) -> str:
        (folder / "institutions.csv").write_text(as_csv(ROWS), encoding="utf-8")
        return "institutions.csv"

    def xlsx_writer(folder: Path) -> str:
        save_xlsx(folder / "institutions.xlsx", XLSX_ROWS)
        return "institutions.xlsx"

    csv_problems, csv_items = report_for(tmp_path, "csv", csv_writer)
    xlsx_problems, xlsx_items = report_for(tmp_path, "xlsx", xlsx_writer)
    assert csv_problems == xlsx_problems
    assert csv_items == xlsx_items
    lines = {(line, field) for line, field, _, _ in csv_problems}
    assert {(3, "下次复核日期"), (4, "所属站点"), (5, "编号"), (5, "生效日期")} <= lines
    assert {(7, "类别"), (7, "电话")} <= lines
    assert [i.id for i in csv_items] == ["i1", "i2", "i3", "i3"]  # i5 has an unknown kind
    assert csv_items[1].phone == "12348"  # a number cell reads as the digits, not 12348.0
    assert csv_items[0].unverified == ("phone", "address")


def test_gbk_csv_from_chinese_excel_is_read(tmp_path):
    folder = write_pack(tmp_path / "gbk", BASE)
    (folder / "institutions.csv").write_bytes(as_csv(ROWS[:2]).encode("gbk"))
    report = validate(folder, TODAY)
    assert [i.name for i in report.pack.institutions] == ["渝北区某法律援助工作站", "某公证处"]


def test_english_headers_work_too(tmp_path):
    folder = write_pack(tmp_path / "en", BASE)
    header = ["id", "name", "kind", "phone"]
    (folder / "institutions.csv").write_text(
        as_csv([["a", "甲", "law_firm", "023-12345678"]], header), encoding="utf-8"
    )
    report = validate(folder, TODAY)
    assert report.ok and report.pack.institutions[0].kind == "law_firm"


def test_both_spreadsheets_present_is_an_error(tmp_path):
    folder = write_pack(tmp_path / "both", BASE)
    save_xlsx(folder / "institutions.xlsx", XLSX_ROWS[:1])
    report = validate(folder, TODAY)
    assert any("只能保留一个" in p.message for p in report.errors)


TEXT_CELLS = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=12),
    st.sampled_from(["i1", "center", "律所", "公证机构", "023-12345678", "待核实", "2026-01-01"]),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(TEXT_CELLS, min_size=9, max_size=9), max_size=6))
def test_csv_and_xlsx_agree_on_any_text_table(tmp_path_factory, rows):
    tmp_path = tmp_path_factory.mktemp("agree")
    # a cell with only spaces or starting with "=" means something else to Excel; staff's
    # Excel shows exactly what the CSV holds otherwise
    rows = [[c if c.strip() and not c.startswith("=") else "" for c in row] for row in rows]

    def csv_writer(folder: Path) -> str:
        (folder / "institutions.csv").write_text(as_csv(rows), encoding="utf-8")
        return "institutions.csv"

    def xlsx_writer(folder: Path) -> str:
        save_xlsx(folder / "institutions.xlsx", [[c or None for c in row] for row in rows])
        return "institutions.xlsx"

    assert report_for(tmp_path, "c", csv_writer) == report_for(tmp_path, "x", xlsx_writer)


# --- values ---------------------------------------------------------------------------------


def node(text: str) -> Node:
    return Node(SCALAR, text, 1)


@pytest.mark.parametrize(
    "text",
    [
        "023-67891234",
        "02367891234",
        "13812345678",
        "12348",
        "400-123-4567",
        "023-6789123转801",
        "０２３－６７８９１２３４",
        "023-67891234、12348",
        "待核实",
        "110",
    ],
)
def test_phones_accepted(text):
    assert values.phone(node(text)) == text


@pytest.mark.parametrize(
    "text", ["123", "023-123", "6789", "1381234567", "电话", "12-34", "67891234"]
)
def test_phones_refused(text):
    with pytest.raises(values.Bad):
        values.phone(node(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01", date(2026, 3, 1)),
        ("2026/3/1", date(2026, 3, 1)),
        ("2026年3月1日", date(2026, 3, 1)),
        ("２０２６－０３－０１", date(2026, 3, 1)),
    ],
)
def test_dates(text, expected):
    assert values.a_date(node(text)) == expected


@pytest.mark.parametrize("text", ["2026-02-30", "明天", "26-3-1", "2026-3"])
def test_bad_dates(text):
    with pytest.raises(values.Bad, match="2026-03-01"):
        values.a_date(node(text))


def test_intervals_and_days():
    assert values.parse_intervals("９：００－１２：００，14:00-17:30") == (
        (time(9), time(12)),
        (time(14), time(17, 30)),
    )
    assert values.parse_intervals("休息") == ()
    assert values.parse_intervals("08:00-24:00") == ((time(8), time(23, 59, 59)),)
    for bad in ("9-12", "09:00-08:00", "09:00-12:00,11:00-13:00", "25:00-26:00"):
        with pytest.raises(values.Bad):
            values.parse_intervals(bad)
    assert values.parse_days("周一至周五") == (0, 1, 2, 3, 4)
    assert values.parse_days("星期六、星期日") == (5, 6)
    assert values.parse_days("工作日") == (0, 1, 2, 3, 4)
    with pytest.raises(values.Bad, match="反了"):
        values.parse_days("周五至周一")


def test_notice_end_date_means_the_end_of_that_day():
    assert values.end_datetime(node("2026-02-10")) == datetime(2026, 2, 11)
    assert values.a_datetime(node("2026-02-10 9:30")) == datetime(2026, 2, 10, 9, 30)


def test_nth_weekday_forms():
    assert values.nth_weekday(node("第一个周三")) == (1, 2)
    assert values.nth_weekday(node("最后一个周五")) == (-1, 4)
    with pytest.raises(values.Bad):
        values.nth_weekday(node("第五个周三"))
