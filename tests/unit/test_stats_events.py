"""Anonymous statistics events: a real SQLite file, paging for the uploader, never raising."""

from __future__ import annotations

import logging
import sqlite3

import pytest

from kiosk import clock, config, identity, stats, store
from kiosk.stats import events
from tests.conftest import write_config
from tests.tickets.env import TicketEnv


@pytest.fixture
def settings(tmp_path):
    yield config.load(write_config(tmp_path))
    events.close_all()


def test_a_recorded_event_is_one_row_with_site_kiosk_day_and_no_personal_fields(settings):
    with clock.freeze("2026-10-02 09:15:30"):
        assert stats.record(
            settings, stats.TICKET_CALLED, subject="legal-aid", counter="3", value=42
        )
    rows = stats.events_after(settings, 0, 10)
    assert len(rows) == 1
    row = rows[0]
    assert set(row) == set(stats.FIELDS)
    assert row["at"].startswith("2026-10-02T09:15:30") and row["day"] == "2026-10-02"
    assert row["site"] == settings.kiosk.site
    assert row["kiosk"] == identity.kiosk_id(settings.kiosk.data_dir)
    assert (row["kind"], row["subject"], row["counter"], row["value"]) == (
        "ticket_called",
        "legal-aid",
        "3",
        42.0,
    )
    # Written to the kiosk's own database file, through the store's migration ledger.
    db = store.open_db(settings.store.path)
    assert store.version(db, "stats") == len(events.MIGRATIONS)
    assert db.conn.execute("SELECT COUNT(*) FROM stats_events").fetchone()[0] == 1


def test_events_after_pages_in_id_order_for_the_uploader(settings):
    for number in range(25):
        stats.record(settings, stats.FEATURE, subject=f"f{number}")
    first = stats.events_after(settings, 0, 10)
    second = stats.events_after(settings, first[-1]["id"], 10)
    rest = stats.events_after(settings, second[-1]["id"], 100)
    subjects = [row["subject"] for row in first + second + rest]
    assert subjects == [f"f{number}" for number in range(25)]
    assert stats.events_after(settings, rest[-1]["id"], 10) == []


def test_an_open_database_works_with_explicit_site_and_kiosk(tmp_path):
    db = store.open_db(tmp_path / "hall.sqlite3")
    assert stats.record(db, stats.TICKET_SERVED, "A", "2", 300, site="s1", kiosk="k-000000000001")
    (row,) = stats.events_after(db.conn, 0, 5)
    assert (row["site"], row["kiosk"], row["value"]) == ("s1", "k-000000000001", 300.0)


def test_a_failed_write_is_logged_and_never_raises(tmp_path, caplog):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    broken = config.load(
        write_config(tmp_path, {"store": {"path": str(blocked / "kiosk.sqlite3")}})
    )
    with caplog.at_level(logging.ERROR):
        assert stats.record(broken, stats.VISIT) is False
    assert "could not record" in caplog.text
    closed = sqlite3.connect(":memory:")
    closed.close()
    assert stats.record(closed, stats.VISIT) is False


def test_record_soon_writes_in_the_background_with_the_moment_of_the_tap(settings):
    with clock.freeze("2026-11-30 16:59:59"):
        stats.record_soon(settings, stats.SEARCH, subject="institution")
    assert stats.flush(5)
    (row,) = stats.events_after(settings, 0, 5)
    assert row["kind"] == "search" and row["at"].startswith("2026-11-30T16:59:59")


def test_issuing_a_ticket_and_a_failed_print_are_counted(tmp_path):
    env = TicketEnv(tmp_path)
    try:
        blocked = tmp_path / "not-a-folder"
        blocked.write_text("x")
        desk = env.desk(url=f"image://{blocked}/")
        with clock.freeze("2025-06-03 09:30"):
            desk.issue_and_print("A")
        kinds = [(r["kind"], r["subject"]) for r in stats.events_after(env.settings, 0, 10)]
        service = desk.find_service("A").id
        assert kinds == [("ticket_issued", service), ("printer_fault", "error")]
    finally:
        env.close()
        events.close_all()
