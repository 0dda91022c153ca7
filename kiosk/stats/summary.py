"""The quarterly 统计表: tallies of events, then one summary a centre or a district hands in.

Two steps, so that the district fleet report can reuse the second one on many kiosks:

1. **Tally** (aggregate): events -> `Tally` rows, one per (month, site, kind, subject, counter)
   with the count, the sum of values and, for timed kinds (waiting / service seconds), the list
   of values (medians do not add up, lists do). Three ways to get them:
   - `tally_sqlite(conn, start, end, site)` on a kiosk's own store (GROUP BY in SQLite);
   - `tally_events(rows)` on any iterable of event dicts (e.g. uploaded JSONL lines);
   - DuckDB over the uploaded JSONL of a whole fleet, with `TALLY_SQL` (a view named `events`
     with the event columns), rows turned into tallies by `tally_from_tuples(cursor)`.
2. **Summarize**: `summarize(tallies, quarter, site_name, followups=None, services=None)` ->
   `Summary` (totals, 满意率, 差评 follow-up, per month / service / counter / feature).
   Write it with kiosk.stats.workbook (`write_xlsx`, `write_csv`, `summary.as_json()`).
   `followups` comes from the kiosk's follow-up items (the feature registered with
   `followups` in kiosk/features.py: feedback; statistics never import it); without it
   (a fleet), 差评 come from rating events and closed follow-ups from `followup` events, and
   the overdue count is unknown (None).

A fleet report calls summarize() once per site (tallies filtered by site) or once for the
district (all tallies, site_name naming the district).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from kiosk.errors import KioskError
from kiosk.stats import events as ev

TIMED_KINDS = (ev.TICKET_CALLED, ev.TICKET_SERVED)
RATING_KINDS = (ev.RATING, ev.RATING_WINDOW)
LEVEL_NAMES = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
SATISFIED_FROM = 3  # 满意率 = (非常满意 + 满意 + 基本满意) / all ratings
BAD_AT_MOST = 2

# DuckDB, over a view `events` of uploaded JSONL (read_json_auto('…/*.jsonl')): same tallies.
TALLY_SQL = """
SELECT substr(day, 1, 7) AS month, site, kind, subject, counter,
       count(*) AS n, coalesce(sum(value), 0) AS total,
       CASE WHEN kind IN ('ticket_called', 'ticket_served')
            THEN list(value) FILTER (WHERE value IS NOT NULL) END AS timed,
       CASE WHEN kind IN ('rating', 'rating_window')
            THEN list(value) END AS levels
FROM events WHERE day BETWEEN ? AND ?
GROUP BY month, site, kind, subject, counter
"""


class QuarterError(KioskError):
    """A quarter that is not written like 2026Q4."""


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = re.fullmatch(r"\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*", text)
        if not match:
            raise QuarterError(f"{text!r} is not a quarter; write it like 2026Q4")
        return cls(int(match[1]), int(match[2]))

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        if self.number == 4:
            return date(self.year, 12, 31)
        return date(self.year, 3 * self.number + 1, 1) - timedelta(days=1)

    @property
    def months(self) -> list[str]:
        return [f"{self.year}-{3 * self.number - 2 + i:02d}" for i in range(3)]

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def chinese(self) -> str:
        return f"{self.year}年第{'一二三四'[self.number - 1]}季度"


@dataclass(frozen=True)
class Tally:
    month: str
    site: str
    kind: str
    subject: str | None
    counter: str | None
    count: int
    total: float
    timed: tuple[float, ...] = ()  # values of timed kinds, for medians
    levels: tuple[int, ...] = ()  # rating levels (so ratings split by level)


def tally_events(rows: Iterable[Mapping[str, Any]]) -> list[Tally]:
    """Tallies of event dicts (the kiosk.stats columns); rows of any order and any sites."""
    counts: dict[tuple[Any, ...], list[Any]] = {}
    for row in rows:
        kind = row["kind"]
        key = (str(row["day"])[:7], row["site"], kind, row.get("subject"), row.get("counter"))
        slot = counts.get(key)
        if slot is None:
            slot = counts[key] = [0, 0.0, [], []]
        slot[0] += 1
        value = row.get("value")
        if value is not None:
            slot[1] += value
            if kind in TIMED_KINDS:
                slot[2].append(float(value))
            elif kind in RATING_KINDS:
                slot[3].append(int(value))
    return [Tally(*key, n, total, tuple(t), tuple(lv)) for key, (n, total, t, lv) in counts.items()]


def tally_from_tuples(rows: Iterable[tuple[Any, ...]]) -> list[Tally]:
    """Rows of TALLY_SQL (month, site, kind, subject, counter, n, total, timed, levels)."""
    return [
        Tally(
            month, site, kind, subject, counter, int(n), float(total or 0),
            tuple(float(v) for v in timed or ()), tuple(int(v) for v in levels or ()),
        )
        for month, site, kind, subject, counter, n, total, timed, levels in rows
    ]  # fmt: skip


def tally_sqlite(conn: Any, start: date, end: date, site: str | None = None) -> list[Tally]:
    """Tallies straight from a kiosk's store: counts grouped in SQLite, timed values listed."""
    where = "day BETWEEN ? AND ?" + (" AND site = ?" if site else "")
    params: tuple[Any, ...] = (start.isoformat(), end.isoformat()) + ((site,) if site else ())
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for month, site_id, kind, subject, counter, n, total in conn.execute(
        "SELECT substr(day, 1, 7), site, kind, subject, counter, COUNT(*),"
        f" COALESCE(SUM(value), 0) FROM stats_events WHERE {where}"
        " GROUP BY 1, 2, 3, 4, 5",
        params,
    ):
        groups[(month, site_id, kind, subject, counter)] = [n, total, [], []]
    kinds = TIMED_KINDS + RATING_KINDS
    marks = ", ".join("?" for _ in kinds)
    for month, site_id, kind, subject, counter, value in conn.execute(
        "SELECT substr(day, 1, 7), site, kind, subject, counter, value FROM stats_events"
        f" WHERE {where} AND kind IN ({marks}) AND value IS NOT NULL",
        params + kinds,
    ):
        slot = groups[(month, site_id, kind, subject, counter)]
        if kind in TIMED_KINDS:
            slot[2].append(value)
        else:
            slot[3].append(int(value))
    return [
        Tally(*key, int(n), float(total), tuple(t), tuple(lv))
        for key, (n, total, t, lv) in groups.items()
    ]


