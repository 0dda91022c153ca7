"""One row per kiosk from its latest heartbeat: how long ago, state, pack, printer, problems.

States: online (heard from within 3 heartbeat intervals), late (within 12), silent (longer:
off, unplugged or cut off), failing (heard from, but reporting a problem staff must fix:
sync refused or stale, printer failed, uploads refused or dropped, disk nearly full).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.fleet import texts

LOW_DISK = 1 << 30  # bytes free under which a kiosk counts as failing
DEFAULT_INTERVAL = 300


@dataclass
class Row:
    site: str
    kiosk: str
    time: str | None
    age_seconds: int | None
    state: str
    pack: int | None
    behind: bool
    program: str | None
    printer: str
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def read_heartbeats(folder: Path) -> list[dict[str, Any]]:
    """Every heartbeat file (`heartbeat/site=*/kiosk=*.json`); a damaged one is a row too."""
    root = folder / "heartbeat"
    found: list[dict[str, Any]] = []
    if not root.is_dir():
        return found
    for site in sorted(os.scandir(root), key=lambda e: e.name):
        if not site.is_dir() or not site.name.startswith("site="):
            continue
        for entry in sorted(os.scandir(site.path), key=lambda e: e.name):
            if not (entry.name.startswith("kiosk=") and entry.name.endswith(".json")):
                continue
            try:
                with open(entry.path, "rb") as handle:
                    beat = json.loads(handle.read())
                if not isinstance(beat, dict):
                    raise ValueError
            except (OSError, ValueError):
                beat = {"damaged": True}
            beat.setdefault("site", site.name[5:])
            beat.setdefault("kiosk", entry.name[6:-5])
            found.append(beat)
    return found


def published_version(pack_origin: str | None) -> int | None:
    """The version in the published manifest.json (a folder or its URL), if one is given."""
    if not pack_origin:
        return None
    if pack_origin.startswith(("http://", "https://")):
        import requests

        url = pack_origin if pack_origin.endswith("/") else pack_origin + "/"
        raw: Any = requests.get(url + "manifest.json", timeout=30).json()
    else:
        raw = json.loads((Path(pack_origin) / "manifest.json").read_text(encoding="utf-8"))
    version = raw.get("version") if isinstance(raw, dict) else None
    return version if isinstance(version, int) else None


def rows(
    beats: list[dict[str, Any]],
    now: datetime,
    published: int | None = None,
) -> list[Row]:
    packs = [b.get("pack") for b in beats if isinstance(b.get("pack"), int)]
    target = published if published is not None else (max(packs) if packs else None)
    result = []
    for beat in beats:
        moment = _time(beat.get("time"))
        age = int((now - moment).total_seconds()) if moment else None
        interval = beat.get("interval") if isinstance(beat.get("interval"), int) else 0
        interval = interval or DEFAULT_INTERVAL
        problems = _problems(beat)
        pack = beat.get("pack") if isinstance(beat.get("pack"), int) else None
        behind = target is not None and (pack is None or pack < target)
        if behind:
            problems.append(texts.BEHIND.format(pack=pack or "—", published=target))
        if age is None or age > 12 * interval:
            state = "silent"
        elif problems:
            state = "failing"
        elif age > 3 * interval:
            state = "late"
        else:
            state = "online"
        printer = beat.get("printer") if isinstance(beat.get("printer"), dict) else {}
        result.append(
            Row(
                site=str(beat.get("site")),
                kiosk=str(beat.get("kiosk")),
                time=beat.get("time"),
                age_seconds=age,
                state=state,
                pack=pack,
                behind=behind,
                program=beat.get("program"),
                printer=str(printer.get("state", "unknown")),
                problems=problems,
            )
        )
    order = {"failing": 0, "silent": 1, "late": 2, "online": 3}
    return sorted(result, key=lambda r: (order[r.state], r.site, r.kiosk))


def _problems(beat: dict[str, Any]) -> list[str]:
    if beat.get("damaged"):
        return [texts.DAMAGED]
    found = []
    sync = beat.get("sync") if isinstance(beat.get("sync"), dict) else {}
    if sync.get("state") in ("failing", "stale"):
        found.append(texts.SYNC.format(state=sync.get("state"), error=sync.get("last_error") or ""))
    printer = beat.get("printer") if isinstance(beat.get("printer"), dict) else {}
    if printer.get("state") == "failed":
        found.append(texts.PRINTER.format(error=printer.get("error") or ""))
    upload = beat.get("upload") if isinstance(beat.get("upload"), dict) else {}
    if upload.get("last_error"):
        found.append(texts.UPLOAD.format(error=upload["last_error"], pending=upload.get("pending")))
    if upload.get("dropped"):
        found.append(texts.DROPPED.format(count=upload["dropped"]))
    free = beat.get("disk_free")
    if isinstance(free, int) and free < LOW_DISK:
        found.append(texts.DISK.format(free=free / 1e9))
    return found


def _time(text: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(text))
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def human_age(seconds: int | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 120:
        return f"{max(seconds, 0)} 秒前"
    if seconds < 7200:
        return f"{seconds // 60} 分钟前"
    if seconds < 172800:
        return f"{seconds // 3600} 小时前"
    return f"{seconds // 86400} 天前"
