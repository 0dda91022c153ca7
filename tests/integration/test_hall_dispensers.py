"""The hall's other dispensers: they keep issuing while the host is down, and every ticket
reaches the host when it is back, once, in issue-time order, with no number given twice."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from kiosk import clock
from kiosk.hall.dispatch import Dispatcher
from kiosk.hall.keys import DISPENSER
from kiosk.hall.server import HallServer
from kiosk.tickets import desk as desk_module
from tests.hall.env import MORNING, HallEnv, state


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def frozen() -> Iterator[clock.FrozenClock]:
    with clock.freeze(MORNING) as handle:
        yield handle
    desk_module.queue_link = None


def dispenser(tmp_path: Path, port: int, key: str, **tickets: str) -> HallEnv:
    folder = tmp_path / "dispenser"
    folder.mkdir()
    return HallEnv(
        folder,
        hall={"host": "no", "url": f"http://127.0.0.1:{port}/", "key": key, "retry_seconds": "1"},
        tickets=tickets or {"number_block": "500-999"},
    )


def host_env(tmp_path: Path) -> HallEnv:
    folder = tmp_path / "host"
    folder.mkdir()
    return HallEnv(folder)


def serve(env: HallEnv, port: int) -> HallServer:
    return HallServer(env.settings, env.pack, port=port).start()


def test_host_down_then_back_nothing_lost_nothing_twice(
    tmp_path: Path, frozen: clock.FrozenClock
) -> None:
    port = free_port()
    host = host_env(tmp_path)
    key = host.hall.make_key(DISPENSER)
    counter = host.hall.make_key("1")
    other = dispenser(tmp_path, port, key)
    link = Dispatcher(other.settings, other.desk.ledger)
    desk_module.queue_link = link

    assert host.issue("A") == "A001"
    frozen.advance(minutes=1)
    down = other.desk.issue("A")  # the host is not running: the resident still gets a ticket
    assert down.number == "A500" and down.ahead == 0  # the local estimate
    frozen.advance(minutes=1)
    assert host.issue("A") == "A002"
    frozen.advance(minutes=1)
    assert other.issue("A") == "A501"
    assert [t["number"] for t in link.unsent()] == ["A500", "A501"]
    assert link.send_pending() == 2 and "unreachable" in link.last_error

    server = serve(host, port)
    try:
        assert link.send_pending() == 0
        body = state(server)
        assert body["services"][0]["waiting"] == 4
        # handing the same tickets in again (a lost answer, a restart) changes nothing
        again = link._send(
            [link._row(t.id) for t in other.desk.ledger.day(other.desk.site_id, clock.today())]
        )
        assert again is not None and again["conflicts"] == []
        assert state(server)["services"][0]["waiting"] == 4

        # with the host up, a new ticket is told the host's "前面还有 N 人" at once
        frozen.advance(minutes=1)
        up = other.desk.issue("A", priority=True)
        assert up.number == "A502" and up.ahead == 0
        frozen.advance(minutes=1)
        normal = other.desk.issue("A")
        assert normal.ahead == 5
        assert other.desk.ledger.get_by_id(normal.id).ahead == 5  # kept on the ticket

        link.refresh_waiting()  # the dispenser's 取号 screen shows the host's count
        assert {s.service.id: s.waiting for s in other.desk.states()}["center-reception"] == 6

        called = [
            requests.post(
                server.url + "api/counters/1/call",
                headers={"Authorization": f"Bearer {counter}"},
                timeout=10,
            ).json()["called"]["ticket"]
            for _ in range(6)
        ]
        assert called == ["A502", "A001", "A500", "A002", "A501", "A503"]
    finally:
        server.stop()


def test_overlapping_number_blocks_are_reported_not_overwritten(
    tmp_path: Path, frozen: clock.FrozenClock
) -> None:
    port = free_port()
    host = host_env(tmp_path)
    key = host.hall.make_key(DISPENSER)
    other = dispenser(tmp_path, port, key, number_block="1-999")  # the same block: a mistake
    host.issue("C")
    other.issue("C")
    link = Dispatcher(other.settings, other.desk.ledger)
    server = serve(host, port)
    try:
        assert link.send_pending() == 1  # kept, and tried again later
        assert "number_block" in link.last_error and "C001" in link.last_error
        assert state(server)["services"][2]["waiting"] == 1
    finally:
        server.stop()


def test_a_wrong_dispenser_key_hands_nothing_in(tmp_path: Path, frozen: clock.FrozenClock) -> None:
    port = free_port()
    host = host_env(tmp_path)
    host.hall.make_key(DISPENSER)
    other = dispenser(tmp_path, port, "not-the-key")
    other.issue("B")
    link = Dispatcher(other.settings, other.desk.ledger)
    server = serve(host, port)
    try:
        assert link.send_pending() == 1 and "refused" in link.last_error
        assert state(server)["services"][1]["waiting"] == 0
    finally:
        server.stop()


def test_the_background_thread_delivers_when_the_host_comes_back(
    tmp_path: Path, frozen: clock.FrozenClock
) -> None:
    port = free_port()
    host = host_env(tmp_path)
    other = dispenser(tmp_path, port, host.hall.make_key(DISPENSER))
    for _ in range(3):
        other.issue("D")
    link = Dispatcher(other.settings, other.desk.ledger).start()
    try:
        server = serve(host, port)
        try:
            deadline = time.monotonic() + 60
            while link.unsent() and time.monotonic() < deadline:
                time.sleep(0.2)
            assert link.unsent() == []
            assert state(server)["services"][3]["waiting"] == 3
        finally:
            server.stop()
    finally:
        link.stop()
