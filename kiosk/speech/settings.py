"""kiosk.ini [access] (长者模式, 朗读 defaults) and [speech] (the read-aloud voice)."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.config import boolean, choice, integer, setting, text


@dataclass(frozen=True)
class AccessSection:
    elder_default: bool = setting("no", boolean, "yes or no")
    elder_idle_timeout: int = setting("240", integer(1, 3600), "1 to 3600 seconds")
    read_aloud_default: bool = setting("no", boolean, "yes or no")


@dataclass(frozen=True)
class SpeechSection:
    engine: str = setting(
        "auto",
        choice("auto", "espeak-ng", "pyttsx3", "command"),
        "auto, espeak-ng, pyttsx3 or command",
    )
    voice: str = setting("cmn-latn-pinyin", text, "a voice name of the engine")
    rate: int = setting("170", integer(60, 400), "60 to 400 words per minute")
    command: str = setting("", text, "a command line with {text} and {out}")
    player: str = setting("auto", text, "auto, none, or a command line with {file}")
