"""Content sync inside the running kiosk: a background thread, the safe switch, staff rows.

The thread starts after the first frame and runs `Engine.run_once()` every interval (plus
jitter); 立即同步 on the admin screen wakes it. Everything it learns reaches the UI through
`Clock.schedule_once`. A new pack is shown at once when nobody is in the middle of something,
otherwise when the resident's session is reset (home or idle timeout). While content is stale
a small strip under the header tells residents to check with staff.

This module has no screen: kiosk/ui/features.py registers it (hooks, background) for the
admin screen's `admin_rows`/`ADMIN_ACTIONS` hooks and the tour's `TOUR_STOPS`.
"""

from __future__ import annotations

import contextlib
import random
import threading
from pathlib import Path
from typing import Any

from kivy.clock import Clock
from kivy.lang import Builder
from kivy.uix.boxlayout import BoxLayout

from kiosk.config import Settings
from kiosk.packs.loader import LoadedContent
from kiosk.sync import status
from kiosk.sync.engine import Engine
from kiosk.sync.errors import SyncError
from kiosk.ui import strings

Builder.load_file(str(Path(__file__).with_suffix(".kv")))

FIRST_DELAY = 3.0  # seconds after the first frame before the first check
STALE_RECHECK = 60.0  # content can turn stale with no sync result (expiry, long offline)


class StaleStrip(BoxLayout):
    """The discreet 'may not be up to date' line under the header, in portrait (sync.kv)."""


class StaleBadge(BoxLayout):
    """The same words as a badge inside the header, in landscape (sync.kv)."""


