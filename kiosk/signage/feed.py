"""The hall's live queue for a sign: Server-Sent Events from `GET /api/events`, falling back
to polling `GET /api/state` every few seconds while the stream cannot be had.

One daemon thread; `on_state(state)` is called from it with each new state (the JSON of the
hall contract in BRIEF/README), so the UI must hop to its own thread (Clock.schedule_once).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

import requests

POLL_SECONDS = 3.0
RECONNECT_SECONDS = 5.0


class QueueFeed:
    def __init__(
        self, url: str, on_state: Callable[[dict[str, Any]], None], timeout: float = 5.0
    ) -> None:
        self.url = url if url.endswith("/") else url + "/"
        self.on_state = on_state
        self.timeout = timeout
        self.state: dict[str, Any] | None = None
        self.mode = "starting"  # events | polling | offline
        self.errors = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._session = requests.Session()
        self._response: Any = None

    def start(self) -> QueueFeed:
        self._thread = threading.Thread(target=self._run, name="queue-feed", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        response = self._response
        if response is not None:
            response.close()  # unblocks a thread waiting on the stream

    def _publish(self, state: dict[str, Any]) -> None:
        if self.state is None or state.get("version") != self.state.get("version"):
            self.state = state
            self.on_state(state)

    def _run(self) -> None:
        next_stream = 0.0
        while not self._stop.is_set():
            if time.monotonic() >= next_stream:
                try:
                    self._stream()
                except Exception:  # a dropped or closed stream: fall back to polling
                    self.errors += 1
                if self._stop.is_set():
                    return
                next_stream = time.monotonic() + RECONNECT_SECONDS
            self._poll()
            self._stop.wait(POLL_SECONDS)

    def _poll(self) -> None:
        try:
            response = self._session.get(self.url + "api/state", timeout=self.timeout)
            response.raise_for_status()
            self._publish(response.json())
            if self.mode != "events":
                self.mode = "polling"
        except (requests.RequestException, ValueError):
            self.errors += 1
            self.mode = "offline"

    def _stream(self) -> None:
        """Read `state` events until the stream ends or fails (then the caller polls)."""
        with self._session.get(
            self.url + "api/events",
            stream=True,
            timeout=(self.timeout, 60),
            headers={"Accept": "text/event-stream"},
        ) as response:
            response.raise_for_status()
            self._response = response
            self.mode = "events"
            event, data = "message", []
            # chunk_size=None: hand over data as it arrives (a fixed size would hold the last
            # event back until more bytes come)
            for raw in response.iter_lines(chunk_size=None):
                if self._stop.is_set():
                    return
                line = raw.decode("utf-8") if isinstance(raw, bytes) else (raw or "")
                if not line:
                    if event == "state" and data:
                        self._publish(json.loads("\n".join(data)))
                    event, data = "message", []
                elif line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].lstrip())
        self._response = None
        self.mode = "polling"
