"""The outbox on a real SQLite file: bounded by merging into daily summaries, then counted drops."""

from __future__ import annotations

import json
import random

from kiosk.upload.outbox import HEARTBEAT, STATS, STATS_DAILY, Outbox, heartbeat_name
from kiosk.upload.sender import backoff


def event(i: int, day: str, kind: str = "ticket_issued", value: float | None = 30.0) -> dict:
    return {
        "id": i,
        "at": f"{day}T10:00:00+08:00",
        "day": day,
        "site": "s",
        "kiosk": "k-000000000001",
        "kind": kind,
        "subject": "A",
        "counter": None,
        "value": value,
    }


def fill(box: Outbox, days: list[str], per_day: int, events_each: int = 3) -> int:
    count = 0
    with box.transaction():
        for day in days:
            for _ in range(per_day):
                rows = [event(count + j, day) for j in range(events_each)]
                box.add_batch(STATS, day, "s", "k-000000000001", rows)
                count += events_each
    return count


def lines_of(box: Outbox) -> list[dict]:
    rows = box.conn.execute("SELECT kind, body FROM upload_outbox WHERE kind != ?", (HEARTBEAT,))
    return [json.loads(line) | {"_kind": kind} for kind, body in rows for line in body.splitlines()]


def test_over_the_bound_the_oldest_days_become_daily_summaries_with_the_same_totals(tmp_path):
    box = Outbox(tmp_path / "k.sqlite3")
    total = fill(box, ["2026-11-01", "2026-11-02", "2026-11-03"], per_day=10)
    box.enforce_bound(12, "s", "k-000000000001")
    kinds = [r[0] for r in box.conn.execute("SELECT kind FROM upload_outbox ORDER BY id")]
    assert kinds.count(STATS_DAILY) == 2 and kinds.count(STATS) == 10  # 11-03 kept in detail
    daily = [line for line in lines_of(box) if line["_kind"] == STATS_DAILY]
    assert {d["day"] for d in daily} == {"2026-11-01", "2026-11-02"}
    counted = sum(d["n"] for d in daily) + sum(1 for x in lines_of(box) if x["_kind"] == STATS)
    assert counted == total  # nothing dropped, only merged
    assert sum(d["total"] for d in daily) == 30.0 * 60
    assert box.get_int("merged") == 20 and box.get_int("dropped") == 0
    assert any(n.startswith("stats_daily/dt=2026-11-01/site=s/kiosk=") for n in box.names())


def test_a_batch_already_tried_is_never_merged(tmp_path):
    """Its PUT may have arrived with the reply lost: merging it would count it twice."""
    box = Outbox(tmp_path / "k.sqlite3")
    fill(box, ["2026-11-01"], per_day=4)
    head = box.due(1)[0]
    box.tried(head)
    box.enforce_bound(2, "s", "k-000000000001")
    names = box.names()
    assert head.name in names
    assert sum(n.startswith("stats_daily/") for n in names) == 1 and len(names) == 2


def test_when_merging_is_not_enough_the_oldest_are_dropped_and_counted(tmp_path):
    box = Outbox(tmp_path / "k.sqlite3")
    days = [f"2026-10-{d:02d}" for d in range(1, 11)]
    fill(box, days, per_day=1, events_each=5)
    with box.transaction():
        box.put_latest(heartbeat_name("s", "k-000000000001"), HEARTBEAT, b"{}")
    box.enforce_bound(4, "s", "k-000000000001")
    remaining = [n for n in box.names() if not n.startswith("heartbeat/")]
    assert [n.split("/")[1] for n in remaining] == [f"dt=2026-10-{d:02d}" for d in (7, 8, 9, 10)]
    assert box.get_int("dropped") == 6 and box.get_int("dropped_lines") == 30
    assert any(n.startswith("heartbeat/") for n in box.names())  # never dropped


def test_a_newer_heartbeat_written_during_a_put_survives_the_old_ones_confirmation(tmp_path):
    box = Outbox(tmp_path / "k.sqlite3")
    name = heartbeat_name("s", "k-000000000001")
    with box.transaction():
        box.put_latest(name, HEARTBEAT, b'{"n":1}')
    sending = box.due()[0]
    with box.transaction():
        box.put_latest(name, HEARTBEAT, b'{"n":2}')
    box.confirmed(sending)
    left = box.due()
    assert [(i.name, i.body) for i in left] == [(name, b'{"n":2}')]


def test_backoff_doubles_from_five_seconds_and_stays_under_the_cap():
    rng = random.Random(1)
    for failures, step in [(1, 5), (2, 10), (3, 20), (4, 40), (8, 300), (30, 300)]:
        for _ in range(20):
            assert step / 2 <= backoff(failures, 300, rng) <= step
