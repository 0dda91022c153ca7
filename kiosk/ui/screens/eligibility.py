"""法律援助自测: intro, one question per screen, 核对您的回答, and the hedged result.

All answers live in `session.features["eligibility"]` (a Walkthrough) and vanish with the
session. 返回 follows the current path of questions, not the clicks. Only the outcome and the
rule id are counted (kiosk.eligibility.stats). Printing and tickets go through kiosk.tickets in
a worker thread; the screen never waits on a printer.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.widget import Widget

from kiosk import clock
from kiosk.eligibility.rules import Question, RulesError, rules_of
from kiosk.eligibility.walkthrough import UNSURE, Walkthrough
from kiosk.ui import strings, theme
from kiosk.ui.screens.base import KioskScreen, load_kv
from kiosk.ui.widgets import KioskButton, SecondaryButton, WrapLabel

FEATURE = "eligibility"
OUTCOME_COLOURS = {
    "likely_eligible": theme.SUCCESS,
    "may_not_be_eligible": theme.WARNING,
    "staff_check": theme.PRIMARY,
}
URGENT_BG = theme.rgba("#FBE3E1")


def ruleset_for(app: Any) -> Any:
    """The rules of the pack on show (parsed once per pack)."""
    return rules_of(app.content.pack)


def walk_for(app: Any, create: bool = True) -> Walkthrough | None:
    """This resident's walkthrough, kept only in the session."""
    features = app.session.features
    walk = features.get(FEATURE)
    ruleset = ruleset_for(app)
    if walk is None or walk.ruleset is not ruleset:
        if not create:
            return None
        walk = features[FEATURE] = Walkthrough(ruleset)
    return walk


def _landscape(_widget: Any = None) -> bool:
    from kivy.core.window import Window

    return Window.width > Window.height


def made(cls: Any, **props: Any) -> Any:
    """A widget with `props` set after its kv rule ran (kv bindings such as
    `font_size: app.theme.body` would otherwise overwrite constructor arguments)."""
    widget = cls()
    for name, value in props.items():
        setattr(widget, name, value)
    return widget


def heading(text: str, size: Any) -> WrapLabel:
    return made(WrapLabel, source=text, font_size=size.title, bold=True, color=theme.PRIMARY_DARK)


def body(text: str, **props: Any) -> WrapLabel:
    label = made(WrapLabel, source=text, **props)
    if strings.UNVERIFIED in text:
        label.color = theme.WARNING
    return label


