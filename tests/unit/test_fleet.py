"""Fleet status states and the report's tallies on crafted upload folders (real files, DuckDB)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from kiosk.fleet import report, status
from kiosk.stats.summary import Quarter
from kiosk.upload.outbox import heartbeat_name, jsonl, object_name

NOW = datetime.fromisoformat("2026-11-20T10:00:00+08:00")


def beat(kiosk: str, age: int, **extra: object) -> dict:
    return {
        "kiosk": kiosk,
        "site": "s1",
        "time": (NOW - timedelta(seconds=age)).isoformat(),
        "pack": 7,
        "interval": 300,
        "sync": {"state": "online"},
        "printer": {"state": "ok"},
        "disk_free": 50 << 30,
        "upload": {"pending": 0, "dropped": 0, "last_error": None},
        **extra,
    }


def test_states_and_problems_from_heartbeats(tmp_path: Path):
    beats = [
        beat("k-online", 100),
        beat("k-late", 1500),
        beat("k-silent", 4 * 3600),
        beat("k-printer", 60, printer={"state": "failed", "error": "缺纸"}),
        beat("k-old-pack", 60, pack=6),
        beat("k-upload", 60, upload={"pending": 40, "dropped": 3, "last_error": "HTTP 507"}),
        beat("k-disk", 60, disk_free=100 << 20),
    ]
    for b in beats:
        target = tmp_path / heartbeat_name("s1", b["kiosk"])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(b))
    (tmp_path / heartbeat_name("s1", "k-damaged")).write_text("{not json")
    rows = {r.kiosk: r for r in status.rows(status.read_heartbeats(tmp_path), NOW, published=7)}
    assert {k: r.state for k, r in rows.items()} == {
        "k-online": "online",
        "k-late": "late",
        "k-silent": "silent",
        "k-printer": "failing",
        "k-old-pack": "failing",
        "k-upload": "failing",
        "k-disk": "failing",
        "k-damaged": "silent",
    }
    assert rows["k-old-pack"].behind and "落后于已发布的第7版" in rows["k-old-pack"].problems[0]
    assert "缺纸" in rows["k-printer"].problems[0]
    assert any("丢弃 3 批" in p for p in rows["k-upload"].problems)
    assert rows["k-damaged"].problems[0] == "心跳文件损坏"
    assert not rows["k-online"].behind and rows["k-online"].problems == []


def test_report_counts_detail_batches_and_merged_daily_summaries_once(tmp_path: Path):
    source, cache = tmp_path / "up", tmp_path / "cache"

    def put(kind: str, day: str, seq: int, rows: list[dict]) -> None:
        target = source / object_name(kind, day, "s1", "k-1", seq)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(jsonl(rows))

    def event(day: str, kind: str, value: float | None = None) -> dict:
        return {"id": 1, "at": f"{day}T10:00:00+08:00", "day": day, "site": "s1",
                "kiosk": "k-1", "kind": kind, "subject": "a", "counter": None, "value": value}  # fmt: skip

    put("stats", "2026-11-02", 1, [event("2026-11-02", "ticket_issued")] * 3)
    put(
        "stats",
        "2026-11-02",
        2,
        [event("2026-11-02", "rating", 5), event("2026-11-02", "rating", 1)],
    )
    put("stats", "2027-01-02", 3, [event("2027-01-02", "ticket_issued")])  # next quarter
    daily = {"day": "2026-10-05", "site": "s1", "kiosk": "k-1", "subject": "a", "counter": None}
    put("stats_daily", "2026-10-05", 4, [
        {**daily, "kind": "ticket_issued", "level": None, "n": 10, "total": 0},
        {**daily, "kind": "rating", "level": 4, "n": 2, "total": 8},
    ])  # fmt: skip
    built = report.build(source, cache, Quarter(2026, 4), {"s1": "一号站"}, {}, "全区")
    data = built.district.as_json()
    assert data["tickets_issued"] == 13
    assert data["ratings"] == {
        "非常满意": 1,
        "满意": 2,
        "基本满意": 0,
        "不满意": 0,
        "非常不满意": 1,
    }
    assert built.kiosks == {"s1": 1} and built.sites["s1"].site_name == "一号站"
    assert data["months"]["2026-10"]["tickets_issued"] == 10

    put("stats", "2026-11-02", 5, [event("2026-11-02", "ticket_issued")])  # uploaded late
    again = report.build(source, cache, Quarter(2026, 4), {}, {}, "全区")
    assert again.district.as_json()["tickets_issued"] == 14
