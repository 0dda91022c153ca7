"""The evaluator's link to the hall server: learn when this window finishes a ticket.

A background thread follows `GET /api/events` (server-sent events, event `state`); when the
stream cannot be opened or breaks it polls `GET /api/state` every few seconds and tries the
stream again later. Each state is checked for this counter's `last_done.seq`: a new one means
"ticket X of service Y was just served here" and `on_done(Done)` is called (in the thread; the
UI moves it to its own thread). The first state seen only sets the baseline, so an evaluator
that starts (or reconnects) never asks about a ticket served before.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

POLL_SECONDS = 3.0
STREAM_RETRY_SECONDS = 30.0
READ_TIMEOUT = 40.0  # the server sends a keep-alive every 15 s


@dataclass(frozen=True)
class Done:
    ticket: str
    service: str | None
    service_name: str
    counter: str
    counter_name: str
    seq: int


class HallWatcher:
    def __init__(
        self,
        url: str,
        counter: str,
        on_done: Callable[[Done], None],
        on_link: Callable[[bool], None] | None = None,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        self.base = url if url.endswith("/") else url + "/"
        self.counter = counter
        self.on_done = on_done
        self.on_link = on_link or (lambda _ok: None)
        self.poll_seconds = poll_seconds
        self._last_seq: int | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._response: Any = None
        self.counter_name = f"{counter}号窗口"
        self.linked = False

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> HallWatcher:
        self._thread = threading.Thread(target=self._run, name="hall-watch", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        response = self._response
        if response is not None:
            with contextlib.suppress(Exception):  # a socket another thread reads from
                response.close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    # --- the loop --------------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                for state in self._stream():
                    self.see(state)
            except Exception as exc:  # any network trouble: poll, then try the stream again
                log.info("hall events unavailable (%s); polling", exc)
            self._poll_for(STREAM_RETRY_SECONDS)

    def _stream(self) -> Iterator[dict[str, Any]]:
        request = urllib.request.Request(
            self.base + "api/events", headers={"Accept": "text/event-stream"}
        )
        self._response = urllib.request.urlopen(request, timeout=READ_TIMEOUT)
        event, data = "", []
        try:
            for raw in self._response:
                if self._stop.is_set():
                    return
                line = raw.decode("utf-8").rstrip("\r\n")
                if not line:
                    if event == "state" and data:
                        yield json.loads("\n".join(data))
                    event, data = "", []
                elif line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].lstrip())
        finally:
            self._response.close()
            self._response = None

    def _poll_for(self, seconds: float) -> None:
        waited = 0.0
        while waited < seconds and not self._stop.is_set():
            try:
                with urllib.request.urlopen(self.base + "api/state", timeout=10) as response:
                    self.see(json.loads(response.read().decode("utf-8")))
            except (OSError, ValueError, urllib.error.URLError) as exc:
                self._linked(False)
                log.info("hall state unavailable (%s)", exc)
            self._stop.wait(self.poll_seconds)
            waited += self.poll_seconds

    # --- reading a state -------------------------------------------------------------------

    def see(self, state: dict[str, Any]) -> Done | None:
        """Check one hall state; calls on_done for a newly finished ticket at this counter."""
        self._linked(True)
        counter = next(
            (c for c in state.get("counters", []) if str(c.get("counter")) == self.counter), None
        )
        if counter is None:
            return None
        self.counter_name = counter.get("name") or self.counter_name
        last = counter.get("last_done")
        seq = int(last["seq"]) if last else 0
        if self._last_seq is None or last is None or seq <= self._last_seq:
            self._last_seq = seq if self._last_seq is None else max(self._last_seq, seq)
            return None
        self._last_seq = seq
        names = {s.get("id"): s.get("name", "") for s in state.get("services", [])}
        done = Done(
            ticket=str(last.get("ticket", "")),
            service=last.get("service"),
            service_name=names.get(last.get("service"), ""),
            counter=self.counter,
            counter_name=self.counter_name,
            seq=seq,
        )
        self.on_done(done)
        return done

    def _linked(self, ok: bool) -> None:
        if ok != self.linked:
            self.linked = ok
            self.on_link(ok)
