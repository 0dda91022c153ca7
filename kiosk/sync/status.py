"""What staff see about syncing: the record of past runs and the state it adds up to.

States (in this order of precedence):
    disabled              no [sync] url: the kiosk shows its installed or bundled content
    never                 syncing is on but no attempt has been made yet
    stale                 the active manifest has expired, or nothing succeeded for longer than
                          [sync] stale_after: residents see a discreet notice
    failing               the server answered with something refused, or this machine could
                          not take it (disk full): staff must act; last_error says what
    offline-but-serving   the server cannot be reached; the kiosk keeps its last good pack
    online                the last check succeeded
"""

from __future__ import annotations

import contextlib
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any

from kiosk import clock, durable
from kiosk.config import Settings
from kiosk.packs.installed import Installed
from kiosk.sync.errors import SyncError

STATES = ("disabled", "never", "stale", "failing", "offline-but-serving", "online")


@dataclass
class Record:
    """Persisted in PACKS/status.json after every run (times are ISO 8601 strings)."""

    first_attempt: str | None = None
    last_attempt: str | None = None
    last_success: str | None = None
    last_outcome: str | None = None  # unchanged | installed | repaired | failed
    last_error: str | None = None
    last_error_code: str | None = None
    last_error_kind: str | None = None  # offline | refused | local | failing
    server_version: int | None = None
    last_requests: int = 0
    last_bytes: int = 0
    # Validators of the manifest the kiosk has active, for the next conditional poll.
    etag: str | None = None
    last_modified: str | None = None
    etag_manifest: str | None = None  # sha256 of the manifest bytes they belong to

    @classmethod
    def load(cls, store: Installed) -> Record:
        try:
            raw = durable.read_json(store.status_file) or {}
        except (OSError, ValueError):
            raw = {}
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in raw.items() if k in known})

    def save(self, store: Installed) -> None:
        with contextlib.suppress(OSError):
            store.root.mkdir(parents=True, exist_ok=True)
            durable.write_json(store.status_file, asdict(self))

    def begin(self, now: datetime) -> None:
        stamp = now.isoformat(timespec="seconds")
        self.first_attempt = self.first_attempt or stamp
        self.last_attempt = stamp

    def succeed(self, outcome: str, requests: int, body_bytes: int) -> None:
        self.last_success = self.last_attempt
        self.last_outcome = outcome
        self.last_error = self.last_error_code = self.last_error_kind = None
        self.last_requests, self.last_bytes = requests, body_bytes

    def fail(self, error: SyncError, requests: int, body_bytes: int) -> None:
        self.last_outcome = "failed"
        self.last_error, self.last_error_code, self.last_error_kind = (
            str(error),
            error.code,
            error.kind,
        )
        self.last_requests, self.last_bytes = requests, body_bytes


@dataclass(frozen=True)
class Report:
    state: str
    url: str
    active: int | None
    previous: int | None
    active_expires: datetime | None
    last_attempt: datetime | None
    last_success: datetime | None
    last_error: str | None
    last_error_code: str | None
    server_version: int | None
    broken: dict[int, str] = field(default_factory=dict)
    disk: dict[str, Any] = field(default_factory=dict)

    @property
    def stale(self) -> bool:
        return self.state == "stale"

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["broken"] = {str(k): v for k, v in self.broken.items()}
        return data


def _time(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def report(settings: Settings, now: datetime | None = None, with_disk: bool = True) -> Report:
    """The sync state of this kiosk from what is on disk (cheap: no hashing, no network)."""
    from kiosk.packs import manifest

    now = now or clock.now()
    store = Installed(settings.sync.packs)
    record = Record.load(store)
    state = store.state()
    expires = None
    if state.active is not None:
        raw = store.manifest_bytes(state.active)
        with contextlib.suppress(manifest.PackError, TypeError):
            expires = manifest.parse_manifest(raw or b"").expires
    last_attempt, last_success = _time(record.last_attempt), _time(record.last_success)
    since = last_success or _time(record.first_attempt)
    if not settings.sync.url:
        name = "disabled"
    elif last_attempt is None:
        name = "never"
    elif (expires is not None and expires <= now) or (
        since is not None and now - since > timedelta(hours=settings.sync.stale_after)
    ):
        name = "stale"
    elif record.last_outcome == "failed" and record.last_error_kind != "offline":
        name = "failing"
    elif record.last_outcome == "failed":
        name = "offline-but-serving"
    else:
        name = "online"
    return Report(
        state=name,
        url=settings.sync.url,
        active=state.active,
        previous=state.previous,
        active_expires=expires,
        last_attempt=last_attempt,
        last_success=last_success,
        last_error=record.last_error,
        last_error_code=record.last_error_code,
        server_version=record.server_version,
        broken=store.broken(),
        disk=store.disk_use() if with_disk else {},
    )