# --- summarizing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Followups:
    """差评 / complaint follow-up of the period (from the kiosk's items, or None fields)."""

    bad_ratings: int
    bad_ratings_open: int
    complaints: int
    handled: int
    total: int
    overdue: int | None

    @property
    def rate(self) -> float | None:
        return self.handled / self.total if self.total else None


@dataclass
class Figures:
    """The numbers of one group of tallies (the quarter, a month, a service, a counter)."""

    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    wait: list[float] = field(default_factory=list)
    service: list[float] = field(default_factory=list)
    levels: dict[int, int] = field(default_factory=lambda: dict.fromkeys(LEVEL_NAMES, 0))
    by_subject: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    uptime_seconds: float = 0.0

    def add(self, tally: Tally) -> None:
        self.counts[tally.kind] += tally.count
        if tally.kind == ev.TICKET_CALLED:
            self.wait.extend(tally.timed)
        elif tally.kind == ev.TICKET_SERVED:
            self.service.extend(tally.timed)
        elif tally.kind in RATING_KINDS:
            for level in tally.levels:
                if level in self.levels:
                    self.levels[level] += 1
        elif tally.kind == ev.UPTIME:
            self.uptime_seconds += tally.total
        if tally.subject is not None and tally.kind in (
            ev.FEATURE, ev.SEARCH, ev.ELIGIBILITY, ev.COMPLAINT, ev.PRINTER_FAULT, ev.FOLLOWUP,
        ):  # fmt: skip
            subjects = self.by_subject[tally.kind]
            subjects[tally.subject] = subjects.get(tally.subject, 0) + tally.count

    @property
    def ratings(self) -> int:
        return sum(self.levels.values())

    @property
    def satisfied(self) -> int:
        return sum(n for level, n in self.levels.items() if level >= SATISFIED_FROM)

    @property
    def bad(self) -> int:
        return sum(n for level, n in self.levels.items() if level <= BAD_AT_MOST)

    @property
    def satisfaction_rate(self) -> float | None:
        return self.satisfied / self.ratings if self.ratings else None

    def n(self, kind: str) -> int:
        return int(self.counts.get(kind, 0))


def minutes(values: list[float], quantile: float) -> float | None:
    """Median (0.5) or p90 (0.9) of seconds, in minutes rounded to 0.1; None without data.

    Sorts `values` in place (their order means nothing): asking again for another quantile of
    the same list is then a linear pass, which matters for a district's hundreds of thousands
    of waiting times.
    """
    if not values:
        return None
    if not isinstance(values, list):
        values = list(values)
    values.sort()
    count = len(values)
    if quantile == 0.5:
        middle = count // 2
        result = values[middle] if count % 2 else (values[middle - 1] + values[middle]) / 2
    else:
        index = max(0, min(count - 1, round(quantile * (count - 1))))
        result = values[index]
    return round(result / 60, 1)


