"""What every `kiosk` verb shares: --config, loading settings, printing human text or JSON.

A core module so that feature CLIs (`kiosk/<feature>/cli.py`) and `kiosk.launch` use these
helpers without importing `kiosk.cli`, which imports them (arrows point one way).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk import config


def common_parser() -> argparse.ArgumentParser:
    """Options every verb accepts: `kiosk VERB --config X` works like `kiosk --config X VERB`."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="kiosk.ini to use (default: $KIOSK_CONFIG, ./kiosk.ini, then the bundled one)",
    )
    return common


def settings_for(args: argparse.Namespace) -> config.Settings:
    """Load kiosk.ini for this invocation and put the site's time zone into effect."""
    from kiosk import clock

    settings = config.load(getattr(args, "config", None))
    clock.set_timezone(settings.kiosk.timezone)
    return settings


def emit(value: Any, as_json: bool, human: Callable[[Any], str] | None = None) -> None:
    """Print one JSON document with --json, otherwise the human form."""
    if as_json:
        print(json.dumps(value, ensure_ascii=False, default=_json_default))
    else:
        print(human(value) if human else value)


def emit_lines(values: Sequence[Any]) -> None:
    """JSON lines: one object per line."""
    for value in values:
        print(json.dumps(value, ensure_ascii=False, default=_json_default))


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")
