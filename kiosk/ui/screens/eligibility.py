"""法律援助自测: intro, one question per screen, 核对您的回答, and the hedged result.

All answers live in `session.features["eligibility"]` (a Walkthrough) and vanish with the
session. 返回 follows the current path of questions, not the clicks. Only the outcome and the
rule id are counted (kiosk.eligibility.stats). Printing and tickets go through kiosk.tickets in
a worker thread; the screen never waits on a printer.
"""

from __future__ import annotations

import threading
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
from kiosk.eligibility import checklist
from kiosk.eligibility.rules import Citation, Question, RulesError, chinese_date, load_pack_rules
from kiosk.eligibility.walkthrough import UNSURE, Walkthrough
from kiosk.ui import strings, theme
from kiosk.ui.overlays import Overlay
from kiosk.ui.screens.base import KioskScreen, load_kv
from kiosk.ui.widgets import Banner, Card, KioskButton, QRCode, SecondaryButton, WrapLabel

FEATURE = "eligibility"
OUTCOME_COLOURS = {
    "likely_eligible": theme.SUCCESS,
    "may_not_be_eligible": theme.WARNING,
    "staff_check": theme.PRIMARY,
}
URGENT_BG = theme.rgba("#FBE3E1")
_cache: dict[int, Any] = {}


def ruleset_for(app: Any) -> Any:
    """The rules of the pack on show (parsed once per pack object)."""
    pack = app.content.pack
    key = id(pack)
    if key not in _cache:
        _cache.clear()
        _cache[key] = load_pack_rules(pack)
    return _cache[key]


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

    def _arrange(self) -> None:
        """Landscape: question on the left, answers on the right (set in Python, see home.py)."""
        landscape = _landscape(self)
        layout = self.ids.layout
        layout.orientation = "horizontal" if landscape else "vertical"
        ask = self.ids.ask
        if landscape:
            ask.size_hint = (0.42, 1)
        else:
            ask.size_hint = (1, None)
        if self.options_grid is not None:
            self.options_grid.cols = 2 if landscape else 1

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
            box.add_widget(self._number_entry(question, answered, current))
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
        entry = Column(spacing=size.gap * 0.6)
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
        row = BoxLayout(
            size_hint_y=None, height=size.touch if wide else size.big_touch, spacing=size.gap * 0.6
        )
        # what was typed sits in the row of 确定, so the whole pad fits on one screen; 不确定
        # (or an empty slot) and 确定 stay in the same places on every number question
        display.size_hint = (0.4, 1)
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
            self.ids.message.source = strings.ELIG_NUMBER_EMPTY.format(
                unsure=question.unsure or strings.ELIG_NUMBER_OK
            )
            return
        number = Decimal(raw)
        if question.minimum is not None and number < question.minimum:
            self.ids.message.source = strings.ELIG_NUMBER_MIN.format(limit=_plain(question.minimum))
            return
        if question.maximum is not None and number > question.maximum:
            self.ids.message.source = strings.ELIG_NUMBER_MAX.format(limit=_plain(question.maximum))
            return
        if question.decimals == 0 and number != number.to_integral_value():
            self.ids.message.source = strings.ELIG_NUMBER_WHOLE
            return
        self.choose(number)

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


# --- the result ------------------------------------------------------------------------------


class ArticleOverlay(Overlay):
    """The text of one article, read on top of the result."""

    heading = StringProperty("")
    text = StringProperty("")

    def close(self) -> None:
        App.get_running_app().close_overlay()


