"""Full-screen overlays: the idle question and the staff PIN pad.

They sit above the shell and swallow every touch, so nothing underneath reacts while they show.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.floatlayout import FloatLayout

from kiosk import admin
from kiosk.ui import strings


class Overlay(FloatLayout):
    def on_touch_down(self, touch: Any) -> bool:
        super().on_touch_down(touch)
        return True

    def on_touch_move(self, touch: Any) -> bool:
        super().on_touch_move(touch)
        return True

    def on_touch_up(self, touch: Any) -> bool:
        super().on_touch_up(touch)
        return True


class IdleOverlay(Overlay):
    """还在使用吗？ with a countdown; the app resets the session when it runs out."""

    seconds_left = NumericProperty(0)

    def keep_going(self) -> None:
        app = App.get_running_app()
        app.idle.kick()
        app.close_overlay()

    def leave(self) -> None:
        App.get_running_app().reset_session()


class PinOverlay(Overlay):
    """A digit pad for the staff PIN; wrong PINs count towards the lockout."""

    entered = StringProperty("")
    message = StringProperty(strings.PIN_PROMPT)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        app = App.get_running_app()
        self.gate = admin.PinGate(
            app.db(),
            app.settings.admin.pin_hash,
            app.settings.admin.max_attempts,
            app.settings.admin.lockout_minutes,
        )
        if not app.settings.admin.pin_hash:
            self.message = strings.PIN_NOT_SET
        else:
            self._show_lock()

    @property
    def masked(self) -> str:
        return "●" * len(self.entered)

    def _show_lock(self) -> bool:
        until = self.gate.locked_until()
        if until:
            self.message = strings.PIN_LOCKED.format(until=f"{until:%H:%M}")
            return True
        return False

    def press(self, key: str) -> None:
        if key == "delete":
            self.entered = self.entered[:-1]
        elif len(self.entered) < admin.MAX_PIN:
            self.entered += key

    def submit(self) -> None:
        app = App.get_running_app()
        if not app.settings.admin.pin_hash or self._show_lock():
            self.entered = ""
            return
        attempt = self.gate.try_pin(self.entered)
        self.entered = ""
        if attempt.ok:
            app.close_overlay()
            app.go("admin")
        elif attempt.locked_until:
            self.message = strings.PIN_LOCKED.format(until=f"{attempt.locked_until:%H:%M}")
        else:
            self.message = strings.PIN_WRONG.format(remaining=attempt.remaining)

    def cancel(self) -> None:
        App.get_running_app().close_overlay()


Builder.load_file(str(Path(__file__).with_name("overlays.kv")))
