"""`kiosk sync --once` and `kiosk status` as staff run them, in fresh processes."""

from __future__ import annotations

import json

from tests.conftest import run_cli
from tests.integration.packserver import pattern


def test_sync_once_installs_then_reports_nothing_new(settings, server):
    first = run_cli("sync", "--once", config=settings.file)
    assert first.returncode == 0, first.stderr
    assert "已安装并启用第1版" in first.stdout
    again = run_cli("sync", "--once", "--json", config=settings.file)
    result = json.loads(again.stdout)
    assert result == {
        "ok": True,
        "result": "unchanged",
        "version": 1,
        "fetched": 0,
        "requests": 1,
        "bytes": 0,
    }


def test_status_shows_versions_state_times_error_and_disk(settings, server, publisher):
    run_cli("sync", "--once", config=settings.file)
    publisher.media("guide.pdf", pattern(200_000, 30))
    publisher.publish()
    run_cli("sync", "--once", config=settings.file)
    server.faults.status["/manifest.json"] = 503
    failed = run_cli("sync", "--once", config=settings.file)
    assert failed.returncode == 1
    assert failed.stderr.startswith("kiosk: 服务器") and "503" in failed.stderr
    assert "Traceback" not in failed.stderr

    shown = json.loads(run_cli("status", "--json", config=settings.file).stdout)
    assert shown["state"] == "offline-but-serving"
    assert (shown["active"], shown["previous"]) == (2, 1)
    assert shown["last_attempt"] and shown["last_success"]
    assert shown["last_attempt"] >= shown["last_success"]
    assert "503" in shown["last_error"]
    assert shown["disk"]["total"] >= 500_000 and shown["disk"]["free"] > 0
    assert shown["active_expires"]

    human = run_cli("status", config=settings.file).stdout
    expected = ("当前版本：第2版", "上一版本：第1版", "offline-but-serving", "503", "磁盘占用")
    for text in expected:
        assert text in human


def test_a_refused_pack_fails_the_command_with_the_reason(settings, server, publisher):
    run_cli("sync", "--once", config=settings.file)
    raw = (publisher.out / "manifest.json").read_bytes()
    (publisher.out / "manifest.json").write_bytes(raw.replace(b'"pack"', b'"pack" ', 1))
    result = run_cli("sync", "--once", "--json", config=settings.file)
    assert result.returncode == 1
    assert json.loads(result.stdout)["code"] == "signature"
    shown = json.loads(run_cli("status", "--json", config=settings.file).stdout)
    assert shown["state"] == "failing" and shown["active"] == 1


def test_sync_without_a_url_says_what_to_set(config_file):
    result = run_cli("sync", "--once", config=config_file())
    assert result.returncode == 1
    assert "[sync] url" in result.stderr
    shown = json.loads(run_cli("status", "--json", config=config_file()).stdout)
    assert shown["state"] == "disabled" and shown["active"] is None


def test_a_bad_public_key_in_kiosk_ini_is_named(config_file):
    result = run_cli("status", config=config_file(sync={"public_key": "not-a-key"}))
    assert result.returncode == 2
    assert "[sync] public_key" in result.stderr


def test_a_bad_url_in_kiosk_ini_is_named(config_file):
    result = run_cli("status", config=config_file(sync={"url": "ftp://example"}))
    assert result.returncode == 2
    assert "[sync] url" in result.stderr and "http://" in result.stderr
