"""One upload run, the kiosk's sender thread, and the status staff read.

A run PUTs the outbox's rows in order and stops at the first failure (one request per try, no
storm); after a failure the thread waits a capped exponential backoff with jitter: 5 s, 10 s,
20 s ... up to [upload] retry_max, each wait between half and all of that step, so a district's
kiosks coming back after an outage spread out. The kiosk's screens never wait for any of this:
the thread only touches the outbox and the network.

Runs hold an exclusive lock (the kiosk's thread and `kiosk upload --once` never send the same
row at once).
"""

from __future__ import annotations

import contextlib
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from kiosk import clock, durable
from kiosk.config import Settings
from kiosk.identity import kiosk_id
from kiosk.upload import collect, texts
from kiosk.upload.outbox import HEARTBEAT, Outbox
from kiosk.upload.target import Target, UploadError, checkpoint

BASE_DELAY = 5.0
CONTENT_TYPES = {HEARTBEAT: "application/json"}


def backoff(failures: int, cap: float, rng: random.Random | None = None) -> float:
    """Seconds to wait after `failures` failed tries in a row: capped doubling, equal jitter."""
    step = min(cap, BASE_DELAY * 2 ** max(failures - 1, 0))
    return step / 2 + (rng or random).uniform(0, step / 2)


@dataclass(frozen=True)
class Run:
    sent: int
    pending: int


