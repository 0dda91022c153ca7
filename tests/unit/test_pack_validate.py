"""Validation: one table row per kind of mistake, each found with its file, line and field."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from kiosk.packs import problems as registry
from kiosk.packs.problems import ERROR, WARNING, Problem
from kiosk.packs.validate import validate
from tests.conftest import CONTENT

TODAY = date(2026, 11, 27)

BASE = {
    "pack.yaml": "id: test\nname: 测试内容包\n",
    "sites.yaml": """\
sites:
  - id: center
    name: 测试中心
    level: center
    phone: 023-12345678
    hours:
      周一至周五: "09:00-12:00, 14:00-17:30"
      周六: 休息
    services: [consultation, legal_aid]
    windows:
      - {id: w1, name: 窗口一, services: [s1]}
      - {id: w2, name: 窗口二}
    map_image: media/map.png
    review_due: 2027-06-30
  - id: station
    name: 测试工作站
    level: station
    parent: center
    phone: 待核实
  - id: room
    name: 测试工作室
    level: room
    parent: station
""",
    "services.yaml": """\
services:
  - id: s1
    site: center
    name: 法律咨询
    prefix: A
    windows: [w1]
    daily_cap: 50
    priority: 是
    priority_groups: [老年人]
    bring: [身份证]
  - id: s2
    site: center
    name: 法律援助
    prefix: B
    windows: [w2]
""",
    "institutions.csv": (
        "编号,名称,类别,电话,所属站点,下次复核日期\n"
        "i1,某法律援助工作站,法律援助机构,待核实,center,2027-01-01\n"
        "i2,某公证处,公证机构,023-87654321,,\n"
    ),
    "products.yaml": """\
products:
  - id: p1
    class: 公证类
    name: 继承公证
    type: 公证
    purchase: 免费
    audience: 群众
    provider: 公证处
    content: 办理继承公证
    standard: 十五个工作日
""",
    "rosters.yaml": """\
duty:
  - id: d1
    site: station
    who: 值班律师
    pattern: 每周
    weekdays: 周三
""",
    "calendar.yaml": """\
years: [2026]
holidays:
  - {name: 国庆节, from: 2026-10-01, to: 2026-10-07}
workdays:
  - 2026-10-10
""",
    "contacts.yaml": """\
contacts:
  - id: h
    name: 12348热线
    kind: 热线
    phone: "12348"
""",
    "notices.yaml": """\
notices:
  - id: n1
    title: 通知
    start: 2026-11-01
    end: 2026-12-31
""",
    "videos.yaml": """\
videos:
  - id: v1
    title: 普法视频
    file: media/v1.mp4
