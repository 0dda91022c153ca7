"""Fixtures for sync tests: signing keys, a publisher of real built packs, a faulty server."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.packs import manifest
from tests.integration.packserver import FaultyServer, Publisher, kiosk_settings, pattern, running


@pytest.fixture(scope="session")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return manifest.generate_keypair(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="session")
def other_keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return manifest.generate_keypair(tmp_path_factory.mktemp("other-keys"))


@pytest.fixture
def publisher(tmp_path: Path, keys: tuple[Path, Path]) -> Publisher:
    """Version 1 published: the bundled content plus two media files."""
    folder = tmp_path / "server"
    folder.mkdir()
    pub = Publisher(folder, keys)
    pub.media("clip.mp4", pattern(300_000, 1))
    pub.media("guide.pdf", pattern(200_000, 2))
    pub.publish()
    return pub


@pytest.fixture
def server(publisher: Publisher) -> Iterator[FaultyServer]:
    with running(publisher.out) as srv:
        yield srv


@pytest.fixture
def settings(tmp_path: Path, server: FaultyServer, publisher: Publisher) -> Any:
    folder = tmp_path / "kiosk"
    folder.mkdir()
    return kiosk_settings(folder, server.url, publisher.public_key)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 4 MB file system (tmpfs), so that 'disk full' is the kernel's ENOSPC."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    mount = tmp_path / "small-disk"
    mount.mkdir()
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], check=True, timeout=30
    )
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False, timeout=30)
