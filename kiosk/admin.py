"""Staff access: the PIN (salted scrypt hash in kiosk.ini) and the lockout after wrong PINs.

The lockout is kept in the database so that restarting the kiosk does not reset it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from kiosk import clock, store

if TYPE_CHECKING:
    import sqlite_utils

N, R, P = 2**14, 8, 1
MIN_PIN, MAX_PIN = 4, 12


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=N, r=R, p=P, dklen=32)
    return f"scrypt${N}${R}${P}${salt.hex()}${digest.hex()}"


def check_pin(pin: str, stored: str) -> bool:
    if not stored:
        return False
    _, n, r, p, salt, digest = stored.split("$")
    candidate = hashlib.scrypt(
        pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
    )
    return hmac.compare_digest(candidate.hex(), digest)


def valid_pin(pin: str) -> bool:
    return pin.isdigit() and MIN_PIN <= len(pin) <= MAX_PIN


@dataclass
class Attempt:
    ok: bool
    locked_until: datetime | None = None
    remaining: int = 0


class PinGate:
    """Counts wrong PINs and locks the admin gesture for a while after too many."""

    FAILS, UNTIL = "admin.failures", "admin.locked_until"

    def __init__(self, db: sqlite_utils.Database, pin_hash: str, max_attempts: int, minutes: int):
        self.db, self.pin_hash = db, pin_hash
        self.max_attempts, self.lock = max_attempts, timedelta(minutes=minutes)

    def locked_until(self) -> datetime | None:
        raw = store.get_value(self.db, self.UNTIL)
        if raw is None:
            return None
        until = datetime.fromisoformat(raw)
        return until if until > clock.now() else None

    def try_pin(self, pin: str) -> Attempt:
        until = self.locked_until()
        if until:
            return Attempt(ok=False, locked_until=until)
        if check_pin(pin, self.pin_hash):
            store.set_value(self.db, self.FAILS, None)
            store.set_value(self.db, self.UNTIL, None)
            return Attempt(ok=True, remaining=self.max_attempts)
        failures = int(store.get_value(self.db, self.FAILS, "0") or 0) + 1
        if failures >= self.max_attempts:
            until = clock.now() + self.lock
            store.set_value(self.db, self.UNTIL, until.isoformat())
            store.set_value(self.db, self.FAILS, None)
            return Attempt(ok=False, locked_until=until)
        store.set_value(self.db, self.FAILS, str(failures))
        return Attempt(ok=False, remaining=self.max_attempts - failures)
