"""What every part of the assembler shares: the reader, references, checks of ids,
sites and files."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from kiosk.packs.sourcereader import Item, Reader


class AssemblerBase:
    """State shared by the parts: the reader and the files content refers to."""

    def __init__(self, reader: Reader) -> None:
        self.r = reader
        self.folder = reader.folder
        self.references: set[str] = set()  # logical paths of files referenced by content

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
