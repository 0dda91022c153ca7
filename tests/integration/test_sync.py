"""Sync against a real HTTP server on loopback, with faults injected.

Every refusal is checked the same way: the error says why, and the kiosk's active pack is
exactly what it was (same pointer, same objects, still loads, nothing half-written left).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kiosk.packs import manifest
from kiosk.packs.installed import Installed
from kiosk.packs.loader import load_content
from kiosk.sync import engine as engine_module
from kiosk.sync.engine import Engine
from kiosk.sync.errors import SyncError
from kiosk.sync.status import report
from tests.integration.packserver import free_port, kiosk_settings, pattern


def sync(settings: Any) -> Any:
    return Engine(settings).run_once()


def refused(settings: Any, code: str, kind: str | None = None) -> SyncError:
    with pytest.raises(SyncError) as caught:
        sync(settings)
    assert caught.value.code == code, str(caught.value)
    if kind:
        assert caught.value.kind == kind
    return caught.value


def store(settings: Any) -> Installed:
    return Installed(settings.sync.packs)


def snapshot(settings: Any) -> dict[str, Any]:
    """Everything that makes up the kiosk's installed content."""
    installed = store(settings)
    root = installed.root
    files = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.name not in ("status.json", "sync.lock", "health.json"):
            files[str(path.relative_to(root))] = path.read_bytes()
    return {"state": installed.state(), "files": files}


def assert_untouched(settings: Any, before: dict[str, Any]) -> None:
    after = snapshot(settings)
    assert after["state"] == before["state"]
    assert after["files"].keys() == before["files"].keys(), "nothing added, nothing removed"
    assert after["files"] == before["files"]
    loaded = load_content(settings)
    assert loaded.origin == "built"
    assert loaded.installed_version == before["state"].active
    assert loaded.notes == ()


def object_requests(server: Any) -> list[str]:
    return [e.path.rsplit("/", 1)[1] for e in server.log() if e.path.startswith("/objects/")]


def manifest_of(folder: Path) -> manifest.Manifest:
    return manifest.parse_manifest((folder / "manifest.json").read_bytes())


# --- the normal path ---------------------------------------------------------------------------


def test_first_sync_installs_and_the_kiosk_shows_the_installed_pack(settings, server, publisher):
    assert load_content(settings).origin == "bundled"
    outcome = sync(settings)
    assert (outcome.result, outcome.version) == ("installed", 1)
    loaded = load_content(settings)
    assert loaded.origin == "built" and loaded.pack.version == 1
    clip = Path(loaded.pack.files["media/clip.mp4"])
    assert clip.read_bytes() == (publisher.src / "media" / "clip.mp4").read_bytes()
    assert report(settings).state == "online"


def test_new_version_is_picked_up_and_the_old_one_kept_as_previous(settings, server, publisher):
    sync(settings)
    notices = publisher.src / "notices.yaml"
    notices.write_text(
        "notices:\n- id: moved\n  title: 调解室搬到二楼\n  body: 人民调解室已搬到二楼东侧\n"
        "  start: 2020-01-01 00:00\n  end: 2099-12-31 00:00\n",
        encoding="utf-8",
    )
    publisher.publish()
    outcome = sync(settings)
    assert (outcome.result, outcome.version) == ("installed", 2)
    state = store(settings).state()
    assert (state.active, state.previous) == (2, 1)
    loaded = load_content(settings)
    assert loaded.pack.version == 2
    assert [n.title for n in loaded.pack.notices] == ["调解室搬到二楼"]


def test_an_unchanged_poll_is_one_request_without_a_body(settings, server):
    sync(settings)
    server.log()
    outcome = sync(settings)
    assert outcome.result == "unchanged"
    served = server.log()
    assert [(e.path, e.status, e.body_bytes) for e in served] == [("/manifest.json", 304, 0)]
    assert (outcome.requests, outcome.body_bytes) == (1, 0)


def test_one_changed_file_fetches_only_that_object(settings, server, publisher):
    sync(settings)
    old = manifest_of(publisher.out)
    publisher.media("guide.pdf", pattern(200_000, 99))
    publisher.publish()
    new = manifest_of(publisher.out)
    server.log()
    outcome = sync(settings)
    fetched = object_requests(server)
    expected = {e.sha256 for e in new.files.values()} - {e.sha256 for e in old.files.values()}
    assert new.files["media/guide.pdf"].sha256 in expected
    assert new.files["media/clip.mp4"].sha256 not in expected
    assert sorted(fetched) == sorted(expected)
    assert outcome.fetched == len(expected)


