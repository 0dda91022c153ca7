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

Modules: sourcefields (the fields of each file), sourcereader (items and problems), assemble
(with assemble_calendar and assemble_media: files into a Pack), carried (files carried as
they are), frontmatter (pages' YAML header).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

from kiosk.errors import KioskError
from kiosk.packs import model
from kiosk.packs import values as v
from kiosk.packs.assemble import Assembler
from kiosk.packs.carried import carried_files
from kiosk.packs.frontmatter import split_front_matter
from kiosk.packs.problems import ERROR, Problem
from kiosk.packs.sourcereader import Reader
from kiosk.packs.values import UNVERIFIED, Bad, parse_days, parse_intervals
from kiosk.packs.yamlpos import MAP, SCALAR, Node

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
        pack = Assembler(reader).run()
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
