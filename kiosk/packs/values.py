"""Converters from what staff type (YAML scalars, spreadsheet cells) to the model's values.

Each converter takes a yamlpos.Node and returns the value, or raises Bad with a Chinese
message that says what was expected, with an example. Input is normalised first (NFKC:
full-width digits, colons and letters typed with a Chinese input method are accepted).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from kiosk.packs import model
from kiosk.packs.yamlpos import MAP, SCALAR, SEQ, Node

UNVERIFIED = "待核实"


class Bad(ValueError):
    """A value staff wrote that cannot be used; `line` overrides the value's own line."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message, self.line = message, line


def fold(text: str) -> str:
    """Full-width to half-width, trimmed: '０９：００' -> '09:00'."""
    return unicodedata.normalize("NFKC", text).strip()


def scalar(node: Node) -> str:
    if node.kind == MAP:
        raise Bad("这里应当是一个值，而不是一组“字段: 值”")
    if node.kind == SEQ:
        raise Bad("这里应当是一个值，而不是列表")
    return "" if node.value is None else str(node.value).strip()


def text(node: Node) -> str:
    return scalar(node)


def multiline(node: Node) -> str:
    """Text where line breaks matter (a notice's body): keep inner newlines."""
    if node.kind != SCALAR:
        raise Bad("这里应当是一段文字")
    return "" if node.value is None else str(node.value).strip("\n ")


def identifier(node: Node) -> str:
    value = fold(scalar(node))
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", value):
        raise Bad(
            f"编号“{value}”不合规：只能用小写英文字母、数字、“-”和“_”，"
            "并以字母或数字开头，例如 yubei-center"
        )
    return value


def loose_identifier(node: Node) -> str:
    """Institution ids may use capitals and dots (LF-001, 2026.01)."""
    value = fold(scalar(node))
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", value):
        raise Bad(f"编号“{value}”不合规：只能用英文字母、数字、“-”“_”和“.”，例如 LF-001")
    return value


def integer(low: int, high: int) -> Callable[[Node], int]:
    def convert(node: Node) -> int:
        value = fold(scalar(node))
        if not re.fullmatch(r"[+-]?\d{1,12}", value) or not low <= int(value) <= high:
            raise Bad(f"“{value}”应当是 {low} 到 {high} 之间的整数")
        return int(value)

    return convert


TRUE = frozenset({"是", "yes", "true", "on", "1", "有", "提供", "y"})
FALSE = frozenset({"否", "no", "false", "off", "0", "无", "不提供", "n"})


def boolean(node: Node) -> bool:
    value = fold(scalar(node)).lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise Bad(f"“{value}”应当写“是”或“否”")


def choice(options: Mapping[str, str], what: str) -> Callable[[Node], str]:
    """One of `options` (Chinese or English word -> id)."""

    def convert(node: Node) -> str:
        value = fold(scalar(node))
        found = options.get(value) or options.get(value.lower())
        if found is None:
            shown = "、".join(dict.fromkeys(k for k in options if not k.isascii())) or "、".join(
                options
            )
            raise Bad(f"{what}“{value}”不认识，可以写：{shown}")
        return found

    return convert


def with_names(names: Mapping[str, str], *extra: tuple[str, str]) -> dict[str, str]:
    """{id: 中文名} -> accepted words: the id, the Chinese name, and extra aliases."""
    options = {key: key for key in names}
    options.update({name: key for key, name in names.items()})
    options.update(dict(extra))
    return options


_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def parse_date(value: str) -> date:
    folded = fold(value)
    match = _DATE.fullmatch(folded)
    if match:
        try:
            return date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise Bad(f"日期“{value}”不对，请写成“2026-03-01”这样的格式（年-月-日）")


def a_date(node: Node) -> date:
    return parse_date(scalar(node))


def a_datetime(node: Node, end: bool = False) -> datetime:
    """'2026-02-10 09:00' or '2026-02-10'; a bare date as an end means the end of that day."""
    value = fold(scalar(node))
    parts = re.split(r"[ T]+", value, maxsplit=1)
    day = parse_date(parts[0]) if _DATE.fullmatch(parts[0]) else None
    if day is None:
        raise Bad(f"时间“{value}”不对，请写成“2026-02-10 09:00”或“2026-02-10”")
    if len(parts) == 1:
        moment = datetime.combine(day, time())
        return moment + timedelta(days=1) if end else moment
    match = re.fullmatch(r"(\d{1,2}):(\d{2})(?::\d{2})?", parts[1])
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise Bad(f"时间“{value}”不对，请写成“2026-02-10 09:00”或“2026-02-10”")
    return datetime.combine(day, time(int(match[1]), int(match[2])))