class Column(BoxLayout):
    """A vertical stack that is as tall as its content (for scrolling pages)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("orientation", "vertical")
        kwargs.setdefault("size_hint_y", None)
        super().__init__(**kwargs)
        self.bind(minimum_height=self.setter("height"))


# --- intro --------------------------------------------------------------------------------


class EligibilityScreen(KioskScreen):
    title = strings.ELIG_TITLE

    def show(self, **params: Any) -> None:
        box = self.ids.lines
        box.clear_widgets()
        try:
            ruleset_for(self.app)
            available = True
        except RulesError:
            available = False
        lines = strings.ELIG_INTRO_LINES if available else (strings.ELIG_UNAVAILABLE,)
        for line in lines:
            box.add_widget(body(line))
        self.ids.start.disabled = not available
        self.ids.start.opacity = 1 if available else 0

    def start(self) -> None:
        self.app.session.features.pop(FEATURE, None)  # a fresh start forgets old answers
        walk = walk_for(self.app)
        self.app.go("eligibility-question", qid=walk.current(clock.today()).id)


# --- one question ---------------------------------------------------------------------------


def grouped(value: str) -> str:
    """2372 -> 2,372 and 12000.5 -> 12,000.5: digits grouped in thousands for reading."""
    whole, dot, fraction = value.partition(".")
    if not whole.isdigit():
        return value
    return f"{int(whole):,}" + dot + fraction if len(whole) < 16 else value


class NumberPad(GridLayout):
    """Digits, 删除 and (for money) a decimal point: numbers without a keyboard.

    Three columns in portrait; four in landscape, where height is short.
    """

    value = StringProperty("")
    decimals = BooleanProperty(False)
    max_length = 10

    def __init__(self, wide: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        size = App.get_running_app().theme
        extra = (".", "pad-dot") if self.decimals else (strings.ELIG_NUMBER_CLEAR, "pad-clear")
        delete = (strings.ELIG_NUMBER_DELETE, "pad-delete")
        digits = [(str(d), f"pad-{d}") for d in range(1, 10)]
        if wide:
            self.cols = 4
            keys = [*digits[0:3], delete, *digits[3:6], extra, *digits[6:9], ("0", "pad-0")]
        else:
            self.cols = 3
            keys = [*digits, extra, ("0", "pad-0"), delete]
        rows = len(keys) // self.cols
        self.spacing = size.gap * 0.6
        self.size_hint_y = None
        key = size.scale * 164 if size.elder else size.touch  # 长者模式: 160 px is enough
        self.key_height = key
        self.height = key * rows + self.spacing[1] * (rows - 1)
        for text, action in keys:
            key = made(
                SecondaryButton,
                source=text,
                action=action,
                fit_height=False,
                size_hint_y=1,
                padding=[0, 0],
                color=theme.TEXT,
                font_size=(size.title if size.elder else size.headline)
                if len(text) == 1
                else size.body,
            )
            key.bind(on_release=lambda _b, a=action: self.press(a.removeprefix("pad-")))
            self.add_widget(key)

    def press(self, key: str) -> None:
        if key == "delete":
            self.value = self.value[:-1]
        elif key == "clear":
            self.value = ""
        elif key in (".", "dot"):
            if self.decimals and "." not in self.value and len(self.value) < self.max_length:
                self.value = (self.value or "0") + "."
        elif len(self.value) < self.max_length:
            if "." in self.value and len(self.value.split(".")[1]) >= 2:
                return  # at most 2 decimals: fen
            self.value = key if self.value == "0" else self.value + key


class EligibilityQuestionScreen(KioskScreen):
    title = strings.ELIG_TITLE
    busy = True

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.question: Question | None = None
        self.options_grid: GridLayout | None = None
        self.bind(size=lambda *_: self._arrange())
        self.ids.pinned.bind(minimum_height=self._fit_pinned)

    def show(self, qid: str = "", **params: Any) -> None:
        walk = walk_for(self.app)
        day = clock.today()
        question = walk.ruleset.question(qid) or walk.current(day)
        if question is None:
            self.app.go("eligibility-review", remember=False)
            return
        self.question = question
        self.ids.progress.source = strings.ELIG_PROGRESS.format(
            number=walk.position(question.id, day)
        )
        self.ids.question.source = walk.wording(question, day)
        helpbox = self.ids.help
        helpbox.clear_widgets()
        for line in question.help:
            helpbox.add_widget(body(line, color=theme.TEXT_MUTED))
        self.ids.message.source = ""
        self._build_answers(walk)
        self._arrange()
        self.ids.scroll.scroll_y = 1

    def _arrange(self, *_: Any) -> None:
        """Set in Python (see home.py). Choice questions scroll with their answers (landscape:
        question left, answers right). A number question's pad is pinned outside the scroll:
        under the question in portrait, the right column in landscape, so its keys are never
        under the footer and sit at the same place on every number question."""
        ids = self.ids
        landscape = _landscape(self)
        pinned = bool(ids.pinned_entry.children)
        ids.frame.orientation = "horizontal" if landscape else "vertical"
        ids.layout.orientation = "horizontal" if landscape and not pinned else "vertical"
        ids.ask.size_hint = (0.42, 1) if landscape and not pinned else (1, None)
        box, rest = ids.pinned, ids.pinned_rest
        size = self.app.theme
        box.padding = [size.pad, 0, size.pad, size.pad] if pinned else [0, 0, 0, 0]
        box.opacity = 1 if pinned else 0
        # What was wrong with the typed number: above the pad in portrait; under the question
        # in landscape, where the pad takes the column's whole height.
        message = ids.message.__self__
        home = ids.ask if landscape else box
        if message.parent is not home:
            message.parent.remove_widget(message)
            home.add_widget(message, index=1 if landscape else len(box.children))
        if landscape:
            ids.scroll.size_hint = (0.42, 1) if pinned else (1, 1)
            box.size_hint = (0.58, 1) if pinned else (None, 1)
            box.padding = [0, size.gap * 0.25, size.pad, 0] if pinned else [0, 0, 0, 0]
            box.spacing = 0
            if not pinned:
                box.width = 0
            rest.size_hint_y, rest.height = 1, 0
        else:
            box.spacing = size.gap * 0.6
            ids.scroll.size_hint = (1, 1)
            box.size_hint = (1, None)
            box.height = box.minimum_height if pinned else 0
            rest.size_hint_y, rest.height = None, 0
        if self.options_grid is not None:
            self.options_grid.cols = 2 if landscape else 1

    def _fit_pinned(self, *_: Any) -> None:
        """Portrait: the pinned pad's box as tall as what it holds (not _arrange: that moves
        the message, which must not happen during the box's own layout pass)."""
        box = self.ids.pinned
        if not _landscape(self) and self.ids.pinned_entry.children:
            box.height = box.minimum_height

    def _current(self, walk: Walkthrough) -> tuple[bool, Any]:
        question = self.question
        assert question is not None
        return question.id in walk.answers, walk.answers.get(question.id)

    def _button(self, text: str, action: str, value: Any, chosen: bool, **kw: Any) -> KioskButton:
        cls = kw.pop("cls", KioskButton)
        button = made(
            cls, source=text + (strings.ELIG_CHOSEN if chosen else ""), action=action, **kw
        )
        if chosen:
            button.background = theme.SUCCESS
            button.color = theme.PRIMARY_TEXT
        button.bind(on_release=lambda _b: self.choose(value))
        return button

    def _build_answers(self, walk: Walkthrough) -> None:
        question = self.question
        assert question is not None
        box = self.ids.answers
        box.clear_widgets()
        self.ids.pinned_entry.clear_widgets()
        self.options_grid = None
        size = self.app.theme
        answered, current = self._current(walk)
        if question.type == "choice":
            grid = GridLayout(
                cols=2 if _landscape() else 1, size_hint_y=None, spacing=size.gap * 0.6
            )
            self.options_grid = grid
            grid.bind(minimum_height=grid.setter("height"))
            group = None
            for option in question.options:
                if option.group and option.group != group:
                    group = option.group
                    if grid.cols == 1:
                        grid.add_widget(
                            made(
                                WrapLabel, source=group, color=theme.TEXT_MUTED, font_size=size.body
                            )
                        )
                grid.add_widget(
                    self._button(
                        option.label,
                        f"answer:{option.value}",
                        option.value,
                        answered and current == option.value,
                        font_size=size.body * 1.1,
                    )
                )
            box.add_widget(grid)
        elif question.type == "yesno":
            row = BoxLayout(spacing=size.gap, size_hint_y=None, height=size.big_touch)
            for text, value, action in (
                (strings.ELIG_YES, True, "answer:yes"),
                (strings.ELIG_NO, False, "answer:no"),
            ):
                button = self._button(
                    text, action, value, answered and current is value, font_size=size.headline
                )
                button.fit_height = False
                button.size_hint_y = 1
                row.add_widget(button)
            box.add_widget(row)
        else:
            self.ids.pinned_entry.add_widget(self._number_entry(question, answered, current))
            return  # 不确定 sits beside 确定 under the pad
        if question.unsure:
            box.add_widget(
                self._button(
                    question.unsure,
                    "answer:unsure",
                    UNSURE,
                    answered and current is UNSURE,
                    cls=SecondaryButton,
                )
            )

    def _number_entry(self, question: Question, answered: bool, current: Any) -> BoxLayout:
        size = self.app.theme
        entry = Column(spacing=size.gap * (0.4 if size.elder else 0.6))
        display = Factory.EntryBox()
        shown = made(
            WrapLabel,
            source="",
            fit_height=False,
            font_size=size.headline,
            bold=True,
            halign="right",
            color=theme.PRIMARY_DARK,
        )
        unit = made(
            WrapLabel,
            source=question.unit,
            fit_height=False,
            size_hint_x=None,
            width=size.scale * 100 * (1.4 if size.elder else 1),
        )
        display.add_widget(shown)
        display.add_widget(unit)
        # 长者模式: four columns in portrait too, so the taller keys still fit above the footer
        pad = NumberPad(decimals=question.decimals > 0, wide=_landscape() or size.elder)
        pad.value = "" if not answered or current is None else _plain(current)

        def refresh(*_: Any) -> None:
            shown.source = grouped(pad.value) if pad.value else strings.ELIG_NUMBER_HINT
            shown.font_size = size.headline if pad.value else size.body
            shown.color = theme.PRIMARY_DARK if pad.value else theme.TEXT_MUTED

        pad.bind(value=refresh)
        refresh()
        self.pad = pad
        wide = _landscape()
        entry.add_widget(pad)
        # 长者模式 and landscape: 确定 as tall as a key, so the pinned pad fits beside or under
        # the question (its keys are already 长者模式's size)
        height = pad.key_height if size.elder else (size.touch if wide else size.big_touch)
        row = BoxLayout(size_hint_y=None, height=height, spacing=size.gap * 0.6)
        # what was typed sits in the row of 确定, so the whole pad fits on one screen; 不确定
        # (or an empty slot) and 确定 stay in the same places on every number question
        display.size_hint = (0.4, 1)
        display.padding = [size.gap * 0.5, 0]  # room for 请输入 beside the unit in 长者模式
        row.add_widget(display)
        if question.unsure:
            unsure = self._button(
                question.unsure,
                "answer:unsure",
                UNSURE,
                answered and current is UNSURE,
                cls=SecondaryButton,
            )
            unsure.fit_height, unsure.size_hint = False, (0.28, 1)
            unsure.padding = [size.gap * 0.5, 0]
            row.add_widget(unsure)
        else:
            row.add_widget(Widget(size_hint=(0.28, 1)))
        ok = made(KioskButton, source=strings.ELIG_NUMBER_OK, action="number-ok")
        ok.fit_height, ok.size_hint = False, (0.32, 1)
        ok.bind(on_release=lambda _b: self.submit_number())
        row.add_widget(ok)
        entry.add_widget(row)
        return entry

    def submit_number(self) -> None:
        question = self.question
        assert question is not None
        raw = self.pad.value.rstrip(".")
        if not raw:
            self._tell(
                strings.ELIG_NUMBER_EMPTY.format(unsure=question.unsure or strings.ELIG_NUMBER_OK)
            )
            return
        number = Decimal(raw)
        if question.minimum is not None and number < question.minimum:
            self._tell(strings.ELIG_NUMBER_MIN.format(limit=_plain(question.minimum)))
            return
        if question.maximum is not None and number > question.maximum:
            self._tell(strings.ELIG_NUMBER_MAX.format(limit=_plain(question.maximum)))
            return
        if question.decimals == 0 and number != number.to_integral_value():
            self._tell(strings.ELIG_NUMBER_WHOLE)
            return
        self.choose(number)

    def _tell(self, message: str) -> None:
        """What is wrong with the typed number, in view: in landscape it sits under the
        question, so the question's column scrolls down to it."""
        self.ids.message.source = message
        if _landscape(self):
            Clock.schedule_once(lambda _dt: setattr(self.ids.scroll, "scroll_y", 0), 0)

    def choose(self, value: Any) -> None:
        """Record the answer, then the next question; while editing, back to the review."""
        question = self.question
        assert question is not None
        walk = walk_for(self.app)
        day = clock.today()
        walk.answer(question.id, value, day)
        following = walk.current(day)
        if following is not None:
            self.app.go("eligibility-question", remember=False, qid=following.id)
        else:
            walk.editing = False
            self.app.go("eligibility-review", remember=False)

    def handle_back(self) -> bool:
        walk = walk_for(self.app)
        if self.question is None:
            return False
        previous = walk.previous(self.question.id, clock.today())
        if previous is None:
            return False  # the first question: back to the intro
        self.app.go("eligibility-question", remember=False, qid=previous.id)
        return True

    def forget(self) -> None:
        self.question = None
        self.ids.answers.clear_widgets()
        self.ids.pinned_entry.clear_widgets()
        self.ids.question.source = ""


