"""`kiosk say TEXT --out FILE.wav`: what the kiosk would say, for staff and tests."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(verbs: Any, common: argparse.ArgumentParser) -> None:
    say = verbs.add_parser(
        "say", parents=[common], help="speak TEXT as the kiosk's read-aloud would (or write a WAV)"
    )
    say.add_argument("text", metavar="TEXT", help="what to say, e.g. 请拨打12348")
    say.add_argument("--out", metavar="WAV", help="write a WAV file instead of playing it")
    say.add_argument(
        "--show", action="store_true", help="also print the text as it is sent to the engine"
    )
    say.set_defaults(handler=_cmd_say)


def _cmd_say(args: argparse.Namespace) -> int:
    import tempfile

    from kiosk.commandline import settings_for
    from kiosk.speech import engines, player
    from kiosk.speech.spoken import spoken

    settings = settings_for(args)
    text = spoken(args.text)
    if not text:
        raise engines.SpeechError("nothing to say")
    if args.show:
        print(text)
    engine = make_engine(settings)
    if args.out:
        out = Path(args.out)
        engine.write_wav(text, out)
        print(f"{out}: {player.wav_seconds(out):.1f} s")
        return 0
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "say.wav"
        engine.write_wav(text, wav)
        player.make_player(settings.speech.player).play(wav).wait()
    return 0


def make_engine(settings: Any) -> Any:
    from kiosk.speech import engines

    s = settings.speech
    return engines.make_engine(s.engine, s.voice, s.rate, s.command)
