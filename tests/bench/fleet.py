"""Fleet benchmark: 500 kiosks x 90 days of heartbeats and hourly batches, in the real layout.

    python tests/bench/fleet.py [--kiosks 500] [--days 90] [--hours 8] [--data DIR]

Writes (once; reused while the parameters match) what the district's upload folder holds after
a quarter: one heartbeat per kiosk and one `stats/dt=/site=/kiosk=/<seq>.jsonl` batch per
kiosk and opening hour with events (visits, tiles, tickets issued/called/served with times,
ratings), through the same naming code the kiosks use. Then times `kiosk fleet status` and
`kiosk fleet report` as a user runs them (a fresh process each; wall time and peak memory of
that process): the report cold (empty cache), warm (nothing new) and after one more batch per
kiosk; against baselines measured in the same run: `kiosk version` (start-up floor) and
reading every uploaded file once in Python (the I/O floor of any reader).
Goals: report <= 10 s, status <= 2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kiosk.upload.outbox import heartbeat_name, jsonl, object_name  # noqa: E402

QUARTER_START = date(2026, 10, 1)
TZ = "+08:00"


def kiosk_ids(count: int) -> list[tuple[str, str]]:
    """(site, kiosk id): ten kiosks per site (one centre, 镇街 and 村居 rooms)."""
    return [(f"site-{i // 10:03d}", f"k-{i:012x}") for i in range(count)]


def batch_events(
    rng: random.Random, site: str, kiosk: str, day: date, hour: int, first: int
) -> list[dict]:
    events = []
    at = f"{day.isoformat()}T{hour:02d}:"
    for n in range(rng.randint(3, 7)):
        kind, subject, counter, value = rng.choice(
            [
                ("visit", None, None, None),
                ("feature", "directory", None, None),
                ("ticket_issued", "legal-aid", None, None),
                ("ticket_called", "legal-aid", "1", float(rng.randint(60, 3600))),
                ("ticket_served", "legal-aid", "1", float(rng.randint(120, 1800))),
                ("rating", "legal-aid", None, float(rng.choice([5, 5, 4, 4, 3, 2, 1]))),
            ]
        )
        events.append(
            {
                "id": first + n,
                "at": f"{at}{n:02d}:00{TZ}",
                "day": day.isoformat(),
                "site": site,
                "kiosk": kiosk,
                "kind": kind,
                "subject": subject,
                "counter": counter,
                "value": value,
            }
        )
    return events


def write_heartbeats(folder: Path, kiosks: int) -> None:
    """Every kiosk's latest heartbeat, as of now (rewritten on every run: ages stay real)."""
    now = datetime.now().astimezone()
    for index, (site, kiosk) in enumerate(kiosk_ids(kiosks)):
        age = 60 if index % 50 else 7200  # a few kiosks went quiet
        beat = {
            "kiosk": kiosk,
            "site": site,
            "time": (now - timedelta(seconds=age)).isoformat(timespec="seconds"),
            "program": "0.1.0",
            "pack": 7 if index % 40 else 6,
            "sync": {"state": "online"},
            "printer": {"state": "failed" if index % 97 == 0 else "ok"},
            "disk_free": 20 << 30,
            "uptime": 86400,
            "upload": {"pending": 0, "dropped": 0, "last_error": None},
            "last_error": None,
            "interval": 300,
        }
        target = folder / heartbeat_name(site, kiosk)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(beat), encoding="utf-8")


def generate(folder: Path, kiosks: int, days: int, hours: int, seed: int = 1) -> dict:
    rng = random.Random(seed)
    files = events = 0
    for site, kiosk in kiosk_ids(kiosks):
        seq = next_id = 0
        for offset in range(days):
            day = QUARTER_START + timedelta(days=offset)
            for hour in range(9, 9 + hours):
                rows = batch_events(rng, site, kiosk, day, hour, next_id + 1)
                next_id += len(rows)
                seq += 1
                target = folder / object_name("stats", day.isoformat(), site, kiosk, seq)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jsonl(rows))
                files += 1
                events += len(rows)
    write_heartbeats(folder, kiosks)
    return {"files": files + kiosks, "events": events}