class Uploader:
    def __init__(
        self,
        settings: Settings,
        stop: threading.Event | None = None,
        *,
        now: Callable[[], float] = time.monotonic,
        wait: Callable[[float], Any] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings
        self.stop = stop or threading.Event()
        self.wake = threading.Event()
        self.now = now
        self.wait = wait or self._wait
        self.rng = rng or random.Random()
        self.kiosk = kiosk_id(settings.kiosk.data_dir)
        self.lock_file = Path(settings.kiosk.data_dir) / "upload.lock"
        self.failures = 0
        self.delay = BASE_DELAY  # the backoff chosen after the last failure

    # --- one run -------------------------------------------------------------------------

    def collect(self, outbox: Outbox) -> None:
        collect.collect_stats(outbox, self.kiosk)
        collect.collect_complaints(outbox, self.settings, self.kiosk)
        outbox.enforce_bound(self.settings.upload.max_pending, self.settings.kiosk.site, self.kiosk)

    def run_once(self, *, gather: bool = True, beat: bool = True) -> Run:
        """Queue what is due, then send everything in order; raises UploadError on a failure."""
        upload = self.settings.upload
        if not upload.url:
            raise UploadError("disabled", texts.DISABLED)
        outbox = Outbox(self.settings.store.path)
        try:
            if gather:
                self.collect(outbox)
            if beat:
                collect.queue_heartbeat(self.settings, outbox, self.kiosk)
            with durable.exclusive(self.lock_file) as mine:
                if not mine:
                    raise UploadError("busy", texts.BUSY)
                return self._send_all(outbox)
        finally:
            outbox.close()

    def _send_all(self, outbox: Outbox) -> Run:
        upload = self.settings.upload
        stamp = clock.now().isoformat(timespec="seconds")
        outbox.set("last_attempt", stamp)
        sent = 0
        target: Target | None = None
        try:
            target = Target(upload.url, upload.timeout, upload.auth_file)
            seen: set[tuple[int, int]] = set()
            while items := [i for i in outbox.due(50) if (i.id, i.rev) not in seen]:
                for item in items:
                    seen.add((item.id, item.rev))  # a row that will not go away is sent once
                    if self.stop.is_set():
                        raise UploadError("stopped", texts.STOPPED)
                    outbox.tried(item)
                    kind = CONTENT_TYPES.get(item.kind, "application/x-ndjson")
                    target.put(item.name, item.body, kind, item.kind)
                    checkpoint(f"put-confirmed:{item.kind}")
                    outbox.confirmed(item)
                    sent += 1
        except UploadError as exc:
            if exc.code != "stopped":
                self._failed(outbox, exc)
            raise
        finally:
            if target is not None:
                target.close()
        self.failures = 0
        with outbox.transaction():
            outbox.set("last_success", clock.now().isoformat(timespec="seconds"))
            for key in ("last_error", "last_error_code", "last_error_at", "next_attempt"):
                outbox.set(key, None)
            outbox.set("failures", 0)
        return Run(sent, outbox.pending()[0])

    def _failed(self, outbox: Outbox, exc: UploadError) -> float:
        self.failures = outbox.get_int("failures") + 1
        delay = backoff(self.failures, self.settings.upload.retry_max, self.rng)
        with outbox.transaction():
            outbox.set("failures", self.failures)
            outbox.set("last_error", str(exc))
            outbox.set("last_error_code", exc.code)
            outbox.set("last_error_at", clock.now().isoformat(timespec="seconds"))
            outbox.set(
                "next_attempt",
                (clock.now() + timedelta(seconds=delay)).isoformat(timespec="seconds"),
            )
        self.delay = delay
        return delay

    # --- the kiosk's thread --------------------------------------------------------------

    def _wait(self, seconds: float) -> None:
        self.wake.wait(seconds)
        self.wake.clear()

    def loop(self, first_delay: float = 0.0) -> None:
        """Heartbeats every [upload] heartbeat s, batches every [upload] batch s, retries with
        backoff; returns when `stop` is set. Never raises."""
        upload = self.settings.upload
        if first_delay:
            self.wait(first_delay)
        next_beat = next_batch = retry_at = self.now()
        while not self.stop.is_set():
            now = self.now()
            beat, gather = now >= next_beat, now >= next_batch
            if beat:
                next_beat = now + upload.heartbeat
            if gather:
                next_batch = now + upload.batch
            try:
                if now >= retry_at:
                    self.run_once(gather=gather, beat=beat)
                elif beat or gather:
                    self._queue_only(gather, beat)
            except UploadError as exc:
                if exc.code == "stopped":
                    return
                # busy: `kiosk upload --once` is sending right now; try again after a pause
                retry_at = now + (self.delay if exc.code != "busy" else BASE_DELAY)
            except Exception as exc:  # the thread must outlive any bug: note it, go on
                with contextlib.suppress(Exception):
                    self._note(f"上传程序出错：{exc!r}")
                retry_at = now + backoff(self.failures + 1, upload.retry_max, self.rng)
            if self.stop.is_set():
                return
            wake_at = min(next_beat, next_batch)
            if retry_at > now:
                wake_at = min(wake_at, retry_at)
            self.wait(max(wake_at - self.now(), 0.0))

    def _queue_only(self, gather: bool, beat: bool) -> None:
        """While backing off, batches and the heartbeat are still queued (nothing is sent)."""
        outbox = Outbox(self.settings.store.path)
        try:
            if gather:
                self.collect(outbox)
            if beat:
                collect.queue_heartbeat(self.settings, outbox, self.kiosk)
        finally:
            outbox.close()

    def _note(self, message: str) -> None:
        outbox = Outbox(self.settings.store.path)
        try:
            outbox.set("last_error", message)
            outbox.set("last_error_code", "internal")
        finally:
            outbox.close()


def status(settings: Settings) -> dict[str, Any]:
    """What staff and programs see: pending, oldest, last success, last error, drops."""
    outbox = Outbox(settings.store.path)
    try:
        pending, oldest = outbox.pending()
        return {
            "url": settings.upload.url.partition("?")[0],
            "kiosk": kiosk_id(settings.kiosk.data_dir),
            "site": settings.kiosk.site,
            "pending": pending,
            "oldest": oldest,
            "last_attempt": outbox.get("last_attempt"),
            "last_success": outbox.get("last_success"),
            "last_error": outbox.get("last_error"),
            "last_error_code": outbox.get("last_error_code"),
            "last_error_at": outbox.get("last_error_at"),
            "failures": outbox.get_int("failures"),
            "next_attempt": outbox.get("next_attempt"),
            "merged": outbox.get_int("merged"),
            "dropped": outbox.get_int("dropped"),
            "dropped_events": outbox.get_int("dropped_lines"),
        }
    finally:
        outbox.close()