def end_datetime(node: Node) -> datetime:
    return a_datetime(node, end=True)


SEPARATORS = r"[、,，;；\n]"


def str_list(node: Node) -> tuple[str, ...]:
    """A YAML list, or one text with items separated by 、 , ; (what a spreadsheet holds)."""
    if node.kind == SEQ:
        items = []
        for child in node.value:
            if child.kind != SCALAR:
                raise Bad("列表里的每一项应当是一个值", child.line)
            if child.value is not None and str(child.value).strip():
                items.append(str(child.value).strip())
        return tuple(items)
    return tuple(p.strip() for p in re.split(SEPARATORS, scalar(node)) if p.strip())


def list_of(convert: Callable[[Node], Any]) -> Callable[[Node], tuple[Any, ...]]:
    def converted(node: Node) -> tuple[Any, ...]:
        if node.kind == SEQ:
            return tuple(convert(child) for child in node.value if not child.is_null)
        return tuple(convert(Node(SCALAR, item, node.line)) for item in str_list(node))

    return converted


# --- phones and links --------------------------------------------------------------------

_PHONES = (
    re.compile(r"1[3-9]\d{9}"),  # mobile
    re.compile(r"0\d{2,3}-?\d{7,8}(?:(?:-|转)\d{1,6})?"),  # landline with area code
    re.compile(r"[48]00-?\d{3}-?\d{4}"),  # 400 / 800 numbers
    re.compile(r"110|119|120|122|1\d{4}|9\d{4}"),  # emergency, 12348, 12345, 95xxx
)
_LOCAL = re.compile(r"[2-8]\d{7}(?:(?:-|转)\d{1,6})?")


def phone(node: Node) -> str:
    """One or more numbers ('023-12345678、12348'); 待核实 is accepted as it is."""
    value = scalar(node)
    if UNVERIFIED in value or not value:
        return value
    for part in re.split(r"[、,，;；/或]", fold(value)):
        number = re.sub(r"[\s()（）]", "", part)
        if not number:
            continue
        if any(p.fullmatch(number) for p in _PHONES):
            continue
        if _LOCAL.fullmatch(number):
            raise Bad(f"电话“{part.strip()}”缺少区号，请写成“023-{number}”")
        raise Bad(
            f"电话号码“{part.strip()}”格式不对：固定电话写成“023-12345678”，手机写 11 位数字，"
            "多个号码用“、”分开；还不确定的写“待核实”"
        )
    return value


def url(node: Node) -> str:
    value = scalar(node)
    if UNVERIFIED in value or not value:
        return value
    if not re.fullmatch(r"https?://[^\s/]+\.[^\s]+", fold(value)):
        raise Bad(
            f"网址“{value}”不对，应当以 http:// 或 https:// 开头，例如 http://www.12348.gov.cn"
        )
    return fold(value)


def file_ref(node: Node) -> str:
    """A file of the pack, as a path relative to the pack folder ('media/intro.mp4')."""
    value = fold(scalar(node)).replace("\\", "/")
    while value.startswith("./"):
        value = value[2:]
    if value.startswith("/") or ".." in value.split("/") or ":" in value:
        raise Bad(f"文件路径“{value}”必须在内容文件夹之内，例如 media/intro.mp4")
    return value


# --- days, times and hours ---------------------------------------------------------------

_DAY_INDEX = {name: i for i, name in enumerate(model.WEEKDAY_NAMES)}
_DAY_INDEX.update({"星期" + "一二三四五六日"[i]: i for i in range(7)})
_DAY_INDEX.update({"礼拜" + "一二三四五六日"[i]: i for i in range(7)})
_DAY_INDEX.update({"周天": 6, "星期天": 6, "礼拜天": 6})
_DAY_INDEX.update(
    {name: i for i, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}
)
EVERY_DAY = frozenset({"每天", "每日", "全周", "全天", "daily"})
WORKDAYS = frozenset({"工作日"})


def parse_days(spec: str) -> tuple[int, ...]:
    """'周一至周五' / '周六、周日' / '每天' -> weekday numbers (0 = Monday)."""
    spec = fold(spec)
    if spec in EVERY_DAY:
        return tuple(range(7))
    if spec in WORKDAYS:
        return tuple(range(5))
    days: list[int] = []
    for part in re.split(r"[、,，/;；]", spec):
        part = part.strip().lower()
        if not part:
            continue
        bounds = [b.strip() for b in re.split(r"至|到|-|~|—|–", part)]
        if len(bounds) == 2 and all(b in _DAY_INDEX for b in bounds):
            first, last = (_DAY_INDEX[b] for b in bounds)
            if last < first:
                raise Bad(f"“{part}”的起止顺序反了，请写成“周一至周五”")
            days.extend(range(first, last + 1))
        elif part in _DAY_INDEX:
            days.append(_DAY_INDEX[part])
        else:
            raise Bad(f"“{part}”不是星期几，请写成“周一至周五”“周六、周日”或“每天”")
    if not days:
        raise Bad("没有写星期几，请写成“周一至周五”“周三”或“每天”")
    return tuple(sorted(set(days)))


