"""Whatever staff put in the files, validation answers with problems, never a traceback.

Each generated input goes through the real validation of a real folder. Besides "no
exception", the tests require that no problem is our own internal-error safety net: that net
exists for users, but in tests it would hide bugs.
"""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date, datetime, time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.packs.validate import validate
from tests.unit.test_pack_validate import BASE, TODAY, write_pack

FUZZ = settings(
    max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
KEYS = sorted(
    {
        "id",
        "name",
        "level",
        "parent",
        "phone",
        "hours",
        "windows",
        "services",
        "site",
        "prefix",
        "daily_cap",
        "priority",
        "bring",
        "pattern",
        "weekdays",
        "month_days",
        "nth_weekday",
        "dates",
        "start",
        "end",
        "review_due",
        "file",
        "title",
        "class",
        "kind",
        "url",
        "周一至周五",
        "备注",
        "<<",
        "sites",
        "holidays",
        "workdays",
        "years",
    }
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.text(max_size=20),
    st.sampled_from(
        [
            "09:00-12:00",
            "25:00-26:00",
            "周一至周五",
            "周三",
            "第一个周三",
            "待核实",
            "center",
            "station",
            "2026-02-30",
            "023-1234567",
            "每周",
            "每月",
            "是",
            "A",
            "http://x",
            "media/map.png",
            "../../etc/passwd",
        ]
    ),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=5), children, max_size=5)
    ),
    max_leaves=25,
)
FILES = [
    "pack.yaml",
    "sites.yaml",
    "services.yaml",
    "products.yaml",
    "rosters.yaml",
    "calendar.yaml",
    "contacts.yaml",
    "notices.yaml",
    "videos.yaml",
    "legal_aid/rules.yaml",
    "pages/center/duties.md",
]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path


def fresh(folder: Path) -> Path:
    target = folder / "src"
    if target.exists():
        shutil.rmtree(target)
    return write_pack(target, BASE)


def assert_answers_with_problems(pack: Path) -> None:
    report = validate(pack, TODAY)  # must not raise
    internal = [p for p in report.problems if "内部出错" in p.message or "自身出错" in p.message]
    assert internal == [], [str(p) for p in internal]
    for problem in report.problems:
        assert problem.file is not None and problem.message
        assert problem.line is None or problem.line >= 1


@FUZZ
@given(
    name=st.sampled_from(FILES),
    data=VALUES,
    wrap=st.sampled_from(["", "sites", "services", "duty", "contacts"]),
)
def test_any_yaml_structure(folder, name, data, wrap):
    pack = fresh(folder)
    document = {wrap: data} if wrap else data
    try:
        text = yaml.safe_dump(document, allow_unicode=True)
    except yaml.YAMLError:
        return
    if name.endswith(".md"):
        text = f"---\n{text}---\n正文 [链接](x/../../y.png)\n"
    (pack / name).parent.mkdir(parents=True, exist_ok=True)
    (pack / name).write_text(text, encoding="utf-8")
    assert_answers_with_problems(pack)


@FUZZ
@given(name=st.sampled_from(FILES), text=st.text(max_size=300))
def test_any_text(folder, name, text):
    pack = fresh(folder)
    (pack / name).parent.mkdir(parents=True, exist_ok=True)
    (pack / name).write_text(text, encoding="utf-8", errors="surrogatepass")
    assert_answers_with_problems(pack)


@FUZZ
@given(
    name=st.sampled_from([*FILES, "institutions.csv", "institutions.xlsx"]),
    data=st.binary(max_size=300),
)
def test_any_bytes(folder, name, data):
    pack = fresh(folder)
    (pack / name).parent.mkdir(parents=True, exist_ok=True)
    (pack / name).write_bytes(data)
    assert_answers_with_problems(pack)


@FUZZ
@given(
    name=st.sampled_from(FILES),
    cut=st.integers(0, 2000),
    insert=st.sampled_from(
        ["\t", ":", "- ", '"', "'", "[", "{", "&a ", "*a", "\n  ", "待核实", "\x00"]
    ),
)
def test_edits_of_valid_files(folder, name, cut, insert):
    pack = fresh(folder)
    path = pack / name
    if not path.exists():
        return
    text = path.read_text(encoding="utf-8")
    cut %= len(text) + 1
    path.write_text(text[:cut] + insert + text[cut:], encoding="utf-8")
    assert_answers_with_problems(pack)


CELLS = st.one_of(
    st.none(),
    st.text(max_size=15),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=date(1900, 1, 1)),
    st.datetimes(min_value=datetime(1900, 1, 1)),
    st.times(),
    st.sampled_from(
        ["编号", "名称", "类别", "电话", "所属站点", "律所", "center", "待核实", "12348"]
    ),
)
HEADERS = st.lists(
    st.sampled_from(
        [
            "编号",
            "名称",
            "类别",
            "电话",
            "地址",
            "所属站点",
            "id",
            "name",
            "kind",
            "复核日期",
            "备注",
            "?",
        ]
    )
    | st.text(max_size=6),
    max_size=8,
)


@FUZZ
@given(header=HEADERS, rows=st.lists(st.lists(CELLS, max_size=9), max_size=8))
def test_any_spreadsheet_as_csv(folder, header, rows):
    pack = fresh(folder)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if c is None else str(c) for c in row])
    (pack / "institutions.csv").write_text(buffer.getvalue(), encoding="utf-8")
    assert_answers_with_problems(pack)


def _clean(value: object) -> object:
    """openpyxl refuses control characters in text; staff's Excel cannot hold them either."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n")
    if isinstance(value, time) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


@FUZZ
@given(header=HEADERS, rows=st.lists(st.lists(CELLS, max_size=9), max_size=8))
def test_any_spreadsheet_as_xlsx(folder, header, rows):
    from openpyxl import Workbook

    pack = fresh(folder)
    (pack / "institutions.csv").unlink()
    book = Workbook()
    sheet = book.active
    sheet.append([_clean(h) for h in header])
    for row in rows:
        sheet.append([_clean(c) for c in row])
    book.save(pack / "institutions.xlsx")
    assert_answers_with_problems(pack)
