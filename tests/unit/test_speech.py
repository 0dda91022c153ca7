"""Read-aloud below the UI: text for the ear, and a speaker that never blocks and stops at once."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from kiosk.speech.player import RecordingPlayer, wav_seconds
from kiosk.speech.speaker import Speaker
from kiosk.speech.spoken import spoken


@pytest.mark.parametrize(
    ("text", "heard"),
    [
        ("请拨打12348", "请拨打一二三四八"),
        ("您的号码是A012", "您的号码是A零一二"),
        ("2026年3月", "二零二六年3月"),
        ("月收入低于2372元", "月收入低于2372元"),
        ("3号窗口", "3号窗口"),
        ("电话023-67821234", "电话零二三-六七八二一二三四"),
        ("8:30开门", "8点30分开门"),
        ("12:00下班", "12点整下班"),
        ("地址（待核实）", "地址"),
    ],
)
def test_codes_are_read_digit_by_digit_and_amounts_as_numbers(text, heard):
    assert spoken(text) == heard


class SlowEngine:
    """Stands in for a slow voice: writes a one-second WAV after a pause."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.texts: list[str] = []

    def write_wav(self, text: str, out: Path) -> None:
        import wave

        self.release.wait(5)
        self.texts.append(text)
        with wave.open(str(out), "wb") as handle:
            handle.setnchannels(1)
            handle.setsampwidth(2)
            handle.setframerate(8000)
            handle.writeframes(b"\0\0" * 8000)


def test_say_never_waits_for_the_engine_and_the_newest_screen_wins(tmp_path):
    engine, player = SlowEngine(), RecordingPlayer()
    speaker = Speaker(engine, player, tmp_path)
    started = time.monotonic()
    speaker.say("第一屏")
    speaker.say("第二屏")
    assert time.monotonic() - started < 1.0, "say() returns while the engine still works"
    engine.release.set()
    deadline = time.monotonic() + 10
    while not player.played and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [kind for kind, _ in speaker.requests][:2] == ["say", "say"]
    assert [text for kind, text in speaker.requests if kind == "play"] == ["第二屏"]
    speaker.stop()
    assert player.stopped == 1, "stop() cuts the playing WAV short"
    assert ("stop", "") in speaker.requests
    speaker.close()


def test_espeak_ng_writes_a_wav_of_the_right_length(tmp_path):
    from kiosk.speech.engines import EspeakEngine

    short, long = tmp_path / "short.wav", tmp_path / "long.wav"
    engine = EspeakEngine()
    engine.write_wav(spoken("请拨打12348"), short)
    engine.write_wav(spoken("请拨打12348。" * 4), long)
    assert 1.0 < wav_seconds(short) < 8.0
    assert wav_seconds(long) > 3 * wav_seconds(short)
