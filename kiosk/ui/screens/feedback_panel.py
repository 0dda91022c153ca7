"""The parts of 好差评 shared by the rating screens and 投诉建议: the five levels with reasons
and a call-back number (RatingPanel), and the digit pad for that number (PhonePad)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kivy.clock import Clock
from kivy.properties import StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout

from kiosk.feedback import texts
from kiosk.ui import strings, theme
from kiosk.ui.widgets import KioskButton, SecondaryButton, WrapLabel, toggle_choice

log = logging.getLogger(__name__)

LEVEL_COLOURS = {
    5: theme.rgba("#155027"),  # every level keeps white text at 7:1 or better (长者模式)
    4: theme.rgba("#1F5E23"),
    3: theme.rgba("#164A8C"),
    2: theme.rgba("#843A00"),
    1: theme.rgba("#9A1B1B"),
}
THANKS_SECONDS = 4
VISIT = "feedback"  # the session slot: {"feature": first tile opened, "asked": bool}

Submit = Callable[[int, tuple[str, ...], str | None], str]


def _label(text: str, font_size: float | None = None, **kwargs: Any) -> WrapLabel:
    label = WrapLabel(source=text, **kwargs)
    if font_size is not None:  # after the kv rule, which binds font_size to the theme
        label.font_size = font_size
    return label


def _landscape() -> bool:
    from kivy.core.window import Window

    return bool(Window.width > Window.height)


class PhonePad(BoxLayout):
    """Digits for a call-back number: 0-9, 删除 and 清空 (residents tap, never type)."""

    number = StringProperty("")

    def __init__(self, display_apart: bool = False, **kwargs: Any) -> None:
        """`display_apart`: the caller places `display` (the number so far) itself."""
        super().__init__(orientation="vertical", size_hint_y=None, **kwargs)
        self.bind(minimum_height=self.setter("height"))
        from kivy.app import App

        size = App.get_running_app().theme
        self.spacing = size.gap * 0.5
        # 长者模式: the number at title size (still 78 px) leaves room for keys of full size
        digits = size.title if size.elder else size.headline
        self.display = _label(" ", font_size=digits, bold=True, halign="center")
        self.display.line_height = 1  # one line of digits: no leading (after the kv rule)
        if not display_apart:
            self.add_widget(self.display)
        # Landscape and 长者模式: four columns, three rows (like the eligibility pad), so the
        # keys, the number and 提交 fit on one screen with keys of full size.
        wide = _landscape() or size.elder
        grid = GridLayout(cols=4 if wide else 3, size_hint_y=None, spacing=size.gap * 0.5)
        self.key_height = key_height = PhonePad.key_height_for(size)
        if wide:
            keys = ("1", "2", "3", "delete", "4", "5", "6", "clear", "7", "8", "9", "0")
        else:
            keys = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "delete", "0")
        rows = -(-len(keys) // grid.cols)
        grid.height = key_height * rows + grid.spacing[1] * (rows - 1)
        for key in keys:
            text = {"delete": strings.KEY_DELETE, "clear": strings.ELIG_NUMBER_CLEAR}.get(key, key)
            button = SecondaryButton(source=text, action=f"phone-{key}", fit_height=False)
            button.size_hint_y, button.padding = 1, (0, 0)
            digits = size.title if _landscape() else size.headline
            button.font_size = digits if len(key) == 1 else size.body
            button.bind(on_release=lambda _b, k=key: self.press(k))
            grid.add_widget(button)
        self.add_widget(grid)

    @staticmethod
    def key_height_for(size: Any) -> float:
        """Landscape keys a little lower so three rows fit beside the prompt (>= 120 px,
        长者模式 >= 160 px)."""
        return float(size.touch * (0.9 if _landscape() else 1))

    def press(self, key: str) -> None:
        if key == "delete":
            self.number = self.number[:-1]
        elif key == "clear":
            self.number = ""
        elif len(self.number) < 12:
            self.number += key

    def on_number(self, *_: Any) -> None:
        self.display.source = self.number or " "


class RatingPanel(BoxLayout):
    """一次一评: five big levels; for 不满意 and below, reason tags and an optional call-back.

    `submit(level, reasons, phone) -> thanks text` stores the rating; raising means it was not
    stored (the panel says so kindly).
    """

    step = StringProperty("levels")  # levels | reasons | phone | thanks

    def __init__(self, submit: Submit, on_finished: Callable[[], None], **kwargs: Any) -> None:
        super().__init__(orientation="vertical", size_hint_y=None, **kwargs)
        self.bind(minimum_height=self.setter("height"))
        self.submit = submit
        self.on_finished = on_finished
        self.question = strings.RATE_QUESTION
        self.hint = ""
        self.level = 0
        self.reasons: list[str] = []
        self.pad: PhonePad | None = None
        self._thanks_event: Any = None
        self._levels_key: tuple[Any, ...] = ()
        self.show_levels()

    @property
    def sizes(self) -> Any:
        """The app's theme (scaled sizes)."""
        from kivy.app import App

        return App.get_running_app().theme

    def reset(self, question: str, hint: str = "") -> None:
        """A fresh question; whatever was chosen and not yet sent is dropped."""
        self.question, self.hint = question, hint
        self.level, self.reasons, self.pad = 0, [], None
        self._cancel_thanks()
        if self.step == "levels" and self._levels_key == self._layout_key():
            return  # untouched since built (every 首页 and idle reset comes here): keep it
        self.show_levels()

    def _layout_key(self) -> tuple[Any, ...]:
        size = self.sizes
        return self.question, self.hint, _landscape(), size.elder, size.scale, size.large_text

    def _start(self, with_hint: bool = True) -> None:
        """The question on top; later steps in landscape leave it out to fit without scrolling."""
        self.clear_widgets()
        size = self.sizes
        self.spacing = size.gap
        if with_hint or not (_landscape() or size.elder):  # 长者模式: room for bigger keys
            self.add_widget(
                _label(self.question, font_size=size.headline, bold=True, color=theme.PRIMARY_DARK)
            )
        if self.hint and with_hint:
            self.add_widget(_label(self.hint, color=theme.TEXT_MUTED))

    def show_levels(self) -> None:
        """Five big buttons: a column in portrait, one row in landscape."""
        self.step = "levels"
        self._levels_key = self._layout_key()
        self._start()
        landscape = _landscape()
        grid = GridLayout(cols=5 if landscape else 1, size_hint_y=None, spacing=self.sizes.gap)
        grid.bind(minimum_height=grid.setter("height"))
        for level, name in texts.LEVELS.items():
            button = KioskButton(
                source=name,
                action=f"rate-{level}",
                background=LEVEL_COLOURS[level],
                min_height=self.sizes.big_touch * (1.2 if landscape else 0.8),
            )
            button.font_size = self.sizes.title * 0.85 if landscape else self.sizes.headline * 0.8
            button.bind(on_release=lambda _b, lv=level: self.choose(lv))
            grid.add_widget(button)
        self.add_widget(grid)

    def choose(self, level: int) -> None:
        self.level = level
        if level <= texts.BAD_AT_MOST:
            self.show_reasons()
        else:
            self.send(None)

    def show_reasons(self) -> None:
        self.step = "reasons"
        self._start(with_hint=False)
        self.add_widget(_label(f"{texts.LEVELS[self.level]} · {strings.RATE_REASONS}", bold=True))
        landscape = _landscape()
        gap = self.sizes.gap
        grid = GridLayout(cols=3 if landscape else 2, size_hint_y=None, spacing=gap * 0.5)
        grid.bind(minimum_height=grid.setter("height"))
        for reason in texts.REASONS:
            button = SecondaryButton(source=reason, action=f"reason-{reason}")
            button.bind(on_release=lambda b, r=reason: self.toggle(b, r))
            grid.add_widget(button)
        self.add_widget(grid)
        actions = GridLayout(cols=2 if landscape else 1, size_hint_y=None, spacing=gap)
        actions.bind(minimum_height=actions.setter("height"))
        submit = KioskButton(source=strings.RATE_SUBMIT, action="rate-submit")
        submit.bind(on_release=lambda _b: self.send(None))
        actions.add_widget(submit)
        call = SecondaryButton(source=strings.RATE_WANT_CALL, action="rate-want-call")
        call.bind(on_release=lambda _b: self.show_phone())
        actions.add_widget(call)
        self.add_widget(actions)

    def toggle(self, button: Any, reason: str) -> None:
        toggle_choice(button, self.reasons, reason)

    def show_phone(self, message: str = "") -> None:
        """The number pad, every key and both buttons on one screen without scrolling.

        Landscape: the prompt across the top; the number so far, 提交评价 and 不留电话 in the
        left column, the keys alone in the right one. Portrait: one column, tight enough for
        长者模式.
        """
        self.step = "phone"
        self._start(with_hint=False)
        landscape = _landscape()
        size = self.sizes
        side = BoxLayout(orientation="vertical", size_hint_y=None, spacing=size.gap * 0.4)
        side.bind(minimum_height=side.setter("height"))
        colour = theme.WARNING if message else theme.TEXT
        prompt = _label(message or strings.RATE_PHONE_PROMPT, color=colour)
        # landscape: across the screen, one line, so the key column is as tall as the keys
        (self if landscape else side).add_widget(prompt)
        number = self.pad.number if self.pad else ""
        self.pad = PhonePad(display_apart=landscape)
        self.pad.number = number
        submit = KioskButton(source=strings.RATE_SUBMIT, action="phone-submit")
        submit.bind(on_release=lambda _b: self.send(self.pad.number if self.pad else None))
        skip = SecondaryButton(source=strings.RATE_NO_PHONE, action="phone-skip")
        skip.bind(on_release=lambda _b: self.send(None))
        if landscape:
            for button in (submit, skip):  # as tall as a key: still a full touch target
                button.min_height = self.pad.key_height
            row = GridLayout(cols=2, size_hint_y=None, spacing=size.gap * 1.5)
            row.bind(minimum_height=row.setter("height"))
            side.add_widget(self.pad.display)
            side.add_widget(submit)
            side.add_widget(skip)
            row.add_widget(side)
            row.add_widget(self.pad)
            self.add_widget(row)
        else:
            side.add_widget(self.pad)
            side.add_widget(submit)
            side.add_widget(skip)
            self.add_widget(side)

    def send(self, phone: str | None) -> None:
        from kiosk.feedback.items import FeedbackError, check_phone

        if phone:
            try:
                check_phone(phone)
            except FeedbackError:
                self.show_phone(strings.RATE_PHONE_BAD)
                return
        try:
            message = self.submit(self.level, tuple(self.reasons), phone or None)
        except Exception:  # a resident never sees a traceback; staff find it in the log
            log.exception("could not store a rating")
            message = strings.RATE_FAILED
        self.show_thanks(message)

    def show_thanks(self, message: str) -> None:
        self.step = "thanks"
        self.clear_widgets()
        size = self.sizes
        self.add_widget(
            _label(strings.RATE_THANKS, font_size=size.headline, bold=True, halign="center",
                   color=theme.PRIMARY_DARK)
        )  # fmt: skip
        if message:
            self.add_widget(_label(message, halign="center"))
        self._cancel_thanks()
        self._thanks_event = Clock.schedule_once(lambda _dt: self.on_finished(), THANKS_SECONDS)

    def _cancel_thanks(self) -> None:
        if self._thanks_event is not None:
            self._thanks_event.cancel()
            self._thanks_event = None


def _followup_days(app: Any) -> int:
    return int(app.settings.feedback.followup_days)


def _thanks_for(app: Any, level: int, phone: str | None) -> str:
    if level > texts.BAD_AT_MOST:
        return ""
    days = _followup_days(app)
    return (strings.RATE_THANKS_CALL if phone else strings.RATE_THANKS_BAD).format(days=days)
