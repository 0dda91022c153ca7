"""The kiosk database: WAL, per-feature migrations that are atomic, idempotent and ordered."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from kiosk import store


def test_open_db_uses_wal_and_durable_commits(tmp_path):
    db = store.open_db(tmp_path / "k.sqlite3")
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store.version(db, "core") == len(store.CORE_MIGRATIONS)
    store.set_value(db, "a", "1")
    assert store.get_value(db, "a") == "1"
    store.set_value(db, "a", None)
    assert store.get_value(db, "a", "gone") == "gone"


def test_migrations_run_once_in_order_and_survive_reopening(tmp_path):
    path = tmp_path / "k.sqlite3"
    calls = []

    def first(db):
        calls.append(1)
        db.execute("CREATE TABLE t (a INTEGER)")

    def second(db):
        calls.append(2)
        db.execute("ALTER TABLE t ADD COLUMN b TEXT")

    db = store.open_db(path)
    assert store.migrate(db, "feature", [first]) == 1
    db.conn.close()
    db = store.open_db(path)
    assert store.migrate(db, "feature", [first, second]) == 2
    assert store.migrate(db, "feature", [first, second]) == 2
    assert calls == [1, 2]
    assert [c.name for c in db["t"].columns] == ["a", "b"]


def test_a_failing_migration_leaves_the_previous_schema_intact(tmp_path):
    db = store.open_db(tmp_path / "k.sqlite3")

    def good(db):
        db.execute("CREATE TABLE t (a INTEGER)")

    def bad(db):
        db.execute("CREATE TABLE u (a INTEGER)")
        raise RuntimeError("disk on fire")

    store.migrate(db, "feature", [good])
    with pytest.raises(RuntimeError):
        store.migrate(db, "feature", [good, bad])
    assert store.version(db, "feature") == 1
    assert "u" not in db.table_names()


def test_a_database_from_a_newer_program_is_refused(tmp_path):
    db = store.open_db(tmp_path / "k.sqlite3")
    store.migrate(db, "feature", [lambda d: None, lambda d: None])
    with pytest.raises(store.StoreError, match="newer than this program knows"):
        store.migrate(db, "feature", [lambda d: None])


def test_features_are_independent(tmp_path):
    db = store.open_db(tmp_path / "k.sqlite3")
    store.migrate(db, "a", [lambda d: d.execute("CREATE TABLE a (x)")])
    store.migrate(db, "b", [lambda d: d.execute("CREATE TABLE b (x)")] * 1)
    assert store.version(db, "a") == store.version(db, "b") == 1


def test_concurrent_processes_migrate_exactly_once(tmp_path):
    path = tmp_path / "k.sqlite3"
    script = f"""
import sys
sys.path.insert(0, {str(store.__file__.rsplit("/kiosk/", 1)[0])!r})
from kiosk import store
def m(db):
    db.execute("CREATE TABLE counted (x)")
    db.execute("INSERT INTO counted VALUES (1)")
db = store.open_db({str(path)!r})
store.migrate(db, "race", [m])
"""
    procs = [subprocess.Popen([sys.executable, "-c", script]) for _ in range(4)]
    assert [p.wait(timeout=60) for p in procs] == [0, 0, 0, 0]
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT COUNT(*) FROM counted").fetchone()[0] == 1


def test_unopenable_path_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(store.StoreError, match="cannot open the database"):
        store.open_db(blocker / "k.sqlite3")
