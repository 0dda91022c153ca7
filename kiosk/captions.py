"""Captions for the muted attract loop: SubRip (.srt) or WebVTT (.vtt) cue files from the pack.

Only timings and text are read (no styling); a file that cannot be read gives no captions,
never an error on screen — the pack check reports it to staff.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

_TIME = r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})"
_CUE = re.compile(_TIME + r"\s*-->\s*" + _TIME)


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


def _seconds(hours: str | None, minutes: str, seconds: str, fraction: str) -> float:
    return (
        int(hours or 0) * 3600
        + int(minutes) * 60
        + int(seconds)
        + int(fraction.ljust(3, "0")) / 1000
    )


def parse(text: str) -> list[Cue]:
    """Cues in time order; lines that are not cues (numbers, WEBVTT, NOTE) are skipped."""
    cues: list[Cue] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").lstrip("\ufeff")):
        lines = block.strip().split("\n")
        for index, line in enumerate(lines):
            match = _CUE.search(line)
            if match:
                words = "\n".join(x.strip() for x in lines[index + 1 :] if x.strip())
                words = re.sub(r"<[^>]+>", "", words)  # <i>, <c.yellow>, voice tags
                if words:
                    start = _seconds(*match.groups()[:4])
                    end = _seconds(*match.groups()[4:])
                    if end > start:
                        cues.append(Cue(start, end, words))
                break
    return sorted(cues, key=lambda c: c.start)


def load(path: str | Path | None) -> list[Cue]:
    if not path:
        return []
    try:
        return parse(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return []


class Track:
    """The caption showing at a position of the video ('' between cues)."""

    def __init__(self, cues: list[Cue]) -> None:
        self.cues = cues
        self._starts = [c.start for c in cues]

    def at(self, position: float) -> str:
        index = bisect_right(self._starts, position) - 1
        if index >= 0 and position < self.cues[index].end:
            return self.cues[index].text
        return ""
