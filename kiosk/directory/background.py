"""Build the search index off the UI thread, once per content pack and site.

pypinyin takes ~0.2 s to import and the index a little longer to build; the kiosk must draw
its first frame without paying for either, and must keep drawing while it is built. The
first `request` starts a worker thread; the pinyin readings are worked out in a child process
(see readings.read_in_child), so the kiosk's process never imports pypinyin. Callers get None
until the index is ready and are called back (from the worker thread: the UI hands the call
to its own thread) when it is.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Callable
from typing import Any

from kiosk.directory.search import SearchIndex  # light: pypinyin loads in Reader()
from kiosk.packs import model

Callback = Callable[[SearchIndex | None], None]


class IndexBuilder:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pack: model.Pack | None = None
        self._site: str | None = None
        self._index: SearchIndex | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._waiting: list[Callback] = []
        self._stopped = False

    def ready(self, pack: model.Pack, site: str | None) -> SearchIndex | None:
        """The index for this pack and site if it is built, else None (never blocks)."""
        with self._lock:
            if self._pack is pack and self._site == site:
                return self._index
            return None

    @property
    def error(self) -> BaseException | None:
        return self._error

    def request(
        self, pack: model.Pack, site: str | None, on_ready: Callback | None = None
    ) -> SearchIndex | None:
        """The index if ready; otherwise start building it and call `on_ready` when done."""
        with self._lock:
            if self._pack is pack and self._site == site:
                if self._index is not None or self._error is not None:
                    return self._index
                if on_ready is not None and not self._stopped:
                    self._waiting.append(on_ready)
                return None
            self._pack, self._site = pack, site
            self._index, self._error = None, None
            self._waiting = [on_ready] if on_ready is not None and not self._stopped else []
            self._thread = threading.Thread(
                target=self._build, args=(pack, site), name="directory-index", daemon=True
            )
            self._thread.start()
            return None

    def stop(self) -> None:
        """The app is closing: a build that ends later calls nobody back (the worker is a
        daemon thread; its child process ends with the build)."""
        with self._lock:
            self._stopped = True
            self._waiting = []

    def wait(self, timeout: float | None = None) -> SearchIndex | None:
        """Block until the current build is done (tests, the command line)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self._index

    def _build(self, pack: model.Pack, site: str | None) -> None:
        from kiosk.directory.entries import pack_entries
        from kiosk.directory.readings import Reader, read_in_child

        index: SearchIndex | None = None
        error: BaseException | None = None
        try:
            entries = pack_entries(pack, site)
            names = {(n, e.person) for e in entries for n in (e.name, *e.aliases)}
            try:
                reader: Any = read_in_child(names)
            except (OSError, ValueError, subprocess.SubprocessError):
                reader = Reader()  # slower for the screen, but the search works
            index = SearchIndex(entries, own_site=site, reader=reader)
        except Exception as exc:  # shown to residents as "please ask at 接待指引"
            error = exc
        with self._lock:
            if self._pack is not pack or self._site != site:
                return  # the content changed meanwhile; a newer build is running
            self._index, self._error = index, error
            waiting, self._waiting = ([] if self._stopped else self._waiting), []
        for callback in waiting:
            callback(index)
