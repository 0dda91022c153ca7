"""The Kivy application: the shell (header, screens, 返回/首页), idle reset, kiosk hardening.

The App is the view model: kv rules bind to its properties; feature code never imports Kivy and
reaches the UI only through it. Background threads call back with `Clock.schedule_once`.
"""

from __future__ import annotations

import importlib
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.core.text import LabelBase
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ListProperty, ObjectProperty, StringProperty
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.screenmanager import NoTransition, ScreenManager

from kiosk import clock
from kiosk.config import Settings
from kiosk.idle import IdleTimer, TapSequence
from kiosk.packs.loader import LoadedContent
from kiosk.session import SessionHolder
from kiosk.ui import features, strings, theme, widgets  # widgets registers kv widget classes
from kiosk.ui.access import Access
from kiosk.ui.screens import REGISTRY
from kiosk.ui.screens.base import KioskScreen

FONT_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"
FONT_REGULAR = FONT_DIR / "NotoSansSC-Regular.otf"
FONT_BOLD = FONT_DIR / "NotoSansSC-Bold.otf"

KEY_ESCAPE, KEY_F1 = 27, 282
PREWARM_DELAY = 2.0  # seconds after start-up before screens are built in the background
UPTIME_EVERY = 600  # seconds between two uptime rows in the anonymous statistics


def register_fonts() -> None:
    """Make the bundled Simplified-Chinese font the default of every widget."""
    for name in ("Roboto", "Kiosk"):
        LabelBase.register(
            name,
            fn_regular=str(FONT_REGULAR),
            fn_italic=str(FONT_REGULAR),
            fn_bold=str(FONT_BOLD),
            fn_bolditalic=str(FONT_BOLD),
        )


class LazyScreenManager(ScreenManager):
    """Creates a screen from REGISTRY the first time it is asked for."""

    def get_or_create(self, name: str) -> KioskScreen:
        if self.has_screen(name):
            return self.get_screen(name)
        if name not in REGISTRY:
            raise KeyError(f"no screen named {name!r}")
        module_name, class_name = REGISTRY[name].split(":")
        cls = getattr(importlib.import_module(module_name), class_name)
        screen = cls(name=name)
        self.add_widget(screen)
        return screen


class Shell(FloatLayout):
    """Header, the screen area and the navigation bar; overlays float above."""

    wide = BooleanProperty(False)
    tools_shown = BooleanProperty(True)

    def on_size(self, *_: Any) -> None:
        """Landscape: the tools join the title row; portrait: a row of their own."""
        self.wide = self.width > self.height
        # held here: out of the tree (a sign) the kv ids keep it only weakly, and the next
        # garbage collection would leave ids.tools dead for the next resize
        tools = self._tools = getattr(self, "_tools", None) or self.ids.tools.__self__
        if App.get_running_app().settings.kiosk.mode == "signage":  # nobody touches a sign
            if tools.parent is not None:
                tools.parent.remove_widget(tools)
            self.tools_shown = False
            return
        target = self.ids.wide_tools if self.wide else self.ids.tall_tools
        if tools.parent is not target:
            if tools.parent is not None:
                tools.parent.remove_widget(tools)
            target.add_widget(tools)


