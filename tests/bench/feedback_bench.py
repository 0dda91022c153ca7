"""好差评 and 统计表 benchmarks (run on demand; prints figures and ratios, asserts nothing).

1. Export: a year of a busy centre (200,000 events) in the kiosk's real SQLite store; the
   quarterly 统计表 (xlsx, the CLI's own code path, content pack included) and a whole-year
   summary, against a bare GROUP BY over the same rows as the baseline. Target: <= 2 s.
2. Going home: 首页 at the end of a visit with the rating prompt (the 评价 screen appears)
   against without it (the home screen appears), first time and warm, in the real window.

    python tests/bench/feedback_bench.py [--events 200000] [--size 1080x1920]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def fill(settings, count: int) -> None:
    from kiosk import clock, store
    from kiosk.stats import events

    rng = random.Random(12)
    db = store.open_db(settings.store.path)
    conn = events.ensure(db)
    tz = clock.timezone()
    start = datetime(2026, 1, 1, 8, 30, tzinfo=tz)
    kinds = [
        ("visit", None, None, None, 20),
        ("feature", "directory", None, None, 15),
        ("search", "institution", None, None, 10),
        ("eligibility", "likely", None, None, 3),
        ("ticket_issued", "center-legal-aid", None, None, 15),
        ("ticket_called", "center-legal-aid", "3", "wait", 14),
        ("ticket_served", "center-legal-aid", "3", "serve", 13),
        ("ticket_no_show", "center-consultation", "2", None, 1),
        ("rating_window", "center-legal-aid", "3", "level", 6),
        ("rating", "tickets", None, "level", 2),
        ("complaint", "意见建议", None, None, 1),
    ]
    weights = [k[-1] for k in kinds]
    rows = []
    for number in range(count):
        kind, subject, counter, value_kind, _ = rng.choices(kinds, weights)[0]
        at = start + timedelta(minutes=number * 525600 / count)
        value = {
            "wait": rng.uniform(60, 3600),
            "serve": rng.uniform(120, 1800),
            "level": rng.choice((5, 5, 5, 4, 4, 3, 2, 1)),
            None: None,
        }[value_kind]
        rows.append(
            (at.isoformat(timespec="seconds"), at.date().isoformat(), settings.kiosk.site,
             "k-000000000001", kind, subject, counter, value)
        )  # fmt: skip
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO stats_events (at, day, site, kiosk, kind, subject, counter, value)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.execute("COMMIT")


def bench_export(count: int) -> None:
    from kiosk import config, store
    from kiosk.stats import summary, workbook
    from kiosk.stats.cli import export
    from tests.conftest import write_config

    folder = Path(tempfile.mkdtemp(prefix="kiosk-bench-stats-"))
    settings = config.load(write_config(folder))
    fill(settings, count)
    conn = store.open_db(settings.store.path).conn

    def baseline() -> None:
        conn.execute(
            "SELECT kind, subject, counter, COUNT(*), SUM(value) FROM stats_events"
            " WHERE day BETWEEN '2026-01-01' AND '2026-12-31' GROUP BY 1, 2, 3"
        ).fetchall()

    def quarter() -> None:
        export(settings, "2026Q4", folder / "q4.xlsx")

    def year() -> None:
        tallies = summary.tally_sqlite(
            conn, summary.Quarter(2026, 1).start, summary.Quarter(2026, 4).end
        )
        whole = summary.summarize(tallies, summary.Quarter(2026, 4), "s", "全年")
        workbook.write_xlsx(whole, folder / "year.xlsx")

    print(f"export benchmark: {count:,} events over 2026 in {settings.store.path}")
    base = best_of(baseline)
    for name, work in (("quarterly 统计表 (xlsx, CLI path)", quarter), ("whole year", year)):
        took = best_of(work)
        print(f"  {name:<34} {took * 1000:8.0f} ms   ({took / base:5.1f}x the bare GROUP BY)")
    print(f"  {'bare GROUP BY (baseline)':<34} {base * 1000:8.0f} ms   target: export <= 2000 ms")


def best_of(work, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def bench_going_home(size: str) -> None:
    from kiosk import config
    from kiosk.packs.loader import load_content
    from kiosk.xdisplay import ensure_display
    from tests.conftest import write_config

    folder = Path(tempfile.mkdtemp(prefix="kiosk-bench-home-"))
    settings = config.load(write_config(folder, {"display": {"size": size}}))
    with ensure_display(1920, 1920):
        from kiosk.ui.driver import Driver

        driver = Driver.start(settings, load_content(settings))
        app = driver.app
        results: dict[str, list[float]] = {"without prompt": [], "with prompt": []}
        for _ in range(12):
            for label, prompt in (("without prompt", False), ("with prompt", True)):
                app.settings = settings.replace("feedback", prompt=prompt)
                app.open_entry("directory")
                driver.pump(2)
                started = time.perf_counter()
                app.home()  # what 首页 does
                driver.pump(1)  # the next frame shows the result
                results[label].append(time.perf_counter() - started)
                expected = "rate" if prompt else "home"
                assert app.screens.current == expected, (label, app.screens.current)
                app.reset_session()
                driver.pump(2)
        driver.stop()
    print(f"going home at the end of a visit ({size}), milliseconds to the next frame:")
    base_first = results["without prompt"][0]
    base_warm = statistics.median(results["without prompt"][1:])
    for label, times in results.items():
        first, warm = times[0], statistics.median(times[1:])
        print(
            f"  {label:<16} first {first * 1000:7.1f}  warm median {warm * 1000:7.1f}"
            f"   ratio to without: first {first / base_first:4.2f}  warm {warm / base_warm:4.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--size", default="1080x1920")
    args = parser.parse_args()
    bench_export(args.events)
    bench_going_home(args.size)


if __name__ == "__main__":
    main()
