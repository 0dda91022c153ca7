"""Read a content pack's sources (the folder staff edit) into the model, collecting problems.

Layout of `content/<pack>/` (documented for staff, in Chinese, in content/README.md):

    pack.yaml        id, name, version             the pack itself
    sites.yaml       sites: [...]                  the 中心, 工作站, 工作室 with hours and windows
    services.yaml    services: [...]               queue services per site (ticket settings)
    institutions.csv (or .xlsx)                    law firms, notaries, 鉴定, 调委会, legal aid
    products.yaml    products: [...]               service products (five classes, seven fields)
    rosters.yaml     duty: [...]                   who is on duty when
    calendar.yaml    years, holidays, workdays     public holidays and 调休 working days
    contacts.yaml    contacts: [...]               12348, complaint lines, online platforms
    notices.yaml     notices: [...]                notices with start and end time
    videos.yaml      videos: [...]                 metadata; the files under media/
    pages/<site id or _all>/*.md                   disclosure pages (front matter + Markdown)
    legal_aid/rules.yaml                           the eligibility walkthrough's rules
    media/ ...                                     any other file is carried in the built pack

`read_source` never raises: it returns the pack (None if it cannot be assembled) and every
problem, each naming file, line (or spreadsheet row), field and what to do, in Chinese.
A value containing 待核实 marks that field as unverified: the kiosk shows it as such.
"""

from __future__ import annotations

import dataclasses
import difflib
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from kiosk.errors import KioskError
from kiosk.packs import model
from kiosk.packs import values as v
from kiosk.packs.problems import ERROR, WARNING, Problem
from kiosk.packs.values import UNVERIFIED, Bad, parse_days, parse_intervals
from kiosk.packs.yamlpos import MAP, SCALAR, SEQ, Node

__all__ = [
    "UNVERIFIED",
    "SourceError",
    "carried_files",
    "load_source",
    "parse_days",
    "parse_hours",
    "parse_intervals",
    "read_source",
    "split_front_matter",
]


class SourceError(KioskError):
    """The sources have errors; `kiosk pack validate` lists every one of them."""


# --- fields --------------------------------------------------------------------------------


@dataclass(frozen=True)
class F:
    """One field an item may have: its Chinese label, converter and whether it is required."""

    label: str
    convert: Callable[[Node], Any] = v.text
    required: bool = False


CURRENCY = {
    "source": F("法律依据"),
    "effective_from": F("生效日期", v.a_date),
    "reviewed_on": F("复核日期", v.a_date),
    "review_due": F("下次复核日期", v.a_date),
}
MARKS = {"unverified": F("待核实的字段", v.str_list)}

LEVELS = v.with_names(
    model.LEVEL_NAMES,
    ("中心", "center"),
    ("区公共法律服务中心", "center"),
    ("工作站", "station"),
    ("镇街", "station"),
    ("工作室", "room"),
    ("村居", "room"),
)
HELP = v.with_names(model.HELP_KINDS)
PRODUCT_CLASSES = v.with_names(
    model.PRODUCT_CLASS_NAMES,
    ("人民调解", "mediation"),
    ("法律服务", "legal_service"),
    ("法治宣传", "education"),
    ("法律援助", "legal_aid"),
    ("公证", "notary"),
)
INSTITUTION_KINDS = v.with_names(
    model.INSTITUTION_KINDS,
    ("律所", "law_firm"),
    ("公证处", "notary"),
    ("司法鉴定所", "forensic"),
    ("司法鉴定", "forensic"),
    ("人民调解委员会", "mediation"),
    ("调委会", "mediation"),
    ("调解委员会", "mediation"),
    ("法律援助中心", "legal_aid"),
    ("法律援助工作站", "legal_aid"),
    ("法律服务所", "legal_service"),
)
CONTACT_KINDS = v.with_names(
    model.CONTACT_KINDS,
    ("投诉电话", "complaint"),
    ("网站", "platform"),
    ("公众号", "wechat"),
    ("app", "app"),
)
PAGE_TOPICS = v.with_names(model.PAGE_TOPICS, ("职责", "duties"), ("程序", "procedure"))
PATTERNS = v.with_names(model.DUTY_PATTERNS, ("每周几", "weekly"), ("日期", "dates"))

