"""The HTTP side of a sync: conditional manifest polls and capped, resumable object downloads.

Everything read from the network is capped at the size we expect (the manifest's declared size
for objects, small fixed limits for the manifest and its signature), so a hostile or broken
server cannot fill the disk. Partial downloads stay in `*.part` files and are resumed with a
Range request; a server that ignores Range is handled by starting over.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk import __version__
from kiosk.sync.errors import LocalProblem, Offline, Refused, SyncError

CHUNK = 1 << 20
MANIFEST_LIMIT = 32 << 20
SIGNATURE_LIMIT = 4096

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Small:
    """A small file fetched whole: its bytes and the validators to ask for it next time."""

    data: bytes
    etag: str | None
    last_modified: str | None


class Client:
    """One HTTP session (keep-alive) to the pack folder at `base_url`; counts what it moves."""

    def __init__(self, base_url: str, timeout: float, stop: threading.Event | None = None) -> None:
        import requests

        self.stop = stop or threading.Event()
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.timeout = timeout
        self.session = requests.Session()
        # identity: byte counts and ranges refer to the file itself, never a compressed form
        self.session.headers.update(
            {"User-Agent": f"legal-kiosk/{__version__}", "Accept-Encoding": "identity"}
        )
        self.requests = 0
        self.body_bytes = 0

    def close(self) -> None:
        self.session.close()

    def url(self, name: str) -> str:
        return self.base_url + name

    # --- requests ----------------------------------------------------------------------

    def _get(self, name: str, headers: dict[str, str]) -> Any:
        import requests

        url = self.url(name)
        self.requests += 1
        try:
            response = self.session.get(
                url, headers=headers, stream=True, timeout=(self.timeout, self.timeout)
            )
        except requests.Timeout:
            raise Offline("timeout", f"服务器 {url} 在 {self.timeout:g} 秒内没有响应") from None
        except requests.RequestException as exc:
            raise Offline("unreachable", f"无法连接服务器 {url}（{_short(exc)}）") from None
        if response.status_code >= 500:
            response.close()
            raise Offline("server-error", f"服务器 {url} 出错（HTTP {response.status_code}）")
        return response

    def _chunks(self, response: Any, url: str) -> Any:
        """The body as it arrives; network trouble while reading becomes Offline.

        read1 hands over whatever has arrived (up to CHUNK) at once, so when the connection
        breaks, every byte received before the break is already written and kept for resuming.
        """
        from urllib3.exceptions import HTTPError, ReadTimeoutError

        while True:
            try:
                chunk = response.raw.read1(CHUNK, decode_content=False)
            except ReadTimeoutError:
                raise Offline("timeout", f"下载 {url} 时服务器停止发送数据") from None
            except (HTTPError, OSError) as exc:
                raise Offline("cut", f"下载 {url} 时连接中断（{_short(exc)}）") from None
            if not chunk:
                return
            self.body_bytes += len(chunk)
            yield chunk
            if self.stop.is_set():  # the kiosk is closing: what arrived is kept for resuming
                raise Offline("stopped", "同步被中止，下次继续")

    def get_small(
        self,
        name: str,
        limit: int,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Small | None:
        """The whole file (at most `limit` bytes), or None when the server says 304."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        response = self._get(name, headers)
        url = self.url(name)
        with response:
            if response.status_code == 304:
                return None
            _expect_ok(response, url)
            declared = _content_length(response)
            if declared is not None and declared > limit:
                raise Refused(
                    "too-large", f"{url} 有 {declared} 字节，超过允许的 {limit} 字节，已拒绝"
                )
            parts, total = [], 0
            started = time.monotonic()
            for chunk in self._chunks(response, url):
                total += len(chunk)
                if total > limit:
                    raise Refused("too-large", f"{url} 超过允许的 {limit} 字节，已拒绝")
                if time.monotonic() - started > 4 * self.timeout:
                    raise Offline("timeout", f"{url} 下载过慢，已放弃")
                parts.append(chunk)
            return Small(
                b"".join(parts),
                response.headers.get("ETag"),
                response.headers.get("Last-Modified"),
            )

    def download(self, name: str, sha256: str, size: int, part: Path, progress: Progress) -> None:
        """Bring `part` to exactly `size` bytes of `name`, resuming what it already holds.

        Raises Refused when the server sends more than `size` bytes, Offline when the transfer
        breaks (the part file keeps what arrived, for the next attempt), LocalProblem when the
        disk cannot take it (the part file is removed to give the space back).
        """
        url = self.url(name)
        have = part.stat().st_size if part.exists() else 0
        if have > size:
            part.unlink()
            have = 0
        if have == size:
            return
        headers = {"Range": f"bytes={have}-"} if have else {}
        response = self._get(name, headers)
        with response:
            mode = "ab"
            if response.status_code == 206 and have:
                first, total = _content_range(response)
                if first != have or (total is not None and total != size):
                    raise Offline("bad-range", f"{url}：服务器续传的位置不对，下次重新下载")
            elif response.status_code == 416 and have:
                part.unlink()  # what we hold no longer fits the file: start again next time
                raise Offline("bad-range", f"{url}：服务器拒绝续传，下次重新下载")
            else:
                _expect_ok(response, url)
                mode, have = "wb", 0  # a server that ignores Range sends everything
            declared = _content_length(response)
            if declared is not None and have + declared > size:
                raise Refused(
                    "too-large",
                    f"{url} 有 {have + declared} 字节，而清单写的是 {size} 字节，已拒绝",
                )
            self._receive(response, url, part, mode, have, size, progress)

    def _receive(
        self,
        response: Any,
        url: str,
        part: Path,
        mode: str,
        have: int,
        size: int,
        progress: Progress,
    ) -> None:
        try:
            handle = open(part, mode)  # noqa: SIM115 (closed below, with fsync)
        except OSError as exc:
            raise LocalProblem("disk", f"无法写入 {part}（{exc.strerror}）") from None
        received = have
        try:
            for chunk in self._chunks(response, url):
                received += len(chunk)
                if received > size:
                    handle.close()
                    part.unlink()
                    raise Refused("too-large", f"{url} 的数据超过清单所写的 {size} 字节，已拒绝")
                try:
                    handle.write(chunk)
                except OSError as exc:
                    raise _disk_problem(part, exc) from None
                progress(len(chunk))
            try:
                handle.flush()
                os.fsync(handle.fileno())
            except OSError as exc:
                raise _disk_problem(part, exc) from None
        finally:
            with contextlib.suppress(OSError):
                handle.close()
        if received < size:
            raise Offline("cut", f"下载 {url} 在 {received}/{size} 字节处中断")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _disk_problem(part: Path, exc: OSError) -> SyncError:
    with contextlib.suppress(OSError):
        part.unlink()
    return LocalProblem("disk", f"无法写入 {part.parent}（{exc.strerror}），磁盘可能已满")


def _expect_ok(response: Any, url: str) -> None:
    if response.status_code == 200:
        return
    if response.status_code == 404:
        raise SyncError("not-found", f"服务器上没有 {url}（404），请检查 [sync] url 设置")
    raise SyncError("http-status", f"服务器 {url} 返回 HTTP {response.status_code}")


def _content_length(response: Any) -> int | None:
    raw = response.headers.get("Content-Length")
    return int(raw) if raw and raw.strip().isdigit() else None


def _content_range(response: Any) -> tuple[int | None, int | None]:
    match = re.fullmatch(
        r"\s*bytes\s+(\d+)-(\d+)/(\d+|\*)\s*", response.headers.get("Content-Range", "")
    )
    if not match:
        return None, None
    return int(match[1]), None if match[3] == "*" else int(match[3])


def _short(exc: BaseException) -> str:
    text = str(exc)
    reason = re.search(r"\[Errno -?\d+\] ([^'\")]+)", text)
    if reason:
        return reason[1].strip()
    return text.splitlines()[0][:160] if text else type(exc).__name__
