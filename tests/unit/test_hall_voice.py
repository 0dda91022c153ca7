"""Calling aloud: the sentence is the pack's clips joined in order; only the speaker is mocked."""

from __future__ import annotations

import io
import threading
import wave
from pathlib import Path

import pytest

from kiosk.hall.voice import Announcer, VoiceError, clips_of, counter_words, sentence_wav, words
from kiosk.packs.source import load_source
from tests.conftest import CONTENT


def tone(folder: Path, name: str, frames: int, value: int) -> Path:
    path = folder / f"{name}.wav"
    with wave.open(str(path), "wb") as clip:
        clip.setnchannels(1)
        clip.setsampwidth(2)
        clip.setframerate(16000)
        clip.writeframes(value.to_bytes(2, "little", signed=True) * frames)
    return path


def test_words_of_a_call() -> None:
    assert words("A012", "3") == [
        "qing",
        "A",
        "0",
        "1",
        "2",
        "hao",
        "dao",
        "3",
        "hao-chuangkou-banli",
    ]
    assert counter_words("10") == ["shi"]
    assert counter_words("12") == ["shi", "2"]
    assert counter_words("25") == ["2", "shi", "5"]
    assert counter_words("30") == ["3", "shi"]
    assert counter_words("B2") == ["B", "2"]


def test_sentence_is_the_clips_in_order_with_gaps_and_repeats(tmp_path: Path) -> None:
    names = ["qing", "A", "0", "1", "2", "hao", "dao", "3", "hao-chuangkou-banli"]
    clips = {name: tone(tmp_path, name, 100 + i, i + 1) for i, name in enumerate(names)}
    data = sentence_wav(clips, "A012", "3", repeats=2)
    with wave.open(io.BytesIO(data)) as result:
        assert (result.getnchannels(), result.getsampwidth(), result.getframerate()) == (
            1,
            2,
            16000,
        )
        samples = result.readframes(result.getnframes())
    values = [
        int.from_bytes(samples[i : i + 2], "little", signed=True) for i in range(0, len(samples), 2)
    ]
    # the distinct non-silent runs, in order: each clip's value, twice over
    runs = [v for i, v in enumerate(values) if v and (i == 0 or values[i - 1] != v)]
    assert runs == list(range(1, 10)) * 2
    assert sum(1 for v in values if v) == 2 * sum(100 + i for i in range(9))
    gaps = len(values) - sum(1 for v in values if v)
    assert gaps == 2 * 8 * int(16000 * 0.06) + int(16000 * 0.8)


def test_missing_or_mismatched_clips_are_named(tmp_path: Path) -> None:
    with pytest.raises(VoiceError, match=r"hao-chuangkou-banli\.wav"):
        sentence_wav({"qing": tone(tmp_path, "qing", 10, 1)}, "A1", "1")
    clips = {n: tone(tmp_path, n, 10, 1) for n in words("A001", "1")}
    with wave.open(str(clips["dao"]), "wb") as odd:
        odd.setnchannels(1)
        odd.setsampwidth(2)
        odd.setframerate(22050)
        odd.writeframes(b"\x01\x00" * 10)
    with pytest.raises(VoiceError, match=r"dao\.wav is 22050 Hz"):
        sentence_wav(clips, "A001", "1")


def test_the_bundled_pack_can_say_every_ticket_of_the_hall() -> None:
    clips = clips_of(load_source(CONTENT))
    for name in [
        "qing",
        "hao",
        "dao",
        "hao-chuangkou-banli",
        "shi",
        *"0123456789",
        *"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    ]:
        assert name in clips, name
    data = sentence_wav(clips, "E107", "12", repeats=2)
    with wave.open(io.BytesIO(data)) as result:
        seconds = result.getnframes() / result.getframerate()
        assert result.getframerate() == 16000 and result.getnchannels() == 1
    assert 3 < seconds < 15


def test_announcer_plays_on_its_own_thread_and_survives_a_broken_speaker(tmp_path: Path) -> None:
    clips = {n: tone(tmp_path, n, 10, 1) for n in {*words("A001", "1"), *words("A002", "1")}}
    played: list[bytes] = []
    done = threading.Event()
    caller = threading.get_ident()
    threads: list[int] = []

    def speaker(data: bytes) -> None:  # the true edge: the sound card
        threads.append(threading.get_ident())
        if not played and len(threads) == 1:
            played.append(b"")
            raise OSError("no sound card")
        played.append(data)
        done.set()

    announcer = Announcer(clips, 1, speaker)
    announcer.start()
    announcer.announce("A001", "1")
    announcer.announce("A002", "1")
    assert done.wait(10)
    announcer.stop()
    assert played[-1] == sentence_wav(clips, "A002", "1", 1)
    assert caller not in threads
    assert announcer.spoken == 1 and "no sound card" in announcer.failures[0]


def test_the_built_pack_carries_the_clips_without_a_warning() -> None:
    from kiosk.packs.source import carried_files, read_source

    carried = carried_files(CONTENT)
    assert "audio/calls/qing.wav" in carried and "audio/calls/hao-chuangkou-banli.wav" in carried
    _, problems = read_source(CONTENT)
    assert not [p for p in problems if "audio/" in str(p)]


def test_the_player_command_gets_the_whole_announcement(tmp_path: Path) -> None:
    import shlex
    import sys

    from kiosk.hall.voice import play_command

    heard = tmp_path / "heard.wav"
    script = f"import shutil, sys; shutil.copy(sys.argv[1], {str(heard)!r})"
    clips = {n: tone(tmp_path, n, 10, 1) for n in words("C123", "4")}
    data = sentence_wav(clips, "C123", "4", 2)
    play_command(f"{shlex.quote(sys.executable)} -c {shlex.quote(script)}")(data)
    assert heard.read_bytes() == data
