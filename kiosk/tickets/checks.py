"""`kiosk pack validate` checks for services.yaml: what would make numbering or tickets wrong.

Two services of one site with the same letter would hand out the same number; a window that
the site does not have would send residents nowhere; a service without hours anywhere is
always open (said as a warning, so staff decide).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from kiosk.packs.problems import ERROR, WARNING, Problem, check

FILE = "services.yaml"


def _lines(folder: Path) -> list[int | None]:
    """The line of each item under `services:` (YAML node marks are 0-based)."""
    import yaml

    try:
        root = yaml.compose((folder / FILE).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return []
    if root is None or not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "services" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


@check("tickets")
def check_services(folder: Path) -> Iterable[Problem]:
    from kiosk.packs.source import SourceError, load_source
    from kiosk.tickets.rules import effective_hours

    if not (folder / FILE).exists():
        return []
    try:
        pack = load_source(folder)
    except (SourceError, ValueError, KeyError):
        return []  # the source loader's own check reports unreadable files
    lines = _lines(folder)
    problems: list[Problem] = []
    seen: dict[tuple[str, str], str] = {}
    for index, service in enumerate(pack.services):
        line = lines[index] if index < len(lines) else None

        def problem(field: str, message: str, severity: str = ERROR, at: int | None = line) -> None:
            problems.append(Problem(FILE, at, field, message, severity))

        site = pack.site(service.site)
        if site is None:
            problem("site", f"站点“{service.site}”在 sites.yaml 中不存在")
        if not re.fullmatch(r"[A-Za-z]{1,2}", service.prefix or ""):
            problem("prefix", f"号码字母“{service.prefix}”应为一到两个英文字母，如 A")
        key = (service.site, service.prefix.upper())
        if key in seen:
            problem(
                "prefix",
                f"号码字母“{service.prefix}”与业务“{seen[key]}”重复，同一站点会出现相同的号码",
            )
        seen.setdefault(key, service.id)
        if site is not None:
            known = {w.id for w in site.windows}
            for window in service.windows:
                if window not in known:
                    problem("windows", f"窗口“{window}”在站点“{site.name}”中不存在")
            if effective_hours(service, site) is None:
                problem(
                    "hours",
                    "业务和站点都没有填写办理时间，取号将不受时间限制",
                    WARNING,
                )
        if service.daily_cap < 0:
            problem("daily_cap", "每日限号不能是负数（0 表示不限）")
        if service.priority_groups and not service.priority:
            problem("priority", "填写了绿色通道适用人群，但 priority 没有设为 true", WARNING)
    return problems
