"""`kiosk` — one command line tool, many verbs.

Every verb takes --config (or KIOSK_CONFIG), prints human text by default and JSON with
--json, and ends with a one-line reason and a non-zero exit code on failure. Feature packages
add their verbs through a `register(subparsers, common)` function in their `cli` module; those
modules import nothing heavy at module level, so `kiosk --help` stays instant.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk import __version__, config
from kiosk.errors import KioskError

# Feature packages that add verbs. Each module defines register(subparsers, common).
FEATURE_CLIS: tuple[str, ...] = (
    "kiosk.packs.cli",
    "kiosk.sync.cli",  # after packs: `pack serve` joins the `pack` group
    "kiosk.eligibility.cli",
    "kiosk.tickets.cli",
    "kiosk.directory.cli",
    "kiosk.upload.cli",
    "kiosk.hall.cli",
    "kiosk.feedback.cli",
    "kiosk.stats.cli",
    "kiosk.speech.cli",
)

Handler = Callable[[argparse.Namespace], int | None]


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


# --- core verbs ----------------------------------------------------------------------------


def _cmd_run(args: argparse.Namespace) -> int:
    from kiosk import launch

    return launch.run(args)


def _cmd_tour(args: argparse.Namespace) -> int:
    from kiosk import launch

    if getattr(args, "audit", False):
        return launch.audit(args)
    if not args.out:
        raise KioskError("kiosk tour needs --out DIR (the folder for the PNG files)")
    return launch.tour(args)


def _cmd_set_pin(args: argparse.Namespace) -> int:
    import getpass

    from kiosk import admin

    file = config.locate(getattr(args, "config", None))
    config.load(file)  # refuse to edit a file that does not parse
    pin = os.environ.get("KIOSK_NEW_PIN") if args.from_env else None
    if pin is None:
        if not sys.stdin.isatty():
            pin = sys.stdin.readline().strip()
        else:
            pin = getpass.getpass("New staff PIN (4-12 digits): ")
            if getpass.getpass("Repeat the PIN: ") != pin:
                raise KioskError("the two PINs differ; nothing was changed")
    if not admin.valid_pin(pin):
        raise KioskError(f"a PIN is {admin.MIN_PIN} to {admin.MAX_PIN} digits; nothing was changed")
    config.set_value(file, "admin", "pin_hash", admin.hash_pin(pin))
    print(f"PIN set in {file}")
    return 0


def _cmd_version(args: argparse.Namespace) -> int:
    print(__version__)
    return 0


def build_parser() -> argparse.ArgumentParser:
    common = common_parser()
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="法律服务自助终端 — the public legal service kiosk",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")
    verbs.required = True

    run = verbs.add_parser("run", parents=[common], help="start the kiosk")
    run.add_argument(
        "--windowed", action="store_true", help="a normal window instead of fullscreen"
    )
    run.add_argument("--size", type=_size_arg, metavar="WxH", help="window size, e.g. 1080x1920")
    run.add_argument("--content", metavar="SRC", help="preview unbuilt content sources from SRC")
    run.add_argument(
        "--smoke",
        action="store_true",
        help="draw the first frame of the home screen and exit 0 (deploy check)",
    )
    run.add_argument(
        "--screenshot", metavar="PNG", help="with --smoke: also save the first frame to this file"
    )
    run.add_argument(
        "--virtual-display",
        action="store_true",
        help="run on a virtual X display (Xvfb) when there is no screen",
    )
    run.set_defaults(handler=_cmd_run)

    tour = verbs.add_parser("tour", parents=[common], help="render every screen to PNG")
    tour.add_argument(
        "--out", metavar="DIR", help="folder for the PNG files (needed unless --audit)"
    )
    tour.add_argument(
        "--size", type=_size_arg, metavar="WxH", help="window size (default from kiosk.ini)"
    )
    tour.add_argument("--content", metavar="SRC", help="use unbuilt content sources from SRC")
    tour.add_argument(
        "--audit",
        action="store_true",
        help="measure text size, touch targets and contrast on every screen, normal and "
        "长者模式; exit 1 below the thresholds",
    )
    tour.add_argument("--json", action="store_true", help="with --audit: print JSON")
    tour.set_defaults(handler=_cmd_tour)

    admin_parser = verbs.add_parser("admin", parents=[common], help="staff settings")
    admin_verbs = admin_parser.add_subparsers(dest="admin_verb", metavar="ACTION")
    admin_verbs.required = True
    set_pin = admin_verbs.add_parser("set-pin", parents=[common], help="set the staff PIN")
    set_pin.add_argument("--from-env", action="store_true", help="read the PIN from KIOSK_NEW_PIN")
    set_pin.set_defaults(handler=_cmd_set_pin)

    version = verbs.add_parser("version", parents=[common], help="print the program version")
    version.set_defaults(handler=_cmd_version)

    for module_name in FEATURE_CLIS:
        importlib.import_module(module_name).register(verbs, common)
    return parser


def _size_arg(value: str) -> tuple[int, int]:
    try:
        return config.size(value, Path.cwd())
    except config.BadValue as exc:
        raise argparse.ArgumentTypeError(f"expected {exc}") from None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result = args.handler(args)
    except KioskError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("kiosk: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the last line of defence: a reason, and the details in a file
        log = _write_crash_log()
        print(
            f"kiosk: unexpected error: {type(exc).__name__}: {exc} (details: {log})",
            file=sys.stderr,
        )
        return 70
    return int(result or 0)


def _write_crash_log() -> Path:
    import tempfile

    folder = Path(tempfile.gettempdir()) / "kiosk-logs"
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / f"crash-{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.txt"
    log.write_text(traceback.format_exc(), encoding="utf-8")
    return log