class KioskApp(App):
    theme = ObjectProperty(None)
    access = ObjectProperty(None)  # 长者模式, 朗读, 呼叫工作人员 (kiosk/ui/access.py)
    content = ObjectProperty(None, allownone=True)
    site = ObjectProperty(None, allownone=True)
    site_name = StringProperty("")
    hotline = StringProperty("12348")
    clock_text = StringProperty("")
    current_title = StringProperty("")
    can_navigate = BooleanProperty(False)
    entries = ListProperty([])
    notices = ListProperty([])  # titles of the notices that are not urgent (home screen)
    urgent_notices = ListProperty([])  # titles of urgent ones (a strip on every screen)
    hall_state = ObjectProperty(None, allownone=True)  # the hall server's queue (signage)

    use_kivy_settings = False

    def __init__(
        self,
        settings: Settings,
        loaded: LoadedContent,
        *,
        hardened: bool = True,
        smoke: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.settings = settings
        self.hardened = hardened
        self.smoke = smoke
        # Anonymous statistics (kiosk.stats); off for smoke checks and `kiosk tour` pictures.
        self.stats_enabled = not smoke
        self._uptime_mark = 0.0
        self.sessions = SessionHolder()
        self.sessions.on_reset(lambda _session: self._forget_screens())
        self.history: list[tuple[str, dict[str, Any]]] = []
        self.idle = IdleTimer(settings.session.idle_timeout, settings.session.idle_countdown)
        self.gesture = TapSequence()
        self.last_touch = clock.monotonic()
        self.video_problems: dict[str, str] = {}  # file -> why it could not be played
        self.theme = theme.Theme()
        self.access = Access(self)
        self.title = strings.APP_TITLE
        self._db: Any = None
        self._overlay: Any = None
        # Controllers of the features' background work (content sync, uploads, ...) by feature
        # name, started after the first frame (kiosk/ui/features.py `background`).
        self.background: dict[str, Any] = {}
        self.notice_watcher: Any = None  # kiosk.ui.notices.NoticeWatcher (background)
        self.background_started = False  # set once the after-first-frame work has started
        self.stopped_by = ""  # the signal that stopped the kiosk, if one did
        self.set_content(loaded)

    # --- content -------------------------------------------------------------------------

    def set_content(self, loaded: LoadedContent) -> None:
        """Show `loaded` from now on; callers switch only when no resident is mid-task."""
        self.content = loaded
        pack = loaded.pack
        site = pack.site(self.settings.kiosk.site)
        self.site = site
        self.site_name = site.name if site else (pack.name or strings.SITE_UNKNOWN)
        hotline = pack.hotline()
        self.hotline = hotline.phone if hotline and hotline.phone else "12348"
        tiles = features.entries()
        self.entries = [
            name
            for name in self.settings.kiosk.features
            if name in tiles
            and (tiles[name].needs is None or tiles[name].needs(pack, self.settings.kiosk.site))
        ]
        self.refresh_notices()

    def refresh_notices(self) -> None:
        """The pack's notices at once; local and hall-shared ones join after the first frame
        (kiosk.ui.notices reads the database then, and every few seconds)."""
        if self.notice_watcher is not None:
            self.notice_watcher.refresh()
            return
        found = self.content.pack.notices_at(clock.now(), self.settings.kiosk.site)
        self.notices = [n.title for n in found if not n.urgent]
        self.urgent_notices = [n.title for n in found if n.urgent]

    def current_notices(self) -> tuple[Any, ...]:
        """Active notices, most urgent first: pack, local and hall-shared once the watcher
        runs, the pack's alone before that."""
        if self.notice_watcher is not None:
            return self.notice_watcher.shown
        return self.content.pack.notices_at(clock.now(), self.settings.kiosk.site)

    @property
    def session(self) -> Any:
        return self.sessions.current

    def db(self) -> Any:
        """The kiosk's database, opened on first use (sqlite-utils costs start-up time)."""
        if self._db is None:
            from kiosk import store

            self._db = store.open_db(self.settings.store.path)
        return self._db

    # --- lifecycle -----------------------------------------------------------------------

    def build(self) -> Shell:
        register_fonts()
        Builder.load_file(str(Path(__file__).with_name("app.kv")))
        self.theme.fit(*Window.size)
        Window.bind(size=lambda _w, size: self.theme.fit(*size))
        Window.clearcolor = theme.BACKGROUND
        shell = Shell()
        self.screens: LazyScreenManager = shell.ids.screens
        self.screens.transition = NoTransition()
        self.bare = self.start_screen == "strip"  # an LED strip is all text: no header, bar
        if self.bare:
            # kept referenced: other code reaches them through ids (weak references)
            # (ids hand out weak proxies: __self__ is the widget itself, which keeps it)
            self._hidden_bars = [
                shell.ids.header.__self__,
                shell.ids.nav.__self__,
                shell.ids.hot_corner.__self__,
            ]
            for bar in self._hidden_bars:
                bar.parent.remove_widget(bar)
        self.go(self.start_screen, remember=False)
        return shell

    @property
    def start_screen(self) -> str:
        mode = self.settings.kiosk.mode
        if mode == "evaluator":
            return "evaluator"
        if mode != "signage":
            return "home"
        return "strip" if self.settings.signage.layout == "strip" else "signage"

    def on_start(self) -> None:
        Window.bind(on_keyboard=self._on_keyboard, on_request_close=self._on_request_close)
        Window.bind(on_motion=self._on_motion)
        Clock.schedule_interval(self._tick, 0.5)
        self._uptime_mark = clock.monotonic()
        Clock.schedule_interval(self._count_uptime, UPTIME_EVERY)
        self._tick(0)
        Window.bind(on_flip=self._after_first_frame)
        self._stop_on_signals()
        if self.smoke:
            Window.bind(on_flip=self._smoke_done)
        else:
            Clock.schedule_once(self._prewarm, PREWARM_DELAY)

    def _prewarm(self, _dt: float) -> None:
        """Build the remaining screens one per frame once the kiosk is up, so that a resident's
        first tap on a tile never waits for a screen to be built."""
        if App.get_running_app() is not self:
            return  # stopped meanwhile (e.g. staff quit): building now would find no app
        pending = [name for name in REGISTRY if not self.screens.has_screen(name)]
        if pending:
            self.screens.get_or_create(pending[0])
            Clock.schedule_once(self._prewarm, 0.05)

    def _after_first_frame(self, *_: Any) -> None:
        """Background work starts once residents can see the screen."""
        Window.unbind(on_flip=self._after_first_frame)
        if self.smoke:
            return
        display = os.environ.get("DISPLAY", "")
        print(f"kiosk: running, first frame drawn (display {display})", file=sys.stderr, flush=True)
        self.count("start")  # after the first frame: its SQLite write must not delay it
        widgets.start_word_breaks()  # ~0.2 s of dictionary: after the first frame, in a thread
        for feature in features.background():
            module = importlib.import_module(feature.background)
            self.background[feature.name] = module.start(self)
        self.background_started = True

    def _stop_on_signals(self) -> None:
        """SIGTERM (a service manager) and SIGINT (Ctrl-C) stop the kiosk cleanly: the frame
        being drawn finishes, then on_stop closes the database. SDL turns both signals into
        a window-close request, which kiosk mode refuses; so Python takes them back here,
        after the window (and SDL's own handlers) exist."""
        import signal

        def stop_soon(signum: int, _frame: Any) -> None:
            self.stopped_by = signal.Signals(signum).name
            Clock.schedule_once(lambda _dt: self.stop(), 0)

        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, stop_soon)

    def on_stop(self) -> None:
        self.access.stop()
        for controller in self.background.values():
            if controller is not None:
                controller.stop()
        if self.screens.has_screen("evaluator"):
            self.screens.get_screen("evaluator").stop()
        self._count_uptime(0)
        stats = sys.modules.get("kiosk.stats")  # nothing to flush if nothing was counted
        if stats is not None:
            stats.flush(2)
        if self._db is not None:
            self._db.close()  # the last connection: SQLite checkpoints and removes the WAL
            self._db = None
        if self.stopped_by:
            print(f"kiosk: stopped cleanly ({self.stopped_by})", file=sys.stderr, flush=True)

    # --- anonymous statistics ----------------------------------------------------------------

    def count(
        self,
        kind: str,
        subject: str | None = None,
        counter: str | None = None,
        value: float | None = None,
    ) -> None:
        """One anonymous event (kiosk.stats), written in the background; never fails a tap."""
        if not self.stats_enabled or self.smoke:  # a deploy check is not a kiosk's use
            return
        from kiosk import stats

        stats.record_soon(self.settings, kind, subject, counter, value)

    def _count_uptime(self, _dt: float) -> None:
        now = clock.monotonic()
        seconds, self._uptime_mark = now - self._uptime_mark, now
        if seconds >= 1:
            self.count("uptime", value=round(seconds))

    def _smoke_done(self, *_: Any) -> None:
        Window.unbind(on_flip=self._smoke_done)
        shot = getattr(self, "smoke_screenshot", None)
        if shot is not None:
            Path(shot).parent.mkdir(parents=True, exist_ok=True)
            self.root.export_to_png(str(shot))
        Clock.schedule_once(lambda _dt: self.stop(), 0)

    def open_settings(self, *_: Any) -> bool:
        return False  # F1 must never open Kivy's settings on a public machine

    def _on_keyboard(self, _window: Any, key: int, *_: Any) -> bool:
        self.touched()
        return bool(self.hardened and key in (KEY_ESCAPE, KEY_F1))

    def _on_request_close(self, *_: Any, **__: Any) -> bool:
        return self.hardened  # True blocks the close request

    def _on_motion(self, _window: Any, _etype: str, event: Any) -> bool:
        if getattr(event, "is_touch", False):
            self.touched()
        return False

    def touched(self) -> None:
        """Someone is here: the idle timer and the attract loop start counting again."""
        self.idle.kick()
        self.last_touch = clock.monotonic()

    # --- navigation ----------------------------------------------------------------------

    def go(self, name: str, remember: bool = True, **params: Any) -> KioskScreen:
        """Show screen `name` with `params`; 返回 comes back to the current one."""
        screen = self.screens.get_or_create(name)
        if remember and self.screens.current:
            current = self.screens.current_screen
            self.history.append((current.name, getattr(current, "params", {})))
            self.session.history.append(name)
        screen.params = params
        screen.show(**params)
        self.screens.current = name
        self.current_title = screen.title
        self.can_navigate = screen.navigable
        self.session.busy = self.session.busy or screen.busy
        self.access.screen_shown(screen)
        return screen

    def back(self) -> None:
        current = self.screens.current_screen
        if current is not None and current.handle_back():
            return
        if not self.history:
            self.reset_session()  # 返回 to the start asks nothing; 首页 and 完成 end a visit
            return
        name, params = self.history.pop()
        if self.session.history:
            self.session.history.pop()
        self.go(name, remember=False, **params)

    def home(self) -> None:
        """Back to the start; a finished visit is forgotten like an idle one.

        Once per visit, a resident who used the kiosk is first asked for a rating (skippable,
        it goes away by itself); 首页 pressed on that question goes home and forgets it.
        """
        if self._ask_rating():
            return
        self.reset_session()

    def _ask_rating(self) -> bool:
        visit = self.session.features.get("feedback")
        if (
            visit is None
            or visit.get("asked")
            or not self.settings.feedback.prompt
            or self.settings.kiosk.mode != "kiosk"
            or self.screens.current in ("rate", self.start_screen)
            or "admin" in self.session.history
        ):
            return False
        visit["asked"] = True  # at most once per visit
        self.close_overlay()
        self.history.clear()
        self.go("rate", remember=False, feature=visit.get("feature"))
        return True

    def open_entry(self, feature: str) -> None:
        if self.session.is_empty():
            self.count("visit")
        self.count("feature", subject=feature)
        self.session.features.setdefault("feedback", {"feature": feature, "asked": False})
        self.go(features.entries()[feature].entry)

    def reset_session(self) -> None:
        """Forget the resident: new session object, every screen cleared, back to home."""
        self.close_overlay()
        self.history.clear()
        self.access.reset()
        self.sessions.reset()
        self.idle.kick()
        self.last_touch = clock.monotonic()  # the attract loop counts from arriving home
        self.go(self.start_screen, remember=False)

    def _forget_screens(self) -> None:
        for screen in self.screens.screens:
            screen.forget()

    # --- overlays (idle question, PIN pad) -------------------------------------------------

    def show_overlay(self, overlay: Any) -> None:
        self.close_overlay()
        self._overlay = overlay
        self.root.add_widget(overlay)

    def close_overlay(self) -> None:
        if self._overlay is not None:
            if self._overlay.parent:
                self._overlay.parent.remove_widget(self._overlay)
            self._overlay = None

    @property
    def overlay(self) -> Any:
        return self._overlay

    # --- periodic work -------------------------------------------------------------------

    def _tick(self, _dt: float) -> None:
        now = clock.now()
        self.clock_text = f"{now:%Y年%m月%d日} {strings_weekday(now)} {now:%H:%M}"
        self._check_idle()

    def _check_idle(self) -> None:
        if self.access.help_pending:
            self.idle.kick()  # waiting for staff is not being idle
        state = self.idle.state()
        resting = (self.start_screen, "attract")
        at_rest = self.screens.current in resting and self.session.is_empty()
        if (state.phase == "active" or at_rest) and self._overlay is None:
            if at_rest and state.phase != "active":
                self.idle.kick()
            if at_rest:
                self._maybe_attract()
            return  # the usual case: the overlays' code is not even loaded at start-up
        from kiosk.ui.overlays import IdleOverlay

        if state.phase == "active" or at_rest:
            if isinstance(self._overlay, IdleOverlay):
                self.close_overlay()
            if at_rest and state.phase != "active":
                self.idle.kick()
            if at_rest:
                self._maybe_attract()
            return
        if state.phase == "asking":
            if not isinstance(self._overlay, IdleOverlay):
                self.show_overlay(IdleOverlay())
            self._overlay.seconds_left = state.seconds_left
            return
        self.reset_session()

    def _maybe_attract(self) -> None:
        """Nobody has touched the home screen for [session] attract_after seconds: invite."""
        after = self.settings.session.attract_after
        if (
            after
            and self.settings.kiosk.mode != "signage"
            and self.screens.current == "home"
            and self._overlay is None
            and clock.monotonic() - self.last_touch >= after
        ):
            self.go("attract", remember=False)

    # --- staff ---------------------------------------------------------------------------

    def hot_corner_tap(self) -> None:
        if self.gesture.tap():
            from kiosk.ui.overlays import PinOverlay

            self.show_overlay(PinOverlay())

    def quit(self) -> None:
        self.stop()


def strings_weekday(moment: datetime) -> str:
    from kiosk.packs.model import WEEKDAY_NAMES

    return WEEKDAY_NAMES[moment.weekday()]