PACK = {
    "id": F("内容包编号", v.identifier, True),
    "name": F("内容包名称", required=True),
    "version": F("版本号", v.integer(0, 10**9)),
}
WINDOW = {
    "id": F("窗口编号", v.identifier, True),
    "name": F("窗口名称", required=True),
    "number": F("窗口号"),
    "services": F("办理的取号业务", v.list_of(v.identifier)),
    "description": F("说明"),
}
SITE = {
    "id": F("站点编号", v.identifier, True),
    "name": F("名称", required=True),
    "level": F("层级", v.choice(LEVELS, "层级"), True),
    "parent": F("上级站点", v.identifier),
    "town": F("所属镇街"),
    "address": F("地址"),
    "phone": F("电话", v.phone),
    "hours": F("开放时间", v.hours),
    "services": F("服务内容", v.list_of(v.choice(HELP, "服务"))),
    "windows": F("窗口"),  # read item by item below
    "directions": F("怎么走 / 您在这里"),
    "map_image": F("地图图片", v.file_ref),
    "qr": F("二维码内容"),
    "staffing": F("人员配置"),
    "description": F("简介", v.multiline),
    **CURRENCY,
    **MARKS,
}
SERVICE = {
    "id": F("业务编号", v.identifier, True),
    "site": F("所在站点", v.identifier, True),
    "name": F("业务名称", required=True),
    "prefix": F("号码字母", required=True),
    "windows": F("办理窗口", v.list_of(v.identifier)),
    "hours": F("取号时间", v.hours),
    "daily_cap": F("每日限号", v.integer(0, 100000)),
    "priority": F("是否提供优先号", v.boolean),
    "priority_groups": F("优先对象", v.str_list),
    "bring": F("需要带的材料", v.str_list),
    "ticket_text": F("号票提示语", v.multiline),
    "qr": F("号票二维码内容"),
    "description": F("说明", v.multiline),
    **CURRENCY,
    **MARKS,
}
INSTITUTION = {
    "id": F("编号", v.loose_identifier, True),
    "name": F("名称", required=True),
    "kind": F("类别", v.choice(INSTITUTION_KINDS, "类别"), True),
    "town": F("所属镇街"),
    "address": F("地址"),
    "phone": F("电话", v.phone),
    "hours": F("办公时间"),
    "services": F("服务项目", v.str_list),
    "site": F("所属站点", v.identifier),
    "qr": F("二维码内容"),
    "description": F("简介"),
    **CURRENCY,
    **MARKS,
}
INSTITUTION_HEADERS = {
    "id": "id",
    "编号": "id",
    "name": "name",
    "名称": "name",
    "机构名称": "name",
    "kind": "kind",
    "类别": "kind",
    "类型": "kind",
    "机构类别": "kind",
    "town": "town",
    "镇街": "town",
    "所属镇街": "town",
    "address": "address",
    "地址": "address",
    "phone": "phone",
    "电话": "phone",
    "联系电话": "phone",
    "hours": "hours",
    "办公时间": "hours",
    "services": "services",
    "服务项目": "services",
    "业务范围": "services",
    "site": "site",
    "所属站点": "site",
    "qr": "qr",
    "二维码": "qr",
    "二维码内容": "qr",
    "description": "description",
    "简介": "description",
    "source": "source",
    "法律依据": "source",
    "effective_from": "effective_from",
    "生效日期": "effective_from",
    "reviewed_on": "reviewed_on",
    "复核日期": "reviewed_on",
    "review_due": "review_due",
    "下次复核日期": "review_due",
    "下次复核": "review_due",
    "unverified": "unverified",
    "待核实": "unverified",
}
IGNORED_HEADERS = frozenset({"备注", "note", "序号", "no.", "no"})
PRODUCT = {
    "id": F("产品编号", v.identifier, True),
    "class": F("产品类别", v.choice(PRODUCT_CLASSES, "产品类别"), True),
    "name": F("产品名称", required=True),
    "type": F("产品类型"),
    "purchase": F("购买方式"),
    "audience": F("服务对象"),
    "provider": F("提供主体"),
    "content": F("服务内容", v.multiline),
    "standard": F("服务标准", v.multiline),
    "note": F("备注"),
    **CURRENCY,
    **MARKS,
}
SEVEN = ("name", "type", "purchase", "audience", "provider", "content", "standard")
DUTY = {
    "id": F("值班规则编号", v.identifier, True),
    "site": F("站点", v.identifier, True),
    "who": F("值班人员", required=True),
    "role": F("角色"),
    "pattern": F("重复方式", v.choice(PATTERNS, "重复方式"), True),
    "weekdays": F("星期几", lambda n: v.parse_days(" 、".join(v.str_list(n)))),
    "month_days": F("每月几号", v.list_of(v.integer(1, 31))),
    "nth_weekday": F("每月第几个星期几", v.nth_weekday),
    "dates": F("日期", v.list_of(v.a_date)),
    "except_dates": F("例外日期", v.list_of(v.a_date)),
    "skip_holidays": F("节假日是否暂停", v.boolean),
    "hours": F("值班时间", v.intervals),
    "start": F("开始日期", v.a_date),
    "end": F("结束日期", v.a_date),
    "phone": F("电话", v.phone),
    "brand": F("品牌名称"),
    "note": F("备注"),
    **MARKS,
}
CONTACT = {
    "id": F("编号", v.identifier, True),
    "name": F("名称", required=True),
    "kind": F("类别", v.choice(CONTACT_KINDS, "类别"), True),
    "phone": F("电话", v.phone),
    "url": F("网址", v.url),
    "qr": F("二维码内容"),
    "description": F("说明"),
    "sites": F("适用站点", v.list_of(v.identifier)),
    **MARKS,
}
NOTICE = {
    "id": F("公告编号", v.identifier, True),
    "title": F("标题", required=True),
    "body": F("正文", v.multiline),
    "start": F("开始时间", v.a_datetime),
    "end": F("结束时间", v.end_datetime),
    "sites": F("适用站点", v.list_of(v.identifier)),
}
VIDEO = {
    "id": F("视频编号", v.identifier, True),
    "title": F("标题", required=True),
    "file": F("视频文件", v.file_ref, True),
    "description": F("简介", v.multiline),
    "duration": F("时长", v.duration),
    "poster": F("封面图片", v.file_ref),
    "topics": F("主题", v.str_list),
    **CURRENCY,
}
PAGE = {
    "id": F("页面编号", v.identifier),
    "title": F("标题", required=True),
    "topic": F("类别", v.choice(PAGE_TOPICS, "页面类别")),
    "order": F("排序", v.integer(-1000, 1000)),
    **CURRENCY,
}
HOLIDAY = {
    "name": F("节日名称"),
    "date": F("日期", v.a_date),
    "from": F("开始日期", v.a_date),
    "to": F("结束日期", v.a_date),
}
CALENDAR = {
    "years": F("已填写的年份", v.list_of(v.integer(2000, 2100))),
    "status": F("核对状态"),
    "holidays": F("放假日期"),
    "workdays": F("调休上班日期"),
}

