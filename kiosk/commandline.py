"""What every `kiosk` verb shares: --config, loading settings, printing human text or JSON.

A core module so that feature CLIs (`kiosk/<feature>/cli.py`) and `kiosk.launch` use these
helpers without importing `kiosk.cli`, which imports them (arrows point one way).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
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


def verb_group(verbs: Any, name: str, common: argparse.ArgumentParser, help: str) -> Any:
    """`kiosk NAME ACTION ...`: the verb NAME whose ACTION is required; returns the subparsers
    to add the actions to. A group another module made already (`kiosk pack` gets actions
    from packs and sync) is handed back as it is, so either may register first."""
    existing = verbs.choices.get(name)
    if existing is not None:
        return next(a for a in existing._actions if isinstance(a, argparse._SubParsersAction))
    parser = verbs.add_parser(name, parents=[common], help=help)
    actions = parser.add_subparsers(dest=f"{name}_verb", metavar="ACTION")
    actions.required = True
    return actions


def date_arg(value: str) -> date:
    """argparse type of a day (--date, --since): YYYY-MM-DD, or a clear message."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a date YYYY-MM-DD, e.g. 2026-03-01") from None


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
