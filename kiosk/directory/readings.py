"""How residents type a name: each character with the pinyin letters of its reading here.

pypinyin picks a polyphone's reading from its phrase dictionary (重庆 is chong-qing, 调解 is
tiao-jie); PHRASES adds the words of this field it gets wrong (调委会 is tiao-wei-hui, not
diao). ü is typed as u or v on the kiosk keyboard, so both become u. pypinyin costs ~0.2 s to
import, so this module imports it only when a Reader is created, never at kiosk start-up.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

Unit = tuple[str, str]  # (the character as written, the letters a resident types for it)

# Words of legal services that pypinyin reads wrongly, with their readings (tone marks).
PHRASES: dict[str, list[list[str]]] = {
    "调委会": [["tiáo"], ["wěi"], ["huì"]],
    "调委": [["tiáo"], ["wěi"]],
    "人调委": [["rén"], ["tiáo"], ["wěi"]],
    "诉调": [["sù"], ["tiáo"]],
    "访调": [["fǎng"], ["tiáo"]],
    "公调": [["gōng"], ["tiáo"]],
    "检调": [["jiǎn"], ["tiáo"]],
    "警调": [["jǐng"], ["tiáo"]],
    "调解员": [["tiáo"], ["jiě"], ["yuán"]],
    "曾家": [["zēng"], ["jiā"]],  # 曾家镇 (Chongqing) and other place names
}

# Surnames read differently from the same character in ordinary words (曾 is Zeng, 单 is Shan).
# Applied to the first character of a person's name (duty lawyers).
SURNAMES: dict[str, str] = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "区": "ou",
    "查": "zha",
    "仇": "qiu",
    "朴": "piao",
    "盖": "ge",
    "缪": "miao",
    "覃": "qin",
    "翟": "zhai",
    "乐": "yue",
    "种": "chong",
    "秘": "bi",
}


def letters_of(reading: str) -> str:
    """pypinyin's NORMAL style reading -> keyboard letters ('lv'/'lü' -> 'lu')."""
    return reading.lower().replace("ü", "u").replace("v", "u")


def normalise_typed(text: str) -> str:
    """What a resident typed, in the same alphabet: lower case, v -> u, spaces dropped."""
    return "".join(letters_of(c) if c.isascii() else c for c in text if not c.isspace())


class Reader:
    """Turns names into units; remembers each word's reading (names repeat words a lot)."""

    def __init__(self) -> None:
        import pypinyin
        from pypinyin.core import Pinyin

        pypinyin.load_phrases_dict(PHRASES)
        self._pinyin = Pinyin()
        self._words: dict[str, list[str]] = {}
        self._names: dict[str, tuple[Unit, ...]] = {}

    def units(self, text: str, person: bool = False) -> tuple[Unit, ...]:
        """The searchable characters of `text` with their letters (punctuation is skipped)."""
        text = unicodedata.normalize("NFKC", text)  # full-width Ａ１（ -> A1(
        key = ("\x00" if person else "") + text
        found = self._names.get(key)
        if found is None:
            found = self._convert(text, person)
            self._names[key] = found
        return found

    def _convert(self, text: str, person: bool) -> tuple[Unit, ...]:
        readings: list[str] = []
        for word in self._pinyin.seg(text):
            reading = self._words.get(word)
            if reading is None:
                reading = self._read_word(word)
                self._words[word] = reading
            readings.extend(reading)
        if len(readings) != len(text):  # never seen; keeps characters and letters aligned
            readings = [r for ch in text for r in self._read_word(ch)]
        units: list[Unit] = []
        for index, (char, reading) in enumerate(zip(text, readings, strict=True)):
            if person and index == 0 and char in SURNAMES:
                units.append((char, SURNAMES[char]))
            elif char.isascii():
                if char.isalnum():
                    units.append((char, char.lower()))
            elif reading != char:
                units.append((char, letters_of(reading)))
            elif char.isalnum():  # a character without a known reading: findable as written
                units.append((char, ""))
        return tuple(units)

    def _read_word(self, word: str) -> list[str]:
        return self._pinyin.lazy_pinyin([word], errors=_one_per_char)


def _one_per_char(chunk: str) -> Any:
    return list(chunk)


class KnownReadings:
    """Readings worked out elsewhere (a child process), looked up by name."""

    def __init__(self, readings: dict[tuple[str, bool], tuple[Unit, ...]]) -> None:
        self._readings = readings

    def units(self, text: str, person: bool = False) -> tuple[Unit, ...]:
        return self._readings[(text, person)]


def read_in_child(names: Iterable[tuple[str, bool]], timeout: float = 120) -> KnownReadings:
    """The readings of (name, person) pairs, worked out by pypinyin in a child process.

    The kiosk builds its index while residents may be tapping: importing pypinyin (0.2 s,
    much of it in single calls that hold the interpreter lock) in the kiosk's own process
    would freeze the screen for a few frames. A child process uses the other core instead.
    Raises OSError or ValueError when the child cannot do it; callers fall back to Reader.
    """
    import json
    import os
    import subprocess
    import sys

    from kiosk.config import PROJECT_DIR

    pairs = sorted(set(names))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROJECT_DIR), env.get("PYTHONPATH")) if p)
    done = subprocess.run(
        [sys.executable, "-m", "kiosk.directory.readings"],
        input=json.dumps(pairs, ensure_ascii=False),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        env=env,
        cwd=str(PROJECT_DIR),
        check=False,
    )
    if done.returncode != 0:
        raise ValueError(f"readings child failed: {done.stderr.strip()[-300:]}")
    answer = json.loads(done.stdout)
    if len(answer) != len(pairs):
        raise ValueError("readings child answered for a different list of names")
    return KnownReadings(
        {
            (text, bool(person)): tuple((char, letters) for char, letters in units)
            for (text, person), units in zip(pairs, answer, strict=True)
        }
    )


def _main() -> None:
    """stdin: JSON [[name, person], ...]; stdout: JSON [[[char, letters], ...], ...]."""
    import json
    import sys

    pairs = json.loads(sys.stdin.read())
    reader = Reader()
    json.dump(
        [[list(unit) for unit in reader.units(text, bool(person))] for text, person in pairs],
        sys.stdout,
        ensure_ascii=False,
    )


if __name__ == "__main__":
    _main()