class EligibilityResultScreen(KioskScreen):
    title = strings.ELIG_RESULT_TITLE
    busy = True
    status = StringProperty("")
    ticket = StringProperty("")  # the queue number, shown large

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.result: Any = None
        self.bind(size=lambda *_: self._arrange())

    def show(self, **params: Any) -> None:
        app = self.app
        walk = walk_for(app)
        day = clock.today()
        if walk.current(day) is not None:
            app.go("eligibility-question", remember=False, qid=walk.current(day).id)
            return
        result = walk.result(day, app.content.pack, app.settings.kiosk.site)
        self.result = result
        self._count(walk, result, day)
        self.status = ""
        self.ticket = ""
        self._build(result, walk)
        self._arrange()
        self.ids.scroll.scroll_y = 1

    def _count(self, walk: Walkthrough, result: Any, day: Any) -> None:
        key = (result.outcome, result.rule)
        if key in walk.counted:
            return
        walk.counted.add(key)
        try:
            from kiosk.eligibility import stats

            stats.record(self.app.db(), result.outcome, result.rule, day)
            self.app.count("eligibility", subject=result.outcome)
        except Exception:  # counting must never stand between a resident and the result
            import logging

            logging.getLogger(__name__).exception("could not count an eligibility result")

    def _arrange(self) -> None:
        grid = self.ids.columns
        grid.cols = 2 if _landscape(self) else 1

    def _build(self, result: Any, walk: Walkthrough) -> None:
        size = self.app.theme
        ruleset = walk.ruleset
        first, second = self.ids.first, self.ids.second
        first.clear_widgets()
        second.clear_widgets()

        head = made(Card, background=OUTCOME_COLOURS.get(result.outcome, theme.PRIMARY))
        head.add_widget(
            made(
                WrapLabel,
                source=result.title,
                font_size=size.headline,
                bold=True,
                color=theme.PRIMARY_TEXT,
            )
        )
        head.add_widget(made(WrapLabel, source=result.summary, color=theme.PRIMARY_TEXT))
        head.action = f"outcome:{result.outcome}"
        first.add_widget(head)
        if result.urgent:
            first.add_widget(
                made(
                    Banner, text=result.urgent_text, background=URGENT_BG, foreground=theme.HOTLINE
                )
            )
        first.add_widget(made(Banner, text=result.notice, background=theme.WARNING_BG))

        why = made(Card)
        why.add_widget(heading(strings.ELIG_WHY, size))
        for line in result.why:
            why.add_widget(body("· " + line))
        line = result.income_line
        if line is not None and result.means_test.startswith("required"):
            param = ruleset.params.get("income_line")
            why.add_widget(
                body(
                    strings.ELIG_STANDARD.format(
                        name="",
                        value=_plain(line.value),
                        start=chinese_date(line.start),
                        source=line.source,
                    )
                    + ("" if line.verified else f"（{strings.UNVERIFIED}）"),
                    color=theme.TEXT_MUTED if line.verified else theme.WARNING,
                    font_size=size.small,
                )
            )
            _ = param
        first.add_widget(why)

        laws = made(Card)
        laws.add_widget(heading(strings.ELIG_ARTICLES, size))
        for citation in result.citations:
            button = made(
                SecondaryButton,
                source=f"{ruleset.citation_label(citation)}  {strings.ELIG_READ}",
                action=f"article:{citation.law}:{citation.article}",
                font_size=size.body,
                halign="left",
            )
            button.bind(on_release=lambda _b, c=citation: self.read(c))
            laws.add_widget(button)
        first.add_widget(laws)

        docs = made(Card)
        docs.add_widget(heading(strings.ELIG_DOCUMENTS, size))
        for doc in result.documents:
            docs.add_widget(body(f"□ {doc.name}", bold=True))
            if doc.detail:
                docs.add_widget(
                    body(doc.detail, color=theme.TEXT_MUTED, padding=[size.pad, 0, 0, 0])
                )
        second.add_widget(docs)

        places = made(Card)
        places.add_widget(heading(strings.ELIG_PLACES, size))
        for place in result.places:
            places.add_widget(
                body(place.name + (strings.ELIG_HERE if place.here else ""), bold=True)
            )
            details = [place.role]
            if place.window:
                details.append(f"{strings.ELIG_WINDOW}：{place.window}")
            if place.address:
                details.append(f"{strings.ELIG_ADDRESS}：{place.address}")
            if place.phone:
                details.append(f"{strings.ELIG_PHONE}：{place.phone}")
            if place.note:
                details.append(place.note)
            for text in details:
                places.add_widget(body(text, padding=[size.pad, 0, 0, 0]))
        second.add_widget(places)

        if result.alternatives and result.outcome != "likely_eligible":
            alts = made(Card)
            alts.add_widget(heading(strings.ELIG_ALTERNATIVES, size))
            for alt in result.alternatives:
                alts.add_widget(body(" ".join(x for x in (alt.name, alt.phone) if x), bold=True))
                for text in (alt.detail, alt.where):
                    if text:
                        alts.add_widget(body(text, padding=[size.pad, 0, 0, 0]))
            second.add_widget(alts)

        second.add_widget(self._take_away(result))
        # spacers keep the shorter column's cards at the top in landscape
        first.add_widget(Widget())
        second.add_widget(Widget())

    def _take_away(self, result: Any) -> Card:
        size = self.app.theme
        card = made(Card)
        card.add_widget(heading(strings.ELIG_TAKE_AWAY, size))
        row = BoxLayout(size_hint_y=None, spacing=size.gap)
        code = QRCode(data=checklist.qr_text(result, self.app.hotline))
        code.size = (size.scale * 400, size.scale * 400)
        row.height = code.height
        row.add_widget(code)
        row.add_widget(made(WrapLabel, source=strings.ELIG_QR_HINT, fit_height=False))
        card.add_widget(row)
        if self._can_print():
            print_button = made(KioskButton, source=strings.ELIG_PRINT, action="print-checklist")
            print_button.bind(on_release=lambda _b: self.print_checklist(with_ticket=False))
            card.add_widget(print_button)
            if self.ticket_service():
                ticket_button = made(
                    KioskButton, source=strings.ELIG_PRINT_TICKET, action="print-and-ticket"
                )
                ticket_button.bind(on_release=lambda _b: self.print_checklist(with_ticket=True))
                card.add_widget(ticket_button)
        number = made(
            WrapLabel, source=self.ticket, bold=True, font_size=size.headline, color=theme.SUCCESS
        )
        self.bind(ticket=lambda _s, value: setattr(number, "source", value))
        card.add_widget(number)
        status = made(WrapLabel, source="", bold=True, color=theme.PRIMARY_DARK)
        self.bind(status=lambda _s, value: setattr(status, "source", value))
        card.add_widget(status)
        self.status_label = status
        return card

    # --- printing ---------------------------------------------------------------------------

    def _can_print(self) -> bool:
        try:
            import kiosk.tickets  # noqa: F401
        except ImportError:
            return False
        printer = getattr(self.app.settings, "printer", None)
        url = getattr(printer, "url", None)
        return url is not None and getattr(url, "kind", str(url)) not in ("", "none")

    def ticket_service(self) -> str:
        """The queue service of the legal-aid window at this site, if the pack has one."""
        app = self.app
        pack = app.content.pack
        site = pack.site(app.settings.kiosk.site)
        ruleset = walk_for(app).ruleset
        place = ruleset.places.get("district_center")
        if site is None or place is None or not place.window:
            return ""
        window = next((w for w in site.windows if w.id == place.window), None)
        offered = {s.id for s in pack.services_at(site.id)}
        for service in window.services if window else ():
            if service in offered:
                return service
        return ""

    def print_checklist(self, with_ticket: bool) -> None:
        if self.result is None:
            return
        app = self.app
        slip = checklist.build_slip(self.result, app.hotline)
        service = self.ticket_service() if with_ticket else ""
        self.status = strings.ELIG_PRINTING
        settings, pack = app.settings, app.content.pack

        def work() -> None:
            from kiosk import tickets

            lines = []
            if service:
                try:
                    issued = tickets.issue_ticket(settings, pack, service)
                    windows = getattr(issued.content, "windows", "") or strings.ELIG_WINDOW
                    number = strings.ELIG_TICKET.format(number=issued.ticket.number)
                    Clock.schedule_once(lambda _dt: setattr(self, "ticket", number), 0)
                    lines.append(strings.ELIG_TICKET_WHERE.format(windows=windows))
                    if not issued.printed and issued.print_error:
                        lines.append(
                            strings.ELIG_TICKET_NOT_PRINTED.format(error=issued.print_error)
                        )
                except tickets.Refused as exc:
                    lines.append(strings.ELIG_TICKET_REFUSED.format(reason=exc.reason))
                except Exception as exc:
                    lines.append(strings.ELIG_TICKET_REFUSED.format(reason=str(exc)))
            outcome = tickets.print_slip(slip, settings, pack)
            lines.insert(
                0,
                strings.ELIG_PRINTED
                if outcome.ok
                else strings.ELIG_PRINT_FAILED.format(error=outcome.error),
            )
            Clock.schedule_once(lambda _dt: setattr(self, "status", "\n".join(lines)), 0)

        threading.Thread(target=work, name="eligibility-print", daemon=True).start()

    # --- articles ---------------------------------------------------------------------------

    def read(self, citation: Citation) -> None:
        ruleset = walk_for(self.app).ruleset
        article = ruleset.article(citation)
        law = ruleset.laws.get(citation.law)
        overlay = ArticleOverlay(
            heading=ruleset.citation_label(citation),
            text=article.text if article else strings.ERROR_FRIENDLY,
        )
        if law is not None and law.source:
            overlay.text += f"\n\n{law.title}：{law.source}"
        self.app.show_overlay(overlay)

    # --- navigation -------------------------------------------------------------------------

    def change(self) -> None:
        self.app.go("eligibility-review", remember=False)

    def restart(self) -> None:
        self.app.session.features.pop(FEATURE, None)
        walk = walk_for(self.app)
        self.app.go("eligibility-question", remember=False, qid=walk.current(clock.today()).id)

    def done(self) -> None:
        self.app.home()

    def handle_back(self) -> bool:
        self.app.go("eligibility-review", remember=False)
        return True

    def forget(self) -> None:
        self.result = None
        self.status = ""
        self.ticket = ""
        self.ids.first.clear_widgets()
        self.ids.second.clear_widgets()


