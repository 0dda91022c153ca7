"""The hall server (aiohttp): the queue's HTTP API, server-sent events, counter and display pages.

One asyncio loop in its own thread, so `kiosk run` on the host keeps its Kivy window while the
server runs beside it; SQLite work goes to a small thread pool. A watcher notices every change
(made through HTTP, by `kiosk hall call` in another process, or a new ticket from the touch
screen) by a cheap version query, then pushes the new state to every open event stream and
hands new calls to the announcer. Routes come from the modules in kiosk.hall.routes.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import logging
import signal
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiohttp import web

from kiosk.config import Settings
from kiosk.errors import KioskError
from kiosk.hall import texts, view
from kiosk.hall.queue import Hall, HallError
from kiosk.hall.routes import ROUTE_MODULES
from kiosk.packs.model import Pack

log = logging.getLogger(__name__)

MAX_BODY = 16 * 1024  # bytes: help calls and counter actions are tiny; ticket batches small
WATCH_SECONDS = 0.25  # how often the watcher looks for changes made by other processes
KEEPALIVE_SECONDS = 15


class HallServer:
    """Start with `start()` (background thread) or `serve_forever()`; `url` once started."""

    def __init__(
        self,
        settings: Settings,
        pack: Pack,
        host: str | None = None,
        port: int | None = None,
        announcer: Any = None,
    ) -> None:
        self.settings = settings
        self.pack = pack
        self.hall = Hall(settings, pack)
        self.bind = host or settings.hall.bind
        self.port = settings.hall.port if port is None else port
        self.announcer = announcer
        self.pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="hall-db")
        self.url = ""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._subscribers: set[asyncio.Queue[bytes | None]] = set()
        self._wake: asyncio.Event | None = None
        self._closing = False  # set when the loop shuts down: the watcher ends
        self._latest: bytes = b""
        self._version = -1
        self._last_call = 0

    # --- helpers for route modules ---------------------------------------------------------

    async def run(self, func: Callable[..., Any], *args: Any) -> Any:
        """Run blocking (SQLite) work off the event loop."""
        return await asyncio.get_running_loop().run_in_executor(self.pool, func, *args)

    @property
    def running(self) -> bool:
        """The server's thread is alive (it ends with stop())."""
        return self._thread is not None and self._thread.is_alive()

    def changed(self) -> None:
        """Something changed here: look now rather than at the next watch tick."""
        if self._wake is not None:
            self._wake.set()

    # --- the application -------------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY, middlewares=[_errors])
        for module_name in ROUTE_MODULES:
            app.add_routes(importlib.import_module(module_name).routes(self))
        app.on_shutdown.append(self._close_streams)
        return app

    async def _startup(self) -> None:
        self._wake = asyncio.Event()
        self._runner = web.AppRunner(self.app(), access_log=None, shutdown_timeout=2)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.bind, self.port, reuse_address=True)
        try:
            await site.start()
        except OSError as exc:
            await self._runner.cleanup()
            raise KioskError(
                f"hall server: cannot listen on {self.bind}:{self.port} ({exc.strerror});"
                " is another hall server running? Change [hall] port or bind in kiosk.ini"
            ) from None
        port = self._runner.addresses[0][1]
        shown = "127.0.0.1" if self.bind in ("0.0.0.0", "::", "") else self.bind
        self.url = f"http://{shown}:{port}/"
        await self._publish()
        self._watcher = asyncio.get_running_loop().create_task(self._watch())

    async def _cleanup(self) -> None:
        # The watch loop ends first, and for sure: stop() closes the database pool next, and a
        # watcher still running would fail on every publish. The flag as well as cancel():
        # asyncio.wait_for (3.11) swallows a cancel that meets a change it was waiting for.
        self._closing = True
        if self._wake is not None:
            self._wake.set()
        self._watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._watcher
        if self._runner is not None:
            await self._runner.cleanup()

    async def _close_streams(self, app: web.Application) -> None:
        for queue in list(self._subscribers):
            queue.put_nowait(None)

    # --- change watching -------------------------------------------------------------------

    async def _watch(self) -> None:
        assert self._wake is not None
        while not self._closing:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), WATCH_SECONDS)
            self._wake.clear()
            if self._closing:
                break
            try:
                await self._publish()
            except Exception:  # a locked or broken database must not stop the watcher
                log.exception("hall: publishing the state failed")
                await asyncio.sleep(1)

    async def _publish(self) -> None:
        version = await self.run(self.hall.version)
        if version == self._version:
            return
        state = await self.run(view.public_state, self.hall)
        self._version = state["version"]
        self._latest = _sse(state)
        for queue in list(self._subscribers):
            if queue.full():
                with contextlib.suppress(asyncio.QueueEmpty):
                    queue.get_nowait()  # a slow screen only needs the newest state
            queue.put_nowait(self._latest)
        new_calls = [call for call in state["calls"] if call["seq"] > self._last_call]
        if self._last_call and self.announcer is not None:
            for call in reversed(new_calls):
                self.announcer.announce(call["ticket"], call["counter"])
        if state["calls"]:
            self._last_call = max(self._last_call, state["calls"][0]["seq"])
        elif not self._last_call:
            self._last_call = -1  # started with no calls today: announce from the first one

    async def stream(self, request: web.Request) -> web.StreamResponse:
        """GET /api/events: the state now, then on every change (SSE)."""
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream",
                "Cache-Control": "no-cache",
                "X-Accel-Buffering": "no",
            }
        )
        await response.prepare(request)
        queue: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=4)
        self._subscribers.add(queue)
        try:
            await response.write(b"retry: 3000\n\n" + self._latest)
            while True:
                try:
                    data = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    data = b": keep-alive\n\n"
                if data is None:
                    break
                await response.write(data)
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            self._subscribers.discard(queue)
        return response

    # --- running ---------------------------------------------------------------------------

    def start(self) -> HallServer:
        """Serve in a background thread; returns once listening (KioskError if it cannot)."""
        ready = threading.Event()
        failure: list[BaseException] = []

        def serve() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self._startup())
            except BaseException as exc:
                failure.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(self._cleanup())
                loop.close()

        self._thread = threading.Thread(target=serve, name="hall-server", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            raise failure[0]
        if self.announcer is not None:
            self.announcer.start()
        return self

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is not None and thread is not None and thread.is_alive():
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=10)
        if self.announcer is not None:
            self.announcer.stop()
        self.pool.shutdown(wait=False, cancel_futures=True)

    def serve_forever(self, announce: Callable[[str], None] = print) -> None:
        """For `kiosk hall serve`: until Ctrl-C or SIGTERM."""
        self.start()
        announce(
            f"hall server on {self.url} (display: {self.url}display, counters: {self.url}counter)"
        )
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            while not stop.wait(1):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()


def _sse(state: dict[str, Any]) -> bytes:
    data = json.dumps(state, ensure_ascii=False, separators=(",", ":"))
    return f"id: {state['version']}\nevent: state\ndata: {data}\n\n".encode()


def error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": code, "message": message}, status=status)


@web.middleware
async def _errors(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Every refusal as JSON {"error", "message"}: 4xx with a reason, never a traceback."""
    try:
        return await handler(request)
    except HallError as exc:
        return error(exc.status, exc.code, str(exc))
    except web.HTTPRequestEntityTooLarge:
        return error(413, "too_large", texts.TOO_LARGE)
    except web.HTTPNotFound:
        return error(404, "not_found", texts.NOT_FOUND)
    except web.HTTPException as exc:
        if exc.status >= 400:
            return error(exc.status, "http", exc.reason)
        raise


def wait_until_listening(url: str, timeout: float = 10) -> None:
    """For scripts and tests that started a server in another process."""
    import requests

    deadline = time.monotonic() + timeout
    while True:
        try:
            requests.get(url + "api/state", timeout=1)
            return
        except requests.RequestException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