LIST_FILES = {  # file -> (top-level key, Chinese name of one item)
    "sites.yaml": ("sites", "站点"),
    "services.yaml": ("services", "取号业务"),
    "products.yaml": ("products", "服务产品"),
    "rosters.yaml": ("duty", "值班规则"),
    "contacts.yaml": ("contacts", "联系方式"),
    "notices.yaml": ("notices", "公告"),
    "videos.yaml": ("videos", "视频"),
}
SOURCE_NAMES = frozenset(
    {
        "pack.yaml",
        "calendar.yaml",
        "institutions.csv",
        "institutions.xlsx",
        "legal_aid/rules.yaml",
        "legal_aid/articles.yaml",  # compiled into pack.legal_aid["_articles"] with the rules
        "legal_aid/cases.csv",  # the staff case table: checked at validation, not shipped
        *LIST_FILES,
    }
)
IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", "readme.md", "readme.txt"})


# --- collecting problems -------------------------------------------------------------------


@dataclass
class Item:
    """One item as read: converted values, and where each came from."""

    file: str
    line: int
    values: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)
    elem_lines: dict[str, list[int]] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)  # spreadsheet: field -> header
    unverified: tuple[str, ...] = ()
    ok: bool = True
    failed: set[str] = field(default_factory=set)  # keys whose value was reported as bad
    children: list[Any] = field(default_factory=list)  # e.g. a site's windows

    def at(self, key: str) -> int:
        return self.lines.get(key, self.line)

    def label(self, key: str) -> str:
        return self.columns.get(key, key)

    def elem_line(self, key: str, index: int) -> int:
        lines = self.elem_lines.get(key) or []
        return lines[index] if index < len(lines) else self.at(key)


@dataclass
class Reader:
    folder: Path
    today: date
    problems: list[Problem] = field(default_factory=list)
    broken: set[str] = field(default_factory=set)  # files that could not be read at all
    seen: dict[tuple[str, str], list[Item]] = field(default_factory=dict)  # (file, what) -> items

    def error(self, file: str, line: int | None, fld: str, message: str) -> None:
        self.problems.append(Problem(file, line, fld, message, ERROR))

    def warn(self, file: str, line: int | None, fld: str, message: str) -> None:
        self.problems.append(Problem(file, line, fld, message, WARNING))

    # files ----------------------------------------------------------------------------------

    def text_of(self, name: str) -> str | None:
        path = self.folder / name
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.error(name, None, "", f"无法读取文件（{exc.strerror}）")
            return None
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            self.error(name, None, "", "文件不是文本文件，或编码无法识别；请用 UTF-8 编码保存")
            return None
        self.warn(name, None, "", "文件是 GBK 编码，已按 GBK 读取；建议另存为 UTF-8 编码")
        return text

    def yaml(self, name: str, text: str | None = None, first_line: int = 1) -> Node | None:
        from kiosk.packs import yamlpos

        if text is None:
            text = self.text_of(name)
            if text is None:
                return None
        node, problems = yamlpos.parse(text, first_line)
        for problem in problems:
            self.error(name, problem.line, "", problem.message)
        if node is None and problems:
            self.broken.add(name)
        return node

    def list_file(self, name: str) -> list[Node]:
        """The items under the file's top-level key (e.g. `sites:`)."""
        if not (self.folder / name).is_file():
            return []
        key, _ = LIST_FILES[name]
        root = self.yaml(name)
        if root is None:
            return []
        if root.kind != MAP or key not in root.value:
            self.broken.add(name)
            found = (
                f"，现在开头是“{next(iter(root.value))}:”"
                if root.kind == MAP and root.value
                else ""
            )
            self.error(name, root.line, key, f"文件应当以“{key}:”开头，下面是列表{found}")
            return []
        for other in root.value:
            if other != key:
                self.error(
                    name,
                    root.key_lines.get(other),
                    other,
                    f"不认识的“{other}:”，这个文件只应有“{key}:”",
                )
        items = root.value[key]
        if items.is_null:
            return []
        if items.kind != SEQ:
            self.error(name, items.line, key, f"“{key}:”下面应当是列表，每一项以“- ”开头")
            return []
        return items.value

    # items ----------------------------------------------------------------------------------

    def item(
        self,
        file: str,
        node: Node,
        spec: dict[str, F],
        what: str,
        skip: Iterable[str] = (),
    ) -> Item | None:
        if node.kind != MAP:
            self.error(file, node.line, "", f"每个{what}应当是一组“字段: 值”，以“- 字段: 值”开头")
            return None
        item = Item(file, node.line, {})
        for key, child in node.value.items():
            key_line = node.key_lines.get(key, child.line)
            if key not in spec:
                self._unknown(file, key_line, key, spec, what)
                item.ok = False
                continue
            item.lines[key] = key_line
            if child.kind == SEQ:
                item.elem_lines[key] = [c.line for c in child.value]
            if key in skip or child.is_null:
                continue
            try:
                item.values[key] = spec[key].convert(child)
            except Bad as exc:
                self.error(file, exc.line or child.line, key, exc.message)
                item.ok = False
                item.failed.add(key)
        self._required(item, spec, what)
        item.unverified = _unverified(node, item.values.get("unverified", ()))
        self.seen.setdefault((file, what), []).append(item)
        return item

    def row_item(
        self, file: str, number: int, row: dict[str, str], columns: dict[str, str]
    ) -> Item:
        item = Item(file, number, {}, columns=columns)
        for key, raw in row.items():
            item.lines[key] = number
            if not raw:
                continue
            try:
                item.values[key] = INSTITUTION[key].convert(Node(SCALAR, raw, number))
            except Bad as exc:
                self.error(file, number, columns.get(key, key), exc.message)
                item.ok = False
                item.failed.add(key)
        self._required(item, INSTITUTION, "机构")
        self.seen.setdefault((file, "机构"), []).append(item)
        marks = item.values.get("unverified", ())
        item.unverified = tuple(
            dict.fromkeys([*(k for k, raw in row.items() if UNVERIFIED in raw), *marks])
        )
        return item

    def _required(self, item: Item, spec: dict[str, F], what: str) -> None:
        for key, f in spec.items():
            if f.required and key not in item.values and key not in item.failed:
                self.error(
                    item.file,
                    item.line,
                    item.label(key),
                    f"这个{what}缺少必填项“{item.label(key)}”（{f.label}），请补上",
                )
                item.ok = False

    def _unknown(self, file: str, line: int, key: str, spec: dict[str, F], what: str) -> None:
        guess = difflib.get_close_matches(key, list(spec), n=1, cutoff=0.6)
        by_label = [k for k, f in spec.items() if f.label == key]
        if by_label:
            hint = f"请把“{key}”写成“{by_label[0]}”。"
        elif guess:
            hint = f"是不是“{guess[0]}”（{spec[guess[0]].label}）？"
        else:
            hint = "可用的字段：" + "、".join(f"{k}（{f.label}）" for k, f in spec.items()) + "。"
        self.error(file, line, key, f"{what}没有“{key}”这个字段，它的内容不会被使用。{hint}")


