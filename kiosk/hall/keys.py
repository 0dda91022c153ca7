"""Keys of the hall's counters and of its other dispensers, kept as salted hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets

DISPENSER = "dispenser"  # the key name shared by the hall's other ticket dispensers


def hash_key(key: str, salt: bytes | None = None) -> str:
    """Keys are long random strings, so a salted SHA-256 is enough and checking stays cheap."""
    salt = salt or secrets.token_bytes(16)
    return f"sha256${salt.hex()}${hashlib.sha256(salt + key.encode()).hexdigest()}"


def key_matches(key: str, stored: str) -> bool:
    try:
        _, salt, digest = stored.split("$")
        candidate = hashlib.sha256(bytes.fromhex(salt) + key.encode()).hexdigest()
    except ValueError:
        return False
    return hmac.compare_digest(candidate, digest)
