"""The voice program as a resident's screen changes: it runs below the kiosk's CPU priority
(on two cores it would take the next screen's drawing time) and is killed the moment its words
belong to a screen the resident has left — with real child processes."""

from __future__ import annotations

import os
import shlex
import sys
import time
from pathlib import Path

import pytest

from kiosk.speech.engines import CommandEngine
from kiosk.speech.player import RecordingPlayer
from kiosk.speech.speaker import Speaker

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX nice and signals")

WRITE_NICENESS = (
    "import os, sys, wave\n"
    "with wave.open(sys.argv[1], 'wb') as w:\n"
    "    w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)\n"
    "    w.writeframes(b'\\0\\0' * 800)\n"
    "open(sys.argv[1] + '.nice', 'w').write(str(os.nice(0)))\n"
)
SLOW = (
    "import sys, time; open(sys.argv[2], 'w').write(str(__import__('os').getpid())); time.sleep(60)"
)


def test_the_voice_program_runs_below_the_kiosk_priority(tmp_path):
    engine = CommandEngine(
        f"{shlex.quote(sys.executable)} -c {shlex.quote(WRITE_NICENESS)} {{out}} {{text}}"
    )
    out = tmp_path / "x.wav"
    engine.write_wav("你好", out)
    assert int(Path(str(out) + ".nice").read_text()) >= min(19, os.nice(0) + 10)


def test_moving_on_kills_the_words_being_made_and_is_not_an_error(tmp_path):
    pid_file = tmp_path / "pid"
    engine = CommandEngine(
        f"{shlex.quote(sys.executable)} -c {shlex.quote(SLOW)} {{text}} {shlex.quote(str(pid_file))} {{out}}"
    )
    speaker = Speaker(engine, RecordingPlayer(), tmp_path / "speech")
    speaker.say("第一屏的很长的文字")
    deadline = time.monotonic() + 20
    while not pid_file.is_file() and time.monotonic() < deadline:
        time.sleep(0.05)
    pid = int(pid_file.read_text())
    started = time.monotonic()
    speaker.stop()  # the resident left the screen
    while time.monotonic() - started < 10:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the voice program still runs after the resident moved on")
    time.sleep(0.3)
    assert not [text for kind, text in speaker.requests if kind == "error"]
    assert not speaker.speaking
    speaker.close()
