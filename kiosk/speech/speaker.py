"""Speak without ever blocking the UI, and fall silent the moment the resident moves on.

One worker thread owns the engine. `say()` replaces whatever is pending or playing (the newest
screen wins), `stop()` silences everything; both return at once. `requests` keeps a short log
of what was asked and stopped, for the admin screen and the tests.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.speech.engines import Engine, SpeechError
from kiosk.speech.player import Playback, Player
from kiosk.speech.spoken import spoken

log = logging.getLogger(__name__)
MAX_CHARS = 400  # a screen's heading and main text; more is a page to read, not to hear


class Speaker:
    def __init__(
        self,
        engine: Engine,
        player: Player,
        folder: Path | None = None,
        on_event: Callable[[str, str], None] | None = None,
    ) -> None:
        self.engine, self.player = engine, player
        self.folder = Path(folder or tempfile.mkdtemp(prefix="kiosk-speech-"))
        self.on_event = on_event
        self.requests: deque[tuple[str, str]] = deque(maxlen=50)  # ("say"|"stop"|..., text)
        self._cond = threading.Condition()
        self._pending: str | None = None
        self._generation = 0
        self._playing: Playback | None = None
        self._making = False  # the engine is making words (the worker is in write_wav)
        self._closed = False
        self._thread = threading.Thread(target=self._work, name="kiosk-speech", daemon=True)
        self._thread.start()

    def say(self, text: str) -> None:
        """Speak `text` instead of whatever is being said now."""
        text = spoken(text)[:MAX_CHARS]
        if not text:
            return
        with self._cond:
            self._generation += 1
            self._pending = text
            self._stop_playing()
            self._log("say", text)
            self._cond.notify()

    def stop(self) -> None:
        """Silence now and forget what was pending."""
        with self._cond:
            if self._pending is None and self._playing is None and not self._making:
                return
            self._generation += 1
            self._pending = None
            self._stop_playing()
            self._log("stop", "")

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._pending = None
            self._stop_playing()
            self._cond.notify()

    @property
    def speaking(self) -> bool:
        with self._cond:
            return self._pending is not None or self._playing is not None or self._making

    # --- worker ------------------------------------------------------------------------

    def _stop_playing(self) -> None:
        cancel = getattr(self.engine, "cancel", None)
        if cancel is not None:  # words being made for the old screen: stop making them
            cancel()
        if self._playing is not None:
            self._playing.stop()
            self._playing = None

    def _log(self, kind: str, text: str) -> None:
        self.requests.append((kind, text))
        if self.on_event is not None:
            self.on_event(kind, text)

    def _work(self) -> None:
        while True:
            with self._cond:
                while self._pending is None and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return
                text, generation = self._pending, self._generation
                self._pending = None
                self._making = True
            wav = self.folder / f"say-{generation % 4}.wav"
            try:
                self.engine.write_wav(text, wav)
            except (SpeechError, OSError) as exc:
                with self._cond:
                    self._making = False
                    if generation != self._generation or self._closed:
                        continue  # cancelled because the resident moved on: not a fault
                    log.warning("read-aloud failed: %s", exc)
                    self._log("error", str(exc))
                continue
            with self._cond:
                self._making = False
                if generation != self._generation or self._closed:
                    continue  # the resident moved on while the words were being made
                try:
                    self._playing = self.player.play(wav)
                except OSError as exc:
                    self._log("error", str(exc))
                    continue
                playing: Any = self._playing
                self._log("play", text)
            playing.wait()
            with self._cond:
                if self._playing is playing:
                    self._playing = None