class SyncController:
    """Owns the sync thread of one KioskApp; all public methods run on the UI thread."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.settings: Settings = app.settings
        self._stop = threading.Event()
        self._wake = threading.Event()
        self.engine = Engine(self.settings, stop=self._stop)
        self.engine.pinned = self._pinned
        self.pending: LoadedContent | None = None
        self.running = False
        self.last_outcome: str | None = None
        self.results = 0  # sync runs whose result has reached the UI
        self.report = status.report(self.settings, with_disk=False)
        self._shown: set[int] = set()
        self._remember_shown(app.content)
        self._thread: threading.Thread | None = None
        app.sessions.on_reset(self._on_session_reset)
        self._stale_timer = Clock.schedule_interval(lambda _dt: self._recheck(), STALE_RECHECK)
        self._progress_timer = Clock.schedule_interval(lambda _dt: self._tick_progress(), 1.0)
        self._stale_shown: bool | None = None
        app.root.bind(size=lambda *_: self.update_strip(force=True))
        self.update_strip()

    # --- the thread --------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="kiosk-sync", daemon=True)
        self._thread.start()

    def trigger(self) -> None:
        """Check now (立即同步) instead of waiting for the interval."""
        self.running = True  # shown at once on the admin screen; the thread confirms it
        self._wake.set()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.engine.store.pin(set())
        self._stop.set()
        self._wake.set()
        self._stale_timer.cancel()
        self._progress_timer.cancel()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _loop(self) -> None:
        # Spread the first check too: after a district-wide power cut every kiosk boots at once.
        self._wake.wait(FIRST_DELAY + random.uniform(0, self.settings.sync.jitter))
        while not self._stop.is_set():
            self._wake.clear()
            self.running = True
            outcome, error = None, None
            try:
                outcome = self.engine.run_once()
            except SyncError as exc:
                error = exc
            except Exception as exc:  # the thread must outlive any bug: report it, go on
                error = SyncError("internal", f"同步程序出错：{exc!r}")
            self.running = False
            found = status.report(self.settings)
            Clock.schedule_once(lambda _dt, o=outcome, e=error, r=found: self._deliver(o, e, r))
            sync = self.settings.sync
            self._wake.wait(sync.interval + random.uniform(0, sync.jitter))

    def _pinned(self) -> set[int]:
        """Installed versions on screen or waiting to be: their files must not be removed."""
        return set(self._shown)

    def _remember_shown(self, *loaded: LoadedContent | None) -> None:
        self._shown = {
            item.installed_version
            for item in loaded
            if item is not None and item.installed_version is not None
        }
        with contextlib.suppress(OSError):  # a read-only disk must not stop the kiosk
            self.engine.store.pin(self._shown)

    # --- results on the UI thread -------------------------------------------------------

    def _deliver(self, outcome: Any, error: SyncError | None, found: status.Report) -> None:
        self.report = found
        self.results += 1
        self.last_outcome = outcome.result if outcome else None
        if outcome is not None and outcome.opened is not None:
            self.offer(
                LoadedContent(
                    outcome.opened.pack,
                    "built",
                    outcome.opened.folder,
                    installed_version=outcome.version,
                )
            )
        self.update_strip()
        self._refresh_admin()

    def offer(self, loaded: LoadedContent) -> None:
        """Show `loaded` now if no resident is mid-task, else when their session ends."""
        if self.app.sessions.in_use:
            self.pending = loaded
            self._remember_shown(self.app.content, loaded)
            return
        self._switch(loaded)

    def _switch(self, loaded: LoadedContent) -> None:
        self.pending = None
        self.app.set_content(loaded)
        self._remember_shown(loaded)

    def _on_session_reset(self, _session: Any) -> None:
        if self.pending is not None:
            self._switch(self.pending)

    def _recheck(self) -> None:
        if not self.running:
            self.report = status.report(self.settings, with_disk=False)
        self.update_strip()

    def _tick_progress(self) -> None:
        if self.running and self.engine.progress.phase == "downloading":
            self._refresh_admin()

    def _refresh_admin(self) -> None:
        screens = getattr(self.app, "screens", None)
        if screens is not None and screens.current == "admin":
            screens.current_screen.refresh()

    # --- the resident's notice -------------------------------------------------------------

    def update_strip(self, force: bool = False) -> None:
        if force or self._stale_shown != self.report.stale:
            self._stale_shown = self.report.stale
            show_stale_strip(self.app, self.report.stale)


def show_stale_strip(app: Any, visible: bool) -> None:
    """Show the notice (strip under the header in portrait, badge in the header in landscape)
    or take it away. Called again when the window changes shape."""
    root = getattr(app, "root", None)
    if root is None:
        return
    if getattr(app, "bare", False):  # an LED strip has no header
        return
    box = root.ids.header.parent
    header = root.ids.title_row  # the header's row with the site name and the clock
    for parent, cls in ((box, StaleStrip), (header, StaleBadge)):
        for widget in [w for w in parent.children if isinstance(w, cls)]:
            parent.remove_widget(widget)
    if not visible:
        return
    # A strip under the header in both orientations: in landscape the header's row is taken by
    # the site name, the 长者模式/朗读/呼叫 tools and the clock (a badge there squeezed the name).
    box.add_widget(StaleStrip(), index=len(box.children) - 1)  # right under the header


def start(app: Any) -> SyncController | None:
    """Start syncing for `app` if kiosk.ini asks for it (called after the first frame).

    Not while staff preview sources (`kiosk run --content SRC`): a sync would switch the
    preview away to the installed pack.
    """
    if not app.settings.sync.url or app.content.origin == "preview":
        return None
    controller = SyncController(app)
    controller.start()
    return controller


# --- admin screen hooks ------------------------------------------------------------------------


def _when(moment: Any) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else strings.ADMIN_NONE


def admin_rows(app: Any) -> list[tuple[str, str, bool]]:
    controller: SyncController | None = getattr(app, "background", {}).get("sync")
    if controller is None:
        found = status.report(app.settings)
    else:
        found = controller.report
        if not found.disk:
            found = status.report(app.settings)
            controller.report = found
    rows = [
        (
            strings.SYNC_STATE,
            strings.SYNC_STATES.get(found.state, found.state),
            found.state in ("stale", "failing"),
        )
    ]
    if found.state == "disabled":
        return rows
    rows += [
        (
            strings.SYNC_ACTIVE,
            strings.SYNC_VERSION.format(found.active) if found.active else "",
            False,
        ),
        (
            strings.SYNC_PREVIOUS,
            strings.SYNC_VERSION.format(found.previous) if found.previous else "",
            False,
        ),
        (strings.SYNC_LAST_ATTEMPT, _when(found.last_attempt), False),
        (strings.SYNC_LAST_SUCCESS, _when(found.last_success), found.state == "stale"),
    ]
    if found.last_error:
        rows.append((strings.SYNC_LAST_ERROR, found.last_error, found.state != "online"))
    if controller is not None and controller.pending is not None:
        rows.append(
            (
                strings.SYNC_PENDING,
                strings.SYNC_PENDING_VALUE.format(controller.pending.installed_version),
                False,
            )
        )
    if controller is not None and controller.running:
        progress = controller.engine.progress
        if progress.phase == "downloading" and progress.total:
            rows.append(
                (
                    strings.SYNC_PROGRESS,
                    strings.SYNC_PROGRESS_VALUE.format(
                        done=progress.done / 1e6,
                        total=progress.total / 1e6,
                        files=progress.objects_done,
                        count=progress.objects_total,
                    ),
                    False,
                )
            )
        else:
            rows.append((strings.SYNC_PROGRESS, strings.SYNC_CHECKING, False))
    disk = found.disk
    if disk:
        free = disk.get("free")
        rows.append(
            (
                strings.SYNC_DISK,
                strings.SYNC_DISK_VALUE.format(
                    used=disk.get("total", 0) / 1e6,
                    free=(free or 0) / 1e9,
                ),
                free is not None and free < app.settings.sync.reserve_mb * 1_000_000,
            )
        )
    return rows


def _sync_now(app: Any) -> None:
    controller: SyncController | None = getattr(app, "background", {}).get("sync")
    if controller is not None:
        controller.trigger()


ADMIN_ACTIONS = [(strings.SYNC_NOW, _sync_now)]


def _stale_home(driver: Any) -> None:
    driver.app.reset_session()
    show_stale_strip(driver.app, True)


def _stale_page(driver: Any) -> None:
    app = driver.app
    app.reset_session()
    show_stale_strip(app, True)
    app.go("disclosure")


TOUR_STOPS = [("stale-notice-home", _stale_home), ("stale-notice-disclosure", _stale_page)]
