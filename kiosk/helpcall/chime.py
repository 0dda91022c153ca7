"""A short two-tone chime as a WAV file, made once (no sound files to ship or license)."""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22050


def chime_wav(folder: Path) -> Path:
    """Write (once) and return the chime played when a help call cannot reach a hall server."""
    path = folder / "help-chime.wav"
    if path.is_file():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    frames = bytearray()
    for frequency, seconds in ((784.0, 0.35), (523.25, 0.6)):  # G5 then C5: "ding-dong"
        count = int(RATE * seconds)
        for n in range(count):
            fade = min(1.0, (count - n) / (RATE * 0.25))
            sample = 0.5 * fade * math.sin(2 * math.pi * frequency * n / RATE)
            frames += struct.pack("<h", int(sample * 32767))
    tmp = path.with_suffix(".tmp")
    with wave.open(str(tmp), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(RATE)
        handle.writeframes(bytes(frames))
    tmp.replace(path)
    return path
