"""长者模式, 朗读 and 呼叫工作人员: the header's three tools, on every screen.

`Access` is one object on the App. 长者模式 switches the Theme (every size grows at once,
no screen has its own code for it) and the idle timeout; 朗读 reads each new screen and each
tapped answer through `kiosk.speech` on a worker thread; a help call goes to the hall server
(`kiosk.helpcall`) on a worker thread, or chimes here. Both modes last for the visit: the
session reset (首页, idle) puts them back to kiosk.ini's defaults.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.core.text import Label as CoreLabel
from kivy.event import EventDispatcher
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ColorProperty, OptionProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.label import Label

from kiosk.helpcall import calls
from kiosk.ui import strings, theme
from kiosk.ui.overlays import Overlay
from kiosk.ui.widgets import WrapLabel

HELP_POLL_SECONDS = 3.0  # how often a pending call asks the hall server whether staff came
MAX_SPOKEN = 400
FRAME_FALLBACK = 0.3  # seconds: speak even when the change drew no new frame


class ToolButton(ButtonBehavior, WrapLabel):
    """A header tool: as wide as its words, never wrapped. Not a KioskButton: its kv rule
    would fight this one over the font size."""

    background = ColorProperty(theme.NAV_BUTTON)
    pressed = ColorProperty(theme.DIVIDER)
    action = StringProperty("")
    speak = False

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fbind("source", self._fit_width)
        self.fbind("font_size", self._fit_width)
        self._fit_width()

    def _fit_width(self, *_: Any) -> None:
        core = CoreLabel(font_name=self.font_name, font_size=self.font_size, bold=self.bold)
        padding = self.padding if isinstance(self.padding, list | tuple) else [self.padding] * 2
        self.width = core.get_extents(self.source)[0] / 0.96 + 2 * padding[0] + 2


class HelpOverlay(Overlay):
    """工作人员马上就来, with 取消呼叫 and 好的."""

    message = StringProperty("")


def spoken_text(screen: Any) -> str:
    """A screen's heading and main text as the resident sees it, top to bottom."""
    custom = getattr(screen, "spoken_text", None)
    if callable(custom):
        return str(custom())
    parts = [screen.title] if screen.title else []
    for widget in screen.walk(restrict=True):
        if not isinstance(widget, Label) or not _shown(widget, screen):
            continue
        words = widget.source if isinstance(widget, WrapLabel) else widget.text
        text = " ".join(words.split())
        if text and text not in parts:
            parts.append(text)
        if sum(len(p) for p in parts) > MAX_SPOKEN:
            break
    return strings.SPEECH_JOIN.join(parts)


def _shown(widget: Any, stop: Any) -> bool:
    node = widget
    while node is not None and node is not stop:
        if getattr(node, "opacity", 1) == 0:
            return False
        node = node.parent
    return True


