"""Per-resident state is forgotten whole; idle timing; the staff PIN and its lockout."""

from __future__ import annotations

from datetime import datetime

from kiosk import admin, clock, store
from kiosk.idle import IdleTimer, TapSequence
from kiosk.session import Session, SessionHolder


def test_reset_replaces_the_whole_session_and_tells_listeners():
    holder = SessionHolder()
    old = holder.current
    old.search_query = "FLYZ"
    old.features["eligibility"] = {"income": 1800}
    old.busy = True
    seen = []
    holder.on_reset(seen.append)
    new = holder.reset()
    assert new is holder.current is seen[0]
    assert new is not old
    assert new.is_empty() and not holder.in_use
    assert new.serial != old.serial
    assert Session().is_empty()


class FakeTime:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


def test_idle_timer_asks_then_expires_and_a_touch_starts_over():
    now = FakeTime()
    timer = IdleTimer(timeout=90, countdown=20, now=now)
    now.t += 89.9
    assert timer.state().phase == "active"
    now.t += 0.2
    state = timer.state()
    assert state.phase == "asking" and state.seconds_left == 20
    now.t += 19.5
    assert timer.state().seconds_left == 1
    now.t += 0.5
    assert timer.state().phase == "expired"
    timer.kick()
    assert timer.state().phase == "active"


def test_the_hidden_gesture_needs_five_quick_taps():
    now = FakeTime()
    taps = TapSequence(count=5, within=3.0, now=now)
    assert not any(taps.tap() for _ in range(4))
    now.t += 3.5  # too slow: the first four no longer count
    assert not taps.tap()
    assert not any(taps.tap() for _ in range(3))
    assert taps.tap()
    assert not taps.tap(), "a new gesture starts from zero"


def test_pin_hash_is_salted_and_checks():
    first, second = admin.hash_pin("2468"), admin.hash_pin("2468")
    assert first != second
    assert admin.check_pin("2468", first) and admin.check_pin("2468", second)
    assert not admin.check_pin("2469", first)
    assert not admin.check_pin("2468", "")
    assert admin.valid_pin("0000") and not admin.valid_pin("12a4") and not admin.valid_pin("123")


def test_five_wrong_pins_lock_for_five_minutes_even_across_restarts(tmp_path):
    path = tmp_path / "k.sqlite3"
    stored = admin.hash_pin("2468")
    with clock.freeze(datetime(2026, 11, 27, 10, 0)) as frozen:
        gate = admin.PinGate(store.open_db(path), stored, 5, 5)
        results = [gate.try_pin("1111") for _ in range(4)]
        assert [r.remaining for r in results] == [4, 3, 2, 1]
        locked = gate.try_pin("1111")
        assert locked.locked_until == datetime(2026, 11, 27, 10, 5, tzinfo=clock.timezone())
        # a restart opens a fresh connection: still locked, even with the right PIN
        gate = admin.PinGate(store.open_db(path), stored, 5, 5)
        assert not gate.try_pin("2468").ok
        frozen.advance(minutes=4, seconds=59)
        assert gate.locked_until() is not None
        frozen.advance(seconds=2)
        assert gate.locked_until() is None
        assert gate.try_pin("2468").ok
        assert gate.try_pin("1111").remaining == 4, "a right PIN clears the failures"
