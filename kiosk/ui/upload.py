"""Uploads inside the running kiosk: the sender thread and the staff rows (kiosk id, state).

The thread starts after the first frame and never touches the UI: the screens never wait for
the network. kiosk/ui/features.py registers it (hooks, background) for the admin screen's
`admin_rows` hook.
"""

from __future__ import annotations

import threading
from typing import Any

from kiosk.identity import kiosk_id
from kiosk.upload import texts

FIRST_DELAY = 5.0  # seconds after the first frame before the first heartbeat


class UploadController:
    def __init__(self, app: Any) -> None:
        from kiosk.upload.sender import Uploader

        self._stop = threading.Event()
        self.uploader = Uploader(app.settings, self._stop)
        self._thread = threading.Thread(
            target=self.uploader.loop, args=(FIRST_DELAY,), name="kiosk-upload", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.uploader.wake.set()
        self._thread.join(timeout=2)  # a PUT in flight is abandoned: its row stays queued


def start(app: Any) -> UploadController | None:
    """Start uploading if kiosk.ini names an [upload] url (called after the first frame)."""
    if not app.settings.upload.url:
        return None
    controller = UploadController(app)
    controller.start()
    return controller


def admin_rows(app: Any) -> list[tuple[str, str, bool]]:
    rows = [(texts.ADMIN_ID, kiosk_id(app.settings.kiosk.data_dir), False)]
    if not app.settings.upload.url:
        return [*rows, (texts.ADMIN_UPLOAD, texts.ADMIN_UPLOAD_OFF, False)]
    from kiosk.upload.sender import status

    found = status(app.settings)
    failing = bool(found["last_error"])
    value = (
        texts.ADMIN_UPLOAD_FAILING.format(pending=found["pending"], oldest=_short(found["oldest"]))
        if failing
        else texts.ADMIN_UPLOAD_OK.format(pending=found["pending"])
    )
    rows.append((texts.ADMIN_UPLOAD, value, failing))
    rows.append((texts.ADMIN_UPLOAD_LAST, _short(found["last_success"]) or "—", False))
    if failing:
        rows.append((texts.ADMIN_UPLOAD_ERROR, found["last_error"], True))
    if found["merged"] or found["dropped"]:
        rows.append(
            (
                texts.ADMIN_UPLOAD,
                texts.ADMIN_UPLOAD_DROPPED.format(merged=found["merged"], dropped=found["dropped"]),
                bool(found["dropped"]),
            )
        )
    return rows


def _short(stamp: str | None) -> str:
    """2026-12-03T10:58:25+08:00 -> 2026-12-03 10:58 (the kiosk's own local time)."""
    return stamp[:16].replace("T", " ") if stamp else ""
