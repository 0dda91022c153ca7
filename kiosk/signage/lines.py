"""What a sign says about the queue, from the hall server's state (plain text, Chinese)."""

from __future__ import annotations

from typing import Any

NOW_SERVING = "请 {ticket} 号到 {counter} 办理"
COUNTER_IDLE = "{counter} 暂无叫号"
WAITING = "{service} 等候 {waiting} 人"
QUEUE_TITLE = "叫号信息"
LAST_CALLS = "最近叫号"
NO_QUEUE = "叫号系统暂时连接不上，请留意窗口叫号"


def counter_name(counter: dict[str, Any]) -> str:
    return str(counter.get("name") or f"{counter.get('counter')}号窗口")


def serving_lines(state: dict[str, Any]) -> list[str]:
    """One line per counter that is serving someone, in counter order."""
    lines = []
    for counter in state.get("counters") or []:
        if counter.get("serving"):
            lines.append(
                NOW_SERVING.format(ticket=counter["serving"], counter=counter_name(counter))
            )
    return lines


def counter_rows(state: dict[str, Any]) -> list[tuple[str, str]]:
    """(counter name, ticket or '—') for every counter: the big-screen queue table."""
    return [(counter_name(c), str(c.get("serving") or "—")) for c in state.get("counters") or []]


def waiting_lines(state: dict[str, Any]) -> list[str]:
    return [
        WAITING.format(service=s.get("name", s.get("id", "")), waiting=int(s.get("waiting") or 0))
        for s in state.get("services") or []
    ]


def last_calls(state: dict[str, Any], count: int = 5) -> list[str]:
    names = {str(c.get("counter")): counter_name(c) for c in state.get("counters") or []}
    calls = sorted(state.get("calls") or [], key=lambda c: c.get("seq", 0), reverse=True)
    return [
        f"{c.get('ticket')} → {names.get(str(c.get('counter')), c.get('counter'))}"
        for c in calls[:count]
    ]


def one_counter(state: dict[str, Any], counter: str) -> tuple[str, str]:
    """(name, current number or '') of one counter, for a window-top strip."""
    for item in state.get("counters") or []:
        if str(item.get("counter")) == str(counter):
            return counter_name(item), str(item.get("serving") or "")
    return f"{counter}号窗口", ""