CLOSED = frozenset({"", "休息", "闭馆", "不开放", "关闭", "closed"})


def parse_intervals(spec: str) -> tuple[model.Interval, ...]:
    """'09:00-12:00, 14:00-17:30' -> intervals; '休息' or '' -> none."""
    spec = fold(spec)
    if spec.lower() in CLOSED:
        return ()
    result: list[model.Interval] = []
    for part in re.split(r"[,，、;；]", spec):
        part = part.strip()
        if not part:
            continue
        match = re.fullmatch(r"(\d{1,2}):(\d{2})\s*(?:-|–|—|~|至|到)\s*(\d{1,2}):(\d{2})", part)
        if not match:
            raise Bad(f"时间段“{part}”格式不对，请写成“09:00-12:00”，多段用逗号分开")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or m1 > 59 or h2 > 24 or m2 > 59 or (h2 == 24 and m2):
            raise Bad(f"时间段“{part}”里的时间不存在")
        start = time(h1, m1)
        end = time(23, 59, 59) if (h2, m2) == (24, 0) else time(h2, m2)
        if end <= start:
            raise Bad(f"时间段“{part}”结束得比开始早")
        result.append((start, end))
    result.sort()
    for (_, end), (start, _) in itertools.pairwise(result):
        if start < end:
            raise Bad(f"时间段“{spec}”有重叠")
    return tuple(result)


def intervals(node: Node) -> tuple[model.Interval, ...]:
    return parse_intervals(scalar(node))


NOTE_KEYS = frozenset({"备注", "note", "说明"})


def hours(node: Node) -> model.Hours:
    """{周一至周五: "09:00-12:00, 14:00-17:30", 周六: 休息, 备注: ...} -> Hours."""
    if node.kind != MAP:
        raise Bad(
            '开放时间要按星期分行写，例如：\n  周一至周五: "09:00-12:00, 14:00-17:30"\n  周六: 休息'
        )
    weekly: list[tuple[model.Interval, ...]] = [()] * 7
    seen: dict[int, int] = {}
    note = ""
    for key, child in node.value.items():
        line = node.key_lines.get(key, child.line)
        if key in NOTE_KEYS:
            note = scalar(child)
            continue
        try:
            days = parse_days(key)
        except Bad as exc:
            raise Bad(exc.message, line) from None
        try:
            spans = parse_intervals(scalar(child))
        except Bad as exc:
            raise Bad(exc.message, child.line) from None
        for day in days:
            if day in seen:
                raise Bad(
                    f"{model.WEEKDAY_NAMES[day]}写了两次（第 {seen[day]} 行和第 {line} 行）", line
                )
            seen[day] = line
            weekly[day] = spans
    return model.Hours(weekly=tuple(weekly), note=note)


def duration(node: Node) -> int:
    """Seconds, or 'mm:ss' / 'h:mm:ss'."""
    value = fold(scalar(node))
    if re.fullmatch(r"\d{1,6}", value):
        return int(value)
    match = re.fullmatch(r"(?:(\d{1,2}):)?(\d{1,3}):(\d{2})", value)
    if match and int(match[3]) < 60:
        return int(match[1] or 0) * 3600 + int(match[2]) * 60 + int(match[3])
    raise Bad(f"时长“{value}”不对，请写秒数（如 185）或“分:秒”（如 3:05）")


_ORDINALS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4, "最后一": -1}


def nth_weekday(node: Node) -> tuple[int, int]:
    """'第一个周三' / '最后一个周五' / [1, 周三] -> (n, weekday)."""
    if node.kind == SEQ and len(node.value) == 2:
        n_text, day_text = (scalar(child) for child in node.value)
        n_text = {"-1": "最后一"}.get(fold(n_text), fold(n_text))
    else:
        match = re.fullmatch(r"(?:第)?(最后一|[一二三四1-4])个?(.+)", fold(scalar(node)))
        if not match:
            raise Bad("请写成“第一个周三”或“最后一个周五”")
        n_text, day_text = match[1], match[2]
    if n_text not in _ORDINALS:
        raise Bad("第几个只能是第一到第四个，或“最后一个”")
    days = parse_days(day_text)
    if len(days) != 1:
        raise Bad("请只写一个星期几，例如“第一个周三”")
    return _ORDINALS[n_text], days[0]