class Access(EventDispatcher):
    elder = BooleanProperty(False)
    read_aloud = BooleanProperty(False)
    help_state = OptionProperty("none", options=["none", "sending", "sent", "local"])

    def __init__(self, app: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.app = app
        self.settings = app.settings
        self.help_log = calls.HelpLog()
        self._speaker: Any = None
        self._player: Any = None
        self._tapped = ""
        self._screen_changed = False
        self._waiting_for_frame = False
        self._frame_fallback: Any = None
        self._help_stop = threading.Event()
        self.elder = self.settings.access.elder_default
        self.read_aloud = self.settings.access.read_aloud_default
        self.bind(elder=self._apply_elder)
        self._apply_elder()

    # --- 长者模式 ----------------------------------------------------------------------

    def toggle_elder(self) -> None:
        self.elder = not self.elder
        if self.read_aloud:
            self._screen_changed = True
            self._speak_after_frame()

    def _apply_elder(self, *_: Any) -> None:
        self.app.theme.elder = self.elder
        session = self.settings.session
        timeout = session.idle_timeout
        if self.elder:
            timeout = max(timeout, self.settings.access.elder_idle_timeout)
        self.app.idle.timeout = timeout

    # --- 朗读 ----------------------------------------------------------------------------

    @property
    def speaker(self) -> Any:
        """Made on first use: residents who never tap 朗读 cost nothing."""
        if self._speaker is None:
            from kiosk.speech.engines import make_engine
            from kiosk.speech.speaker import Speaker

            s = self.settings.speech
            engine = make_engine(s.engine, s.voice, s.rate, s.command)
            folder = Path(self.settings.kiosk.data_dir) / "speech"
            self._speaker = Speaker(engine, self.player, folder)
        return self._speaker

    @property
    def player(self) -> Any:
        if self._player is None:
            from kiosk.speech.player import RecordingPlayer, make_player

            command = self.settings.speech.player
            self._player = RecordingPlayer() if command == "none" else make_player(command)
        return self._player

    def toggle_read(self) -> None:
        """Off: read this screen now and every screen from now on. On: fall silent."""
        self.read_aloud = not self.read_aloud
        if self.read_aloud:
            self._screen_changed = True
            self._speak_after_frame()
        elif self._speaker is not None:
            self._speaker.stop()

    def screen_shown(self, _screen: Any) -> None:
        """Called on every screen change: what was being said belongs to the old screen."""
        if self._speaker is not None:
            self._speaker.stop()
        if self.read_aloud:
            self._screen_changed = True
            self._speak_after_frame()

    def tapped(self, widget: Any) -> None:
        """An answer or a button was tapped: say what it said."""
        if not self.read_aloud or not getattr(widget, "speak", True):
            return
        text = getattr(widget, "source", "") or getattr(widget, "title", "")
        if text:
            self._tapped = text
            self._speak_after_frame()

    def _speak_after_frame(self) -> None:
        """Start speaking once the frame showing the new screen (or the tapped answer) is
        drawn: reading the screen's words and starting the voice program must not delay it."""
        if self._waiting_for_frame:
            return
        from kivy.core.window import Window

        self._waiting_for_frame = True
        Window.fbind("on_flip", self._frame_drawn)
        # a change that draws nothing new still speaks, a moment later
        self._frame_fallback = Clock.schedule_once(self._frame_drawn, FRAME_FALLBACK)

    def _frame_drawn(self, *_: Any) -> None:
        from kivy.core.window import Window

        if not self._waiting_for_frame:
            return
        Window.funbind("on_flip", self._frame_drawn)
        self._frame_fallback.cancel()
        self._waiting_for_frame = False
        Clock.schedule_once(self._speak_pending, 0)

    def _speak_pending(self, _dt: float = 0) -> None:
        parts = [self._tapped] if self._tapped else []
        if self._screen_changed and self.app.screens.current_screen is not None:
            parts.append(spoken_text(self.app.screens.current_screen))
        self._tapped, self._screen_changed = "", False
        if self.read_aloud and parts:
            self.speaker.say(strings.SPEECH_JOIN.join(parts))

    # --- 呼叫工作人员 ----------------------------------------------------------------------

    @property
    def caller(self) -> calls.Caller:
        from kiosk.identity import kiosk_id

        kiosk = self.settings.kiosk
        return calls.Caller(
            kiosk=kiosk_id(kiosk.data_dir),
            label=kiosk.label,
            site=self.app.site_name,
            place=kiosk.place,
        )

    def call_help(self) -> None:
        """One tap: tell staff (hall server) or chime here; the resident sees who is coming."""
        if self.help_state == "none":
            url = self.settings.hall.url
            if not url:
                self._ring_here(strings.ADMIN_HELP_NO_HALL)
            else:
                self.help_state = "sending"
                caller = self.caller
                self._help_stop.clear()
                threading.Thread(
                    target=self._post, args=(url, caller), name="kiosk-help", daemon=True
                ).start()
        self._show_help()
        if self.read_aloud:
            self.speaker.say(strings.HELP_TITLE + strings.SPEECH_JOIN + strings.HELP_WAIT)

    def _post(self, url: str, caller: calls.Caller) -> None:
        outcome = calls.post_help(url, caller)
        Clock.schedule_once(lambda _dt: self._posted(outcome), 0)
        if not outcome.sent:
            return
        # Watch the hall's state: when staff clear the call, the kiosk stops showing it.
        import json
        import urllib.request
        from urllib.parse import urljoin

        while not self._help_stop.wait(HELP_POLL_SECONDS):
            try:
                with urllib.request.urlopen(urljoin(url, "api/state"), timeout=5) as response:
                    state = json.loads(response.read(1_000_000))
            except (OSError, ValueError):
                continue
            if not any(h.get("kiosk") == caller.kiosk for h in state.get("help", [])):
                Clock.schedule_once(lambda _dt: self._cleared_by_staff(), 0)
                return

    def _posted(self, outcome: calls.Outcome) -> None:
        if self.help_state != "sending":
            return  # cancelled meanwhile
        if outcome.sent:
            self.help_state = "sent"
            self.help_log.add(strings.ADMIN_HELP_SENT)
        else:
            self._ring_here(strings.ADMIN_HELP_LOCAL.format(error=outcome.error))
        self._update_overlay()

    def _ring_here(self, note: str) -> None:
        from kiosk.helpcall.chime import chime_wav

        self.help_state = "local"
        self.help_log.add(note)
        # no speaker: the admin note and the resident's message remain
        with contextlib.suppress(OSError):
            self.player.play(chime_wav(Path(self.settings.kiosk.data_dir) / "speech"))

    def _cleared_by_staff(self) -> None:
        if self.help_state == "sent":
            self.help_state = "none"
            if isinstance(self.app.overlay, HelpOverlay):
                self.app.close_overlay()

    def cancel_help(self) -> None:
        state, self.help_state = self.help_state, "none"
        self._help_stop.set()
        if state in ("sending", "sent") and self.settings.hall.url:
            url, kiosk = self.settings.hall.url, self.caller.kiosk
            threading.Thread(
                target=calls.cancel_help, args=(url, kiosk), name="kiosk-help", daemon=True
            ).start()
        if state != "none":
            self.help_log.add(strings.ADMIN_HELP_CANCELLED)
        if isinstance(self.app.overlay, HelpOverlay):
            self.app.close_overlay()

    def _show_help(self) -> None:
        if not isinstance(self.app.overlay, HelpOverlay):
            self.app.show_overlay(HelpOverlay())
        self._update_overlay()

    def _update_overlay(self) -> None:
        overlay = self.app.overlay
        if not isinstance(overlay, HelpOverlay):
            return
        label = self.settings.kiosk.label
        overlay.message = {
            "sending": strings.HELP_SENDING,
            "sent": strings.HELP_SENT.format(label=label),
            "local": strings.HELP_LOCAL,
        }.get(self.help_state, "")

    @property
    def help_pending(self) -> bool:
        """A call the hall has (or is about to have): the idle question must not interrupt."""
        return self.help_state in ("sending", "sent")

    # --- the visit ends ---------------------------------------------------------------

    def reset(self) -> None:
        """首页 or the idle reset: back to the site's defaults, silence."""
        self.elder = self.settings.access.elder_default
        self.read_aloud = self.settings.access.read_aloud_default
        self._tapped, self._screen_changed = "", False
        if self.help_state == "local":
            self.help_state = "none"
        if self._speaker is not None:
            self._speaker.stop()

    def stop(self) -> None:
        self._help_stop.set()
        if self._speaker is not None:
            self._speaker.close()


def admin_rows(app: Any) -> list[tuple[str, str, bool]]:
    """Recent help calls and read-aloud errors for staff."""
    access = getattr(app, "access", None)
    if access is None:
        return []
    rows = [
        (strings.ADMIN_HELP, f"{at:%H:%M} {what}", what != strings.ADMIN_HELP_SENT)
        for at, what in access.help_log.entries()[:5]
    ]
    speaker = access._speaker
    if speaker is not None:
        errors = [text for kind, text in speaker.requests if kind == "error"]
        if errors:
            rows.append(
                (strings.ADMIN_SPEECH, strings.ADMIN_SPEECH_ERROR.format(error=errors[-1]), True)
            )
    return rows


def on_button_release(widget: Any) -> None:
    app = App.get_running_app()
    access = getattr(app, "access", None)
    if access is not None and isinstance(widget, ButtonBehavior):
        access.tapped(widget)


Builder.load_file(str(Path(__file__).with_name("access.kv")))


def _help_stop(driver: Any) -> None:
    app = driver.app
    app.reset_session()
    app.go("disclosure")
    overlay = HelpOverlay()
    app.show_overlay(overlay)
    overlay.message = strings.HELP_SENT.format(label=app.settings.kiosk.label)


TOUR_STOPS = [("help-call", _help_stop)]
