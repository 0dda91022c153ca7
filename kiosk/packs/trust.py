"""Signing key rotation, TUF-style: the current key announces its successor.

The district publishes, next to manifest.json, one announcement per rotation::

    keys/root-<N>.json       {"format": 1, "version": N, "key": <new public key, base64>,
                              "previous": <the key it replaces>, "created": ISO time}
    keys/root-<N>.json.sig   two lines: the signature by the previous key (it hands over) and
                              by the new key (its holder really has it)

Version 1 is the key in kiosk.ini ([sync] public_key). A kiosk walks the chain 2, 3, ... from
the version it has pinned, checks each announcement against the key before it, and pins the
last one in PACKS/trust.json with one atomic rename, so a kiosk that was off during one or
several rotations catches up in order. From then on only the new key's signatures count: an
old key can neither sign a pack nor announce another key. Changing [sync] public_key in
kiosk.ini starts a new chain from that key (trust.json names the key it started from).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk import clock, durable
from kiosk.packs.manifest import ManifestError, SignatureError, load_public_key

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

FILE = "trust.json"
FORMAT = 1
MAX_CHAIN = 1000  # announcements walked in one go (a hostile server cannot loop us forever)


@dataclass(frozen=True)
class Trust:
    version: int
    key: str  # base64 of the raw public key


def announcement(version: int) -> str:
    return f"keys/root-{version}.json"


def pinned(packs: Path, configured: str) -> Trust:
    """The key this kiosk trusts now: the last pinned rotation of the kiosk.ini key's chain."""
    try:
        raw = durable.read_json(Path(packs) / FILE)
    except (OSError, ValueError):
        raw = None
    if (
        isinstance(raw, dict)
        and raw.get("format") == FORMAT
        and raw.get("root") == configured
        and isinstance(raw.get("version"), int)
        and _valid_key(raw.get("key"))
    ):
        return Trust(raw["version"], raw["key"])
    return Trust(1, configured)


def pin(packs: Path, configured: str, trust: Trust, installed: int | None = None) -> None:
    """Make `trust` the pinned key, atomically and durably.

    `installed`: the newest pack version on this kiosk, verified under the key being retired.
    Those versions keep loading at start-up (they were checked when that key was valid: the
    kiosk must not fall back to older content because of a rotation), but nothing newer
    signed by a retired key is ever accepted.
    """
    before = pinned(packs, configured)
    retired = _retired(packs, configured)
    if installed is not None and before.key != trust.key:
        retired.append({"key": before.key, "through": installed})
    Path(packs).mkdir(parents=True, exist_ok=True)
    durable.write_json(
        Path(packs) / FILE,
        {
            "format": FORMAT,
            "root": configured,
            "version": trust.version,
            "key": trust.key,
            "retired": retired,
            "pinned": clock.now().isoformat(timespec="seconds"),
        },
    )


def keys_for(packs: Path, configured: str, version: int) -> list[str]:
    """Keys an installed pack `version` may be verified with at start-up: the pinned one,
    then any retired key that was current when that version was installed."""
    keys = [pinned(packs, configured).key]
    for entry in _retired(packs, configured):
        if version <= entry["through"] and entry["key"] not in keys:
            keys.append(entry["key"])
    return keys


def _retired(packs: Path, configured: str) -> list[dict[str, Any]]:
    try:
        raw = durable.read_json(Path(packs) / FILE)
    except (OSError, ValueError):
        return []
    if not isinstance(raw, dict) or raw.get("root") != configured:
        return []
    return [
        {"key": e["key"], "through": e["through"]}
        for e in raw.get("retired") or []
        if isinstance(e, dict) and _valid_key(e.get("key")) and isinstance(e.get("through"), int)
    ]


def make(current: Ed25519PrivateKey, new: Ed25519PrivateKey, version: int) -> tuple[bytes, bytes]:
    """An announcement of `new` as key number `version`, signed by `current` and by `new`."""
    from kiosk.packs.manifest import public_key_text, sign

    raw = json.dumps(
        {
            "format": FORMAT,
            "version": version,
            "key": public_key_text(new),
            "previous": public_key_text(current),
            "created": clock.now().isoformat(timespec="seconds"),
        },
        ensure_ascii=False,
        indent=1,
    ).encode("utf-8")
    return raw, sign(raw, current) + sign(raw, new)


def verify(raw: bytes, signature: bytes, current: Trust) -> Trust:
    """The next trust if `raw` is announcement current.version + 1 signed by both keys."""
    try:
        data: Any = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ManifestError("密钥轮换公告不是有效的 JSON") from None
    expected = current.version + 1
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ManifestError("密钥轮换公告格式不对")
    if data.get("version") != expected:
        raise ManifestError(f"密钥轮换公告的版本应为 {expected}，实为 {data.get('version')}")
    new = data.get("key")
    if not _valid_key(new):
        raise ManifestError("密钥轮换公告中的新公钥无效")
    if new == current.key:  # kiosk.ini already holds this key: nothing to hand over
        return Trust(expected, new)
    if data.get("previous") != current.key:
        raise SignatureError(f"第{expected}号密钥轮换公告不是由本机信任的密钥发出的，已拒绝")
    lines = [line.strip() for line in signature.splitlines() if line.strip()]
    if len(lines) != 2:
        raise SignatureError(f"第{expected}号密钥轮换公告应有新旧两个密钥的签名")
    for key_text, line in ((current.key, lines[0]), (new, lines[1])):
        try:
            load_public_key(key_text).verify(base64.b64decode(line, validate=True), raw)
        except Exception:
            raise SignatureError(
                f"第{expected}号密钥轮换公告的签名不符（可能被篡改），已拒绝"
            ) from None
    return Trust(expected, new)


def _valid_key(value: Any) -> bool:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9+/=]{40,64}", value):
        return False
    try:
        return len(base64.b64decode(value, validate=True)) == 32
    except (binascii.Error, ValueError):
        return False
