"""`kiosk pack validate` checks for services.yaml that only the ticket desk knows about.

The source loader already refuses duplicate letters, unknown sites and windows. Two things it
cannot judge: a service whose hours are written nowhere is always open for tickets (staff may
mean it, or have forgotten a line), and priority groups without `priority: true` are ignored.
Both are warnings.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kiosk.packs.problems import WARNING, Problem, check

FILE = "services.yaml"


def _lines(folder: Path) -> list[int | None]:
    """The line of each item under `services:` (YAML node marks are 0-based)."""
    import yaml

    try:
        root = yaml.compose((folder / FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []
    if root is None or not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "services" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


@check("tickets")
def check_services(folder: Path) -> Iterable[Problem]:
    from kiosk.packs.source import read_source
    from kiosk.tickets.rules import effective_hours

    if not (folder / FILE).exists():
        return []
    try:
        pack, _problems = read_source(folder)
    except Exception:  # unreadable sources are the loader's to report, with a clear message
        return []
    if pack is None:
        return []  # the loader reports why
    lines = {index: line for index, line in enumerate(_lines(folder))}
    problems: list[Problem] = []
    for index, service in enumerate(pack.services):
        line = lines.get(index)
        site = pack.site(service.site)
        if site is not None and effective_hours(service, site) is None:
            problems.append(
                Problem(
                    FILE,
                    line,
                    "hours",
                    f"业务“{service.name}”和{site.name}都没有填写办理时间，取号将不受时间限制；"
                    "如需限制请填写 hours",
                    WARNING,
                )
            )
        if service.priority_groups and not service.priority:
            problems.append(
                Problem(
                    FILE,
                    line,
                    "priority",
                    f"业务“{service.name}”写了绿色通道适用人群，但没有写 priority: true，"
                    "终端不会提供绿色通道号",
                    WARNING,
                )
            )
    return problems
