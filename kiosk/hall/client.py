"""The one client of the hall server, for every kiosk-side reader and writer.

`HallClient` follows the hall's state the way the README's contract says: Server-Sent Events
from `GET /api/events`, and while the stream cannot be had (a proxy that buffers, a server
restarting) `GET /api/state` every few seconds, trying the stream again now and then. It runs
one daemon thread and calls `on_state(state)` from it for each state that differs from the
last one (the UI hops to its own thread). Signs (kiosk.signage) and evaluators
(kiosk.feedback.hallwatch) read through it; help calls (kiosk.helpcall) write with `send`.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

# requests is imported where it is used: the help call imports this module before the kiosk's
# first frame, and requests costs about a tenth of the start-up (it is not needed until a
# hall server is reached).

log = logging.getLogger(__name__)

POLL_SECONDS = 3.0
STREAM_RETRY_SECONDS = 15.0  # polling this long between attempts to open the stream again
READ_TIMEOUT = 40.0  # the server sends a keep-alive every 15 s: silence this long is a dead link
TIMEOUT = 5.0


def _base(url: str) -> str:
    return url if url.endswith("/") else url + "/"


class HallClient:
    """Follows GET /api/events, polling GET /api/state while the stream is unavailable."""

    def __init__(
        self,
        url: str,
        on_state: Callable[[dict[str, Any]], None],
        on_link: Callable[[bool], None] | None = None,
        *,
        timeout: float = TIMEOUT,
        poll_seconds: float = POLL_SECONDS,
        stream_retry_seconds: float = STREAM_RETRY_SECONDS,
    ) -> None:
        self.base = _base(url)
        self.on_state = on_state
        self.on_link = on_link or (lambda _ok: None)
        self.timeout = timeout
        self.poll_seconds = poll_seconds
        self.stream_retry_seconds = stream_retry_seconds
        self.state: dict[str, Any] | None = None
        self.mode = "starting"  # events | polling | offline
        self.linked = False
        self.errors = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        import requests

        self._session = requests.Session()
        self._response: Any = None

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> HallClient:
        self._thread = threading.Thread(target=self._run, name="hall-client", daemon=True)
        self._thread.start()
        return self

    def stop(self, wait: float = 2.0) -> None:
        """Ends the thread: closing the stream unblocks a read in progress."""
        self._stop.set()
        response = self._response
        if response is not None:
            # shutting the socket down ends the stream on both sides at once (else the server
            # keeps it until its next keep-alive, up to 15 s, and its own stop waits for that)
            connection = getattr(response.raw, "connection", None)
            with contextlib.suppress(Exception):  # a socket the other thread reads from
                connection.sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(Exception):
                response.close()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=wait)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # --- the loop --------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                try:
                    for state in self._stream():
                        self._publish(state)
                except Exception as exc:  # any network trouble: poll, then try again
                    self.errors += 1
                    log.info("hall events unavailable (%s); polling", exc)
                if self._stop.is_set():
                    return
                self._poll_for(self.stream_retry_seconds)
        finally:
            self._session.close()

    def _stream(self) -> Iterator[dict[str, Any]]:
        with self._session.get(
            self.base + "api/events",
            stream=True,
            timeout=(self.timeout, READ_TIMEOUT),
            headers={"Accept": "text/event-stream"},
        ) as response:
            response.raise_for_status()
            self._response = response
            self.mode = "events"
            self._linked(True)
            try:
                yield from _events(response)
            finally:
                self._response = None
        if not self._stop.is_set():
            self.mode = "polling"

    def _poll_for(self, seconds: float) -> None:
        waited = 0.0
        while waited < seconds and not self._stop.is_set():
            self.poll()
            self._stop.wait(self.poll_seconds)
            waited += self.poll_seconds

    def poll(self) -> dict[str, Any] | None:
        """One GET /api/state; None (and `mode` offline) when the hall cannot be reached."""
        import requests

        try:
            response = self._session.get(self.base + "api/state", timeout=self.timeout)
            response.raise_for_status()
            state = response.json()
        except (requests.RequestException, ValueError) as exc:
            self.errors += 1
            self.mode = "offline"
            self._linked(False)
            log.info("hall state unavailable (%s)", exc)
            return None
        if self.mode != "events":
            self.mode = "polling"
        self._linked(True)
        self._publish(state)
        return state

    def _publish(self, state: dict[str, Any]) -> None:
        # "now" changes on every answer; anything else changing is news
        if self.state is not None and _content(state) == _content(self.state):
            return
        self.state = state
        try:
            self.on_state(state)
        except Exception:  # a reader's bug must not end the link for the others
            log.exception("hall: a state reader failed")

    def _linked(self, ok: bool) -> None:
        if ok != self.linked:
            self.linked = ok
            try:
                self.on_link(ok)
            except Exception:
                log.exception("hall: a link reader failed")


def _content(state: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in state.items() if k != "now"}


def _events(response: Any) -> Iterator[dict[str, Any]]:
    """The `state` events of a text/event-stream, one dict each."""
    event, data = "message", []
    # chunk_size=None: hand over data as it arrives (a fixed size would hold the last event
    # back until more bytes come)
    for raw in response.iter_lines(chunk_size=None):
        line = raw.decode("utf-8") if isinstance(raw, bytes) else (raw or "")
        if not line:
            if event == "state" and data:
                yield json.loads("\n".join(data))
            event, data = "message", []
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].lstrip())


@dataclass(frozen=True)
class Sent:
    ok: bool  # the hall server took it (2xx)
    error: str = ""  # why not, for the admin screen


def send(base_url: str, method: str, path: str, body: Any = None, timeout: float = TIMEOUT) -> Sent:
    """One request to the hall server (JSON body); never raises: a resident never sees a
    traceback, the caller falls back (the help call rings the local chime instead)."""
    import requests

    url = urllib.parse.urljoin(_base(base_url), path.lstrip("/"))
    try:
        response = requests.request(
            method,
            url,
            data=None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8"),
            headers={"Content-Type": "application/json; charset=utf-8"} if body is not None else {},
            timeout=timeout,
        )
    except requests.RequestException as exc:
        return Sent(False, str(exc))
    if 200 <= response.status_code < 300:
        return Sent(True)
    return Sent(False, f"HTTP {response.status_code}")