# --- hooks for the tour and the admin screen ---------------------------------------------------


def _answer_all(driver: Any, answers: list[tuple[str, Any]]) -> None:
    app = driver.app
    app.reset_session()
    app.go("eligibility")
    app.session.features.pop(FEATURE, None)
    walk = walk_for(app)
    for qid, value in answers:
        walk.answer(qid, value, clock.today())


def _tour_intro(driver: Any) -> None:
    driver.app.reset_session()
    driver.app.go("eligibility")


def _tour_matter(driver: Any) -> None:
    _answer_all(driver, [])
    driver.app.go("eligibility-question", remember=False, qid="matter")


def _tour_yesno(driver: Any) -> None:
    _answer_all(driver, [("matter", "personal_injury")])
    driver.app.go("eligibility-question", remember=False, qid="migrant_worker")


def _tour_number(driver: Any) -> None:
    _answer_all(driver, [("matter", "support_payments"), ("assistance_status", False)])
    screen = driver.app.go("eligibility-question", remember=False, qid="household_size")
    screen.pad.value = "3"


MAY_NOT = [
    ("matter", "contract_or_debt"),
    ("assistance_status", False),
    ("household_size", 3),
    ("monthly_household_income", 15000),
    ("monthly_rigid_expenses", 1000),
    ("deadline_within_7_days", False),
]