def _unverified(node: Node, marks: Iterable[str]) -> tuple[str, ...]:
    """Fields whose value (or a value inside it, e.g. hours' 备注) contains 待核实."""
    found = [key for key, child in node.value.items() if _mentions_unverified(child)]
    return tuple(dict.fromkeys([*found, *marks]))


def _mentions_unverified(node: Node) -> bool:
    if node.kind == SCALAR:
        return bool(node.value) and UNVERIFIED in str(node.value)
    children = node.value.values() if node.kind == MAP else node.value
    return any(_mentions_unverified(child) for child in children)


def _currency(item: Item) -> model.Currency:
    return model.Currency(
        source=item.values.get("source", ""),
        effective_from=item.values.get("effective_from"),
        reviewed_on=item.values.get("reviewed_on"),
        review_due=item.values.get("review_due"),
    )


def _take(item: Item, spec: dict[str, F], skip: Iterable[str] = ()) -> dict[str, Any]:
    """The item's values for a model constructor (currency and marks handled by the caller)."""
    drop = set(CURRENCY) | set(MARKS) | set(skip)
    return {k: val for k, val in item.values.items() if k in spec and k not in drop}


# --- reading the folder --------------------------------------------------------------------


def read_source(folder: Path, today: date | None = None) -> tuple[model.Pack | None, list[Problem]]:
    """Every source file of a pack folder -> (Pack or None, problems). Never raises."""
    from kiosk import clock

    folder = Path(folder)
    reader = Reader(folder, today or clock.today())
    if not folder.is_dir():
        reader.error("", None, "", f"内容文件夹 {folder} 不存在")
        return None, reader.problems
    if not (folder / "pack.yaml").is_file():
        reader.error("pack.yaml", None, "", "缺少 pack.yaml：这不是内容包文件夹，或文件被改名了")
        return None, reader.problems
    try:
        pack = _Assembler(reader).run()
    except Exception as exc:  # a bug of ours must not hide the staff's problems behind a traceback
        reader.error(
            "",
            None,
            "",
            f"检查程序内部出错（{type(exc).__name__}: {exc}）；请把内容文件夹发给技术人员",
        )
        return None, reader.problems
    return pack, reader.problems


