"""`kiosk pack validate`: every problem of a pack's sources, in one run.

The sources are read once (`source.read_source`, which collects problems instead of stopping at
the first), then every registered check (`problems.CHECKS`, e.g. the eligibility rules lint)
runs on the folder. A check that crashes becomes a problem naming the check: validation itself
never ends in a traceback, whatever the input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kiosk.packs import model
from kiosk.packs.problems import ERROR, WARNING, Problem, load_checks


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    pack: model.Pack | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors


def validate(folder: Path, today: date | None = None) -> Report:
    """Read the sources and run every registered check; never raises."""
    from kiosk.packs.source import read_source

    folder = Path(folder)
    pack, problems = read_source(folder, today)
    report = Report(problems=list(problems), pack=pack)
    if not folder.is_dir():
        return report
    for name, function in load_checks():
        try:
            report.problems.extend(function(folder))
        except Exception as exc:  # a broken check must not hide the other problems
            report.problems.append(
                Problem(
                    "",
                    None,
                    "",
                    f"检查“{name}”自身出错（{type(exc).__name__}: {exc}），请联系开发人员",
                )
            )
    report.problems.sort(key=_order)
    return report


def _order(problem: Problem) -> tuple[int, str, int]:
    """Errors first; then by file and line, as staff will walk through them."""
    return (problem.severity != ERROR, problem.file, problem.line or 0)