def test_garbage_is_collected_but_the_previous_version_is_kept(settings, server, publisher):
    sync(settings)
    v1 = manifest_of(publisher.out)
    publisher.media("guide.pdf", pattern(200_000, 10))
    publisher.publish()
    sync(settings)
    publisher.media("guide.pdf", pattern(200_000, 11))
    publisher.publish()
    sync(settings)
    v3 = manifest_of(publisher.out)
    installed = store(settings)
    state = installed.state()
    assert (state.active, state.previous) == (3, 2)
    assert sorted(installed.version_numbers()) == [2, 3]
    present = {p.name for p in installed.objects.iterdir()}
    assert v1.files["media/guide.pdf"].sha256 not in present, "needed by no kept version"
    assert {e.sha256 for e in v3.files.values()} <= present
    assert v1.files["media/clip.mp4"].sha256 in present, "still used by versions 2 and 3"


def test_a_version_another_running_kiosk_shows_is_not_collected(settings, server, publisher):
    """`kiosk sync` from the command line while the kiosk shows version 1: its files stay
    until that kiosk process is gone."""
    import subprocess
    import sys

    sync(settings)
    v1 = manifest_of(publisher.out)
    kiosk = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        store(settings).pin({1}, pid=kiosk.pid)
        for shade in (10, 11):
            publisher.media("guide.pdf", pattern(200_000, shade))
            publisher.publish()
            sync(settings)
        installed = store(settings)
        assert sorted(installed.version_numbers()) == [1, 2, 3]
        assert v1.files["media/guide.pdf"].sha256 in {p.name for p in installed.objects.iterdir()}
        assert load_content(settings).installed_version == 3
    finally:
        kiosk.kill()
        kiosk.wait()
    publisher.media("guide.pdf", pattern(200_000, 12))
    publisher.publish()
    sync(settings)
    installed = store(settings)
    assert sorted(installed.version_numbers()) == [3, 4], "the pin died with its process"
    assert not list(installed.in_use.glob("*.json"))


# --- refusals: the active pack stays exactly as it was ----------------------------------------


def test_a_tampered_object_is_refused(settings, server, publisher):
    sync(settings)
    before = snapshot(settings)
    publisher.media("guide.pdf", pattern(200_000, 5))
    publisher.publish()
    target = publisher.object_of("guide.pdf")
    data = bytearray(target.read_bytes())
    data[1000] ^= 0x01  # a mirror changed one bit; same size
    target.write_bytes(bytes(data))
    error = refused(settings, "hash", "refused")
    assert "guide.pdf" in str(error)
    assert_untouched(settings, before)
    assert report(settings).state == "failing"


def test_an_object_tampered_in_flight_is_refused(settings, server, publisher):
    sync(settings)
    before = snapshot(settings)
    publisher.media("clip.mp4", pattern(300_000, 6))
    publisher.publish()
    server.faults.flip["/objects/" + publisher.object_of("clip.mp4").name] = 150_000
    refused(settings, "hash")
    assert_untouched(settings, before)


def test_a_tampered_manifest_is_refused(settings, server, publisher):
    sync(settings)
    before = snapshot(settings)
    publisher.publish()
    raw = (publisher.out / "manifest.json").read_bytes()
    (publisher.out / "manifest.json").write_bytes(raw.replace(b'"version": 2', b'"version": 9'))
    error = refused(settings, "signature", "refused")
    assert "签名" in str(error)
    assert_untouched(settings, before)


def test_a_pack_signed_with_another_key_is_refused(tmp_path, server, publisher, other_keys):
    folder = tmp_path / "kiosk2"
    folder.mkdir()
    wrong = other_keys[1].read_text(encoding="ascii").strip()
    settings = kiosk_settings(folder, server.url, wrong)
    refused(settings, "signature")
    assert store(settings).state().active is None
    assert not list(store(settings).objects.iterdir()), "no object fetched for an untrusted pack"
    assert load_content(settings).origin == "bundled"


def test_an_older_version_is_refused_as_rollback(settings, server, publisher):
    old = publisher.snapshot("v1")
    publisher.publish()
    sync(settings)
    before = snapshot(settings)
    server.root = old.resolve()
    error = refused(settings, "rollback", "refused")
    assert "1" in str(error) and "2" in str(error)
    assert_untouched(settings, before)


