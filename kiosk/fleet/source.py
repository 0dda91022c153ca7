"""Where the uploaded files are: a folder, or its URL (mirrored into the local cache).

Over HTTP the folder must be listable as JSON (nginx `autoindex on; autoindex_format json;`).
Batches are immutable, so a file already mirrored is never fetched again; heartbeats change
and are fetched every time.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk import durable
from kiosk.errors import KioskError

CACHE_ENV = "KIOSK_FLEET_CACHE"


def cache_root(origin: str, explicit: str | None = None) -> Path:
    """A cache folder of its own for each uploaded folder."""
    if explicit:
        return Path(explicit)
    base = os.environ.get(CACHE_ENV) or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "kiosk-fleet"
    )
    key = origin if "://" in origin else str(Path(origin).resolve())
    return Path(base) / hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def is_url(origin: str) -> bool:
    return bool(re.match(r"https?://", origin))


def local_folder(origin: str, cache: Path, wanted: Callable[[str], bool] = lambda _p: True) -> Path:
    """The uploaded folder on this machine: `origin` itself, or a mirror of the URL."""
    if not is_url(origin):
        folder = Path(origin)
        if not folder.is_dir():
            raise KioskError(f"{origin}：文件夹不存在（--from 应为上传文件夹或其网址）")
        return folder
    mirror = cache / "mirror"
    _mirror(origin if origin.endswith("/") else origin + "/", mirror, "", wanted)
    return mirror


def _mirror(base: str, mirror: Path, prefix: str, wanted: Callable[[str], bool]) -> None:
    import requests

    try:
        response = requests.get(base + prefix, timeout=60)
    except requests.RequestException as exc:
        raise KioskError(f"无法读取 {base + prefix}（{exc}）") from None
    if response.status_code != 200:
        raise KioskError(
            f"{base + prefix} 返回 HTTP {response.status_code}"
            "（服务器需要 autoindex on; autoindex_format json;）"
        )
    try:
        entries: list[dict[str, Any]] = response.json()
    except ValueError:
        raise KioskError(f"{base + prefix} 不是 JSON 目录列表（autoindex_format json）") from None
    for entry in entries:
        name = str(entry.get("name", ""))
        if not name or name.startswith(".") or "/" in name:
            continue
        path = prefix + name
        if entry.get("type") == "directory":
            if wanted(path + "/"):
                _mirror(base, mirror, path + "/", wanted)
            continue
        if not wanted(path):
            continue
        target = mirror / path
        immutable = not path.startswith("heartbeat/")
        if immutable and target.exists() and target.stat().st_size == entry.get("size"):
            continue
        data = requests.get(base + path, timeout=60)
        if data.status_code != 200:
            continue  # removed meanwhile: the next run sees it again or not at all
        target.parent.mkdir(parents=True, exist_ok=True)
        durable.write_bytes(target, data.content)
