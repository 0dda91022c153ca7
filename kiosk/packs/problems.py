"""Problems found in a pack's sources, and the registry of checks that find them.

Every check gets the pack folder and returns Problems that name the file, the line (YAML,
Markdown) or row (CSV/XLSX, the header is row 1), the field and a Chinese message a staff
member can act on. Feature packages add checks with the `@check` decorator, e.g. the
eligibility package lints legal_aid/rules.yaml. `kiosk pack validate` runs them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Problem:
    file: str  # path relative to the pack folder, "/" separated
    line: int | None  # line of a text file, or row of a spreadsheet; None for the whole file
    field: str  # the field or column concerned, "" when none
    message: str  # Chinese, says what is wrong and what to do
    severity: str = ERROR  # ERROR blocks a build; WARNING does not

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        field = f" [{self.field}]" if self.field else ""
        level = "错误" if self.severity == ERROR else "提醒"
        return f"{where}{field} {level}：{self.message}"


Check = Callable[[Path], Iterable[Problem]]
CHECKS: list[tuple[str, Check]] = []


def load_checks() -> list[tuple[str, Check]]:
    """Every check: importing the `checks` module a feature registers adds its own."""
    import importlib

    from kiosk import features

    for name in features.check_modules():
        importlib.import_module(name)
    return CHECKS


def check(name: str) -> Callable[[Check], Check]:
    """Register a check run by `kiosk pack validate` (and before every build)."""

    def register(function: Check) -> Check:
        CHECKS.append((name, function))
        return function

    return register
