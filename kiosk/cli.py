"""`kiosk` — one command line tool, many verbs.

Every verb takes --config (or KIOSK_CONFIG), prints human text by default and JSON with
--json, and ends with a one-line reason and a non-zero exit code on failure. Features add
their verbs through a `register(subparsers, common)` function in the `cli` module their entry
in kiosk/features.py names; those modules import nothing heavy at module level, so
`kiosk --help` stays instant.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from kiosk import __version__, config, features

# emit, emit_lines and settings_for live in kiosk.commandline (feature CLIs import them from
# there: the import contract forbids feature -> kiosk.cli); re-exported for older branches.
from kiosk.commandline import common_parser, emit, emit_lines, settings_for, verb_group  # noqa: F401
from kiosk.errors import KioskError

# Modules below the features that add verbs (`kiosk pack ...`); features add theirs through
# their registration in kiosk/features.py. Each module defines register(subparsers, common).
CORE_CLIS: tuple[str, ...] = ("kiosk.packs.cli",)

Handler = Callable[[argparse.Namespace], int | None]


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


CORE_VERBS = ("run", "tour", "admin", "version")


def build_parser(feature_verbs: bool = True) -> argparse.ArgumentParser:
    """Every verb; without `feature_verbs` only the core ones (what `kiosk run` needs, so that
    starting the kiosk does not import every feature's command-line module)."""
    common = common_parser()
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="法律服务自助终端 — the public legal service kiosk",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")
    verbs.required = True

    # What `kiosk run` and `kiosk tour` both show: the window's size and the content.
    screen = argparse.ArgumentParser(add_help=False)
    screen.add_argument(
        "--size",
        type=_size_arg,
        metavar="WxH",
        help="window size, e.g. 1080x1920 (default: kiosk.ini)",
    )
    screen.add_argument("--content", metavar="SRC", help="preview unbuilt content sources from SRC")

    run = verbs.add_parser("run", parents=[common, screen], help="start the kiosk")
    run.add_argument(
        "--windowed", action="store_true", help="a normal window instead of fullscreen"
    )
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

    tour = verbs.add_parser("tour", parents=[common, screen], help="render every screen to PNG")
    tour.add_argument(
        "--out", metavar="DIR", help="folder for the PNG files (needed unless --audit)"
    )
    tour.add_argument(
        "--audit",
        action="store_true",
        help="measure text size, touch targets and contrast on every screen, normal and "
        "长者模式; exit 1 below the thresholds",
    )
    tour.add_argument("--json", action="store_true", help="with --audit: print JSON")
    tour.add_argument(
        "--at",
        metavar="ISO",
        help="the moment the pictures show, site-local (default: Tuesday 2025-06-03 10:00)",
    )
    tour.set_defaults(handler=_cmd_tour)

    admin_verbs = verb_group(verbs, "admin", common, "staff settings")
    set_pin = admin_verbs.add_parser("set-pin", parents=[common], help="set the staff PIN")
    set_pin.add_argument("--from-env", action="store_true", help="read the PIN from KIOSK_NEW_PIN")
    set_pin.set_defaults(handler=_cmd_set_pin)

    version = verbs.add_parser("version", parents=[common], help="print the program version")
    version.set_defaults(handler=_cmd_version)

    if feature_verbs:
        for module_name in CORE_CLIS + tuple(features.cli_modules()):
            importlib.import_module(module_name).register(verbs, common)
    return parser


def _verb(argv: Sequence[str]) -> str | None:
    """The verb of a command line (the first word that is not an option or its value)."""
    words = iter(argv)
    for word in words:
        if word == "--config":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def _size_arg(value: str) -> tuple[int, int]:
    try:
        return config.size(value, Path.cwd())
    except config.BadValue as exc:
        raise argparse.ArgumentTypeError(f"expected {exc}") from None


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(feature_verbs=_verb(words) not in CORE_VERBS)
    args = parser.parse_args(words)
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