def test_the_same_version_with_other_content_is_refused(settings, server, publisher):
    sync(settings)
    before = snapshot(settings)
    publisher.media("guide.pdf", pattern(200_000, 8))
    other = publisher.out.parent / "other"
    publisher.publish(version=1, out=other)  # re-signed under the number already installed
    server.root = other.resolve()
    refused(settings, "same-version")
    assert_untouched(settings, before)


def test_an_expired_manifest_is_refused_as_freeze(settings, server, publisher):
    sync(settings)
    before = snapshot(settings)
    publisher.publish(version=5, expires_days=1, now=datetime(2025, 1, 1, tzinfo=UTC))
    refused(settings, "expired", "refused")
    assert_untouched(settings, before)


@pytest.mark.parametrize("mode", ["honest-length", "endless-stream"])
def test_an_object_larger_than_the_manifest_says_is_refused(settings, server, publisher, mode):
    sync(settings)
    before = snapshot(settings)
    publisher.media("clip.mp4", pattern(300_000, 7))
    publisher.publish()
    path = "/objects/" + publisher.object_of("clip.mp4").name
    if mode == "honest-length":
        server.faults.extra[path] = 5000
    else:
        server.faults.endless.add(path)
    engine = Engine(settings)
    with pytest.raises(SyncError) as caught:
        engine.run_once()
    assert caught.value.code == "too-large"
    assert_untouched(settings, before)
    assert not list(store(settings).partial.iterdir())
    # the kiosk stopped reading right after the declared size (plus one network chunk)
    from kiosk.sync.status import Record

    assert Record.load(store(settings)).last_bytes < 300_000 + 2 * (1 << 20)


def test_a_pack_without_this_kiosks_site_is_refused(settings, server, publisher):
    sync(settings)
    before = snapshot(settings)
    sites = publisher.src / "sites.yaml"
    text = sites.read_text(encoding="utf-8")
    assert "yubei-center" in text
    other = dataclasses.replace(settings, kiosk=dataclasses.replace(settings.kiosk, site="nowhere"))
    publisher.publish()
    refused(other, "no-site")
    assert_untouched(settings, before)


# --- interruptions -----------------------------------------------------------------------------


def test_a_connection_cut_mid_object_is_resumed_not_restarted(settings, server, publisher):
    sync(settings)
    big = 4_000_000
    publisher.media("clip.mp4", pattern(big, 12))
    publisher.publish()
    path = "/objects/" + publisher.object_of("clip.mp4").name
    server.faults.cut_after[path] = big // 2
    server.log()
    sends = server.production_sends
    outcome = sync(settings)
    assert outcome.version == 2
    assert server.production_sends > sends, "the resumed range went out through sendfile"
    served = [e for e in server.log() if e.path == path]
    assert [(e.status, e.range) for e in served] == [(200, None), (206, f"bytes={big // 2}-")]
    moved = sum(e.body_bytes for e in served)
    assert big <= moved <= big * 1.05
    assert load_content(settings).pack.files["media/clip.mp4"]


def test_a_download_cut_every_time_resumes_in_the_next_run(settings, server, publisher):
    sync(settings)
    big = 3_000_000
    publisher.media("clip.mp4", pattern(big, 13))
    publisher.publish()
    path = "/objects/" + publisher.object_of("clip.mp4").name
    server.faults.cut_after[path] = 1_000_000
    server.faults.cut_times[path] = 1
    engine = Engine(settings)
    engine.retries = 0
    with pytest.raises(SyncError) as caught:
        engine.run_once()
    assert caught.value.kind == "offline"
    assert store(settings).state().active == 1
    part = store(settings).part_path(publisher.object_of("clip.mp4").name)
    assert part.stat().st_size == 1_000_000, "what arrived is kept for the next run"
    assert report(settings).state == "offline-but-serving"
    server.log()
    assert sync(settings).version == 2
    served = [e for e in server.log() if e.path == path]
    assert [(e.status, e.range) for e in served] == [(206, "bytes=1000000-")]
    assert served[0].body_bytes == big - 1_000_000


def test_a_server_that_ignores_range_still_gives_a_whole_verified_object(
    settings, server, publisher
):
    sync(settings)
    publisher.media("clip.mp4", pattern(1_000_000, 14))
    publisher.publish()
    path = "/objects/" + publisher.object_of("clip.mp4").name
    server.faults.cut_after[path] = 400_000
    server.faults.ignore_range.add(path)
    assert sync(settings).version == 2
    served = [e for e in server.log() if e.path == path]
    assert [e.status for e in served] == [200, 200]


