"""The one hall client (kiosk.hall.client) over a real hall server: the stream, the polling
fallback behind a proxy that cuts the stream, a hall that comes up late, a clean stop, and its
two readers (the sign's queue and the evaluator's finished tickets) plus the help call."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests

from kiosk import clock
from kiosk.feedback.hallwatch import Done, HallWatcher
from kiosk.hall.client import HallClient
from kiosk.helpcall.calls import Caller, cancel_help, post_help
from tests.hall.env import MORNING, HallEnv, post, running, state


def wait_for(condition: Callable[[], Any], limit: float = 20.0) -> Any:
    """Waits for something to happen (a limit against hanging, not a timing assertion)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    return condition()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def stream_cutting_proxy(target: str) -> Iterator[str]:
    """A proxy in front of the hall that answers 502 to the event stream (as a buffering
    proxy in a hall's network might) and passes /api/state through."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.startswith("/api/events"):
                self.send_error(502)
                return
            upstream = requests.get(target + self.path.lstrip("/"), timeout=10)
            self.send_response(upstream.status_code)
            self.send_header("Content-Type", upstream.headers["Content-Type"])
            self.send_header("Content-Length", str(len(upstream.content)))
            self.end_headers()
            self.wfile.write(upstream.content)

        def log_message(self, *_args: Any) -> None:
            pass

    proxy = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{proxy.server_address[1]}/"
    finally:
        proxy.shutdown()
        proxy.server_close()


def serving(client: HallClient, counter: str) -> str | None:
    for item in (client.state or {}).get("counters", []):
        if item["counter"] == counter:
            return item["serving"]
    return None


def test_the_client_follows_calls_through_the_event_stream(tmp_path):
    env = HallEnv(tmp_path)
    seen: list[dict[str, Any]] = []
    with clock.freeze(MORNING), running(env) as server:
        key = env.hall.make_key("1")
        client = HallClient(server.url, seen.append).start()
        try:
            assert wait_for(lambda: client.mode == "events" and seen)
            env.issue("A")
            post(server, "/api/counters/1/call", key)
            assert wait_for(lambda: serving(client, "1") == "A001")
            assert client.mode == "events"  # pushed, not polled
            versions = [s["version"] for s in seen]
            assert versions == sorted(set(versions)), "each change once, in order"
        finally:
            client.stop(wait=5)
        assert not client.running


def test_without_the_stream_the_client_polls_the_state(tmp_path):
    env = HallEnv(tmp_path)
    with clock.freeze(MORNING), running(env) as server, stream_cutting_proxy(server.url) as proxy:
        key = env.hall.make_key("2")
        client = HallClient(proxy, lambda _s: None, poll_seconds=0.2).start()
        try:
            assert wait_for(lambda: client.state is not None)
            env.issue("B")
            post(server, "/api/counters/2/call", key)
            assert wait_for(lambda: serving(client, "2") == "B001")
            assert client.mode == "polling" and client.linked and client.errors >= 1
        finally:
            client.stop(wait=5)
        assert not client.running


def test_a_hall_that_starts_late_is_found_and_the_link_is_reported(tmp_path):
    port = free_port()
    env = HallEnv(tmp_path, hall={"port": str(port)})
    links: list[bool] = []
    client = HallClient(
        f"http://127.0.0.1:{port}/",
        lambda _s: None,
        links.append,
        poll_seconds=0.2,
        stream_retry_seconds=0.5,
    ).start()
    try:
        assert wait_for(lambda: client.mode == "offline")
        assert client.state is None and not client.linked and links == []
        with clock.freeze(MORNING), running(env):
            assert wait_for(lambda: client.state is not None)
            assert wait_for(lambda: client.mode == "events")  # back on the stream
            assert client.linked and links[-1] is True
    finally:
        client.stop(wait=5)
    assert not client.running


def test_a_reader_that_fails_does_not_end_the_link(tmp_path):
    env = HallEnv(tmp_path)
    calls: list[int] = []

    def broken(state: dict[str, Any]) -> None:
        calls.append(state["version"])
        raise RuntimeError("a bug in one reader")

    with clock.freeze(MORNING), running(env) as server:
        client = HallClient(server.url, broken).start()
        try:
            assert wait_for(lambda: calls)
            env.issue("A")
            assert wait_for(lambda: len(calls) >= 2)
            assert client.running
        finally:
            client.stop(wait=5)


def test_the_evaluator_learns_of_a_ticket_finished_at_its_counter(tmp_path):
    env = HallEnv(tmp_path)
    done: list[Done] = []
    with clock.freeze(MORNING), running(env) as server:
        key = env.hall.make_key("1")
        env.issue("A")
        post(server, "/api/counters/1/call", key)
        post(server, "/api/counters/1/done", key)  # before the evaluator starts: not asked
        # the server pushes a change a moment later (and a new stream starts with the state
        # pushed last): wait until it has pushed this one
        probe = HallClient(server.url, lambda _s: None).start()
        assert wait_for(lambda: "A001" in str((probe.state or {}).get("counters")))
        probe.stop()
        watcher = HallWatcher(server.url, "1", done.append).start()
        try:
            assert wait_for(lambda: watcher.linked and watcher.counter_done() == "A001")
            env.issue("A")
            post(server, "/api/counters/1/call", key)
            post(server, "/api/counters/1/done", key)
            assert wait_for(lambda: done)
            assert [(d.ticket, d.counter) for d in done] == [("A002", "1")]
            assert done[0].counter_name == state(server)["counters"][0]["name"]
        finally:
            watcher.stop()


def test_a_help_call_reaches_the_hall_and_fails_softly_without_it(tmp_path):
    env = HallEnv(tmp_path)
    caller = Caller("k-0123456789ab", "呼叫工作人员", "渝北区公共法律服务中心", "大厅入口")
    with clock.freeze(MORNING), running(env) as server:
        base = server.url.rstrip("/")  # either spelling of the base URL works
        assert post_help(base, caller).sent
        assert [h["kiosk"] for h in state(server)["help"]] == ["k-0123456789ab"]
        assert cancel_help(server.url, caller.kiosk).sent
        assert state(server)["help"] == []
    away = post_help(f"http://127.0.0.1:{free_port()}/", caller, timeout=2)
    assert not away.sent and away.error