""",
    "pages/center/duties.md": (
        "---\ntitle: 职能\ntopic: duties\n---\n正文\n\n![地图](../../media/map.png)\n"
    ),
    "pages/_all/hotline.md": "---\ntitle: 热线\n---\n拨打12348\n",
    "media/map.png": "png",
    "media/v1.mp4": "mp4",
}


def write_pack(folder: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return write_pack(tmp_path / "src", BASE)


def test_the_base_pack_is_clean(pack):
    report = validate(pack, TODAY)
    assert report.problems == []
    assert report.pack is not None and len(report.pack.sites) == 3


def test_the_default_yubei_pack_has_no_errors_and_marks_unverified_facts():
    report = validate(CONTENT, TODAY)
    assert report.errors == [], [str(p) for p in report.errors]
    pack = report.pack
    center = pack.site("yubei-center")
    assert center.level == "center" and "phone" in center.unverified
    assert "hours" in center.unverified  # 开放时间待核实 in the hours' note
    assert {s.prefix for s in pack.services_at("yubei-center")} == set("ABCDEF")
    names = {p.name for p in pack.products}
    assert "小额遗产继承公证免费办理" in names
    free = next(p for p in pack.products if p.name == "小额遗产继承公证免费办理")
    assert "待与公证处确认" in free.note
    assert {p.product_class for p in pack.products} == {
        "mediation",
        "legal_service",
        "education",
        "legal_aid",
        "notary",
    }
    kinds = {i.name for i in pack.institutions if i.kind == "legal_aid"}
    assert {"渝北区人民法院法律援助工作站", "渝北区人民检察院法律援助工作站"} <= kinds
    assert "渝北区看守所法律援助工作站" in kinds
    brands = {r.brand for r in pack.rosters}
    assert {"中心律师天天见", "镇街律师周三见", "村居律师月月见"} <= brands
    assert pack.hotline().phone == "12348"
    assert date(2026, 10, 1) in pack.calendar.holidays
    assert date(2026, 10, 10) in pack.calendar.extra_workdays
    levels = {s.level for s in pack.sites}
    assert levels == {"center", "station", "room"}
    for site in pack.sites:  # every site has disclosure pages of its own or shared ones
        assert pack.pages_for(site.id)


@dataclass(frozen=True)
class Case:
    name: str
    file: str
    old: str | None  # text to replace; None: replace the whole file
    new: str
    field: str
    message: str  # a fragment of the expected message
    marker: str | None = None  # text on the expected line (default: `new`'s first line)
    severity: str = ERROR
    line: int | None = -1  # explicit line; -1: find by marker


CASES = [
    Case(
        "yaml tab indentation", "rosters.yaml", "    weekdays: 周三", "\tweekdays: 周三", "", "Tab"
    ),
    Case(
        "yaml unclosed quote",
        "sites.yaml",
        '周一至周五: "09:00-12:00, 14:00-17:30"',
        '周一至周五: "09:00-12:00',
        "",
        "引号",
        marker='周一至周五: "09:00-12:00',
    ),
    Case(
        "yaml colon in a value",
        "products.yaml",
        "    content: 办理继承公证",
        "    content: 时间: 上午: 9点",
        "",
        "冒号",
    ),
    Case(
        "duplicate key",
        "services.yaml",
        "    prefix: B",
        "    prefix: B\n    prefix: C",
        "",
        "写了两次",
        marker="prefix: C",
    ),
    Case(
        "missing required field",
        "services.yaml",
        "    name: 法律援助\n",
        "",
        "name",
        "缺少必填项",
        marker="- id: s2",
    ),
    Case(
        "unknown field with a suggestion",
        "sites.yaml",
        "    parent: center\n    phone: 待核实",
        "    parent: center\n    adress: 某路1号",
        "adress",
        "address",
        marker="adress",
    ),
    Case(
        "Chinese label used as a key",
        "products.yaml",
        "    audience: 群众",
        "    服务对象: 群众",
        "服务对象",
        "audience",
    ),
    Case(
        "duplicate site id",
        "sites.yaml",
        "  - id: room",
        "  - id: station",
        "id",
        "重复",
        marker="  - id: station\n    name: 测试工作室",
    ),
    Case(
        "dangling parent",
        "sites.yaml",
        "    parent: station",
        "    parent: statoin",
        "parent",
        "是不是“station”",
    ),
    Case(
        "dangling service site",
        "services.yaml",
        "    site: center\n    name: 法律援助",
        "    site: nowhere\n    name: 法律援助",
        "site",
        "不存在",
        marker="site: nowhere",
    ),
    Case(
        "dangling window",
        "services.yaml",
        "    windows: [w2]",
        "    windows: [w9]",
        "windows",
        "没有编号为“w9”的窗口",
    ),
    Case(
        "window names an unknown service",
        "sites.yaml",
        "services: [s1]}",
        "services: [s9]}",
        "services",
        "s9",
        marker="services: [s9]",
    ),
    Case("bad phone", "sites.yaml", "phone: 023-12345678", "phone: 023-123", "phone", "格式不对"),
    Case(
        "phone without area code",
        "sites.yaml",
        "phone: 023-12345678",
        "phone: 67891234",
        "phone",
        "区号",
    ),
    Case(
        "bad time range",
        "sites.yaml",
        '"09:00-12:00, 14:00-17:30"',
        '"9点到12点"',
        "hours",
        "09:00-12:00",
        marker="9点到12点",
    ),
    Case(
        "time ends before it starts",
        "sites.yaml",
        '"09:00-12:00, 14:00-17:30"',
        '"12:00-09:00"',
        "hours",
        "结束得比开始早",
        marker="12:00-09:00",
    ),
    Case(
        "day written twice",
        "sites.yaml",
        "      周六: 休息",
        "      周五: 休息",
        "hours",
        "周五写了两次",
        marker="周五: 休息",
    ),
    Case(
        "not a weekday",
        "rosters.yaml",
        "weekdays: 周三",
        "weekdays: 礼拜八",
        "weekdays",
        "不是星期几",
    ),
    Case("bad date", "calendar.yaml", "  - 2026-10-10", "  - 2026-13-45", "workdays", "2026-03-01"),
    Case(
        "holiday that is also a workday",
        "calendar.yaml",
        "  - 2026-10-10",
        "  - 2026-10-03",
        "workdays",
        "既是放假日",
    ),
    Case(
        "overdue review",
        "sites.yaml",
        "review_due: 2027-06-30",
        "review_due: 2026-01-31",
        "review_due",
        "复核",
        severity=WARNING,
    ),
    Case(
        "overdue review in a spreadsheet",
        "institutions.csv",
        "center,2027-01-01",
        "center,2025-01-01",
        "下次复核日期",
        "复核",
        marker="i1,",
        severity=WARNING,
    ),
    Case(
        "page links a missing file",
        "pages/center/duties.md",
        "map.png)",
        "nomap.png)",
        "链接",
        "不存在",
    ),
    Case(
        "page in an unknown site's folder",
        "pages/centre/x.md",
        None,
        "---\ntitle: x\n---\n正文\n",
        "folder",
        "站点“centre”不存在",
        line=1,
    ),
    Case(
        "video file missing",
        "videos.yaml",
        "file: media/v1.mp4",
        "file: media/v2.mp4",
        "file",
        "不存在",
    ),
    Case("unknown level", "sites.yaml", "level: room", "level: 社区", "level", "可以写"),
    Case("bad yes/no", "services.yaml", "priority: 是", "priority: 也许", "priority", "“是”或“否”"),
    Case("bad id", "services.yaml", "  - id: s2", "  - id: S 2", "id", "小写英文字母"),
    Case("bad ticket letter", "services.yaml", "prefix: B", "prefix: 乙", "prefix", "英文字母"),
    Case(
        "same ticket letter twice at a site",
        "services.yaml",
        "prefix: B",
        "prefix: A",
        "prefix",
        "已被",
        line=14,
    ),
    Case("bad number", "services.yaml", "daily_cap: 50", "daily_cap: 很多", "daily_cap", "整数"),
    Case(
        "station without parent",
        "sites.yaml",
        "    parent: center\n",
        "",
        "parent",
        "必须写 parent",
        marker="  - id: station",
    ),
    Case(
        "room under a center",
        "sites.yaml",
        "    parent: station",
        "    parent: center",
        "parent",
        "上级应当是镇街工作站",
        line=23,
    ),
    Case(
        "wrong top-level key",
        "contacts.yaml",
        "contacts:",
        "contact:",
        "contacts",
        "应当以“contacts:”开头",
        line=1,
    ),
    Case(
        "weekly roster without weekdays",
        "rosters.yaml",
        "    weekdays: 周三\n",
        "",
        "weekdays",
        "还要写",
        marker="pattern: 每周",
    ),
    Case(
        "notice ends before it starts",
        "notices.yaml",
        "end: 2026-12-31",
        "end: 2026-10-01",
        "end",
        "不晚于开始时间",
    ),
    Case(
        "expired notice",
        "notices.yaml",
        "end: 2026-12-31",
        "end: 2026-11-20",
        "end",
        "已经结束",
        severity=WARNING,
    ),
    Case(
        "hotline without phone",
        "contacts.yaml",
        '    phone: "12348"\n',
        "",
        "phone",
        "要写电话",
        marker="  - id: h",
    ),
    Case(
        "bad url",
        "contacts.yaml",
        '    phone: "12348"',
        '    phone: "12348"\n    url: www.example',
        "url",
        "http://",
        marker="url:",
    ),
    Case(
        "CSV bad phone",
        "institutions.csv",
        "023-87654321",
        "8765",
        "电话",
        "格式不对",
        marker="i2,",
    ),
    Case(
        "CSV duplicate id",
        "institutions.csv",
        "i2,某公证处",
        "i1,某公证处",
        "编号",
        "重复",
        marker="i1,某公证处",
    ),
    Case(
        "CSV unknown site",
        "institutions.csv",
        "待核实,center",
        "待核实,centre",
        "所属站点",
        "不存在",
        marker="i1,",
    ),
    Case(
        "CSV unknown kind", "institutions.csv", "公证机构", "公正处", "类别", "可以写", marker="i2,"
    ),
    Case(
        "CSV missing required column",
        "institutions.csv",
        "编号,名称,类别",
        "编号,名称,种类",
        "kind",
        "缺少“类别”这一列",
        line=1,
    ),
    Case(
        "CSV unknown column",
        "institutions.csv",
        "下次复核日期",
        "复查",
        "复查",
        "不认识的列",
        line=1,
        severity=WARNING,
    ),
    Case(
        "CSV bad date",
        "institutions.csv",
        "2027-01-01",
        "明年",
        "下次复核日期",
        "日期",
        marker="i1,",
    ),
    Case(
        "yml instead of yaml",
        "rosters.yml",
        None,
        "duty: []\n",
        "",
        "改名为 rosters.yaml",
        line=None,
    ),
    Case(
        "unknown yaml file",
        "site.yaml",
        None,
        "sites: []\n",
        "",
        "sites.yaml",
        line=None,
        severity=WARNING,
    ),
    Case("legal aid rules syntax", "legal_aid/rules.yaml", None, "a: [1,\n", "", "YAML", line=1),
    Case(
        "file that is not text", "products.yaml", None, "\x00\x01products", "", "特殊字符", line=1
    ),
]


def line_of(text: str, marker: str) -> int:
    """The first line where the marker's lines appear on consecutive lines."""
    lines, wanted = text.split("\n"), marker.split("\n")
    for index in range(len(lines)):
        window = lines[index : index + len(wanted)]
        if len(window) == len(wanted) and all(
            w in line for w, line in zip(wanted, window, strict=True)
        ):
            return index + 1
    raise AssertionError(f"{marker!r} not in the file")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_kind_of_mistake_is_reported_with_file_line_and_field(case, pack):
    path = pack / case.file
    if case.old is None:
        text = case.new
    else:
        original = path.read_text(encoding="utf-8")
        assert case.old in original, case.old
        text = original.replace(case.old, case.new, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    expected_line = case.line
    if expected_line == -1:
        expected_line = line_of(text, case.marker or case.new.strip("\n"))
    report = validate(pack, TODAY)
    matches = [
        p
        for p in report.problems
        if p.file == case.file
        and p.line == expected_line
        and (p.field == case.field or not case.field)
        and case.message in p.message
        and p.severity == case.severity
    ]
    assert matches, "\n".join(str(p) for p in report.problems) or "no problems"
    if case.severity == ERROR:
        assert not report.ok
    # every message is Chinese and says something a person can act on
    for problem in report.problems:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in problem.message), problem