def run_child(argv: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, peak memory (MB) and stdout of one fresh process running `argv`
    (a wrapper process measures it, so the peak is that process's alone)."""
    wrapper = (
        "import resource, subprocess, sys, time, json\n"
        "t = time.perf_counter()\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True)\n"
        "e = time.perf_counter() - t\n"
        "sys.stderr.buffer.write(r.stderr)\n"
        "print(json.dumps({'rc': r.returncode, 's': e,"
        " 'mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,"
        " 'out': r.stdout.decode()}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", wrapper, *argv], cwd=ROOT, env=env, capture_output=True, text=True
    )
    result = json.loads(done.stdout)
    if result["rc"]:
        raise SystemExit(f"{argv} failed: {done.stderr}")
    return result["s"], result["mb"], result["out"]


def read_all(folder: Path) -> float:
    started = time.perf_counter()
    for top, _dirs, names in os.walk(folder):
        for name in names:
            with open(os.path.join(top, name), "rb") as handle:
                handle.read()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kiosks", type=int, default=500)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--hours", type=int, default=8, help="opening hours with a batch")
    parser.add_argument("--data", help="where to keep the generated folder (reused)")
    args = parser.parse_args()
    base = Path(args.data or tempfile.gettempdir()) / (
        f"kiosk-fleet-bench-{args.kiosks}k-{args.days}d-{args.hours}h"
    )
    folder = base / "uploads"
    marker = base / "generated.json"
    if not marker.exists():
        shutil.rmtree(base, ignore_errors=True)
        started = time.perf_counter()
        made = generate(folder, args.kiosks, args.days, args.hours)
        made["seconds"] = round(time.perf_counter() - started, 1)
        marker.write_text(json.dumps(made))
        print(f"generated {made['files']} files, {made['events']} events in {made['seconds']} s")
    made = json.loads(marker.read_text())
    write_heartbeats(folder, args.kiosks)
    print(f"data: {folder} ({made['files']} files, {made['events']} events)")

    cache = base / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    kiosk = [sys.executable, "-m", "kiosk"]
    out = base / "district.xlsx"
    report = [*kiosk, "fleet", "report", "--from", str(folder), "--cache", str(cache)]
    report += ["--quarter", "2026Q4", "--out", str(out), "--json"]
    status = [*kiosk, "fleet", "status", "--from", str(folder), "--cache", str(cache), "--json"]

    floor, floor_mb, _ = run_child([*kiosk, "version"], env)
    io_floor = read_all(folder)
    s_time, s_mb, s_out = run_child(status, env)
    counts = json.loads(s_out)["counts"]
    cold, cold_mb, r_out = run_child(report, env)
    warm, warm_mb, _ = run_child(report, env)
    # One more batch per kiosk on the last day (kiosks that were offline upload late).
    last = QUARTER_START + timedelta(days=args.days - 1)
    for site, kiosk_id in kiosk_ids(args.kiosks):
        target = folder / object_name("stats", last.isoformat(), site, kiosk_id, 99_999_999)
        target.write_bytes(jsonl(batch_events(random.Random(2), site, kiosk_id, last, 20, 10**7)))
    late, late_mb, late_out = run_child(report, env)
    for site, kiosk_id in kiosk_ids(args.kiosks):
        (folder / object_name("stats", last.isoformat(), site, kiosk_id, 99_999_999)).unlink()
    figures = json.loads(r_out)

    print(f"baseline `kiosk version`: {floor:.2f} s, {floor_mb:.0f} MB")
    print(f"baseline read every file once (Python): {io_floor:.2f} s")
    print(
        f"fleet status ({sum(counts.values())} kiosks: {counts}): {s_time:.2f} s"
        f" ({s_time / floor:.1f} x version), peak {s_mb:.0f} MB   goal <= 2 s"
    )
    print(
        f"fleet report cold (empty cache): {cold:.2f} s ({cold / io_floor:.2f} x reading every"
        f" file), peak {cold_mb:.0f} MB"
    )
    print(
        f"fleet report warm (nothing new): {warm:.2f} s ({warm / floor:.1f} x version),"
        f" peak {warm_mb:.0f} MB   goal <= 10 s"
    )
    print(
        f"fleet report after one late batch per kiosk: {late:.2f} s, peak {late_mb:.0f} MB"
        f" (tickets {figures['tickets_issued']} -> {json.loads(late_out)['tickets_issued']})"
    )
    print(
        f"report: {sum(figures['kiosks'].values())} kiosks, {len(figures['sites'])} sites,"
        f" tickets issued {figures['tickets_issued']}, ratings {sum(figures['ratings'].values())}"
    )


if __name__ == "__main__":
    main()
