"""The kiosk's own identity: an id made once and kept in the data folder.

Uploads, statistics and help calls name the machine by this id, so it must not change when the
site, the configuration or the program is changed or reinstalled; only wiping the data folder
makes a new one. It says nothing about residents.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from pathlib import Path

from kiosk.errors import KioskError

FILE_NAME = "kiosk-id"
_VALID = re.compile(r"^k-[0-9a-f]{12}$")


def kiosk_id(data_dir: Path) -> str:
    """This machine's id ("k-" and 12 hex digits), created on first use, durable after that."""
    file = Path(data_dir) / FILE_NAME
    existing = _read(file)
    if existing:
        return existing
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        made = f"k-{secrets.token_hex(6)}"
        tmp = file.with_name(f".{FILE_NAME}.{os.getpid()}.tmp")
        with open(tmp, "w", encoding="ascii") as handle:
            handle.write(made + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, file)  # fails if another process made the id first: keep theirs
        except FileExistsError:
            pass
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()
        _fsync_dir(file.parent)
    except OSError as exc:
        raise KioskError(f"{file}: cannot keep the kiosk's id ({exc})") from None
    kept = _read(file)
    if not kept:
        raise KioskError(f"{file}: the kiosk's id is damaged; delete the file to make a new one")
    return kept


def _read(file: Path) -> str | None:
    try:
        value = file.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise KioskError(f"{file}: cannot read the kiosk's id ({exc})") from None
    if not _VALID.match(value):
        raise KioskError(f"{file}: the kiosk's id is damaged; delete the file to make a new one")
    return value


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
