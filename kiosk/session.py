"""Everything one resident has entered, in one plain object that is replaced whole on reset.

Nothing here is ever written to disk: when the kiosk goes idle or a resident presses 首页 after
finishing, `SessionHolder.reset()` drops the object and with it every answer, query and ticket
shown. Features keep their per-resident state as attributes of `Session` only.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_serial = itertools.count(1)


@dataclass
class Session:
    """One resident's visit. Features add their own fields here and nowhere else."""

    serial: int = field(default_factory=lambda: next(_serial))
    # True once the resident has done something worth protecting from a content switch.
    busy: bool = False
    # Screens visited, for 返回 (names only; never what was typed).
    history: list[str] = field(default_factory=list)
    # Directory search keys typed on the on-screen keyboard.
    search_query: str = ""
    # Free slots for features: {feature name: state object}. Dropped with the session.
    features: dict[str, Any] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not (self.busy or self.history or self.search_query or self.features)


class SessionHolder:
    """Owns the current Session; listeners learn when it is replaced."""

    def __init__(self) -> None:
        self.current = Session()
        self._listeners: list[Callable[[Session], None]] = []

    def on_reset(self, listener: Callable[[Session], None]) -> None:
        self._listeners.append(listener)

    def reset(self) -> Session:
        self.current = Session()
        for listener in list(self._listeners):
            listener(self.current)
        return self.current

    @property
    def in_use(self) -> bool:
        """A resident is in the middle of something: do not switch content under them."""
        return self.current.busy
