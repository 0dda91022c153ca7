"""The sync state staff see, from what is on disk, and the [sync] settings."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from kiosk import clock, config
from kiosk.errors import ConfigError
from kiosk.packs import manifest
from kiosk.packs.installed import Installed
from kiosk.sync.errors import LocalProblem, Offline, Refused
from kiosk.sync.status import Record, report

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
KEY = "A" * 43 + "="  # 32 zero-ish bytes, well-formed base64


@pytest.fixture
def settings(config_file):
    return config.load(config_file(sync={"url": "http://packs.example/yubei", "public_key": KEY}))


def install(settings, version: int, expires: datetime) -> None:
    """A version folder with a manifest (only its expiry matters to the status)."""
    store = Installed(settings.sync.packs)
    store.ensure()
    found = manifest.Manifest("yubei", version, NOW - timedelta(days=1), expires, "0.1.0", {})
    store.stage(version, found.to_bytes(), b"sig")
    store.activate(version, None)


def record(settings, **values) -> None:
    store = Installed(settings.sync.packs)
    Record(**values).save(store)


def at(hours: float) -> str:
    return (NOW + timedelta(hours=hours)).isoformat()


def state(settings) -> str:
    with clock.freeze(NOW):
        return report(settings).state


def test_no_url_is_disabled_and_never_stale(config_file):
    settings = config.load(config_file())
    assert state(settings) == "disabled"


def test_before_the_first_attempt_the_state_is_never(settings):
    assert state(settings) == "never"


def test_a_recent_success_is_online(settings):
    install(settings, 3, NOW + timedelta(days=30))
    record(settings, first_attempt=at(-100), last_attempt=at(-1), last_success=at(-1))
    found = report(settings, now=NOW)
    assert (found.state, found.active, found.stale) == ("online", 3, False)
    assert found.active_expires == NOW + timedelta(days=30)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (Offline("timeout", "x"), "offline-but-serving"),
        (Refused("signature", "x"), "failing"),
        (LocalProblem("disk-full", "x"), "failing"),
    ],
)
def test_the_kind_of_the_last_error_decides_offline_or_failing(settings, error, expected):
    install(settings, 3, NOW + timedelta(days=30))
    saved = Record(first_attempt=at(-5), last_attempt=at(-2), last_success=at(-3))
    saved.fail(error, 1, 0)
    saved.save(Installed(settings.sync.packs))
    found = report(settings, now=NOW)
    assert found.state == expected
    assert found.last_error_code == error.code


def test_no_success_for_longer_than_stale_after_is_stale(settings):
    install(settings, 3, NOW + timedelta(days=30))
    saved = Record(first_attempt=at(-200), last_attempt=at(-1), last_success=at(-73))
    saved.fail(Offline("unreachable", "x"), 1, 0)
    saved.save(Installed(settings.sync.packs))
    assert report(settings, now=NOW).state == "stale"
    assert report(settings, now=NOW - timedelta(hours=2)).state == "offline-but-serving"


def test_never_succeeding_counts_from_the_first_attempt(settings):
    saved = Record(first_attempt=at(-80), last_attempt=at(-1))
    saved.fail(Offline("unreachable", "x"), 1, 0)
    saved.save(Installed(settings.sync.packs))
    assert report(settings, now=NOW).state == "stale"


def test_an_expired_active_manifest_is_stale_even_when_polls_succeed(settings):
    install(settings, 3, NOW - timedelta(minutes=1))
    record(settings, first_attempt=at(-5), last_attempt=at(-1), last_success=at(-1))
    found = report(settings, now=NOW)
    assert found.state == "stale" and found.stale


def test_stale_wins_over_failing(settings):
    install(settings, 3, NOW - timedelta(minutes=1))
    saved = Record(first_attempt=at(-5), last_attempt=at(-1), last_success=at(-2))
    saved.fail(Refused("rollback", "x"), 1, 0)
    saved.save(Installed(settings.sync.packs))
    assert report(settings, now=NOW).state == "stale"


def test_a_damaged_status_file_is_ignored(settings):
    store = Installed(settings.sync.packs)
    store.ensure()
    store.status_file.write_text("{broken", encoding="utf-8")
    assert report(settings, now=NOW).state == "never"


def test_stale_after_is_configurable(settings):
    install(settings, 3, NOW + timedelta(days=30))
    record(settings, first_attempt=at(-10), last_attempt=at(-6), last_success=at(-6))
    short = dataclasses.replace(settings, sync=dataclasses.replace(settings.sync, stale_after=5))
    assert report(settings, now=NOW).state == "online"
    assert report(short, now=NOW).state == "stale"


# --- [sync] in kiosk.ini -------------------------------------------------------------------


def test_sync_defaults_are_off_and_sensible():
    sync = config.defaults().sync
    assert sync.url == "" and sync.public_key == ""
    assert (sync.interval, sync.jitter, sync.stale_after) == (900, 120, 72)
    assert sync.packs.name == "packs"


def test_the_url_gets_a_trailing_slash(config_file):
    loaded = config.load(config_file(sync={"url": "https://packs.example/yubei"}))
    assert loaded.sync.url == "https://packs.example/yubei/"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("url", "packs.example/yubei"),
        ("url", "ftp://packs.example/"),
        ("url", "http://packs.example/a b"),
        ("public_key", "not base64!"),
        ("public_key", "QUJD"),  # base64 but 3 bytes
        ("interval", "5"),
        ("stale_after", "0"),
    ],
)
def test_bad_sync_values_name_the_key(config_file, key, value):
    with pytest.raises(ConfigError) as caught:
        config.load(config_file(sync={key: value}))
    assert f"[sync] {key}" in str(caught.value)


def test_the_bundled_kiosk_ini_documents_every_sync_key():
    text = config.DEFAULT_CONFIG.read_text(encoding="utf-8")
    section = text.split("[sync]")[1]
    for field in dataclasses.fields(config.SyncSection):
        assert f"\n{field.name} =" in section