def _plain(value: Any) -> str:
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return str(number.to_integral_value())
    return format(number.normalize(), "f")


# --- 核对您的回答 --------------------------------------------------------------------------------


class AnswerRow(BoxLayout):
    """One answer on the review screen with its 修改 button."""

    label = StringProperty("")
    answer = StringProperty("")
    qid = StringProperty("")


class EligibilityReviewScreen(KioskScreen):
    title = strings.ELIG_REVIEW_TITLE
    busy = True

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bind(size=lambda *_: self._arrange())

    def _arrange(self) -> None:
        """Landscape: 查看结果 in a column beside the answers, so more answers show."""
        side = self.ids.side
        if _landscape():
            self.ids.outer.orientation = "horizontal"
            side.size_hint = (0.3, 1)
        else:
            self.ids.outer.orientation = "vertical"
            side.size_hint = (1, None)
            side.height = self.app.theme.big_touch

    def show(self, **params: Any) -> None:
        walk = walk_for(self.app)
        day = clock.today()
        if walk.current(day) is not None:  # not finished: ask what is missing first
            self.app.go("eligibility-question", remember=False, qid=walk.current(day).id)
            return
        box = self.ids.rows
        box.clear_widgets()
        for question in walk.answered(day):
            row = AnswerRow(
                label=question.short, answer=walk.answer_text(question), qid=question.id
            )
            box.add_widget(row)
        self._arrange()
        self.ids.scroll.scroll_y = 1

    def edit(self, qid: str) -> None:
        walk = walk_for(self.app)
        walk.editing = True
        self.app.go("eligibility-question", remember=False, qid=qid)

    def see_result(self) -> None:
        self.app.go("eligibility-result", remember=False)

    def handle_back(self) -> bool:
        walk = walk_for(self.app)
        last = walk.previous(None, clock.today())
        if last is None:
            return False
        self.app.go("eligibility-question", remember=False, qid=last.id)
        return True

    def forget(self) -> None:
        self.ids.rows.clear_widgets()


load_kv(__file__)
