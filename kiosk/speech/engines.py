"""Speech engines: each writes one WAV file for a text and may block (it runs off the UI).

`espeak-ng` runs the espeak-ng program (Linux; the default there). `pyttsx3` drives SAPI5 on
Windows (and espeak-ng on Linux) through one pinned library. On Linux pyttsx3 2.99 cannot be
trusted to write files: `runAndWait()` returns before espeak's callback has written the WAV
(measured: a 5 s sentence was not there when it returned, and it prints to stdout), so there
the program is called directly and pyttsx3 waits for its file. `command` runs any program
that writes a WAV, so staff can plug in a better voice (e.g. sherpa-onnx with a model file in
the data folder) by configuration alone.
"""

from __future__ import annotations

import contextlib
import io
import shlex
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Protocol

from kiosk.errors import KioskError


class SpeechError(KioskError):
    """The engine could not produce speech; the UI simply stays silent."""


class Engine(Protocol):
    def write_wav(self, text: str, out: Path) -> None:
        """Write `text` spoken as a WAV file at `out` (blocking)."""


class Pyttsx3Engine:
    """pyttsx3 (espeak-ng / SAPI5). One engine object, used by one thread at a time."""

    def __init__(self, voice: str = "cmn-latn-pinyin", rate: int = 150) -> None:
        self.voice, self.rate = voice, rate
        self._engine = None
        self._lock = threading.Lock()

    def _ready(self):  # type: ignore[no-untyped-def]
        if self._engine is None:
            try:
                import pyttsx3

                engine = pyttsx3.init()
            except Exception as exc:  # no espeak-ng library, no SAPI voice ...
                raise SpeechError(f"speech engine pyttsx3 cannot start: {exc}") from exc
            wanted = self.voice.lower()
            ids = [v.id for v in engine.getProperty("voices")]
            match = next(
                (i for i in ids if i.lower() == wanted or i.lower().endswith("/" + wanted)), None
            )
            if match is None:
                match = next((i for i in ids if wanted in i.lower()), None)
            if match is None:
                raise SpeechError(f"speech engine has no voice {self.voice!r}")
            engine.setProperty("voice", match)
            engine.setProperty("rate", self.rate)
            self._engine = engine
        return self._engine

    def write_wav(self, text: str, out: Path) -> None:
        with self._lock:
            engine = self._ready()
            out.parent.mkdir(parents=True, exist_ok=True)
            out.unlink(missing_ok=True)
            with contextlib.redirect_stdout(io.StringIO()):  # pyttsx3 prints "Audio saved"
                engine.save_to_file(text, str(out))
                engine.runAndWait()
                _wait_for_file(out, timeout=30)


def _wait_for_file(out: Path, timeout: float) -> None:
    """pyttsx3's espeak driver writes the WAV from a callback after runAndWait() returned."""
    deadline = time.monotonic() + timeout
    last = -1
    while time.monotonic() < deadline:
        size = out.stat().st_size if out.is_file() else -1
        if size > 44 and size == last:
            return
        last = size
        time.sleep(0.05)
    raise SpeechError(f"speech engine wrote no audio to {out}")


class _Child:
    """Runs the voice program at a lower CPU priority than the kiosk (on two cores it would
    otherwise take the time the next screen needs to draw) and lets another thread kill it
    when the words are no longer wanted (the resident moved on)."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._cancelled = False

    def run(self, argv: list[str], timeout: float) -> subprocess.CompletedProcess[bytes]:
        nice = shutil.which("nice")
        if nice is not None:  # POSIX; Windows runs it at normal priority
            argv = [nice, "-n", str(VOICE_NICENESS), *argv]
        with self._lock:
            self._cancelled = False
            proc = self._proc = subprocess.Popen(
                argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise
        finally:
            with self._lock:
                self._proc = None
        if self._cancelled:
            raise SpeechError("cancelled: the resident moved on")
        return subprocess.CompletedProcess(argv, proc.returncode, out, err)

    def cancel(self) -> None:
        """Signal only (called on the UI thread): never waits for the child."""
        with self._lock:
            if self._proc is not None:
                self._cancelled = True
                with contextlib.suppress(OSError):
                    self._proc.kill()


VOICE_NICENESS = 10


class EspeakEngine:
    """The espeak-ng program: synchronous, killable, no output on stdout."""

    def __init__(self, voice: str = "cmn-latn-pinyin", rate: int = 150, timeout: float = 60):
        self.voice, self.rate, self.timeout = voice, rate, timeout
        self._child = _Child()

    def cancel(self) -> None:
        self._child.cancel()

    def write_wav(self, text: str, out: Path) -> None:
        program = shutil.which("espeak-ng")
        if program is None:
            raise SpeechError("espeak-ng is not installed (scripts/setup.sh installs it)")
        out.parent.mkdir(parents=True, exist_ok=True)
        argv = [program, "-v", self.voice, "-s", str(self.rate), "-w", str(out), "--", text]
        try:
            done = self._child.run(argv, timeout=self.timeout)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SpeechError(f"espeak-ng failed: {exc}") from exc
        if done.returncode != 0 or not out.is_file() or out.stat().st_size <= 44:
            error = done.stderr.decode("utf-8", "replace").strip() or f"exit {done.returncode}"
            raise SpeechError(f"espeak-ng failed: {error}")


class CommandEngine:
    """Any program that writes a WAV: `template` has {text} and {out} placeholders."""

    def __init__(self, template: str, timeout: float = 60) -> None:
        if "{out}" not in template or "{text}" not in template:
            raise SpeechError("a speech command needs both {text} and {out}")
        self.template, self.timeout = template, timeout
        self._child = _Child()

    def cancel(self) -> None:
        self._child.cancel()

    def write_wav(self, text: str, out: Path) -> None:
        out.parent.mkdir(parents=True, exist_ok=True)
        argv = [part.format(text=text, out=str(out)) for part in shlex.split(self.template)]
        try:
            done = self._child.run(argv, timeout=self.timeout)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SpeechError(f"speech command failed: {exc}") from exc
        if done.returncode != 0 or not out.is_file():
            error = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            raise SpeechError(f"speech command failed ({done.returncode}): {error[0]}")


def make_engine(engine: str, voice: str, rate: int, command: str) -> Engine:
    """The engine kiosk.ini's [speech] section asks for (`auto`: espeak-ng if installed)."""
    if engine == "command":
        return CommandEngine(command)
    if engine == "espeak-ng" or (engine == "auto" and shutil.which("espeak-ng")):
        return EspeakEngine(voice=voice, rate=rate)
    return Pyttsx3Engine(voice=voice, rate=rate)