def test_every_problem_is_reported_in_one_run(pack):
    (pack / "sites.yaml").write_text(
        (pack / "sites.yaml")
        .read_text(encoding="utf-8")
        .replace("023-12345678", "123")
        .replace("parent: station", "parent: nowhere"),
        encoding="utf-8",
    )
    (pack / "rosters.yaml").write_text("duty:\n\t- id: x\n", encoding="utf-8")
    (pack / "institutions.csv").write_text(
        "编号,名称,类别\ni1,甲,律所\ni1,乙,不知道\n", encoding="utf-8"
    )
    report = validate(pack, TODAY)
    files = {p.file for p in report.errors}
    assert {"sites.yaml", "rosters.yaml", "institutions.csv"} <= files
    assert len(report.errors) >= 5


def test_registered_checks_run_and_a_crashing_check_is_a_problem(pack, monkeypatch):
    monkeypatch.setattr(registry, "CHECKS", [])

    @registry.check("example")
    def example(folder: Path) -> list[Problem]:
        return [Problem("legal_aid/rules.yaml", 3, "max", "示例问题")]

    @registry.check("broken")
    def broken(folder: Path) -> list[Problem]:
        raise RuntimeError("boom")

    report = validate(pack, TODAY)
    assert Problem("legal_aid/rules.yaml", 3, "max", "示例问题") in report.problems
    assert any("broken" in p.message and p.severity == ERROR for p in report.problems)


