"""The hall server over real HTTP: the public state contract, counter actions with keys, event
streams, help calls, and every refusal leaving the queue exactly as it was."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk import clock, stats
from kiosk.cli import main
from kiosk.hall.server import HallServer
from kiosk.hall.voice import Announcer, clips_of, sentence_wav
from tests.hall.env import MORNING, HallEnv, post, running, state


@pytest.fixture
def env(tmp_path: Path) -> Iterator[HallEnv]:
    with clock.freeze(MORNING):
        yield HallEnv(tmp_path)


@pytest.fixture
def server(env: HallEnv) -> Iterator[HallServer]:
    with running(env) as srv:
        yield srv


def next_event(lines: Iterator[bytes]) -> dict[str, Any]:
    """The data of the next `state` event of an SSE stream."""
    event = None
    for raw in lines:
        line = raw.decode()
        if line.startswith("event:"):
            event = line.split(":", 1)[1].strip()
        elif line.startswith("data:") and event == "state":
            return json.loads(line.split(":", 1)[1])
    raise AssertionError("stream ended")


def test_state_follows_the_contract(env: HallEnv, server: HallServer) -> None:
    env.issue("A")
    env.issue("A", priority=True)
    env.issue("C")
    body = state(server)
    assert set(body) == {"site", "now", "version", "services", "counters", "calls", "help"}
    assert body["site"] == "渝北区公共法律服务中心"
    waiting = {s["letter"]: s["waiting"] for s in body["services"]}
    assert waiting["A"] == 2 and waiting["C"] == 1 and waiting["B"] == 0
    assert set(body["services"][0]) == {"id", "letter", "name", "waiting"}
    first = body["counters"][0]
    assert set(first) == {
        "counter",
        "name",
        "services",
        "serving",
        "service",
        "called_at",
        "last_done",
    }
    assert first["counter"] == "1" and first["name"] == "1号窗口"
    assert first["services"] == ["center-reception"] and first["serving"] is None
    assert body["calls"] == [] and body["help"] == []
    assert isinstance(body["version"], int)


def test_counter_calls_priority_first_and_the_display_state_follows(
    env: HallEnv, server: HallServer
) -> None:
    key = env.hall.make_key("1")
    for _ in range(3):
        env.issue("A")
    env.issue("A", priority=True)  # A004: the issue's example, now first in line
    before = state(server)["version"]

    called = post(server, "/api/counters/1/call", key)
    assert called.status_code == 200, called.text
    assert called.json()["called"]["ticket"] == "A004"
    body = state(server)
    assert body["version"] > before
    counter = body["counters"][0]
    assert counter["serving"] == "A004" and counter["service"] == "center-reception"
    assert body["calls"][0]["ticket"] == "A004" and body["calls"][0]["counter"] == "1"
    assert body["services"][0]["waiting"] == 3

    # 过号 needs a recall first (recalls_before_no_show = 1): refused, nothing changes
    refused = post(server, "/api/counters/1/no-show", key)
    assert refused.status_code == 409 and "重呼" in refused.json()["message"]
    assert post(server, "/api/counters/1/recall", key).json()["called"]["recalls"] == 1
    assert post(server, "/api/counters/1/no-show", key).status_code == 200
    assert state(server)["counters"][0]["serving"] is None

    assert post(server, "/api/counters/1/call", key).json()["called"]["ticket"] == "A001"
    assert post(server, "/api/counters/1/done", key).status_code == 200
    last = state(server)["counters"][0]["last_done"]
    assert last["ticket"] == "A001" and isinstance(last["seq"], int)

    view = requests.get(
        server.url + "api/counters/1", headers={"Authorization": f"Bearer {key}"}, timeout=10
    ).json()
    assert view["served_today"] == 1 and view["services"][0]["waiting"] == 2

    # anonymous statistics: service, counter and seconds only
    assert stats.flush()
    rows = [
        (e["kind"], e["subject"], e["counter"])
        for e in stats.events_after(env.settings, 0)
        if e["kind"].startswith("ticket_") and e["kind"] != "ticket_issued"
    ]
    assert rows == [
        ("ticket_called", "center-reception", "1"),
        ("ticket_no_show", "center-reception", "1"),
        ("ticket_called", "center-reception", "1"),
        ("ticket_served", "center-reception", "1"),
    ]


def test_transfer_sends_the_ticket_to_the_front_of_another_counter(
    env: HallEnv, server: HallServer
) -> None:
    one, three = env.hall.make_key("1"), env.hall.make_key("3")
    env.issue("A")
    env.issue("C")
    assert post(server, "/api/counters/1/call", one).json()["called"]["ticket"] == "A001"
    moved = post(server, "/api/counters/1/transfer", one, json={"to": "3"})
    assert moved.status_code == 200 and moved.json()["called"]["counter"] == "3"
    assert state(server)["counters"][0]["serving"] is None
    # counter 3 (法律援助, letter C) gets the transferred A001 before its own C001
    assert post(server, "/api/counters/3/call", three).json()["called"]["ticket"] == "A001"
    assert post(server, "/api/counters/3/call", three).json()["called"]["ticket"] == "C001"


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 401), ({"Authorization": "Bearer wrong-key"}, 403), ({"X-Hall-Key": ""}, 401)],
)
def test_no_queue_change_without_the_counters_key(
    env: HallEnv, server: HallServer, headers: dict[str, str], status: int
) -> None:
    env.hall.make_key("1")
    env.issue("A")
    before = state(server)
    for action in ("call", "recall", "done", "no-show"):
        response = requests.post(
            server.url + f"api/counters/1/{action}", headers=headers, timeout=10
        )
        assert response.status_code == status
        assert response.json()["message"]
    after = state(server)
    assert after["version"] == before["version"] and after["counters"] == before["counters"]


def test_another_counters_key_does_not_open_this_counter(env: HallEnv, server: HallServer) -> None:
    env.hall.make_key("1")
    two = env.hall.make_key("2")
    env.issue("A")
    assert post(server, "/api/counters/1/call", two).status_code == 403
    # a new key replaces the old one
    old = env.hall.make_key("1")
    env.hall.make_key("1")
    assert post(server, "/api/counters/1/call", old).status_code == 403
    assert state(server)["counters"][0]["serving"] is None


def test_bad_input_is_a_clear_4xx_and_changes_nothing(env: HallEnv, server: HallServer) -> None:
    key = env.hall.make_key("1")
    env.issue("A")
    post(server, "/api/counters/1/call", key)
    before = state(server)
    cases = [
        (post(server, "/api/counters/99/call", key), 404),
        (post(server, "/api/counters/1/explode", key), 404),
        (post(server, "/api/counters/1/transfer", key, json={}), 400),
        (post(server, "/api/counters/1/transfer", key, json={"to": "1"}), 400),
        (post(server, "/api/counters/1/transfer", key, json={"to": "77"}), 404),
        (post(server, "/api/counters/1/transfer", key, data=b"{not json"), 415),
        (post(server, "/api/counters/1/transfer", key, data=b"{not json", headers_json=True), 400),
        (post(server, "/api/help", data=b"kiosk=k-1&label=x"), 415),  # a plain form
        (post(server, "/api/counters/1/transfer", key, json=["to", "2"]), 400),
        (
            post(server, "/api/counters/1/transfer", key, data=b"x" * 100_000, headers_json=True),
            413,
        ),
        (post(server, "/api/help", json={"kiosk": "k-1", "label": "x" * 500}), 400),
        (post(server, "/api/help", json={"kiosk": "../../etc", "label": "求助"}), 400),
        (post(server, "/api/help", data="不是 JSON".encode(), headers_json=True), 400),
        (post(server, "/api/tickets", key, json={"kiosk": "k-1", "tickets": []}), 403),
        (requests.get(server.url + "api/nothing", timeout=10), 404),
    ]
    for response, status in cases:
        assert response.status_code == status, (response.request.url, response.text)
        assert response.json()["message"], response.text
    after = state(server)
    assert after["version"] == before["version"]
    assert after["counters"] == before["counters"] and after["help"] == []


def test_help_calls_appear_and_are_cleared(env: HallEnv, server: HallServer) -> None:
    call = {
        "kiosk": "k-0123456789ab",
        "label": "呼叫工作人员",
        "site": "渝北区公共法律服务中心",
        "place": "大厅入口",
    }
    assert post(server, "/api/help", json=call).status_code == 200
    assert post(server, "/api/help", json=call).status_code == 200  # pressed twice: one call
    helps = state(server)["help"]
    assert (
        len(helps) == 1 and helps[0]["label"] == "呼叫工作人员" and helps[0]["place"] == "大厅入口"
    )
    cleared = requests.delete(server.url + "api/help/k-0123456789ab", timeout=10)
    assert cleared.json()["cleared"] is True
    assert state(server)["help"] == []


def test_events_stream_pushes_every_change(env: HallEnv, server: HallServer) -> None:
    key = env.hall.make_key("2")
    with requests.get(server.url + "api/events", stream=True, timeout=10) as stream:
        assert stream.headers["Content-Type"].startswith("text/event-stream")
        lines = stream.iter_lines()
        first = next_event(lines)
        assert first["counters"][1]["serving"] is None
        env.issue("B")  # a ticket from the touch screen is a change too
        issued = next_event(lines)
        assert issued["services"][1]["waiting"] == 1 and issued["version"] > first["version"]
        post(server, "/api/counters/2/call", key)
        called = next_event(lines)
        assert called["counters"][1]["serving"] == "B001"
        assert called["calls"][0] == {**called["calls"][0], "ticket": "B001", "counter": "2"}


def test_a_call_from_the_command_line_reaches_the_server_and_is_spoken(
    env: HallEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    heard: list[bytes] = []
    done = threading.Event()

    def speaker(data: bytes) -> None:  # the true edge: only the sound card is replaced
        heard.append(data)
        done.set()

    clips = clips_of(env.pack)
    env.issue("C")
    with (
        running(env, announcer=Announcer(clips, 2, speaker)) as server,
        requests.get(server.url + "api/events", stream=True, timeout=10) as stream,
    ):
        lines = stream.iter_lines()
        next_event(lines)
        assert main(["--config", str(env.config), "hall", "call", "--counter", "3"]) == 0
        assert capsys.readouterr().out.strip() == "C001"
        assert next_event(lines)["counters"][2]["serving"] == "C001"
        assert done.wait(30)
    assert heard == [
        sentence_wav(clips, "C001", "3", repeats=2)
    ]  # 请 C 零零一 号 到 三 号窗口办理 ×2


def test_kiosk_hall_serve_runs_until_told_to_stop(env: HallEnv) -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kiosk",
            "--config",
            str(env.config),
            "hall",
            "serve",
            "--port",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "KIOSK_NOW": MORNING},
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        assert line.startswith("hall server on http://127.0.0.1:"), line
        url = line.split()[3]
        assert (
            requests.get(url + "api/state", timeout=10).json()["site"] == "渝北区公共法律服务中心"
        )
        assert "<title>叫号显示</title>" in requests.get(url + "display", timeout=10).text
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0


def test_twenty_counters_calling_at_once_never_share_a_ticket(tmp_path: Path) -> None:
    counters = "; ".join(f"{n}: center-reception" for n in range(1, 21))
    with clock.freeze(MORNING):
        env = HallEnv(tmp_path, hall={"counters": counters})
        keys = {str(n): env.hall.make_key(str(n)) for n in range(1, 21)}
        numbers = {env.issue("A") for _ in range(100)}
        with running(env) as server:
            got: list[str] = []
            lock = threading.Lock()

            def work(counter: str) -> None:
                session = requests.Session()
                for _ in range(6):
                    response = session.post(
                        server.url + f"api/counters/{counter}/call",
                        headers={"Authorization": f"Bearer {keys[counter]}"},
                        timeout=30,
                    )
                    called = response.json()["called"]
                    if called:
                        with lock:
                            got.append(called["ticket"])

            threads = [threading.Thread(target=work, args=(c,)) for c in keys]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert len(got) == 100 and set(got) == numbers  # each once, none lost
            assert state(server)["services"][0]["waiting"] == 0


def test_a_server_stopped_as_the_state_changes_ends_its_watcher_and_logs_nothing(
    env: HallEnv, caplog: pytest.LogCaptureFixture
) -> None:
    """stop() must end the watch loop before the database pool closes. A stop that came in
    the same turn of the loop as a change (a counter's 叫号 just before `kiosk` exits) used to
    leave the watcher running (asyncio.wait_for on 3.11 swallows a cancel that meets a
    finished wait): it then logged "cannot schedule new futures after shutdown" every second."""
    import logging
    import time

    from kiosk.hall.server import WATCH_SECONDS

    caplog.set_level(logging.ERROR, logger="kiosk.hall.server")
    server = HallServer(env.settings, env.pack).start()
    env.issue("A")
    loop = server._loop
    assert loop is not None

    def change_then_stop() -> None:
        """A change and the stop in one turn of the loop, while the watcher waits for a change
        (not while it publishes): the case is forced, no luck needed."""
        wake = server._wake
        assert wake is not None
        if not wake._waiters:  # type: ignore[attr-defined]  # publishing: try again shortly
            loop.call_later(0.005, change_then_stop)
            return
        server.changed()
        loop.stop()

    loop.call_soon_threadsafe(change_then_stop)
    server.stop()
    assert not server.running, "the server's thread ended with stop()"
    time.sleep(WATCH_SECONDS * 8)  # a watcher left behind would have published (and failed)
    assert [record.getMessage() for record in caplog.records] == []
