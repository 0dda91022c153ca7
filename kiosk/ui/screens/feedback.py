"""好差评 on screen: the rating at the end of a visit, the window 评价器, staff follow-up.

The rating never stands between a resident and the home screen: it is asked once per visit when
the resident goes home (首页, 完成), can be skipped, goes away by itself, and 首页 or the idle
reset drop a rating not yet sent (nothing is stored until a level is tapped and, for a 差评,
提交 is pressed). Storage is kiosk.feedback.items; this module only shows and collects.
投诉建议 is complaints.py; the rating panel and the digit pad are feedback_panel.py.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kivy.clock import Clock
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.gridlayout import GridLayout

from kiosk import clock
from kiosk.feedback import texts
from kiosk.ui import strings, theme
from kiosk.ui.screens.base import KioskScreen, load_kv
from kiosk.ui.screens.feedback_panel import RatingPanel, _label, _thanks_for
from kiosk.ui.widgets import Card, SecondaryButton

log = logging.getLogger(__name__)


class RateScreen(KioskScreen):
    """The end-of-visit question. Leaving it any way (首页, 返回, idle, its own timeout, 跳过)
    goes home and forgets an unsent rating."""

    title = strings.RATE_TITLE

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.panel = RatingPanel(self._submit, self._finished)
        self.panel.bind(step=self._on_step)
        self.ids.panel_box.add_widget(self.panel)
        self._timeout: Any = None
        self.feature: str | None = None

    def _on_step(self, _panel: Any, step: str) -> None:
        """跳过 belongs to the first question; later 首页 does the same and space is short."""
        shown = step == "levels"
        skip = self.ids.skip
        skip.opacity = 1 if shown else 0
        skip.fit_height = shown
        skip.size_hint_y = None  # the WrapLabel rule stretches a label that stops fitting
        if shown:
            skip.wrap_now()
        else:
            skip.height = 0

    def show(self, feature: str | None = None, **params: Any) -> None:
        self.feature = feature
        self.panel.reset(strings.RATE_QUESTION, strings.RATE_VISIT_HINT)
        self._on_step(self.panel, self.panel.step)
        self._arm()

    def _arm(self, *_: Any) -> None:
        if self._timeout is not None:
            self._timeout.cancel()
        self._timeout = Clock.schedule_once(
            self._expired, self.app.settings.feedback.prompt_seconds
        )

    def on_touch_down(self, touch: Any) -> bool:
        if self.collide_point(*touch.pos):
            self._arm()
        return super().on_touch_down(touch)

    def _expired(self, _dt: float) -> None:
        if self.manager and self.manager.current == self.name:
            self.app.reset_session()

    def _submit(self, level: int, reasons: tuple[str, ...], phone: str | None) -> str:
        from kiosk.feedback import items

        items.rate(
            self.app.settings,
            level,
            channel="kiosk",
            service=self.feature,
            reasons=reasons,
            phone=phone,
            calendar=self.app.content.pack.calendar,
        )
        return _thanks_for(self.app, level, phone)

    def _finished(self) -> None:
        if self.manager and self.manager.current == self.name:
            self.app.reset_session()

    def skip(self) -> None:
        self.app.reset_session()

    def forget(self) -> None:
        if self._timeout is not None:
            self._timeout.cancel()
            self._timeout = None
        self.feature = None
        self.panel.reset(strings.RATE_QUESTION, strings.RATE_VISIT_HINT)


class EvaluatorScreen(KioskScreen):
    """The window 评价器: waits for its counter to finish a ticket, then asks about it."""

    navigable = False
    waiting = BooleanProperty(True)
    status_text = StringProperty("")
    counter_text = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.panel = RatingPanel(self._submit, self._back_to_waiting)
        self.ids.panel_box.add_widget(self.panel)
        self.current: Any = None  # the kiosk.feedback.hallwatch.Done being rated
        self.watcher: Any = None
        self._timeout: Any = None
        settings = self.app.settings
        counter = settings.feedback.counter
        self.counter_text = (
            strings.EVAL_TITLE.format(counter=f"{counter}号窗口") if counter else strings.RATE_TITLE
        )
        url = getattr(getattr(settings, "hall", None), "url", "")
        if not (url and counter):
            self.status_text = strings.EVAL_NO_SETUP
        self.waiting = True
        self.on_waiting()
        self.on_status_text()

    def show(self, **params: Any) -> None:
        self._start_watching()

    def _start_watching(self) -> None:
        settings = self.app.settings
        url = getattr(getattr(settings, "hall", None), "url", "")
        counter = settings.feedback.counter
        if self.watcher is not None or not (url and counter) or not self.app.stats_enabled:
            return
        from kiosk.feedback.hallwatch import HallWatcher

        self.watcher = HallWatcher(
            url,
            counter,
            on_done=lambda done: Clock.schedule_once(lambda _dt: self.ask(done), 0),
            on_link=lambda ok: Clock.schedule_once(lambda _dt: self._link(ok), 0),
        ).start()

    def on_waiting(self, *_: Any) -> None:
        self._fold(self.ids.waiting_label, self.waiting)

    def on_status_text(self, *_: Any) -> None:
        self._fold(self.ids.status_label, bool(self.status_text))

    @staticmethod
    def _fold(label: Any, shown: bool) -> None:
        label.opacity = 1 if shown else 0
        label.fit_height = shown
        label.size_hint_y = None
        if shown:
            label.wrap_now()
        else:
            label.height = 0

    def _link(self, ok: bool) -> None:
        self.status_text = "" if ok else strings.EVAL_OFFLINE
        if ok and self.watcher is not None:
            self.counter_text = strings.EVAL_TITLE.format(counter=self.watcher.counter_name)

    def ask(self, done: Any) -> None:
        """A ticket was just served here: ask about it (replacing an unsent rating)."""
        self.current = done
        hint = strings.EVAL_TICKET.format(ticket=done.ticket, service=done.service_name or "")
        self.panel.reset(strings.RATE_QUESTION, hint)
        self.waiting = False
        if self._timeout is not None:
            self._timeout.cancel()
        self._timeout = Clock.schedule_once(
            lambda _dt: self._back_to_waiting(), self.app.settings.feedback.prompt_seconds
        )

    def _submit(self, level: int, reasons: tuple[str, ...], phone: str | None) -> str:
        from kiosk.feedback import items

        done = self.current
        if self._timeout is not None:
            self._timeout.cancel()
        items.rate(
            self.app.settings,
            level,
            channel="window",
            service=getattr(done, "service", None),
            counter=getattr(done, "counter", None) or self.app.settings.feedback.counter,
            ticket=getattr(done, "ticket", None),
            reasons=reasons,
            phone=phone,
            calendar=self.app.content.pack.calendar,
        )
        return _thanks_for(self.app, level, phone)

    def _back_to_waiting(self) -> None:
        if self._timeout is not None:
            self._timeout.cancel()
            self._timeout = None
        self.current = None
        self.panel.reset(strings.RATE_QUESTION)
        self.waiting = True

    def forget(self) -> None:
        self._back_to_waiting()

    def on_leave(self, *_: Any) -> None:
        pass

    def stop(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None


# --- staff ----------------------------------------------------------------------------------


class FeedbackAdminScreen(KioskScreen):
    """差评 and 留言 items with their call-back number, for staff to follow up."""

    title = strings.FEEDBACK_ADMIN_TITLE

    def show(self, **params: Any) -> None:
        from kiosk.feedback import items

        box = self.ids.body
        box.clear_widgets()
        settings = self.app.settings
        db = items.open_feedback(settings)
        items.purge(settings, db)
        found = sorted(items.items(db), key=lambda i: (i.status != texts.OPEN, -i.id))[:60]
        if not found:
            box.add_widget(_label(strings.FEEDBACK_ADMIN_EMPTY))
        today = clock.today()
        for item in found:
            card = Card()
            if item.kind == "rating":
                what = f"#{item.id} {texts.LEVELS.get(item.level or 0, '')} {item.reasons}"
            else:
                what = f"#{item.id} {item.category} {item.message}"
            where = " ".join(
                p for p in (item.created_at[:16].replace("T", " "),
                            texts.CHANNELS.get(item.channel, ""),
                            f"{item.counter}号窗口" if item.counter else "", item.ticket or "") if p
            )  # fmt: skip
            card.add_widget(_label(what, bold=True))
            card.add_widget(_label(where, color=theme.TEXT_MUTED, font_size=self.app.theme.small))
            late = strings.FEEDBACK_ADMIN_LATE if item.overdue(today) else ""
            card.add_widget(
                _label(strings.FEEDBACK_ADMIN_DUE.format(status=item.status, due=item.due) + late,
                       color=theme.WARNING if late else theme.TEXT)
            )  # fmt: skip
            if item.phone:
                card.add_widget(_label(strings.FEEDBACK_ADMIN_PHONE.format(phone=item.phone)))
            row = GridLayout(cols=3, size_hint_y=None, spacing=self.app.theme.gap * 0.5)
            row.bind(minimum_height=row.setter("height"))
            for status in texts.STATUSES[1:]:
                button = SecondaryButton(source=status, action=f"item-{item.id}-{status}")
                button.bind(on_release=lambda _b, i=item.id, s=status: self.set_status(i, s))
                row.add_widget(button)
            card.add_widget(row)
            box.add_widget(card)

    def set_status(self, item_id: int, status: str) -> None:
        from kiosk.feedback import items

        items.update(self.app.settings, item_id, status)
        self.show()


def admin_rows(app: Any) -> list[tuple[str, str, bool]]:
    from kiosk.feedback import items

    try:
        db = items.open_feedback(app.settings)
        found = items.items(db, status="open")
    except Exception:
        log.exception("could not read feedback items")
        return []
    overdue = sum(1 for i in found if i.overdue(clock.today()))
    text = strings.FEEDBACK_ADMIN_SUMMARY.format(open=len(found), overdue=overdue)
    return [(strings.FEEDBACK_ADMIN_ROW, text, overdue > 0)]


ADMIN_ACTIONS = [(strings.FEEDBACK_ADMIN_OPEN, lambda app: app.go("feedback-admin"))]


# --- tour -----------------------------------------------------------------------------------


def _tour_rate(step: str) -> Callable[[Any], None]:
    def visit(driver: Any) -> None:
        app = driver.app
        app.reset_session()
        screen = app.go("rate", feature="directory")
        screen._timeout.cancel()
        if step == "reasons":
            screen.panel.choose(2)
        elif step == "phone":
            screen.panel.choose(1)
            screen.panel.show_phone()
            screen.panel.pad.number = "1380013"

    return visit


def _tour_evaluator(driver: Any) -> None:
    from kiosk.feedback.hallwatch import Done

    app = driver.app
    app.reset_session()
    screen = app.go("evaluator")
    screen.ask(Done("C012", "center-legal-aid", "法律援助", "3", "3号窗口", 1))
    screen._timeout.cancel()


TOUR_STOPS = [
    ("rate", _tour_rate("levels")),
    ("rate-reasons", _tour_rate("reasons")),
    ("rate-phone", _tour_rate("phone")),
    ("evaluator", _tour_evaluator),
]


load_kv(__file__)
