"""The order in which waiting tickets of one service are called: the single source of truth.

绿色通道 (priority) tickets come before normal ones, each group by issue time; a hall may let
up to `normal_between` normal tickets be called between two priority ones so that normal
residents are not held back for ever. The counter's 叫号, the "前面还有 N 人" on a new ticket and
the waiting count on the 取号 screen all come from `ordered()`, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Waiting:
    """A ticket still waiting for its call: enough to order it, nothing about the resident."""

    id: int
    number: str
    priority: bool
    issued_ts: float


def ordered(
    waiting: Sequence[Waiting], normal_between: int = 0, normals_since_priority: int | None = None
) -> list[Waiting]:
    """The waiting tickets of one service in the order they will be called.

    normals_since_priority: normal tickets called since the last priority one today (None: no
    priority ticket called yet today, so a waiting priority ticket is due at once).
    """
    priority = sorted((t for t in waiting if t.priority), key=lambda t: (t.issued_ts, t.id))
    normal = sorted((t for t in waiting if not t.priority), key=lambda t: (t.issued_ts, t.id))
    since = normal_between if normals_since_priority is None else normals_since_priority
    result: list[Waiting] = []
    p = n = 0
    while p < len(priority) or n < len(normal):
        if p < len(priority) and (n >= len(normal) or since >= normal_between):
            result.append(priority[p])
            p += 1
            since = 0
        else:
            result.append(normal[n])
            n += 1
            since += 1
    return result


def ahead_of(
    ticket_id: int,
    waiting: Sequence[Waiting],
    normal_between: int = 0,
    normals_since_priority: int | None = None,
) -> int:
    """How many waiting tickets will be called before this one (前面还有 N 人)."""
    for index, ticket in enumerate(ordered(waiting, normal_between, normals_since_priority)):
        if ticket.id == ticket_id:
            return index
    return 0
