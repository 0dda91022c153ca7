"""Reading source files item by item, collecting every problem with its file and line."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kiosk.packs import model
from kiosk.packs.problems import ERROR, WARNING, Problem
from kiosk.packs.sourcefields import (
    CURRENCY,
    INSTITUTION,
    LIST_FILES,
    MARKS,
    F,
)
from kiosk.packs.values import UNVERIFIED, Bad
from kiosk.packs.yamlpos import MAP, SCALAR, SEQ, Node

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


def currency_of(item: Item) -> model.Currency:
    return model.Currency(
        source=item.values.get("source", ""),
        effective_from=item.values.get("effective_from"),
        reviewed_on=item.values.get("reviewed_on"),
        review_due=item.values.get("review_due"),
    )


def take(item: Item, spec: dict[str, F], skip: Iterable[str] = ()) -> dict[str, Any]:
    """The item's values for a model constructor (currency and marks handled by the caller)."""
    drop = set(CURRENCY) | set(MARKS) | set(skip)
    return {k: val for k, val in item.values.items() if k in spec and k not in drop}
