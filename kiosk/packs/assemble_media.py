"""The assembler's pages, videos, legal-aid rules, carried files and review dates."""

from __future__ import annotations

import difflib
import posixpath
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from kiosk.packs import model
from kiosk.packs.assemble_base import AssemblerBase
from kiosk.packs.carried import carried_files, is_ignored
from kiosk.packs.frontmatter import front_matter
from kiosk.packs.sourcefields import (
    PAGE,
    SOURCE_NAMES,
    VIDEO,
)
from kiosk.packs.sourcereader import Item, currency_of, take
from kiosk.packs.yamlpos import MAP

_LINK = re.compile(r"!?\[[^\]]*\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_REF_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*(\S+)")


class MediaParts(AssemblerBase):
    def videos(self) -> list[tuple[model.Video, Item]]:
        file = "videos.yaml"
        read = []
        for node in self.r.list_file(file):
            item = self.r.item(file, node, VIDEO, "视频")
            if item is None or not all(k in item.values for k in ("id", "title", "file")):
                continue
            video = model.Video(**take(item, VIDEO), currency=currency_of(item))
            self.file_ref(item, "file", "视频文件")
            self.file_ref(item, "poster", "封面图片")
            self.file_ref(item, "captions", "字幕文件")
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
        meta_text, body, body_line = front_matter(text)
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
                currency=currency_of(item),
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
