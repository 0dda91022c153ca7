"""`kiosk pack serve DIR`: a built pack folder over HTTP, for development, tests and small sites.

Production serves the same folder with nginx or any CDN (see README); this server implements
what the kiosk relies on, and nothing else: GET and HEAD of regular files, strong ETags and
Last-Modified, conditional requests (If-None-Match, If-Modified-Since -> 304 without a body),
single byte ranges (Range, If-Range -> 206/416) for resuming, keep-alive, one thread per
connection, and files sent with sendfile so a 1 GB pack costs no memory. Folders are never
listed, hidden files (a build in progress) are never served, and nothing outside DIR is.
"""

from __future__ import annotations

import collections
import email.utils
import os
import re
import socket
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, BinaryIO

CHUNK = 1 << 20
IMMUTABLE = "public, max-age=31536000, immutable"  # objects are named by their hash
REVALIDATE = "no-cache"  # the manifest: always ask, cheaply, with If-None-Match
TYPES = {".json": "application/json", ".sig": "text/plain; charset=us-ascii"}


@dataclass(frozen=True)
class Served:
    """One response, as the server saw it (tests and benchmarks count these)."""

    method: str
    path: str
    status: int
    header_bytes: int
    body_bytes: int
    range: str | None


class PackServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        root: Path,
        handler: type[BaseHTTPRequestHandler] | None = None,
        quiet: bool = False,
    ) -> None:
        self.root = Path(root).resolve()
        self.quiet = quiet
        self.served: collections.deque[Served] = collections.deque(maxlen=100_000)
        self._lock = threading.Lock()
        super().__init__(address, handler or PackRequestHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = host if isinstance(host, str) else host.decode()
        return f"http://{'[' + host + ']' if ':' in host else host}:{port}/"

    def record(self, entry: Served) -> None:
        with self._lock:
            self.served.append(entry)

    def take_log(self) -> list[Served]:
        """Everything served since the last call (and forget it)."""
        with self._lock:
            entries = list(self.served)
            self.served.clear()
        return entries

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-response is normal (a kiosk losing its network)."""
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError | socket.timeout):
            return
        super().handle_error(request, client_address)


class PackRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kiosk-pack-serve/1"
    timeout = 60  # an idle keep-alive connection is closed after this many seconds
    server: PackServer

    # --- entry points ------------------------------------------------------------------

    def do_GET(self) -> None:
        self.respond(send_body=True)

    def do_HEAD(self) -> None:
        self.respond(send_body=False)

    # --- the response ------------------------------------------------------------------

    def respond(self, send_body: bool) -> None:
        self.header_bytes, self.body_bytes, self.range_note = 0, 0, None
        self.status_sent, self.body_expected = 0, 0
        try:
            file = self.resolve()
            handle = open(file, "rb") if file is not None else None  # noqa: SIM115
        except OSError:
            handle = None
        if handle is None:
            self.send_error(HTTPStatus.NOT_FOUND, "Not found")
            self.note(HTTPStatus.NOT_FOUND)
            return
        try:
            with handle:
                self.respond_with(handle, send_body)
        finally:
            # The status that went out, even when the client hung up mid-body (then the log
            # says how much of the body it got, never a made-up 404).
            self.note(self.status_sent or HTTPStatus.INTERNAL_SERVER_ERROR)

    def send_response(self, code: int, message: str | None = None) -> None:
        self.status_sent = int(code)
        super().send_response(code, message)

    def respond_with(self, handle: BinaryIO, send_body: bool) -> int:
        stat = os.fstat(handle.fileno())
        size = stat.st_size
        etag = f'"{size:x}-{stat.st_mtime_ns:x}"'
        modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
        common = {
            "ETag": etag,
            "Last-Modified": modified,
            "Cache-Control": IMMUTABLE if self.path_parts()[:1] == ["objects"] else REVALIDATE,
        }
        if self.not_modified(etag, int(stat.st_mtime)):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_headers(common)
            return HTTPStatus.NOT_MODIFIED
        wanted = self.byte_range(size, etag, modified)
        if wanted == "unsatisfiable":
            self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
            self.send_headers({**common, "Content-Range": f"bytes */{size}", "Content-Length": "0"})
            return HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE
        status, start, length = HTTPStatus.OK, 0, size
        headers = {
            **common,
            "Content-Type": TYPES.get(
                Path(self.path_parts()[-1]).suffix, "application/octet-stream"
            ),
            "Accept-Ranges": "bytes",
        }
        if wanted is not None:
            start, end = wanted
            status, length = HTTPStatus.PARTIAL_CONTENT, end - start + 1
            headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        headers["Content-Length"] = str(length)
        self.send_response(status)
        self.send_headers(headers)
        if send_body and length:
            self.send_body(handle, start, length)
        return status

    def send_headers(self, headers: dict[str, str]) -> None:
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()

    def end_headers(self) -> None:
        self.header_bytes = sum(len(line) for line in getattr(self, "_headers_buffer", [])) + 2
        super().end_headers()

    def send_body(self, handle: BinaryIO, offset: int, count: int) -> None:
        """Zero-copy from the file to the socket, a chunk at a time so that the bytes sent
        are known when the client hangs up; subclasses may override to inject faults."""
        self.body_expected = count
        try:
            while count > 0:
                sent = self.connection.sendfile(handle, offset, min(CHUNK, count))
                if not sent:
                    break  # the file shrank under us: the client sees a short body
                self.body_bytes += sent
                offset, count = offset + sent, count - sent
        except (ConnectionError, TimeoutError):
            self.close_connection = True
            raise

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Logged in note(), once the body's size is known."""

    def note(self, status: int) -> None:
        expected = getattr(self, "body_expected", 0)
        cut = f" (cut: the client got {self.body_bytes} of {expected} bytes)"
        self.log_message(
            '"%s" %s %s%s',
            self.requestline,
            int(status),
            self.body_bytes,
            cut if self.body_bytes < expected else "",
        )
        self.server.record(
            Served(
                self.command or "",
                self.path or "",
                int(status),
                self.header_bytes,
                self.body_bytes,
                self.range_note,
            )
        )

    # --- request parsing ---------------------------------------------------------------

    def path_parts(self) -> list[str]:
        raw = urllib.parse.urlsplit(self.path).path
        return [urllib.parse.unquote(part) for part in raw.split("/") if part]

    def resolve(self) -> Path | None:
        """The regular, non-hidden file under the root that the path names, or None."""
        parts = self.path_parts()
        if not parts or any(p.startswith(".") or "\\" in p or "\0" in p for p in parts):
            return None
        root = self.server.root
        candidate = root.joinpath(*parts)
        try:
            real = candidate.resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        if not real.is_relative_to(root) or not real.is_file():
            return None
        return real

    def not_modified(self, etag: str, mtime: int) -> bool:
        """RFC 9110 13.1: If-None-Match wins over If-Modified-Since."""
        none_match = self.headers.get("If-None-Match")
        if none_match is not None:
            tags = [tag.strip() for tag in none_match.split(",")]
            return "*" in tags or any(_weak(tag) == _weak(etag) for tag in tags)
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                parsed = email.utils.parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
            if parsed is not None and parsed.tzinfo is not None:
                return mtime <= parsed.timestamp()
        return False

    def byte_range(self, size: int, etag: str, modified: str) -> tuple[int, int] | str | None:
        """(first, last) of one satisfiable range, "unsatisfiable", or None for the whole file.

        Several ranges, bad syntax, or an If-Range that no longer matches mean the whole file,
        which RFC 9110 14.2 allows.
        """
        header = self.headers.get("Range")
        if not header or self.command != "GET":
            return None
        self.range_note = header
        if_range = self.headers.get("If-Range")
        if if_range is not None and if_range.strip() not in (etag, modified):
            return None
        match = re.fullmatch(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", header)
        if not match or (not match[1] and not match[2]):
            return None
        if not match[1]:  # the last N bytes
            suffix = int(match[2])
            if suffix == 0 or size == 0:
                return "unsatisfiable"
            return max(0, size - suffix), size - 1
        first = int(match[1])
        if match[2] and int(match[2]) < first:
            return None  # invalid: ignore the header
        if first >= size:
            return "unsatisfiable"
        last = int(match[2]) if match[2] else size - 1
        return first, min(last, size - 1)

    def log_message(self, format: str, *args: Any) -> None:
        if not self.server.quiet:
            sys.stderr.write(
                f"{time.strftime('%H:%M:%S')} {self.address_string()} {format % args}\n"
            )


def _weak(tag: str) -> str:
    return tag[2:] if tag.startswith("W/") else tag


def make_server(
    root: Path, host: str = "127.0.0.1", port: int = 0, quiet: bool = True
) -> PackServer:
    """A server bound and ready; call serve_forever() (in a thread for tests)."""
    return PackServer((host, port), root, quiet=quiet)


def serve(root: Path, host: str, port: int) -> None:
    """Serve `root` until interrupted (the `kiosk pack serve` verb)."""
    server = make_server(root, host, port, quiet=False)
    print(f"serving {server.root} at {server.url} (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever(poll_interval=0.5)
    finally:
        server.server_close()