def test_server_down_means_offline_but_serving(tmp_path, settings, server, publisher):
    sync(settings)
    before = snapshot(settings)
    down = dataclasses.replace(
        settings,
        sync=dataclasses.replace(settings.sync, url=f"http://127.0.0.1:{free_port()}/"),
    )
    error = refused(down, "unreachable", "offline")
    assert "无法连接" in str(error)
    assert_untouched(settings, before)
    found = report(down)
    assert found.state == "offline-but-serving"
    assert found.last_error == str(error)
    assert found.active == 1


def test_a_slow_server_times_out_and_the_kiosk_keeps_serving(settings, server, publisher):
    sync(settings)
    before = snapshot(settings)
    slow = dataclasses.replace(settings, sync=dataclasses.replace(settings.sync, timeout=1))
    server.faults.delay["/manifest.json"] = 2.5
    refused(slow, "timeout", "offline")
    assert_untouched(settings, before)
    assert report(slow).state == "offline-but-serving"


def test_server_errors_are_offline_and_a_missing_pack_is_failing(settings, server):
    server.faults.status["/manifest.json"] = 503
    refused(settings, "server-error", "offline")
    assert report(settings).state == "offline-but-serving"
    server.faults.status["/manifest.json"] = 404
    refused(settings, "not-found", "failing")
    assert report(settings).state == "failing"
    server.faults.status.clear()
    sync(settings)
    assert report(settings).state == "online"


def test_a_failed_download_is_retried_at_the_next_poll(settings, server, publisher):
    """Xibo's hole: a failed download never retried while the server's checksum is unchanged."""
    sync(settings)
    publisher.media("guide.pdf", pattern(200_000, 15))
    publisher.publish()
    path = "/objects/" + publisher.object_of("guide.pdf").name
    server.faults.status[path] = 503
    refused(settings, "server-error")
    server.faults.status.clear()
    assert sync(settings).version == 2


# --- disk full (a real, small file system) -----------------------------------------------------


def _on_small_disk(tmp_path, server, publisher, disk) -> Any:
    folder = tmp_path / "kiosk-small"
    folder.mkdir()
    return kiosk_settings(
        folder, server.url, publisher.public_key, packs=str(disk / "packs"), reserve_mb="0"
    )


def test_disk_full_is_refused_before_downloading_anything(tmp_path, server, publisher, small_disk):
    settings = _on_small_disk(tmp_path, server, publisher, small_disk)
    sync(settings)
    before = snapshot(settings)
    publisher.media("clip.mp4", pattern(6_000_000, 16))  # more than the 4 MB disk
    publisher.publish()
    server.log()
    error = refused(settings, "disk-full", "local")
    assert "磁盘空间不足" in str(error)
    assert object_requests(server) == [], "not a byte of an object was fetched"
    assert_untouched(settings, before)
    assert report(settings).state == "failing"
    # and the next poll does not download it again and again (Xibo's full-disk loop)
    refused(settings, "disk-full")
    assert object_requests(server) == []


def test_the_disk_filling_up_during_a_download_fails_cleanly(
    tmp_path, server, publisher, small_disk, monkeypatch
):
    settings = _on_small_disk(tmp_path, server, publisher, small_disk)
    sync(settings)
    before = snapshot(settings)
    publisher.media("clip.mp4", pattern(5_000_000, 17))
    publisher.publish()
    # Something else took the space between the check and the writes: the check is told
    # there is room, the kernel then says ENOSPC for real.
    monkeypatch.setattr(engine_module, "free_space", lambda _folder: 10**12)
    error = refused(settings, "disk", "local")
    assert "无法写入" in str(error)
    assert not list(store(settings).partial.iterdir()), "no half-written file is left"
    assert_untouched(settings, before)


# --- start-up: falling back, and the next sync repairing -------------------------------------


