"""Playing a WAV on the kiosk's speaker: a child process that can be stopped at any moment.

The speaker itself is the one edge the tests cannot run; `RecordingPlayer` stands in for it
there, and everything above it (engine, text, threads, stopping) runs for real.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Protocol


class Playback(Protocol):
    def wait(self) -> None: ...

    def stop(self) -> None: ...


class Player(Protocol):
    def play(self, wav: Path) -> Playback:
        """Start playing `wav` and return at once."""


class _Process:
    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self.proc = proc

    def wait(self) -> None:
        self.proc.wait()

    def stop(self) -> None:
        """Called on the UI thread: signal only, never wait (the worker's wait() reaps it)."""
        if self.proc.poll() is None:
            self.proc.kill()


class CommandPlayer:
    """`template` with a {file} placeholder, e.g. `aplay -q {file}` or `paplay {file}`."""

    def __init__(self, template: str) -> None:
        self.template = template

    def play(self, wav: Path) -> Playback:
        argv = [part.format(file=str(wav)) for part in shlex.split(self.template)]
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return _Process(proc)


class _Done:
    def wait(self) -> None:
        return None

    def stop(self) -> None:
        return None


class WinsoundPlayer:
    """Windows: the system's own asynchronous WAV playback."""

    def play(self, wav: Path) -> Playback:
        import winsound  # type: ignore[import-not-found]

        winsound.PlaySound(str(wav), winsound.SND_FILENAME | winsound.SND_ASYNC)

        class _Win(_Done):
            def stop(self) -> None:
                winsound.PlaySound(None, winsound.SND_PURGE)

        return _Win()


class RecordingPlayer:
    """No speaker: remembers what would have been played, and "plays" for as long as the WAV
    lasts, so stopping behaves as with a real speaker (tests, machines without sound)."""

    def __init__(self) -> None:
        self.played: list[Path] = []
        self.stopped = 0
        self._lock = threading.Lock()

    def play(self, wav: Path) -> Playback:
        with self._lock:
            self.played.append(wav)
        return _Timed(self, wav_seconds(wav))


class _Timed:
    def __init__(self, player: RecordingPlayer, seconds: float) -> None:
        self.player, self.seconds = player, seconds
        self._stopped = threading.Event()

    def wait(self) -> None:
        self._stopped.wait(self.seconds)

    def stop(self) -> None:
        if not self._stopped.is_set():
            self._stopped.set()
            with self.player._lock:
                self.player.stopped += 1


def wav_seconds(wav: Path) -> float:
    """Length of a WAV file in seconds (0 when it cannot be read)."""
    import wave

    try:
        with wave.open(str(wav), "rb") as handle:
            return handle.getnframes() / float(handle.getframerate() or 1)
    except (OSError, EOFError, wave.Error):
        return 0.0


def make_player(command: str) -> Player:
    """`auto`: aplay (ALSA) or paplay on Linux, winsound on Windows, else nothing audible."""
    if command and command != "auto":
        return CommandPlayer(command)
    if sys.platform == "win32":
        return WinsoundPlayer()
    for program, template in (("paplay", "paplay {file}"), ("aplay", "aplay -q {file}")):
        if shutil.which(program):
            return CommandPlayer(template)
    return RecordingPlayer()
