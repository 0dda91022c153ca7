"""When to ask "还在使用吗？" and when to give up and forget the resident.

Plain logic on a monotonic clock so it is tested without a window; the UI feeds it touches and
polls `state()` a few times a second.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kiosk import clock


@dataclass(frozen=True)
class IdleState:
    phase: str  # "active" | "asking" | "expired"
    seconds_left: int = 0


class IdleTimer:
    def __init__(
        self, timeout: float, countdown: float, now: Callable[[], float] = clock.monotonic
    ):
        self.timeout, self.countdown, self._now = timeout, countdown, now
        self.last = now()

    def kick(self) -> None:
        """A touch or key: the resident is still here."""
        self.last = self._now()

    def state(self) -> IdleState:
        idle = self._now() - self.last
        if idle < self.timeout:
            return IdleState("active")
        left = self.timeout + self.countdown - idle
        if left > 0:
            return IdleState("asking", int(left + 0.999))
        return IdleState("expired")


class TapSequence:
    """The hidden staff gesture: `count` taps in the hot corner within `within` seconds."""

    def __init__(
        self, count: int = 5, within: float = 3.0, now: Callable[[], float] = clock.monotonic
    ):
        self.count, self.within, self._now = count, within, now
        self.taps: list[float] = []

    def tap(self) -> bool:
        """Record a tap; True when this tap completes the gesture (and starts a new one)."""
        moment = self._now()
        self.taps = [t for t in self.taps if moment - t <= self.within] + [moment]
        if len(self.taps) >= self.count:
            self.taps.clear()
            return True
        return False
