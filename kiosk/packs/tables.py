"""Spreadsheets staff keep (CSV or XLSX) as rows of text, with row numbers as Excel shows them.

Both formats give the same rows: the header is row 1, cells become text the way a person
reads them (12348, not 12348.0; 2026-03-01, not a datetime), and column headers may be in
Chinese or English. A CSV saved by Chinese Excel (GBK) is accepted as well as UTF-8.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class TableProblem:
    row: int | None
    column: str
    message: str
    severity: str = "error"


@dataclass
class Table:
    columns: dict[str, str] = field(default_factory=dict)  # field name -> header as written
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (row number, values)
    problems: list[TableProblem] = field(default_factory=list)


def normalize_header(text: str) -> str:
    """'电话（多个用、分开）*' -> '电话'; full-width letters folded; spaces dropped."""
    text = unicodedata.normalize("NFKC", text).replace("\ufeff", "")
    text = re.sub(r"\(.*?\)|（.*?）|\[.*?\]", "", text)
    return re.sub(r"\s+", "", text).strip("*").lower()


def read_table(
    path: Path,
    aliases: Mapping[str, str],
    required: tuple[str, ...] = (),
    ignored: frozenset[str] = frozenset(),
) -> Table:
    """Read a CSV or XLSX file; `aliases` maps normalized headers to field names."""
    table = Table()
    try:
        raw_rows = _xlsx_rows(path) if path.suffix.lower() == ".xlsx" else _csv_rows(path)
    except _Unreadable as exc:
        table.problems.append(TableProblem(exc.row, "", exc.message))
        return table
    header: list[str] | None = None
    positions: list[str | None] = []
    for number, cells in raw_rows:
        if header is None:
            if not any(c.strip() for c in cells):
                continue  # blank lines above the header
            header = cells
            positions = _map_header(header, number, aliases, ignored, table)
            for name in required:
                if name not in table.columns:
                    table.problems.append(
                        TableProblem(
                            number,
                            name,
                            f"缺少“{_label(name, aliases)}”这一列，请在第 {number} 行（表头）加上",
                        )
                    )
            continue
        if not any(c.strip() for c in cells):
            continue
        values: dict[str, str] = {}
        for index, cell in enumerate(cells):
            name = positions[index] if index < len(positions) else None
            if name is None:
                if cell.strip() and index >= len(positions):
                    table.problems.append(
                        TableProblem(
                            number,
                            f"第{index + 1}列",
                            f"第 {index + 1} 列有内容但没有表头，这个值不会被使用；"
                            "请给这一列加上表头或删除它",
                            "warning",
                        )
                    )
                continue
            values[name] = cell.strip()
        table.rows.append((number, values))
    if header is None:
        table.problems.append(TableProblem(None, "", "表格是空的：第一行应当是表头（列名）"))
    return table


def _label(name: str, aliases: Mapping[str, str]) -> str:
    chinese = [k for k, v in aliases.items() if v == name and not k.isascii()]
    return chinese[0] if chinese else name


def _map_header(
    header: list[str],
    row: int,
    aliases: Mapping[str, str],
    ignored: frozenset[str],
    table: Table,
) -> list[str | None]:
    import difflib

    positions: list[str | None] = []
    for raw in header:
        written = raw.strip()
        key = normalize_header(raw)
        name = aliases.get(key)
        if not key:
            positions.append(None)
            continue
        if key in ignored:
            positions.append(None)
            continue
        if name is None:
            guess = difflib.get_close_matches(key, list(aliases), n=1, cutoff=0.6)
            hint = f"是不是“{guess[0]}”？" if guess else ""
            table.problems.append(
                TableProblem(
                    row,
                    written,
                    f"不认识的列“{written}”，这一列不会显示在终端上。{hint}"
                    f"可用的列：{'、'.join(_known_headers(aliases))}",
                    "warning",
                )
            )
            positions.append(None)
            continue
        if name in table.columns:
            table.problems.append(
                TableProblem(
                    row,
                    written,
                    f"“{written}”和“{table.columns[name]}”是同一列，请删掉一个",
                )
            )
            positions.append(None)
            continue
        table.columns[name] = written
        positions.append(name)
    return positions


def _known_headers(aliases: Mapping[str, str]) -> list[str]:
    seen: dict[str, str] = {}
    for alias, name in aliases.items():
        if not alias.isascii():
            seen.setdefault(name, alias)
    return list(seen.values())


class _Unreadable(Exception):
    def __init__(self, message: str, row: int | None = None) -> None:
        self.message, self.row = message, row


def _csv_rows(path: Path) -> list[tuple[int, list[str]]]:
    import csv
    import io

    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes nearly anything
        raise _Unreadable("文件编码无法识别，请在 Excel 中“另存为 CSV UTF-8”")
    if "\x00" in text:
        raise _Unreadable(
            "这不是文本格式的 CSV 文件（含有空字符）；如果是 Excel 文件，请保存为 .xlsx"
        )
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        for cells in reader:
            number += 1
            rows.append((number, cells))
    except csv.Error as exc:
        raise _Unreadable(f"CSV 格式错误：{exc}；请检查引号是否配对", number + 1) from None
    return rows


def _xlsx_rows(path: Path) -> list[tuple[int, list[str]]]:
    import warnings
    import zipfile

    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it cannot read
            book = load_workbook(path, read_only=True, data_only=True)
    except (
        zipfile.BadZipFile,
        OSError,
        ValueError,
        KeyError,
        TypeError,
        IndexError,
        AttributeError,
    ):
        raise _Unreadable(
            "无法打开这个 Excel 文件：请确认它是 .xlsx 格式（不是 .xls 或 WPS 格式）且没有损坏"
        ) from None
    except Exception:  # openpyxl raises many kinds of errors on damaged files
        raise _Unreadable("无法打开这个 Excel 文件：文件可能已损坏，请重新另存为 .xlsx") from None
    try:
        if not book.worksheets:
            raise _Unreadable("Excel 文件里没有工作表")
        sheet = book.worksheets[0]
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((number, [cell_text(v) for v in values]))
        return rows
    except _Unreadable:
        raise
    except Exception:  # damaged sheet XML
        raise _Unreadable(
            "Excel 文件的第一个工作表无法读取：文件可能已损坏，请重新另存为 .xlsx"
        ) from None
    finally:
        book.close()


def cell_text(value: Any) -> str:
    """A cell as a person reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        if value.time() == time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date | time):
        return value.isoformat()[:5] if isinstance(value, time) else value.isoformat()
    return str(value)
