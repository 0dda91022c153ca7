"""The evaluator's link to the hall server: learn when this window finishes a ticket.

The hall client (kiosk.hall.client: server-sent events, polling as fallback) hands over each
new state. Each state is checked for this counter's `last_done.seq`: a new one means
"ticket X of service Y was just served here" and `on_done(Done)` is called (in the thread; the
UI moves it to its own thread). The first state seen only sets the baseline, so an evaluator
that starts (or reconnects) never asks about a ticket served before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kiosk.hall.client import POLL_SECONDS, HallClient


@dataclass(frozen=True)
class Done:
    ticket: str
    service: str | None
    service_name: str
    counter: str
    counter_name: str
    seq: int


class HallWatcher:
    """This counter's finished tickets, read through the shared hall client."""

    def __init__(
        self,
        url: str,
        counter: str,
        on_done: Callable[[Done], None],
        on_link: Callable[[bool], None] | None = None,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        self.counter = counter
        self.on_done = on_done
        self.on_link = on_link or (lambda _ok: None)
        self._last_seq: int | None = None
        self.counter_name = f"{counter}号窗口"
        self.client = HallClient(url, self.see, self._linked, poll_seconds=poll_seconds)

    @property
    def linked(self) -> bool:
        return self.client.linked

    def start(self) -> HallWatcher:
        self.client.start()
        return self

    def stop(self) -> None:
        self.client.stop()

    def counter_done(self) -> str | None:
        """The last ticket finished at this counter in the latest state seen (or None)."""
        for item in (self.client.state or {}).get("counters", []):
            if str(item.get("counter")) == self.counter and item.get("last_done"):
                return str(item["last_done"].get("ticket"))
        return None

    # --- reading a state -------------------------------------------------------------------

    def see(self, state: dict[str, Any]) -> Done | None:
        """Check one hall state; calls on_done for a newly finished ticket at this counter."""
        counter = next(
            (c for c in state.get("counters", []) if str(c.get("counter")) == self.counter), None
        )
        if counter is None:
            return None
        self.counter_name = counter.get("name") or self.counter_name
        last = counter.get("last_done")
        seq = int(last["seq"]) if last else 0
        if self._last_seq is None or last is None or seq <= self._last_seq:
            self._last_seq = seq if self._last_seq is None else max(self._last_seq, seq)
            return None
        self._last_seq = seq
        names = {s.get("id"): s.get("name", "") for s in state.get("services", [])}
        done = Done(
            ticket=str(last.get("ticket", "")),
            service=last.get("service"),
            service_name=names.get(last.get("service"), ""),
            counter=self.counter,
            counter_name=self.counter_name,
            seq=seq,
        )
        self.on_done(done)
        return done

    def _linked(self, ok: bool) -> None:
        self.on_link(ok)
