"""The fields of each source file: Chinese and English names, parser, what is allowed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kiosk.packs import model
from kiosk.packs import values as v
from kiosk.packs.yamlpos import Node

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
NOTICE_LEVELS = v.with_names(model.NOTICE_LEVELS)
NOTICE_STATUSES = v.with_names(model.NOTICE_STATUSES, ("实际", "actual"))
NOTICE_TYPES = v.with_names(model.NOTICE_TYPES, ("取消", "cancel"), ("新发布", "alert"))


def _closes_item(node: Node) -> str:
    """A service id, or 全部 / all for the whole site."""
    if v.fold(v.scalar(node)) in ("全部", "全站", "全部业务", model.CLOSES_ALL):
        return model.CLOSES_ALL
    return v.identifier(node)


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
    "level": F("级别", v.choice(NOTICE_LEVELS, "公告级别")),
    "effective": F("生效时间", v.a_datetime),
    "closes": F("暂停的业务", v.list_of(_closes_item)),
    "status": F("状态", v.choice(NOTICE_STATUSES, "公告状态")),
    "msg_type": F("类型", v.choice(NOTICE_TYPES, "公告类型")),
    "references": F("替代的公告", v.list_of(v.identifier)),
}
VIDEO = {
    "id": F("视频编号", v.identifier, True),
    "title": F("标题", required=True),
    "file": F("视频文件", v.file_ref, True),
    "description": F("简介", v.multiline),
    "duration": F("时长", v.duration),
    "poster": F("封面图片", v.file_ref),
    "captions": F("字幕文件", v.file_ref),
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
