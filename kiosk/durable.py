"""Writes that survive a crash or a power cut: fsync the data, rename, fsync the folder."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in `folder` durable (the entry lives in the folder)."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_bytes(target: Path, data: bytes) -> None:
    """Replace `target` with `data` atomically: readers see the old file or the new one."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(target.parent)


def write_json(target: Path, value: Any) -> None:
    write_bytes(target, json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8"))


def read_json(source: Path) -> Any:
    """The parsed file, or None when it is missing; a damaged file raises ValueError."""
    try:
        raw = source.read_bytes()
    except FileNotFoundError:
        return None
    return json.loads(raw.decode("utf-8"))


@contextlib.contextmanager
def exclusive(lock_file: Path) -> Iterator[bool]:
    """Hold an advisory lock on `lock_file` if nobody else does; yields whether we got it.

    The kernel drops the lock when the process dies, so a killed sync never blocks the next.
    """
    import fcntl

    lock_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def tree_size(folder: Path) -> int:
    """Bytes used by the regular files under `folder` (symlinks not followed)."""
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(root, name)).st_size
    return total
