"""The calling order: 绿色通道 first, the normal-between setting, and "前面还有 N 人" from the
same function on a new ticket and on the 取号 screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import clock
from kiosk.tickets.order import Waiting, ahead_of, ordered
from tests.hall.env import MORNING, HallEnv


def tickets(spec: str) -> list[Waiting]:
    """'NNPN' -> tickets issued in that order, P = priority."""
    return [Waiting(i, f"A{i:03d}", kind == "P", float(i)) for i, kind in enumerate(spec, 1)]


def numbers(result: list[Waiting]) -> str:
    return " ".join(t.number for t in result)


def test_priority_tickets_come_first_then_issue_time() -> None:
    assert numbers(ordered(tickets("NNNP"))) == "A004 A001 A002 A003"
    assert numbers(ordered(tickets("NPNP"))) == "A002 A004 A001 A003"


@pytest.mark.parametrize(
    ("between", "since", "expected"),
    [
        (2, None, "A004 A001 A002 A005 A003"),  # no priority called yet today: one is due
        (2, 0, "A001 A002 A004 A003 A005"),  # a priority was just called: two normals first
        (2, 1, "A001 A004 A002 A003 A005"),
        (0, 0, "A004 A005 A001 A002 A003"),
    ],
)
def test_normal_tickets_between_priority_ones(
    between: int, since: int | None, expected: str
) -> None:
    assert numbers(ordered(tickets("NNNPP"), between, since)) == expected


def test_ahead_counts_who_is_called_before() -> None:
    waiting = tickets("NNNP")
    assert ahead_of(4, waiting) == 0
    assert ahead_of(3, waiting) == 3


def test_a_priority_ticket_is_told_the_truth_and_the_screen_agrees(tmp_path: Path) -> None:
    with clock.freeze(MORNING):
        env = HallEnv(tmp_path)
        for _ in range(3):
            env.desk.issue("A")
        screen = {s.service.id: s.waiting for s in env.desk.states()}
        assert screen["center-reception"] == 3  # a normal ticket now would have 3 ahead
        priority = env.desk.issue("A", priority=True)
        assert priority.number == "A004" and priority.ahead == 0  # was: 前面还有 3 人
        normal = env.desk.issue("A")
        assert normal.ahead == 4
        env.hall.call_next("1")
        assert {s.service.id: s.waiting for s in env.desk.states()}["center-reception"] == 4


def test_without_a_hall_tickets_count_as_waiting_for_wait_minutes(tmp_path: Path) -> None:
    with clock.freeze(MORNING) as frozen:
        env = HallEnv(tmp_path, hall={"host": "no"}, tickets={"wait_minutes": "30"})
        env.desk.issue("A")
        frozen.advance(minutes=31)
        assert env.desk.issue("A", priority=True).ahead == 0
        assert env.desk.issue("A").ahead == 1
