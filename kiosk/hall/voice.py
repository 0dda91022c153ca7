"""Calling aloud: "请 A012 号到 3 号窗口办理", made by joining recorded clips from the pack.

The clips live in the content pack under audio/calls/ (qing, hao, dao, hao-chuangkou-banli,
shi, the digits 0-9 and the letters A-Z, 16 kHz mono WAV; scripts/make-call-clips.sh makes the
defaults with espeak-ng), so a centre can ship its own voice. Ticket numbers are read digit by
digit (A 零一二), counter numbers as numbers (十二号窗口). Playing happens on a worker thread
through a player command (aplay by default): a call never waits for the speaker.
"""

from __future__ import annotations

import contextlib
import io
import logging
import queue
import shlex
import subprocess
import tempfile
import threading
import wave
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from kiosk.errors import KioskError

log = logging.getLogger(__name__)

CLIP_FOLDER = "audio/calls"
WORD_GAP = 0.06  # seconds of silence between two clips
REPEAT_GAP = 0.8  # seconds between two readings of the sentence
QUEUED_MAX = 20  # calls waiting to be spoken; older ones are dropped when staff call faster


class VoiceError(KioskError):
    """A clip is missing or not in the format of the others."""


def counter_words(counter: str) -> list[str]:
    """'3' -> ['3'], '10' -> ['shi'], '12' -> ['shi', '2'], '25' -> ['2', 'shi', '5']."""
    if counter.isdigit() and 0 < int(counter) < 100:
        tens, ones = divmod(int(counter), 10)
        words = [] if tens == 0 else (["shi"] if tens == 1 else [str(tens), "shi"])
        return [*words, str(ones)] if ones or not tens else words
    return [char.upper() for char in counter if char.isalnum()]


def words(ticket: str, counter: str) -> list[str]:
    """The clip names of one sentence, in order."""
    number = [char.upper() for char in ticket if char.isalnum()]
    return ["qing", *number, "hao", "dao", *counter_words(counter), "hao-chuangkou-banli"]


def sentence_wav(clips: Mapping[str, Path], ticket: str, counter: str, repeats: int = 2) -> bytes:
    """The whole announcement as one WAV file (the sentence `repeats` times)."""
    names = words(ticket, counter)
    missing = [name for name in dict.fromkeys(names) if name not in clips]
    if missing:
        raise VoiceError(
            f"missing call clips in {CLIP_FOLDER}/: " + ", ".join(f"{name}.wav" for name in missing)
        )
    params = None
    frames: dict[str, bytes] = {}
    for name in dict.fromkeys(names):
        try:
            with wave.open(str(clips[name]), "rb") as clip:
                shape = (clip.getnchannels(), clip.getsampwidth(), clip.getframerate())
                data = clip.readframes(clip.getnframes())
        except (OSError, wave.Error, EOFError) as exc:
            raise VoiceError(f"{CLIP_FOLDER}/{name}.wav: not a readable WAV file ({exc})") from None
        if params is None:
            params = shape
        elif shape != params:
            raise VoiceError(
                f"{CLIP_FOLDER}/{name}.wav is {shape[2]} Hz, {shape[0]} channel(s),"
                f" {8 * shape[1]} bit; the other clips are {params[2]} Hz, {params[0]} channel(s),"
                f" {8 * params[1]} bit: record every clip in one format"
            )
        frames[name] = data
    assert params is not None
    channels, width, rate = params

    def silence(seconds: float) -> bytes:
        return b"\x00" * (int(rate * seconds) * channels * width)

    sentence = silence(WORD_GAP).join(frames[name] for name in names)
    whole = silence(REPEAT_GAP).join([sentence] * max(1, repeats))
    out = io.BytesIO()
    with wave.open(out, "wb") as result:
        result.setnchannels(channels)
        result.setsampwidth(width)
        result.setframerate(rate)
        result.writeframes(whole)
    return out.getvalue()


def clips_of(pack: Any) -> dict[str, Path]:
    """Clip name -> file, from the pack's carried files under audio/calls/."""
    prefix = CLIP_FOLDER + "/"
    return {
        logical[len(prefix) : -4]: Path(path)
        for logical, path in pack.files.items()
        if logical.startswith(prefix) and logical.lower().endswith(".wav")
    }


def play_command(player: str) -> Callable[[bytes], None]:
    """Play WAV bytes with `player FILE` (e.g. aplay -q); the speaker is the true edge."""
    argv = shlex.split(player)

    def play(data: bytes) -> None:
        with tempfile.NamedTemporaryFile(suffix=".wav", prefix="hall-call-") as handle:
            handle.write(data)
            handle.flush()
            subprocess.run(
                [*argv, handle.name],
                check=True,
                timeout=60,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )

    return play


class Announcer:
    """Speaks calls one after another on its own thread; `announce` returns at once."""

    def __init__(
        self, clips: Mapping[str, Path], repeats: int, play: Callable[[bytes], None]
    ) -> None:
        self.clips = dict(clips)
        self.repeats = repeats
        self.play = play
        self._queue: queue.Queue[tuple[str, str] | None] = queue.Queue(maxsize=QUEUED_MAX)
        self._thread: threading.Thread | None = None
        self.spoken = 0
        self.failures: list[str] = []

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="hall-voice", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            with contextlib.suppress(queue.Full):
                self._queue.put_nowait(None)
            self._thread.join(timeout=5)
            self._thread = None

    def announce(self, ticket: str, counter: str) -> None:
        try:
            self._queue.put_nowait((ticket, counter))
        except queue.Full:
            with contextlib.suppress(queue.Empty):
                self._queue.get_nowait()  # the oldest call is the least useful to hear now
            with contextlib.suppress(queue.Full):
                self._queue.put_nowait((ticket, counter))

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            try:
                self.play(sentence_wav(self.clips, item[0], item[1], self.repeats))
                self.spoken += 1
            except Exception as exc:  # a missing clip or a broken speaker never stops calling
                message = f"hall: could not speak {item[0]} → {item[1]}: {exc}"
                self.failures = [*self.failures[-9:], message]
                log.warning(message)


def announcer_for(settings: Any, loaded: Any) -> Announcer | None:
    """The host's announcer, or None when [hall] says to stay silent."""
    hall = settings.hall
    if hall.call_repeats == 0 or not hall.player.strip():
        return None
    return Announcer(clips_of(loaded.pack), hall.call_repeats, play_command(hall.player))
