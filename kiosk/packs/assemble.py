"""Assembling a Pack from a source folder: read each file, check references between
them, build the model. The parts live beside it (calendar, pages and media)."""

from __future__ import annotations

import re
from typing import Any

from kiosk.packs import model
from kiosk.packs import values as v
from kiosk.packs.assemble_calendar import CalendarParts
from kiosk.packs.assemble_media import MediaParts
from kiosk.packs.carried import carried_files
from kiosk.packs.sourcefields import (
    CONTACT,
    IGNORED_HEADERS,
    INSTITUTION,
    INSTITUTION_HEADERS,
    NOTICE,
    PACK,
    PRODUCT,
    SERVICE,
    SEVEN,
    SITE,
    WINDOW,
)
from kiosk.packs.sourcereader import Item, currency_of, take
from kiosk.packs.yamlpos import MAP, SEQ, Node


class Assembler(CalendarParts, MediaParts):
    """Reads each file, then checks references between them, then builds the Pack."""

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
        notices = self.notices(sites, services)
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
                    **take(item, SITE, skip=("windows",)),
                    windows=tuple(w for w, _ in windows),
                    unverified=item.unverified,
                    currency=currency_of(item),
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
            result.append((model.Window(**take(item, WINDOW)), item))
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
                **take(item, SERVICE), unverified=item.unverified, currency=currency_of(item)
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
                **take(item, INSTITUTION), unverified=item.unverified, currency=currency_of(item)
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
            values = take(item, PRODUCT, skip=("class",))
            product = model.Product(
                product_class=item.values["class"],
                **values,
                unverified=item.unverified,
                currency=currency_of(item),
            )
            read.append((product, item))
        self.unique(file, "服务产品")
        return read

    def contacts(self, sites: dict[str, Any]) -> list[model.Contact]:
        file = "contacts.yaml"
        read = []
        for node in self.r.list_file(file):
            item = self.r.item(file, node, CONTACT, "联系方式")
            if item is None or not all(k in item.values for k in ("id", "name", "kind")):
                continue
            contact = model.Contact(**take(item, CONTACT), unverified=item.unverified)
            if contact.kind in ("hotline", "complaint") and not contact.phone:
                self.r.error(
                    file, item.line, "phone", f"“{contact.name}”要写电话（还不确定的写“待核实”）"
                )
            elif contact.kind == "platform" and not contact.url:
                self.r.warn(file, item.line, "url", f"“{contact.name}”没有网址，终端无法显示二维码")
            read.append((contact, item))
        self.unique(file, "联系方式")
        return [c for c, _ in read]

    def notices(
        self, sites: dict[str, Any], services: list[tuple[model.Service, Any]]
    ) -> list[model.Notice]:
        file = "notices.yaml"
        read = []
        for node in self.r.list_file(file):
            item = self.r.item(file, node, NOTICE, "公告")
            if item is None or not all(k in item.values for k in ("id", "title")):
                continue
            notice = model.Notice(**take(item, NOTICE))
            if notice.start and notice.end and notice.end <= notice.start:
                self.r.error(
                    file, item.at("end"), "end", "结束时间不晚于开始时间，这条公告永远不会显示"
                )
            elif notice.end and notice.end.date() < self.r.today:
                self.r.warn(file, item.at("end"), "end", f"公告“{notice.title}”已经结束，可以删除")
            if notice.effective and notice.end and notice.effective >= notice.end:
                self.r.error(
                    file, item.at("effective"), "effective", "生效时间不早于结束时间，暂停不会生效"
                )
            if notice.effective and not notice.closes:
                self.r.warn(
                    file,
                    item.at("effective"),
                    "effective",
                    "写了生效时间却没有写暂停的业务（closes），生效时间只用于暂停取号",
                )
            known = {service.id for service, _ in services}
            unknown = [c for c in notice.closes if c != model.CLOSES_ALL and c not in known]
            if unknown:
                self.r.error(
                    file,
                    item.at("closes"),
                    "closes",
                    f"暂停的业务“{'、'.join(unknown)}”不存在；写 services.yaml 里的业务编号，"
                    "或写“全部”暂停整个站点",
                )
            if notice.msg_type != "alert" and not notice.references:
                self.r.error(
                    file,
                    item.line,
                    "references",
                    "更新或撤销的公告要写它替代的公告编号（references / 替代的公告）",
                )
            read.append((notice, item))
        self.unique(file, "公告")
        return [n for n, _ in read]