def test_unverified_marks_come_from_values_and_from_the_list(pack):
    report = validate(pack, TODAY)
    station = report.pack.site("station")
    assert station.unverified == ("phone",)
    institution = next(i for i in report.pack.institutions if i.id == "i1")
    assert institution.unverified == ("phone",)


def test_problems_print_file_line_field_and_level():
    problem = Problem("sites.yaml", 7, "phone", "电话号码格式不对")
    assert str(problem) == "sites.yaml:7 [phone] 错误：电话号码格式不对"
    assert str(Problem("a.csv", None, "", "x", WARNING)) == "a.csv 提醒：x"


def test_a_folder_that_is_not_a_pack(tmp_path):
    report = validate(tmp_path, TODAY)
    assert [p.file for p in report.errors] == ["pack.yaml"]
    report = validate(tmp_path / "missing", TODAY)
    assert report.errors and report.pack is None


def test_the_staff_guide_documents_every_field():
    from kiosk.packs import sourcefields as source

    guide = (CONTENT.parent / "README.md").read_text(encoding="utf-8")
    specs = [
        source.PACK,
        source.SITE,
        source.WINDOW,
        source.SERVICE,
        source.INSTITUTION,
        source.PRODUCT,
        source.DUTY,
        source.CALENDAR,
        source.HOLIDAY,
        source.CONTACT,
        source.NOTICE,
        source.VIDEO,
        source.PAGE,
    ]
    missing = sorted({key for spec in specs for key in spec if f"`{key}`" not in guide})
    assert missing == [], f"content/README.md does not explain: {missing}"
    for name in source.SOURCE_NAMES:
        assert name in guide, name
