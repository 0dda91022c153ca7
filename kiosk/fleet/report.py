"""The district's quarterly 统计表: every kiosk's statistics of a quarter, per site and in all.

The counting is the statistics feature's own (kiosk.stats.summary: DuckDB `TALLY_SQL`, then
`summarize`), and the workbook its own (kiosk.stats.workbook), so a site's figures here are the
ones its centre exports itself; this adds the district-wide sheets and a sheet per site.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.fleet import cache as packing
from kiosk.fleet import texts
from kiosk.fleet.cache import connect, quote
from kiosk.stats import summary as sm

EVENT_COLUMNS = (
    "{'id': 'BIGINT', 'at': 'VARCHAR', 'day': 'VARCHAR', 'site': 'VARCHAR',"
    " 'kiosk': 'VARCHAR', 'kind': 'VARCHAR', 'subject': 'VARCHAR', 'counter': 'VARCHAR',"
    " 'value': 'DOUBLE'}"
)

DAILY_FIELDS = ("day", "site", "kiosk", "kind", "subject", "counter", "level", "n", "total")
DAILY_COLUMNS = (
    "{'day': 'VARCHAR', 'site': 'VARCHAR', 'kiosk': 'VARCHAR', 'kind': 'VARCHAR',"
    " 'subject': 'VARCHAR', 'counter': 'VARCHAR', 'level': 'DOUBLE', 'n': 'BIGINT',"
    " 'total': 'DOUBLE'}"
)


@dataclass
class FleetReport:
    district: sm.Summary
    sites: dict[str, sm.Summary]
    kiosks: dict[str, int]  # site -> kiosks that sent statistics in the quarter
    events: int


def tallies(
    source: Path,
    cache: Path,
    quarter: sm.Quarter,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[sm.Tally], dict[str, int], int]:
    """Tallies of the quarter over every kiosk, kiosks per site, and the number of events."""
    start, end = quarter.start.isoformat(), quarter.end.isoformat()

    def wanted(day: str) -> bool:
        return start <= day <= end

    found: list[sm.Tally] = []
    kiosks: dict[str, set[str]] = {}
    events = 0
    if packing.pack(source, cache, "stats", wanted, EVENT_COLUMNS, progress):
        con = connect()
        pattern = quote(cache / "stats" / "dt=*" / packing.PACKED)
        con.execute(
            f"CREATE TEMP VIEW events AS SELECT * FROM read_parquet({pattern},"
            f" hive_partitioning = true) WHERE dt BETWEEN '{start}' AND '{end}'"
        )
        found += sm.tally_from_tuples(con.execute(sm.TALLY_SQL, [start, end]).fetchall())
        for site, kiosk, count in con.execute(
            "SELECT site, kiosk, count(*) FROM events WHERE day BETWEEN ? AND ? GROUP BY ALL",
            [start, end],
        ).fetchall():
            kiosks.setdefault(site, set()).add(kiosk)
            events += count
        con.close()
    daily = packing.pack(source, cache, "stats_daily", wanted, DAILY_COLUMNS)
    if daily:
        con = connect()
        pattern = quote(cache / "stats_daily" / "dt=*" / packing.PACKED)
        cursor = con.execute(
            f"SELECT {', '.join(DAILY_FIELDS)} FROM read_parquet({pattern},"
            " hive_partitioning = true) WHERE day BETWEEN ? AND ?",
            [start, end],
        )
        for values in cursor.fetchall():
            row = dict(zip(DAILY_FIELDS, values, strict=True))
            found.append(_daily_tally(row))
            kiosks.setdefault(row["site"], set()).add(row["kiosk"])
            events += int(row.get("n") or 0)
        con.close()
    return found, {site: len(ids) for site, ids in sorted(kiosks.items())}, events


def _daily_tally(row: dict[str, Any]) -> sm.Tally:
    """A merged daily summary line (kiosk.upload.outbox) as a tally: counts and sums only."""
    n = int(row.get("n", 0))
    level = row.get("level")
    levels = (int(level),) * n if row.get("kind") in sm.RATING_KINDS and level else ()
    return sm.Tally(
        str(row["day"])[:7],
        row["site"],
        row["kind"],
        row.get("subject"),
        row.get("counter"),
        n,
        float(row.get("total") or 0),
        (),
        levels,
    )


def build(
    source: Path,
    cache: Path,
    quarter: sm.Quarter,
    site_names: dict[str, str],
    service_names: dict[str, str],
    district_name: str,
    progress: Callable[[int, int], None] | None = None,
) -> FleetReport:
    found, kiosks, events = tallies(source, cache, quarter, progress)
    district = sm.summarize(
        found, quarter, district_name, district_name, service_names=service_names
    )
    sites = {
        site: sm.summarize(
            [t for t in found if t.site == site],
            quarter,
            site,
            site_names.get(site, site),
            service_names=service_names,
        )
        for site in kiosks
    }
    return FleetReport(district, sites, kiosks, events)


def write_xlsx(report: FleetReport, out: Path) -> Path:
    """The district's sheets (as a centre's 统计表), then 按站点: one row per site."""
    from openpyxl import load_workbook
    from openpyxl.styles import Font, PatternFill

    from kiosk.stats import workbook

    workbook.write_xlsx(report.district, out)
    book = load_workbook(out)
    sheet = book.create_sheet(texts.SITES_SHEET, 1)
    month_head = next(rows for name, rows in workbook.sheets(report.district) if name == "按月")[0]
    sheet.append(["站点", "站点编号", "终端数", *month_head[1:]])
    for site, summary in report.sites.items():
        figures = workbook._figure_row(summary.site_name, summary.total, True)
        sheet.append([figures[0], site, report.kiosks.get(site, 0), *figures[1:]])
    total = workbook._figure_row(texts.DISTRICT, report.district.total, True)
    sheet.append([total[0], "", sum(report.kiosks.values()), *total[1:]])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    for column in sheet.iter_cols():
        longest = max((workbook._width(c.value) for c in column), default=8)
        sheet.column_dimensions[column[0].column_letter].width = min(40, max(8, longest + 2))
    tmp = out.with_name(out.name + ".tmp")
    book.save(tmp)
    tmp.replace(out)
    return out