def test_a_damaged_active_pack_falls_back_to_the_previous_and_sync_repairs_it(
    settings, server, publisher
):
    sync(settings)
    v1 = manifest_of(publisher.out)
    (publisher.src / "notices.yaml").write_text(
        "notices:\n- id: n1\n  title: 新通知\n", encoding="utf-8"
    )
    publisher.publish()
    sync(settings)
    installed = store(settings)
    v2 = manifest_of(publisher.out)
    content = next(e for k, e in v2.files.items() if k.startswith("_kiosk/"))
    assert content not in v1.files.values(), "the damage is to version 2 only"
    target = installed.object_path(content.sha256)
    data = bytearray(target.read_bytes())
    data[10] ^= 0x20
    target.write_bytes(bytes(data))

    loaded = load_content(settings)
    assert (loaded.origin, loaded.installed_version) == ("built", 1)
    assert any("第2版" in note and "未通过校验" in note for note in loaded.notes)
    assert any("上一版" in note for note in loaded.notes)
    assert 2 in report(settings).broken

    outcome = sync(settings)
    assert (outcome.result, outcome.version) == ("repaired", 2)
    assert object_requests(server)[-1:] == [content.sha256]
    loaded = load_content(settings)
    assert (loaded.installed_version, loaded.notes) == (2, ())
    assert report(settings).broken == {}


def test_when_no_installed_pack_loads_the_bundled_content_is_shown(settings, server, publisher):
    sync(settings)
    installed = store(settings)
    for path in installed.objects.iterdir():
        path.write_bytes(b"")
    loaded = load_content(settings)
    assert loaded.origin == "bundled"
    assert loaded.notes[-1] == "已改用内置默认内容"


def test_a_damaged_state_file_is_rebuilt_from_the_versions_present(settings, server, publisher):
    sync(settings)
    publisher.publish()
    sync(settings)
    store(settings).state_file.write_text("{not json", encoding="utf-8")
    loaded = load_content(settings)
    assert loaded.installed_version == 2
    assert any("state.json" in note for note in loaded.notes)
    # rollback protection still holds with the rebuilt pointer
    assert store(settings).state().active == 2


def test_a_preview_still_shows_the_sources(settings, server, publisher):
    sync(settings)
    loaded = load_content(settings, preview=publisher.src)
    assert loaded.origin == "preview"


def test_installed_packs_without_a_pinned_key_are_not_shown(settings, server, publisher):
    sync(settings)
    keyless = dataclasses.replace(settings, sync=dataclasses.replace(settings.sync, public_key=""))
    loaded = load_content(keyless)
    assert loaded.origin == "bundled"
    assert any("public_key" in note for note in loaded.notes)


def test_two_syncs_at_once_do_not_collide(settings, server, publisher):
    from kiosk import durable

    with durable.exclusive(store(settings).lock_file) as mine:
        assert mine
        refused(settings, "busy")
    assert sync(settings).version == 1


def test_leftovers_of_an_interrupted_run_are_cleaned(settings, server, publisher):
    sync(settings)
    installed = store(settings)
    (installed.versions / ".new-7-123").mkdir()
    (installed.partial / ("0" * 64 + ".part")).write_bytes(b"junk")
    (installed.objects / ("f" * 64)).write_bytes(b"junk")
    publisher.publish()
    sync(settings)
    assert not (installed.versions / ".new-7-123").exists()
    assert not list(installed.partial.iterdir())
    assert not (installed.objects / ("f" * 64)).exists()


def test_the_store_can_live_on_a_fresh_disk(tmp_path, server, publisher):
    folder = tmp_path / "fresh"
    folder.mkdir()
    settings = kiosk_settings(
        folder, server.url, publisher.public_key, packs=str(tmp_path / "a" / "b" / "packs")
    )
    assert sync(settings).version == 1
    shutil.rmtree(tmp_path / "a")
    assert sync(settings).version == 1, "a wiped store is filled again"
    assert os.path.isdir(tmp_path / "a" / "b" / "packs" / "objects")


def test_closing_the_kiosk_stops_a_download_mid_file_and_keeps_what_arrived(
    settings, server, publisher
):
    import threading

    from kiosk.sync.status import Record

    sync(settings)
    publisher.media("clip.mp4", pattern(3_000_000, 21))
    publisher.publish()
    server.faults.rate = 1_000_000
    stop = threading.Event()
    engine = Engine(settings, stop=stop)
    errors: list[SyncError] = []

    def run() -> None:
        try:
            engine.run_once()
        except SyncError as exc:
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 60
    while engine.progress.done < 500_000 and time.monotonic() < deadline:
        time.sleep(0.02)
    stop.set()
    thread.join(30)
    assert not thread.is_alive()
    assert [e.code for e in errors] == ["stopped"], "stopped mid-file, not after finishing it"
    part = store(settings).part_path(publisher.object_of("clip.mp4").name)
    assert 500_000 <= part.stat().st_size < 3_000_000
    assert store(settings).state().active == 1
    assert Record.load(store(settings)).last_outcome == "installed", "no failure recorded"
    server.faults.rate = None
    assert sync(settings).version == 2