def _tour_review(driver: Any) -> None:
    _answer_all(driver, MAY_NOT)
    driver.app.go("eligibility-review", remember=False)


def _tour_likely(driver: Any) -> None:
    _answer_all(
        driver,
        [("matter", "labour_or_wages"), ("migrant_worker", True), ("deadline_within_7_days", True)],
    )
    driver.app.go("eligibility-result", remember=False)


def _tour_may_not(driver: Any) -> None:
    _answer_all(driver, MAY_NOT)
    driver.app.go("eligibility-result", remember=False)


def _tour_staff(driver: Any) -> None:
    _answer_all(driver, [("matter", "criminal_defence")])
    driver.app.go("eligibility-result", remember=False)


def _tour_article(driver: Any) -> None:
    _tour_may_not(driver)
    screen = driver.app.screens.get_screen("eligibility-result")
    screen.read(Citation("legal_aid_law", 43))


TOUR_STOPS = [
    ("eligibility-intro", _tour_intro),
    ("eligibility-question-choice", _tour_matter),
    ("eligibility-question-yesno", _tour_yesno),
    ("eligibility-question-number", _tour_number),
    ("eligibility-review", _tour_review),
    ("eligibility-result-likely", _tour_likely),
    ("eligibility-result-may-not", _tour_may_not),
    ("eligibility-result-staff", _tour_staff),
    ("eligibility-article", _tour_article),
]


def admin_rows(app: Any) -> list[tuple[str, str, bool]]:
    try:
        ruleset = ruleset_for(app)
    except RulesError as exc:
        return [(strings.ELIG_ADMIN_RULES, str(exc), True)]
    today = clock.today()
    param = ruleset.params.get("income_line")
    line = param.at(today) if param else None
    rows: list[tuple[str, str, bool]] = []
    if line is None:
        rows.append(
            (strings.ELIG_ADMIN_RULES, f"版本 {ruleset.version}；今天没有适用的收入标准", True)
        )
    else:
        stale = (
            today - (param.newest().start if param and param.newest() else line.start)
        ).days > 365
        flags = (strings.ELIG_ADMIN_STALE if stale else "") + (
            "" if line.verified else strings.ELIG_ADMIN_UNVERIFIED
        )
        rows.append(
            (
                strings.ELIG_ADMIN_RULES,
                strings.ELIG_ADMIN_RULES_VALUE.format(
                    version=ruleset.version,
                    value=_plain(line.value),
                    start=chinese_date(line.start),
                    flags=flags,
                ),
                bool(flags),
            )
        )
    try:
        from kiosk.eligibility import stats

        counts = stats.by_outcome(app.db(), since=today)
    except Exception:
        counts = {}
    text = " · ".join(
        f"{strings.ELIG_OUTCOME_WORDS.get(k, k)} {v}" for k, v in sorted(counts.items())
    )
    rows.append((strings.ELIG_ADMIN_COUNTS, text or strings.ELIG_ADMIN_COUNTS_NONE, False))
    return rows


load_kv(__file__)
