"""HTTP PUT to the district's folder, with the credential from a file, errors sorted for staff.

Any server that stores a PUT body under the given path works: nginx (`dav_methods PUT;
create_full_put_path on;`), Apache mod_dav, IIS WebDAV, or an object store through a
folder-wide presigned/SAS query string (kept on every object's address).
"""

from __future__ import annotations

import base64
import io
import os
import sys
import time
from pathlib import Path
from typing import Any

from kiosk import __version__
from kiosk.errors import KioskError
from kiosk.upload import texts

PAUSE_ENV = "KIOSK_UPLOAD_PAUSE_AT"  # tests: hold a run at a named step so a kill lands there


class UploadError(KioskError):
    """A PUT that did not store the object; `code` is stable, the message is for staff."""

    def __init__(self, code: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


def checkpoint(name: str) -> None:
    """Tests set KIOSK_UPLOAD_PAUSE_AT=<name> to hold a run here and kill it at that step."""
    if os.environ.get(PAUSE_ENV) == name:
        print(f"upload paused at {name}", file=sys.stderr, flush=True)
        time.sleep(3600)


def read_credential(path: Path | None) -> dict[str, str]:
    """The Authorization header from the auth file (`bearer TOKEN`, `basic USER:PASS`, TOKEN)."""
    if path is None:
        return {}
    try:
        line = Path(path).read_text(encoding="utf-8").strip().splitlines()[0].strip()
    except (OSError, UnicodeDecodeError, IndexError) as exc:
        reason = getattr(exc, "strerror", None) or "文件为空或不是 UTF-8 文本"
        raise UploadError("auth-file", texts.AUTH_FILE.format(path=path, reason=reason)) from None
    scheme, _, rest = line.partition(" ")
    if scheme.lower() == "basic" and ":" in rest:
        token = base64.b64encode(rest.strip().encode("utf-8")).decode("ascii")
        return {"Authorization": f"Basic {token}"}
    if scheme.lower() == "bearer" and rest.strip():
        return {"Authorization": f"Bearer {rest.strip()}"}
    return {"Authorization": f"Bearer {line}"}


class _PausingBody(io.BytesIO):
    """The body as the HTTP client reads it; a test may hold it half-sent (a torn upload)."""

    def __init__(self, data: bytes, point: str) -> None:
        super().__init__(data)
        self._point = point
        self._size = len(data)
        self._half = len(data) // 2

    def __len__(self) -> int:
        return self._size

    def read(self, size: int | None = -1) -> bytes:
        position = self.tell()
        if position < self._half:
            wanted = self._half - position
            return super().read(wanted if size is None or size < 0 else min(size, wanted))
        if position < self._size:
            checkpoint(self._point)
        return super().read(size)


class Target:
    """One keep-alive session to the upload folder."""

    def __init__(self, base_url: str, timeout: float, auth_file: Path | None = None) -> None:
        import requests

        address, _, query = base_url.partition("?")
        self.base = address if address.endswith("/") else address + "/"
        self.query = f"?{query}" if query else ""
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": f"legal-kiosk/{__version__}"})
        self.session.headers.update(read_credential(auth_file))
        self.requests = 0

    def close(self) -> None:
        self.session.close()

    def url(self, name: str) -> str:
        return self.base + name + self.query

    def put(self, name: str, body: bytes, content_type: str, kind: str = "") -> None:
        """Store `body` as `name`; returns only when the server confirmed it (2xx)."""
        import requests

        url = self.url(name)
        shown = self.base + name
        self.requests += 1
        torn = os.environ.get(PAUSE_ENV) == f"put-half:{kind}"
        data: Any = _PausingBody(body, f"put-half:{kind}") if torn else body
        try:
            response = self.session.put(
                url,
                data=data,
                headers={"Content-Type": content_type, "Content-Length": str(len(body))},
                timeout=(self.timeout, self.timeout),
            )
        except requests.Timeout:
            raise UploadError(
                "timeout", texts.TIMEOUT.format(url=shown, seconds=f"{self.timeout:g}")
            ) from None
        except requests.RequestException as exc:
            raise UploadError(
                "offline", texts.OFFLINE.format(url=self.base, reason=_short(exc))
            ) from None
        status = response.status_code
        response.close()
        if 200 <= status < 300:
            return
        raise classify(status)


def classify(status: int) -> UploadError:
    if status in (401, 403):
        return UploadError("auth", texts.AUTH.format(status=status), status)
    if status == 413:
        return UploadError("too-large", texts.TOO_LARGE, status)
    if status == 507:
        return UploadError("server-full", texts.FULL, status)
    if status in (404, 405, 409):
        return UploadError("not-found", texts.NOT_FOUND.format(status=status), status)
    if status >= 500:
        return UploadError("server-error", texts.SERVER.format(status=status), status)
    return UploadError("http-status", texts.OTHER.format(status=status), status)


def _short(exc: BaseException) -> str:
    import re

    text = str(exc)
    reason = re.search(r"\[Errno -?\d+\] ([^'\")]+)", text)
    if reason:
        return reason[1].strip()
    return text.splitlines()[0][:160] if text else type(exc).__name__
