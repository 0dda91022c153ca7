"""`kiosk say TEXT --out FILE.wav` with the real espeak-ng voice."""

from __future__ import annotations

import subprocess
import sys
import wave

from tests.conftest import ROOT, write_config


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_say_writes_a_wav_with_speech_of_a_plausible_length(tmp_path):
    config = write_config(tmp_path)
    out = tmp_path / "hotline.wav"
    done = run(
        "say", "免费法律咨询请拨打12348", "--out", str(out), "--show", "--config", str(config)
    )
    assert done.returncode == 0, done.stderr
    assert "一二三四八" in done.stdout, "the number is sent digit by digit"
    with wave.open(str(out), "rb") as handle:
        seconds = handle.getnframes() / handle.getframerate()
        frames = handle.readframes(handle.getnframes())
    assert 2.0 < seconds < 15.0  # 15 syllables at 170 words per minute
    loud = sum(
        1
        for i in range(0, len(frames) - 1, 2)
        if abs(int.from_bytes(frames[i : i + 2], "little", signed=True)) > 1000
    )
    assert loud > 0.1 * len(frames) / 2, "mostly sound, not silence"


def test_say_with_a_broken_engine_command_fails_with_a_reason(tmp_path):
    config = write_config(
        tmp_path, {"speech": {"engine": "command", "command": "false {text} {out}"}}
    )
    done = run("say", "你好", "--out", str(tmp_path / "x.wav"), "--config", str(config))
    assert done.returncode != 0
    assert "speech command failed" in done.stderr