def load_source(folder: Path) -> model.Pack:
    """The pack of a source folder, or SourceError summing up its errors (for previews)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SourceError(f"{folder}: not a content pack folder (the folder does not exist)")
    if not (folder / "pack.yaml").is_file():
        raise SourceError(f"{folder}: not a content pack folder (pack.yaml is missing)")
    pack, problems = read_source(folder)
    errors = [p for p in problems if p.severity == ERROR]
    if errors or pack is None:
        shown = "；".join(str(p) for p in errors[:3])
        more = f"（共 {len(errors)} 处错误）" if len(errors) > 3 else ""
        raise SourceError(
            f"{folder} 的内容有错误，请先运行 `kiosk pack validate {folder}`：{shown}{more}"
        )
    from kiosk.packs import compiled

    indexes = compiled.compute_indexes(pack)
    return dataclasses.replace(pack, indexes=indexes) if indexes else pack


class _Assembler:
    """Reads each file, then checks references between them, then builds the Pack."""

    def __init__(self, reader: Reader) -> None:
        self.r = reader
        self.folder = reader.folder
        self.references: set[str] = set()  # logical paths of files referenced by content

    def run(self) -> model.Pack | None:
        head = self.pack_head()
        sites = self.sites()
        services = self.services(sites)
        self.windows_vs_services(sites, services)
        institutions = self.institutions(sites)
        products = self.products()
        calendar = self.calendar()
        rosters = self.rosters(sites)
        contacts = self.contacts(sites)
        notices = self.notices(sites)
        videos = self.videos()
        pages = self.pages(sites)
        legal_aid = self.legal_aid()
        self.site_references(sites)
        self.files()
        all_items = [*sites.values(), *services, *institutions, *products, *videos, *pages]
        self.review(all_items)
        if head is None:
            return None
        return model.Pack(
            id=head.values.get("id", self.folder.name),
            name=head.values.get("name", ""),
            version=head.values.get("version", 0),
            sites=tuple(obj for obj, _ in sites.values()),
            institutions=tuple(obj for obj, _ in institutions),
            services=tuple(obj for obj, _ in services),
            products=tuple(obj for obj, _ in products),
            rosters=tuple(rosters),
            calendar=calendar,
            pages=tuple(obj for obj, _ in pages),
            videos=tuple(obj for obj, _ in videos),
            notices=tuple(notices),
            contacts=tuple(contacts),
            legal_aid=legal_aid,
            files={k: str(p) for k, p in carried_files(self.folder).items()},
        )

    # -- helpers --------------------------------------------------------------------------------

    def unique(self, file: str, what: str, items: Iterable[Item] | None = None) -> None:
        """Every item with an id, even one with other mistakes, takes part."""
        key = "id"
        seen: dict[str, Item] = {}
        for item in self.r.seen.get((file, what), []) if items is None else items:
            value = item.values.get(key)
            if value is None:
                continue
            if value in seen:
                first = seen[value]
                where = (
                    f"第 {first.line} 行"
                    if first.file == item.file
                    else f"{first.file} 第 {first.line} 行"
                )
                self.r.error(
                    item.file,
                    item.at(key),
                    item.label(key),
                    f"{what}编号“{value}”重复（{where}已经用过），每个{what}的编号必须不同",
                )
            else:
                seen[value] = item

    def site_ref(self, sites: dict[str, Any], item: Item, key: str, value: str, line: int) -> None:
        if "sites.yaml" in self.r.broken:
            return  # sites.yaml itself is unreadable: that one problem is reported instead
        written = {i.values.get("id") for i in self.r.seen.get(("sites.yaml", "站点"), [])}
        if value not in sites and value not in written:  # a site with other mistakes exists
            known = "、".join(list(sites)[:12]) or "（sites.yaml 里还没有站点）"
            guess = difflib.get_close_matches(value, list(sites), n=1)
            hint = f"是不是“{guess[0]}”？" if guess else f"已有的站点：{known}"
            self.r.error(
                item.file,
                line,
                item.label(key),
                f"站点“{value}”不存在。{hint}（站点在 sites.yaml 里定义）",
            )

    def file_ref(self, item: Item, key: str, what: str) -> None:
        logical = item.values.get(key)
        if not logical:
            return
        self.references.add(logical)
        if not (self.folder / logical).is_file():
            self.r.error(
                item.file,
                item.at(key),
                key,
                f"{what}“{logical}”不存在：请把文件放到内容文件夹的这个位置，或改正路径",
            )

    SITE_REFERENCES = (
        ("services.yaml", "取号业务", "site"),
        ("rosters.yaml", "值班规则", "site"),
        ("institutions.csv", "机构", "site"),
        ("institutions.xlsx", "机构", "site"),
        ("contacts.yaml", "联系方式", "sites"),
        ("notices.yaml", "公告", "sites"),
    )

    def site_references(self, sites: dict[str, Any]) -> None:
        """Every item naming a site, including items with other mistakes."""
        for file, what, key in self.SITE_REFERENCES:
            for item in self.r.seen.get((file, what), []):
                value = item.values.get(key)
                if isinstance(value, tuple):
                    for index, site in enumerate(value):
                        self.site_ref(sites, item, key, site, item.elem_line(key, index))
                elif value:
                    self.site_ref(sites, item, key, value, item.at(key))

    # -- files ----------------------------------------------------------------------------------

    def pack_head(self) -> Item | None:
        root = self.r.yaml("pack.yaml")
        if root is None:
            return None
        if root.kind != MAP:
            self.r.error("pack.yaml", root.line, "", "pack.yaml 应当写成“id: ...”“name: ...”几行")
            return None
        return self.r.item("pack.yaml", root, PACK, "内容包")

    def sites(self) -> dict[str, tuple[model.Site, Item]]:
        file = "sites.yaml"
        if not (self.folder / file).is_file():
            self.r.error(file, None, "", "缺少 sites.yaml：至少要有一个站点（区公共法律服务中心）")
            return {}
        read: list[tuple[model.Site | None, Item]] = []
        for node in self.r.list_file(file):
            item = self.r.item(file, node, SITE, "站点", skip=("windows",))
            if item is None:
                continue
            windows = self.windows(file, node.get("windows"))
            try:
                site = model.Site(
                    **_take(item, SITE, skip=("windows",)),
                    windows=tuple(w for w, _ in windows),
                    unverified=item.unverified,
                    currency=_currency(item),
                )
            except TypeError:  # a required field is missing: reported already
                site = None
            read.append((site, item))
            self.unique(file, "窗口", [w for _, w in windows])
            item.children = windows
        self.unique(file, "站点")
        sites = {s.id: (s, i) for s, i in read if s is not None}
        for site, item in sites.values():
            self.file_ref(item, "map_image", "地图图片")
            expected = {"center": None, "station": "center", "room": "station"}[site.level]
            if site.parent is None:
                if expected:
                    self.r.error(
                        file,
                        item.line,
                        "parent",
                        f"{model.LEVEL_NAMES[site.level]}必须写 parent（所属的"
                        f"{model.LEVEL_NAMES[expected]}的编号）",
                    )
                continue
            if site.parent not in sites:
                self.site_ref(sites, item, "parent", site.parent, item.at("parent"))
                continue
            parent = sites[site.parent][0]
            if expected is None:
                self.r.error(file, item.at("parent"), "parent", "区中心是最上级，不应写 parent")
            elif parent.level != expected:
                self.r.error(
                    file,
                    item.at("parent"),
                    "parent",
                    f"{model.LEVEL_NAMES[site.level]}的上级应当是{model.LEVEL_NAMES[expected]}，"
                    f"而“{parent.id}”是{model.LEVEL_NAMES[parent.level]}",
                )
        if sites and not any(s.level == "center" for s, _ in sites.values()):
            self.r.warn(file, None, "level", "没有区中心（level: center）；三级平台以区中心为枢纽")
        return sites

    def windows(self, file: str, node: Node | None) -> list[tuple[model.Window, Item]]:
        if node is None or node.is_null:
            return []
        if node.kind != SEQ:
            self.r.error(file, node.line, "windows", "windows 下面应当是列表，每个窗口以“- ”开头")
            return []
        result = []
        for child in node.value:
            item = self.r.item(file, child, WINDOW, "窗口")
            if item is None or "id" not in item.values or "name" not in item.values:
                continue
            result.append((model.Window(**_take(item, WINDOW)), item))
        return result

    def services(self, sites: dict[str, Any]) -> list[tuple[model.Service, Item]]:
        file = "services.yaml"
        read = []
        for node in self.r.list_file(file):
            item = self.r.item(file, node, SERVICE, "取号业务")
            if item is None:
                continue
            prefix = v.fold(str(item.values.get("prefix", ""))).upper()
            if "prefix" in item.values and not re.fullmatch(r"[A-Z]{1,2}", prefix):
                self.r.error(
                    file,
                    item.at("prefix"),
                    "prefix",
                    f"号码字母“{prefix}”不对：请写 1 到 2 个英文字母，如 A",
                )
                item.ok = False
            item.values["prefix"] = prefix
            if not all(k in item.values for k in ("id", "site", "name", "prefix")):
                continue
            service = model.Service(
                **_take(item, SERVICE), unverified=item.unverified, currency=_currency(item)
            )
            read.append((service, item))
        self.unique(file, "取号业务")
        prefixes: dict[tuple[str, str], Item] = {}
        for service, item in read:
            if service.site not in sites:
                continue  # reported by site_references()
            site = sites[service.site][0]
            window_ids = {w.id for w in site.windows}
            for index, window in enumerate(service.windows):
                if window not in window_ids:
                    self.r.error(
                        file,
                        item.elem_line("windows", index),
                        "windows",
                        f"“{site.name}”没有编号为“{window}”的窗口；已有窗口："
                        f"{'、'.join(window_ids) or '（无，请在 sites.yaml 的 windows 里添加）'}",
                    )
            key = (service.site, service.prefix)
            if key in prefixes:
                self.r.error(
                    file,
                    item.at("prefix"),
                    "prefix",
                    f"号码字母“{service.prefix}”在{site.name}已被第 {prefixes[key].line} 行的"
                    "业务使用，同一站点的业务要用不同字母",
                )
            else:
                prefixes[key] = item
            if service.priority and not service.priority_groups:
                self.r.warn(
                    file,
                    item.at("priority"),
                    "priority_groups",
                    "提供优先号时请写明优先对象（priority_groups），如 老年人、残疾人、孕妇",
                )
        return read

    def windows_vs_services(self, sites: dict[str, Any], services: list[tuple[Any, Item]]) -> None:
        if "services.yaml" in self.r.broken:
            return
        at_site: dict[str, set[str]] = {}
        for service, _ in services:
            at_site.setdefault(service.site, set()).add(service.id)
        for site, item in sites.values():
            for window, witem in item.children:
                for index, service_id in enumerate(window.services):
                    if service_id not in at_site.get(site.id, set()):
                        known = "、".join(sorted(at_site.get(site.id, set()))) or "（无）"
                        self.r.error(
                            witem.file,
                            witem.elem_line("services", index),
                            "services",
                            f"窗口“{window.name}”写的取号业务“{service_id}”在 services.yaml 里没有"
                            f"（{site.name}的业务：{known}）",
                        )

    def institutions(self, sites: dict[str, Any]) -> list[tuple[model.Institution, Item]]:
        from kiosk.packs import tables

        present = [
            n for n in ("institutions.csv", "institutions.xlsx") if (self.folder / n).is_file()
        ]
        for old in ("institutions.xls", "institutions.et"):
            if (self.folder / old).is_file():
                self.r.error(old, None, "", "不支持这种表格格式，请在 Excel/WPS 里另存为 .xlsx")
        if len(present) > 1:
            self.r.error(
                present[1],
                None,
                "",
                "institutions.csv 和 institutions.xlsx 只能保留一个，请删除不用的那个",
            )
        if not present:
            return []
        file = present[0]
        table = tables.read_table(
            self.folder / file, INSTITUTION_HEADERS, ("id", "name", "kind"), IGNORED_HEADERS
        )
        for problem in table.problems:
            (self.r.warn if problem.severity == "warning" else self.r.error)(
                file, problem.row, problem.column, problem.message
            )
        read = []
        for number, row in table.rows:
            item = self.r.row_item(file, number, row, table.columns)
            if not all(k in item.values for k in ("id", "name", "kind")):
                continue
            institution = model.Institution(
                **_take(item, INSTITUTION), unverified=item.unverified, currency=_currency(item)
            )
            read.append((institution, item))
        self.unique(file, "机构")
        return read

    def products(self) -> list[tuple[model.Product, Item]]:
        file = "products.yaml"
        read = []
        for node in self.r.list_file(file):
            item = self.r.item(file, node, PRODUCT, "服务产品")
            if item is None or not all(k in item.values for k in ("id", "class", "name")):
                continue
            for key in SEVEN:
                if not item.values.get(key):
                    self.r.warn(
                        file,
                        item.line,
                        key,
                        f"产品“{item.values['name']}”缺少“{PRODUCT[key].label}”；"
                        "每个产品的七项要素（名称、类型、购买方式、服务对象、提供主体、服务内容、"
                        "服务标准）应当齐全",
                    )
            values = _take(item, PRODUCT, skip=("class",))
            product = model.Product(
                product_class=item.values["class"],
                **values,
                unverified=item.unverified,
                currency=_currency(item),
            )
            read.append((product, item))
        self.unique(file, "服务产品")
        return read

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
            rule = model.DutyRule(**_take(item, DUTY), unverified=item.unverified)
            read.append((rule, item))
        self.unique(file, "值班规则")
        return [rule for rule, _ in read]

    def contacts(self, sites: dict[str, Any]) -> list[model.Contact]:
        file = "contacts.yaml"
        read = []
        for node in self.r.list_file(file):
            item = self.r.item(file, node, CONTACT, "联系方式")
            if item is None or not all(k in item.values for k in ("id", "name", "kind")):
                continue
            contact = model.Contact(**_take(item, CONTACT), unverified=item.unverified)
            if contact.kind in ("hotline", "complaint") and not contact.phone:
                self.r.error(
                    file, item.line, "phone", f"“{contact.name}”要写电话（还不确定的写“待核实”）"
                )
            elif contact.kind == "platform" and not contact.url:
                self.r.warn(file, item.line, "url", f"“{contact.name}”没有网址，终端无法显示二维码")
            read.append((contact, item))
        self.unique(file, "联系方式")
        return [c for c, _ in read]

    def notices(self, sites: dict[str, Any]) -> list[model.Notice]:
        file = "notices.yaml"
        read = []
        for node in self.r.list_file(file):
            item = self.r.item(file, node, NOTICE, "公告")
            if item is None or not all(k in item.values for k in ("id", "title")):
                continue
            notice = model.Notice(**_take(item, NOTICE))
            if notice.start and notice.end and notice.end <= notice.start:
                self.r.error(
                    file, item.at("end"), "end", "结束时间不晚于开始时间，这条公告永远不会显示"
                )
            elif notice.end and notice.end.date() < self.r.today:
                self.r.warn(file, item.at("end"), "end", f"公告“{notice.title}”已经结束，可以删除")
            read.append((notice, item))
        self.unique(file, "公告")
        return [n for n, _ in read]

    def videos(self) -> list[tuple[model.Video, Item]]:
        file = "videos.yaml"
        read = []
        for node in self.r.list_file(file):
            item = self.r.item(file, node, VIDEO, "视频")
            if item is None or not all(k in item.values for k in ("id", "title", "file")):
                continue
            video = model.Video(**_take(item, VIDEO), currency=_currency(item))
            self.file_ref(item, "file", "视频文件")
            self.file_ref(item, "poster", "封面图片")
            suffix = Path(video.file).suffix.lower()
            if suffix not in {".mp4", ".webm", ".mkv", ".mov", ".avi", ".m4v", ".ogv"}:
                self.r.warn(
                    file,
                    item.at("file"),
                    "file",
                    f"“{video.file}”看起来不是视频文件（建议用 .mp4）",
                )
            read.append((video, item))
        self.unique(file, "视频")
        return read

    def pages(self, sites: dict[str, Any]) -> list[tuple[model.Page, Item]]:
        root = self.folder / "pages"
        if not root.is_dir():
            return []
        read = []
        for path in sorted(root.rglob("*.md")):
            logical = path.relative_to(self.folder).as_posix()
            if is_ignored(logical):
                continue
            page = self.page(path, logical, sites)
            if page is not None:
                read.append(page)
        self.unique("pages", "页面", [i for _, i in read])
        return read

    def page(
        self, path: Path, logical: str, sites: dict[str, Any]
    ) -> tuple[model.Page, Item] | None:
        text = self.r.text_of(logical)
        if text is None:
            return None
        parts = logical.split("/")
        site = parts[1] if len(parts) > 2 else "_all"
        meta_text, body, body_line = _front_matter(text)
        item = Item(logical, 1, {})
        if meta_text is not None:
            node = self.r.yaml(logical, meta_text, first_line=2)
            if node is not None and node.kind != MAP:
                self.r.error(logical, 2, "", "页面开头 --- 之间应当是“title: 标题”这样的几行")
            elif node is not None:
                item = self.r.item(logical, node, PAGE, "页面") or item
        else:
            self.r.warn(
                logical,
                1,
                "title",
                "页面开头没有 --- 标题区，将用文件名作标题；建议写上 title 和 topic",
            )
        if site != "_all" and site not in sites:
            self.site_ref(sites, Item(logical, 1, {}), "folder", site, 1)
        folder = posixpath.dirname(logical)
        linked = self.links(logical, folder, body, body_line)
        page_id = item.values.get("id") or f"{site if site != '_all' else 'all'}-{path.stem}"
        item.values.setdefault("id", page_id)
        return (
            model.Page(
                id=page_id,
                site="*" if site == "_all" else site,
                title=item.values.get("title") or path.stem,
                topic=item.values.get("topic", "general"),
                body=body,
                order=item.values.get("order", 0),
                currency=_currency(item),
                folder=folder,
                files=tuple(linked),
            ),
            item,
        )

    def links(self, logical: str, folder: str, body: str, first_line: int) -> list[str]:
        found: list[str] = []
        fenced = False
        for offset, line in enumerate(body.split("\n")):
            if line.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
                continue
            if fenced:
                continue
            for target in _LINK.findall(line) + _REF_LINK.findall(line):
                target = target.strip("<>")
                if (
                    not target
                    or target.startswith("#")
                    or re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", target)
                ):
                    continue
                target = unquote(target.split("#", 1)[0])
                resolved = posixpath.normpath(
                    target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
                )
                if resolved.startswith("../") or resolved == "..":
                    self.r.error(
                        logical,
                        first_line + offset,
                        "链接",
                        f"链接“{target}”指向内容文件夹以外，终端上无法打开",
                    )
                    continue
                self.references.add(resolved)
                if not (self.folder / resolved).is_file():
                    self.r.error(
                        logical,
                        first_line + offset,
                        "链接",
                        f"链接的文件“{target}”不存在（应在 {resolved}）：请放入文件或改正链接",
                    )
                elif resolved not in found:
                    found.append(resolved)
        return found

    def legal_aid(self) -> dict[str, Any]:
        import json

        import yaml

        file = "legal_aid/rules.yaml"
        if not (self.folder / file).is_file():
            return {}
        text = self.r.text_of(file)
        if text is None:
            return {}
        from kiosk.packs import compiled, yamlpos

        try:
            data = yaml.safe_load(text)
        except yaml.MarkedYAMLError as exc:
            self.r.error(file, yamlpos.error_line(exc, text), "", yamlpos.explain(exc))
            return {}
        except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
            self.r.error(file, None, "", f"无法读取（{type(exc).__name__}），请检查格式")
            return {}
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.r.error(file, 1, "", "rules.yaml 的最外层应当是“字段: 值”")
            return {}
        articles_file = self.folder / "legal_aid" / "articles.yaml"
        if articles_file.is_file():
            try:  # its own problems are reported, with lines, by the eligibility lint
                articles = yaml.safe_load(articles_file.read_text(encoding="utf-8"))
            except (yaml.YAMLError, UnicodeDecodeError, ValueError, RecursionError):
                articles = None
            if isinstance(articles, dict):
                data = {**data, "_articles": articles}
        try:
            json.dumps(compiled.plain(data))
        except (TypeError, ValueError):
            self.r.error(
                file,
                None,
                "",
                "rules.yaml 里有无法保存的值（如二进制或集合），请只用文字、数字、列表",
            )
            return {}
        return data

    def files(self) -> None:
        """Files that will be carried but nothing uses, and source-like files we do not know."""
        for path in sorted(self.folder.iterdir()):
            name = path.name
            if not path.is_file() or is_ignored(name) or name in SOURCE_NAMES:
                continue
            stem, suffix = path.stem, path.suffix.lower()
            if suffix == ".yml" and f"{stem}.yaml" in SOURCE_NAMES:
                self.r.error(name, None, "", f"请把文件改名为 {stem}.yaml（扩展名是 .yaml）")
            elif suffix in {".yaml", ".yml", ".csv", ".xlsx"} and name not in SOURCE_NAMES:
                guess = difflib.get_close_matches(name, sorted(SOURCE_NAMES), n=1, cutoff=0.6)
                hint = f"是不是应当叫 {guess[0]}？" if guess else ""
                self.r.warn(name, None, "", f"不认识的文件 {name}，它不会被当作内容读取。{hint}")
        for logical in carried_files(self.folder):
            top = logical.split("/", 1)[0]
            if top in ("media", "legal_aid", "audio") or logical in self.references:
                continue
            if "/" not in logical and logical.endswith((".yaml", ".yml", ".csv", ".xlsx", ".xls")):
                continue  # reported above
            self.r.warn(
                logical,
                None,
                "",
                "没有任何内容引用这个文件，但它仍会被打包发送到每台终端；"
                "不需要的话请移出内容文件夹（视频、图片请放在 media/ 文件夹）",
            )

    def review(self, items: list[tuple[Any, Item]]) -> None:
        today = self.r.today
        for obj, item in items:
            currency = getattr(obj, "currency", None)
            if currency is None:
                continue
            name = getattr(obj, "name", None) or getattr(obj, "title", "")
            if currency.review_due and currency.review_due < today:
                self.r.warn(
                    item.file,
                    item.at("review_due"),
                    item.label("review_due"),
                    f"“{name}”应在 {currency.review_due} 前复核（已过期，终端管理页显示为待复核）："
                    "请核对法律依据和内容是否仍然有效，然后更新 reviewed_on 和 review_due",
                )
            if currency.reviewed_on and currency.reviewed_on > today:
                self.r.error(
                    item.file,
                    item.at("reviewed_on"),
                    "reviewed_on",
                    f"复核日期 {currency.reviewed_on} 还没到",
                )
            if (
                currency.reviewed_on
                and currency.review_due
                and currency.review_due < currency.reviewed_on
            ):
                self.r.error(
                    item.file,
                    item.at("review_due"),
                    item.label("review_due"),
                    "下次复核日期早于上次复核日期",
                )


_LINK = re.compile(r"!?\[[^\]]*\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_REF_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*(\S+)")


def _front_matter(text: str) -> tuple[str | None, str, int]:
    """'---\\nmeta\\n---\\nbody' -> (meta text, body, line of the body's first line)."""
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() == "---":
                meta = "\n".join(lines[1:index])
                rest = lines[index + 1 :]
                skipped = 0
                while rest and not rest[0].strip():
                    rest, skipped = rest[1:], skipped + 1
                return meta, "\n".join(rest), index + 2 + skipped
    return None, text, 1


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """'---\\nkey: value\\n---\\nbody' -> ({key: value}, body) (plain values, for tools)."""
    from kiosk.packs import yamlpos

    meta, body, _ = _front_matter(text)
    if meta is None:
        return {}, body
    node, _ = yamlpos.parse(meta)
    data = node.plain() if node is not None else {}
    return (data if isinstance(data, dict) else {}), body


def parse_hours(spec: Any) -> model.Hours:
    """{'周一至周五': '09:00-12:00'} -> Hours (ValueError if malformed)."""
    if not spec:
        return model.Hours()
    if not isinstance(spec, dict):
        raise Bad("开放时间要按星期分行写")
    node = Node(
        MAP,
        {str(k): Node(SCALAR, None if t is None else str(t), 1) for k, t in spec.items()},
        1,
    )
    return v.hours(node)


# --- carried files -------------------------------------------------------------------------


def is_source(logical: str) -> bool:
    return logical in SOURCE_NAMES or (logical.startswith("pages/") and logical.endswith(".md"))


def is_ignored(logical: str) -> bool:
    """Hidden files, editors' lock and backup files: never carried."""
    parts = logical.split("/")
    name = parts[-1]
    return (
        any(part.startswith(".") for part in parts)
        or name.startswith("~$")
        or name.endswith("~")
        or name.lower() in IGNORED_NAMES
    )


def carried_files(folder: Path) -> dict[str, Path]:
    """logical path -> file, for every file a built pack carries besides its content."""
    folder = Path(folder)
    result = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        logical = path.relative_to(folder).as_posix()
        if not is_source(logical) and not is_ignored(logical):
            result[logical] = path
    return result