@dataclass
class Summary:
    quarter: Quarter
    site: str
    site_name: str
    total: Figures
    months: dict[str, Figures]
    services: dict[str, Figures]
    counters: dict[str, Figures]
    followups: Followups
    service_names: dict[str, str]

    @property
    def title(self) -> str:
        return f"{self.site_name}自助终端服务统计表（{self.quarter.chinese}）"

    def as_json(self) -> dict[str, Any]:
        total = self.total
        return {
            "quarter": str(self.quarter),
            "site": self.site,
            "site_name": self.site_name,
            "start": self.quarter.start.isoformat(),
            "end": self.quarter.end.isoformat(),
            "visits": total.n(ev.VISIT),
            "features": dict(total.by_subject.get(ev.FEATURE, {})),
            "searches": dict(total.by_subject.get(ev.SEARCH, {})),
            "eligibility": dict(total.by_subject.get(ev.ELIGIBILITY, {})),
            "tickets_issued": total.n(ev.TICKET_ISSUED),
            "tickets_called": total.n(ev.TICKET_CALLED),
            "tickets_served": total.n(ev.TICKET_SERVED),
            "tickets_no_show": total.n(ev.TICKET_NO_SHOW),
            "waiting_minutes": {
                "median": minutes(total.wait, 0.5),
                "p90": minutes(total.wait, 0.9),
            },
            "service_minutes": {
                "median": minutes(total.service, 0.5),
                "p90": minutes(total.service, 0.9),
            },
            "ratings": {LEVEL_NAMES[level]: n for level, n in total.levels.items()},
            "ratings_by_channel": {
                "kiosk": total.n(ev.RATING),
                "window": total.n(ev.RATING_WINDOW),
            },
            "satisfaction_rate": _round(total.satisfaction_rate),
            "bad_ratings": self.followups.bad_ratings,
            "bad_ratings_open": self.followups.bad_ratings_open,
            "followup_rate": _round(self.followups.rate),
            "overdue": self.followups.overdue,
            "complaints": self.followups.complaints,
            "complaints_by_category": dict(total.by_subject.get(ev.COMPLAINT, {})),
            "printer_faults": total.n(ev.PRINTER_FAULT),
            "uptime_hours": round(total.uptime_seconds / 3600, 1),
            "months": {month: _brief(f) for month, f in self.months.items()},
            "services": {
                self.service_names.get(key, key): _brief(f) for key, f in self.services.items()
            },
            "counters": {key: _brief(f) for key, f in self.counters.items()},
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _brief(figures: Figures) -> dict[str, Any]:
    return {
        "tickets_issued": figures.n(ev.TICKET_ISSUED),
        "tickets_called": figures.n(ev.TICKET_CALLED),
        "tickets_served": figures.n(ev.TICKET_SERVED),
        "tickets_no_show": figures.n(ev.TICKET_NO_SHOW),
        "waiting_median_minutes": minutes(figures.wait, 0.5),
        "service_median_minutes": minutes(figures.service, 0.5),
        "ratings": figures.ratings,
        "satisfaction_rate": _round(figures.satisfaction_rate),
        "bad_ratings": figures.bad,
    }


def summarize(
    tallies: Iterable[Tally],
    quarter: Quarter,
    site: str,
    site_name: str,
    followups: Followups | None = None,
    service_names: Mapping[str, str] | None = None,
) -> Summary:
    """One summary of tallies (one site, or a whole district when site_name says so)."""
    total = Figures()
    months = {month: Figures() for month in quarter.months}
    services: dict[str, Figures] = {}
    counters: dict[str, Figures] = {}
    per_service = {ev.TICKET_ISSUED, ev.TICKET_CALLED, ev.TICKET_SERVED, ev.TICKET_NO_SHOW}
    per_service.add(ev.RATING_WINDOW)
    for tally in tallies:
        total.add(tally)
        months.setdefault(tally.month, Figures()).add(tally)
        if tally.kind in per_service and tally.subject:
            services.setdefault(tally.subject, Figures()).add(tally)
        if tally.counter:
            counters.setdefault(tally.counter, Figures()).add(tally)
    if followups is None:  # a fleet: from the events alone
        closed = total.by_subject.get(ev.FOLLOWUP, {})
        complaints = total.n(ev.COMPLAINT)
        followups = Followups(
            bad_ratings=total.bad,
            bad_ratings_open=max(0, total.bad - closed.get("rating", 0)),
            complaints=complaints,
            handled=sum(closed.values()),
            total=total.bad + complaints,
            overdue=None,
        )
    return Summary(
        quarter,
        site,
        site_name,
        total,
        dict(sorted(months.items())),
        dict(sorted(services.items())),
        dict(sorted(counters.items(), key=lambda kv: _counter_order(kv[0]))),
        followups,
        dict(service_names or {}),
    )


def _counter_order(counter: str) -> tuple[int, str]:
    return (int(counter), "") if counter.isdigit() else (10**6, counter)
