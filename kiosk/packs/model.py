"""The content a kiosk shows, as plain immutable data.

One pack serves a whole district: sites at three levels (区中心, 镇街工作站, 村居工作室),
institutions, queue services, service products, duty rosters, disclosure pages, videos,
notices and contacts. Sources (YAML/CSV/XLSX/Markdown) and the compiled form of a built pack
both load into these classes; the UI and the feature packages read only these.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

LEVELS = ("center", "station", "room")  # 区中心, 镇街工作站, 村居工作室
LEVEL_NAMES = {"center": "区中心", "station": "镇街工作站", "room": "村居工作室"}
PRODUCT_CLASSES = ("mediation", "legal_service", "education", "legal_aid", "notary")
PRODUCT_CLASS_NAMES = {
    "mediation": "人民调解类",
    "legal_service": "法律服务类",
    "education": "法治宣传类",
    "legal_aid": "法律援助类",
    "notary": "公证类",
}
WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
# Kinds of help a site offers (Site.services); sources may use the id or the Chinese name.
HELP_KINDS = {
    "reception": "接待指引",
    "consultation": "法律咨询",
    "legal_aid": "法律援助",
    "legal_aid_intake": "法律援助初审",
    "notary": "公证",
    "mediation": "人民调解",
    "complaint": "投诉受理",
    "lawyer": "律师服务",
    "forensic": "司法鉴定",
    "education": "法治宣传",
    "hotline": "12348热线",
    "referral": "法律服务指引",
}
INSTITUTION_KINDS = {
    "law_firm": "律师事务所",
    "notary": "公证机构",
    "forensic": "司法鉴定机构",
    "mediation": "人民调解组织",
    "legal_aid": "法律援助机构",
    "legal_service": "基层法律服务所",
    "other": "其他",
}
CONTACT_KINDS = {
    "hotline": "热线",
    "complaint": "监督投诉电话",
    "platform": "网上平台",
    "wechat": "微信公众号",
    "app": "手机应用",
}
PAGE_TOPICS = {
    "duties": "职能职责",
    "services": "服务内容",
    "staff": "工作人员",
    "procedure": "办事程序",
    "supervision": "监督投诉",
    "general": "其他",
}
DUTY_PATTERNS = {"daily": "每天", "weekly": "每周", "monthly": "每月", "dates": "指定日期"}

Interval = tuple[time, time]


@dataclass(frozen=True)
class Currency:
    """How current an item is in law: its source, and when staff last checked it."""

    source: str = ""  # law and article, e.g. 《中华人民共和国法律援助法》第三十一条
    effective_from: date | None = None
    reviewed_on: date | None = None
    review_due: date | None = None

    def overdue(self, today: date) -> bool:
        return self.review_due is not None and self.review_due < today


@dataclass(frozen=True)
class Calendar:
    """Public holidays (closed) and make-up working days (调休, open with Monday's hours)."""

    holidays: frozenset[date] = frozenset()
    extra_workdays: frozenset[date] = frozenset()
    names: dict[date, str] = field(default_factory=dict, compare=False, hash=False)
    years: tuple[int, ...] = ()  # years the lists are complete for; other years: weekdays only
    note: str = ""  # e.g. 待核实: not yet checked against the State Council's notice

    def covers(self, day: date) -> bool:
        return day.year in self.years


@dataclass(frozen=True)
class Hours:
    """Weekly opening hours: for each weekday (0 = Monday) the open intervals, in local time."""

    weekly: tuple[tuple[Interval, ...], ...] = ((),) * 7
    note: str = ""  # e.g. 节假日休息; shown under the hours

    def intervals_on(self, day: date, calendar: Calendar | None = None) -> tuple[Interval, ...]:
        if calendar and day in calendar.holidays:
            return ()
        if calendar and day in calendar.extra_workdays:
            return self.weekly[0]
        return self.weekly[day.weekday()]

    def is_open(self, moment: datetime, calendar: Calendar | None = None) -> bool:
        now = moment.time()
        return any(start <= now < end for start, end in self.intervals_on(moment.date(), calendar))

    def closes_at(self, moment: datetime, calendar: Calendar | None = None) -> datetime | None:
        now = moment.time()
        for start, end in self.intervals_on(moment.date(), calendar):
            if start <= now < end:
                return datetime.combine(moment.date(), end, moment.tzinfo)
        return None

    def next_opening(
        self, moment: datetime, calendar: Calendar | None = None, horizon_days: int = 62
    ) -> datetime | None:
        """The next time the doors open strictly after `moment` (None if never within horizon)."""
        for offset in range(horizon_days + 1):
            day = moment.date() + timedelta(days=offset)
            for start, _ in self.intervals_on(day, calendar):
                candidate = datetime.combine(day, start, moment.tzinfo)
                if candidate > moment:
                    return candidate
        return None

    def is_always_closed(self) -> bool:
        return not any(self.weekly)


@dataclass(frozen=True)
class Window:
    """A post or counter at a site (接待指引, 法律咨询, ...)."""

    id: str
    name: str
    number: str = ""  # what is painted above the counter, e.g. "1号窗口"
    services: tuple[str, ...] = ()  # service ids handled here
    description: str = ""


@dataclass(frozen=True)
class Site:
    """A place of the public legal service system where residents can go."""

    id: str
    name: str
    level: str  # one of LEVELS
    parent: str | None = None
    town: str = ""  # 镇/街道 the site belongs to
    address: str = ""
    phone: str = ""
    hours: Hours = field(default_factory=Hours)
    services: tuple[str, ...] = ()  # kinds of help, see HELP_KINDS in the directory
    windows: tuple[Window, ...] = ()
    directions: str = ""  # how to get there / "you are here" text
    map_image: str = ""  # logical path of a map image in the pack
    qr: str = ""  # what the QR code on its detail page carries (navigation link, vCard)
    staffing: str = ""  # e.g. 1+1+2+N
    description: str = ""
    unverified: tuple[str, ...] = ()  # fields marked 待核实 in the source
    currency: Currency = field(default_factory=Currency)


@dataclass(frozen=True)
class Institution:
    """A law firm, notary office, 司法鉴定 body, 调委会 or legal-aid station."""

    id: str
    name: str
    kind: str
    town: str = ""
    address: str = ""
    phone: str = ""
    hours: str = ""
    services: tuple[str, ...] = ()
    site: str | None = None  # the site it sits in or belongs to, if any
    qr: str = ""
    description: str = ""
    unverified: tuple[str, ...] = ()
    currency: Currency = field(default_factory=Currency)


@dataclass(frozen=True)
class Service:
    """A service residents can take a queue ticket for at one site."""

    id: str
    site: str
    name: str
    prefix: str  # ticket letter(s), e.g. "A"
    windows: tuple[str, ...] = ()
    hours: Hours | None = None  # None: the site's hours
    daily_cap: int = 0  # 0: no cap
    priority: bool = False  # whether 绿色通道 tickets are offered
    priority_groups: tuple[str, ...] = ()  # who may take one, e.g. 老年人, 残疾人
    bring: tuple[str, ...] = ()  # what to bring
    ticket_text: str = ""  # printed on the ticket
    qr: str = ""  # QR target printed on the ticket
    description: str = ""
    unverified: tuple[str, ...] = ()
    currency: Currency = field(default_factory=Currency)


@dataclass(frozen=True)
class Product:
    """A public legal service product with the seed's seven fields."""

    id: str
    product_class: str  # one of PRODUCT_CLASSES
    name: str  # 产品名称
    type: str = ""  # 产品类型
    purchase: str = ""  # 购买方式
    audience: str = ""  # 服务对象
    provider: str = ""  # 提供主体
    content: str = ""  # 服务内容
    standard: str = ""  # 服务标准
    note: str = ""  # e.g. 待与公证处确认
    unverified: tuple[str, ...] = ()
    currency: Currency = field(default_factory=Currency)


@dataclass(frozen=True)
class DutyRule:
    """When someone is on duty at a site: daily, weekly, monthly or on listed dates."""

    id: str
    site: str
    who: str  # name of the lawyer or team, e.g. 值班律师（某律师事务所）
    role: str = "lawyer"
    pattern: str = "daily"  # daily | weekly | monthly | dates
    weekdays: tuple[int, ...] = ()  # weekly: 0 = Monday
    month_days: tuple[int, ...] = ()  # monthly: day of month (31 = last day in short months)
    nth_weekday: tuple[int, int] | None = None  # monthly: (n, weekday), n=-1 for the last
    dates: tuple[date, ...] = ()  # dates: explicit list; also extra dates for other patterns
    except_dates: tuple[date, ...] = ()
    skip_holidays: bool = True
    hours: tuple[Interval, ...] = ()
    start: date | None = None
    end: date | None = None
    phone: str = ""
    brand: str = ""  # 中心律师天天见 / 镇街律师周三见 / 村居律师月月见
    note: str = ""
    unverified: tuple[str, ...] = ()


@dataclass(frozen=True)
class Page:
    """A disclosure (公示) page in Markdown."""

    id: str
    site: str  # a site id, or "*" for every site
    title: str
    topic: str = "general"  # duties | services | staff | procedure | supervision | general
    body: str = ""  # Markdown
    order: int = 0
    currency: Currency = field(default_factory=Currency)
    folder: str = ""  # logical folder of the page (relative links in `body` start there)
    files: tuple[str, ...] = ()  # logical paths of the pack files the page links to

    def resolve(self, target: str) -> str:
        """A link target in `body` -> the logical path of the pack file (see Pack.path_of)."""
        import posixpath

        if target.startswith("/"):
            return posixpath.normpath(target.lstrip("/"))
        return posixpath.normpath(posixpath.join(self.folder, target))


@dataclass(frozen=True)
class Video:
    id: str
    title: str
    file: str  # logical path in the pack
    description: str = ""
    duration: int = 0  # seconds
    poster: str = ""
    topics: tuple[str, ...] = ()
    currency: Currency = field(default_factory=Currency)
    captions: str = ""  # logical path of an .srt/.vtt file: shown under the muted attract loop


NOTICE_LEVELS = {"urgent": "紧急", "important": "重要", "general": "一般"}
CLOSES_ALL = "all"  # Notice.closes: the whole site, not only some services
# CAP 1.2 <status> and <msgType>: only an Actual notice reaches residents (a Test or an
# Exercise checks the way a notice travels, a Draft waits); an Update or a Cancel replaces the
# notices it references.
NOTICE_STATUSES = {"actual": "正式", "exercise": "演练", "test": "测试", "draft": "草稿"}
NOTICE_TYPES = {"alert": "发布", "update": "更新", "cancel": "撤销"}


@dataclass(frozen=True)
class Notice:
    """A notice with CAP 1.2's timing: shown from `start` (sent), in force from `effective`
    (a closure starts then; None: from `start`), gone at `end` (expires)."""

    id: str
    title: str
    body: str = ""
    start: datetime | None = None  # naive, the site's local time
    end: datetime | None = None
    sites: tuple[str, ...] = ()  # empty: every site
    level: str = "general"  # urgent | important | general (紧急 / 重要 / 一般)
    effective: datetime | None = None
    closes: tuple[str, ...] = ()  # service ids, or CLOSES_ALL for the whole site
    origin: str = "pack"  # pack | local (set by staff here) | hall (shared by the hall host)
    status: str = "actual"  # NOTICE_STATUSES: anything but actual is never shown to residents
    msg_type: str = "alert"  # NOTICE_TYPES: update / cancel replace `references`
    references: tuple[str, ...] = ()  # ids of the notices this update or cancel replaces

    def active(self, moment: datetime, site: str) -> bool:
        """Shown to residents now (a cancel is never shown: it only takes others down)."""
        if self.status != "actual" or self.msg_type == "cancel":
            return False
        if self.sites and site not in self.sites:
            return False
        moment = moment.replace(tzinfo=None)  # `moment` is local time of the site
        if self.start and moment < self.start:
            return False
        return not (self.end and moment >= self.end)

    @property
    def urgent(self) -> bool:
        return self.level == "urgent"

    def closes_service(self, service_id: str, moment: datetime, site: str) -> bool:
        """Whether this notice stops tickets for `service_id` at `moment`."""
        if not self.closes or not self.active(moment, site):
            return False
        if self.effective and moment.replace(tzinfo=None) < self.effective:
            return False
        return CLOSES_ALL in self.closes or service_id in self.closes


def replaced_ids(notices: Iterable[Notice], moment: datetime) -> set[str]:
    """Ids taken down by an actual update or cancel sent by `moment` (expired or not: a
    cancelled closure does not come back when the cancel itself runs out)."""
    moment = moment.replace(tzinfo=None)
    return {
        ref
        for n in notices
        if n.status == "actual"
        and n.msg_type in ("update", "cancel")
        and (n.start is None or n.start <= moment)
        for ref in n.references
    }


def notice_rank(notice: Notice) -> int:
    """紧急 before 重要 before 一般 (sorting is stable: the given order within a level)."""
    levels = list(NOTICE_LEVELS)
    return levels.index(notice.level) if notice.level in levels else len(levels)


@dataclass(frozen=True)
class Contact:
    """A hotline, complaint line or online platform."""

    id: str
    name: str
    kind: str  # hotline | complaint | platform | wechat
    phone: str = ""
    url: str = ""
    qr: str = ""  # what a QR code for it carries
    description: str = ""
    sites: tuple[str, ...] = ()  # empty: every site
    unverified: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pack:
    """Everything one content pack holds."""

    id: str
    name: str  # e.g. 渝北区公共法律服务
    version: int = 0
    sites: tuple[Site, ...] = ()
    institutions: tuple[Institution, ...] = ()
    services: tuple[Service, ...] = ()
    products: tuple[Product, ...] = ()
    rosters: tuple[DutyRule, ...] = ()
    calendar: Calendar = field(default_factory=Calendar)
    pages: tuple[Page, ...] = ()
    videos: tuple[Video, ...] = ()
    notices: tuple[Notice, ...] = ()
    contacts: tuple[Contact, ...] = ()
    legal_aid: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    # logical path -> absolute file path of media and other files carried by the pack
    files: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    # build-time data of feature packages (see kiosk.packs.compiled.indexer), plain JSON
    indexes: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def site(self, site_id: str) -> Site | None:
        return next((s for s in self.sites if s.id == site_id), None)

    def services_at(self, site_id: str) -> tuple[Service, ...]:
        return tuple(s for s in self.services if s.site == site_id)

    def pages_for(self, site_id: str) -> tuple[Page, ...]:
        chosen = [p for p in self.pages if p.site in (site_id, "*")]
        return tuple(sorted(chosen, key=lambda p: (p.order, p.id)))

    def contacts_for(self, site_id: str, kind: str | None = None) -> tuple[Contact, ...]:
        return tuple(
            c
            for c in self.contacts
            if (not c.sites or site_id in c.sites) and (kind is None or c.kind == kind)
        )

    def hotline(self) -> Contact | None:
        return next((c for c in self.contacts if c.kind == "hotline"), None)

    def notices_at(self, moment: datetime, site_id: str) -> tuple[Notice, ...]:
        """Active notices, the most urgent first."""
        active = [n for n in self.notices if n.active(moment, site_id)]
        return tuple(sorted(active, key=notice_rank))

    def path_of(self, logical: str) -> str | None:
        return self.files.get(logical)
