"""Signing key rotation against a real pack server: the current key hands over, kiosks pin the
new key atomically, a retired key signs nothing more, a kiosk that was off catches up."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kiosk.packs import manifest, trust
from kiosk.packs.loader import load_content
from kiosk.sync.engine import Engine
from kiosk.sync.errors import SyncError
from tests.conftest import ROOT, run_cli


def sync(settings: Any) -> Any:
    return Engine(settings).run_once()


def rotate(publisher: Any, current: Path, new: Path) -> dict:
    done = run_cli(
        "pack", "rotate-key", str(publisher.out), "--key", str(current), "--new-key", str(new),
        "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def pinned(settings: Any) -> trust.Trust:
    return trust.pinned(settings.sync.packs, settings.sync.public_key)


def refused(settings: Any) -> SyncError:
    with pytest.raises(SyncError) as caught:
        sync(settings)
    return caught.value


def test_after_a_rotation_only_the_new_key_counts(settings, server, publisher, keys, other_keys):
    assert sync(settings).version == 1
    announced = rotate(publisher, keys[0], other_keys[0])
    assert announced["version"] == 2
    new_public = other_keys[1].read_text(encoding="ascii").strip()

    publisher.private = other_keys[0]  # the district signs with the new key from now on
    publisher.publish()
    assert (sync(settings).result, pinned(settings)) == ("installed", trust.Trust(2, new_public))
    loaded = load_content(settings)  # start-up verifies the installed pack with the pinned key
    assert (loaded.origin, loaded.installed_version, loaded.notes) == ("built", 2, ())

    publisher.private = keys[0]  # the retired key signs a newer pack: refused
    publisher.publish()
    error = refused(settings)
    assert error.code == "signature"
    assert load_content(settings).installed_version == 2


def test_a_retired_key_cannot_announce_another_key(
    settings, server, publisher, keys, other_keys, tmp_path
):
    sync(settings)
    rotate(publisher, keys[0], other_keys[0])
    publisher.private = other_keys[0]
    publisher.publish()
    sync(settings)
    attacker = manifest.generate_keypair(tmp_path / "attacker")
    raw, signature = trust.make(
        manifest.load_private_key(keys[0]), manifest.load_private_key(attacker[0]), 3
    )
    (publisher.out / "keys" / "root-3.json.sig").write_bytes(signature)
    (publisher.out / "keys" / "root-3.json").write_bytes(raw)
    publisher.private = attacker[0]
    publisher.publish()
    error = refused(settings)
    assert error.code == "rotation" and "不是由本机信任的密钥发出的" in str(error)
    assert pinned(settings).version == 2
    assert load_content(settings).installed_version == 2


def test_a_kiosk_that_was_off_during_several_rotations_catches_up_in_order(
    settings, server, publisher, keys, other_keys, tmp_path
):
    assert sync(settings).version == 1
    third = manifest.generate_keypair(tmp_path / "third")
    rotate(publisher, keys[0], other_keys[0])  # the kiosk is switched off from here on
    publisher.private = other_keys[0]
    publisher.publish()
    rotate(publisher, other_keys[0], third[0])
    publisher.private = third[0]
    publisher.publish()
    outcome = sync(settings)  # back on: walks root-2, root-3, then installs version 3
    assert (outcome.result, outcome.version) == ("installed", 3)
    assert pinned(settings) == trust.Trust(3, third[1].read_text(encoding="ascii").strip())


def test_a_tampered_announcement_is_refused_and_the_kiosk_keeps_its_key(
    settings, server, publisher, keys, other_keys
):
    sync(settings)
    rotate(publisher, keys[0], other_keys[0])
    sig = publisher.out / "keys" / "root-2.json.sig"
    _first, second = sig.read_bytes().splitlines()
    sig.write_bytes(second + b"\n" + second + b"\n")  # the old key's signature is missing
    publisher.private = other_keys[0]
    publisher.publish()
    assert refused(settings).code == "rotation"
    assert pinned(settings).version == 1
    assert load_content(settings).installed_version == 1  # the kiosk keeps showing version 1


def test_rotate_key_refuses_a_key_that_is_not_the_current_one(publisher, other_keys, tmp_path):
    stranger = manifest.generate_keypair(tmp_path / "stranger")
    done = run_cli(
        "pack", "rotate-key", str(publisher.out), "--key", str(other_keys[0]),
        "--new-key", str(stranger[0]),
    )  # fmt: skip
    assert done.returncode == 1 and "不是签署" in done.stderr
    assert not (publisher.out / "keys").exists()


def test_killed_right_after_pinning_the_kiosk_still_shows_its_installed_pack(
    settings, server, publisher, keys, other_keys
):
    """Version 1 was verified under the key now retired: it keeps loading (nothing newer
    signed by that key would); the next sync installs the new key's pack."""
    assert sync(settings).version == 1
    rotate(publisher, keys[0], other_keys[0])
    publisher.private = other_keys[0]
    publisher.publish()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KIOSK_CONFIG": str(settings.file)}
    env["KIOSK_SYNC_PAUSE_AT"] = "key-pinned"
    child = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "sync", "--once"], cwd=ROOT, env=env,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert "sync paused at key-pinned" in child.stderr.readline()  # type: ignore[union-attr]
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=60)
    assert pinned(settings).version == 2
    loaded = load_content(settings)
    assert (loaded.origin, loaded.installed_version, loaded.notes) == ("built", 1, ())
    assert sync(settings).version == 2
    assert load_content(settings).installed_version == 2
