"""A real pack server on loopback with faults on demand, and a publisher of real built packs.

`FaultyServer` is `kiosk.sync.serve.PackServer` with a handler that can, per request path:
answer late, answer with an error status, drop the connection before answering, cut the
connection after N body bytes, flip bytes in flight, ignore Range, or send more bytes than the
file has (with or without an honest Content-Length). Everything served is logged by the server
(method, path, status, header and body bytes, Range asked for). Bodies no fault acts on go
out through the production sender (sendfile, Range), so the sync tests exercise it.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from kiosk.packs import manifest
from kiosk.packs.build import build_pack
from kiosk.sync.serve import PackRequestHandler, PackServer, Served
from tests.conftest import CONTENT, write_config


@dataclass
class Faults:
    """What goes wrong, by path prefix ("/objects/" matches every object)."""

    delay: dict[str, float] = field(default_factory=dict)  # seconds before answering
    status: dict[str, int] = field(default_factory=dict)  # answer with this status
    drop: set[str] = field(default_factory=set)  # close without any answer
    cut_after: dict[str, int] = field(default_factory=dict)  # body bytes, then hang up
    cut_times: dict[str, int] = field(default_factory=dict)  # how many times (default: once)
    flip: dict[str, int] = field(default_factory=dict)  # flip the byte at this file offset
    ignore_range: set[str] = field(default_factory=set)
    extra: dict[str, int] = field(default_factory=dict)  # append N bytes, honest length
    endless: set[str] = field(default_factory=set)  # no length, keep sending forever
    rate: int | None = None  # body bytes per second, for every response
    # After N body bytes, set `held` and send nothing more until `release` is set (a test
    # kills the client at exactly that point of the download).
    hold: dict[str, int] = field(default_factory=dict)
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    def match(self, table: Any, path: str) -> Any:
        for prefix in table:
            if path.startswith(prefix):
                return table[prefix] if isinstance(table, dict) else prefix
        return None


class FaultyHandler(PackRequestHandler):
    server: FaultyServer

    def respond(self, send_body: bool) -> None:
        faults, path = self.server.faults, self.path
        delay = faults.match(faults.delay, path)
        if delay:
            time.sleep(delay)
        if faults.match(faults.drop, path):
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        status = faults.match(faults.status, path)
        if status:
            self.header_bytes, self.body_bytes, self.range_note = 0, 0, None
            self.send_error(status)
            self.note(status)
            return
        if faults.match(faults.ignore_range, path) and "Range" in self.headers:
            del self.headers["Range"]
        super().respond(send_body)

    def respond_with(self, handle: BinaryIO, send_body: bool) -> int:
        faults, path = self.server.faults, self.path
        if faults.match(faults.endless, path):
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            data = handle.read() + b"\0" * (1 << 20)
            with contextlib.suppress(OSError):
                for _ in range(1000):  # up to ~1 GB: the client must stop long before
                    self.wfile.write(data)
                    self.body_bytes += len(data)
            return 200
        extra = faults.match(faults.extra, path)
        if extra:
            size = len(handle.read())
            handle.seek(0)
            self.send_response(200)
            self.send_header("Content-Length", str(size + extra))
            self.end_headers()
            self.send_body(handle, 0, size)
            self.wfile.write(b"x" * extra)
            self.body_bytes += extra
            return 200
        return super().respond_with(handle, send_body)

    def send_body(self, handle: BinaryIO, offset: int, count: int) -> None:
        """The production sender (sendfile), unless a fault must act on the body's chunks:
        then through Python, chunk by chunk."""
        faults, path = self.server.faults, self.path
        cut = None
        with self.server.lock:
            key = faults.match(set(faults.cut_after), path)
            if key is not None and faults.cut_times.get(key, 1) > 0:
                cut = faults.cut_after[key]
                faults.cut_times[key] = faults.cut_times.get(key, 1) - 1
        flip_at = faults.match(faults.flip, path)
        hold_at = faults.match(faults.hold, path)
        if cut is None and flip_at is None and hold_at is None and not faults.rate:
            self.server.production_sends += 1
            super().send_body(handle, offset, count)
            return
        handle.seek(offset)
        position, sent = offset, 0
        while sent < count:
            chunk = handle.read(min(64 * 1024, count - sent))
            if not chunk:
                break
            if flip_at is not None and position <= flip_at < position + len(chunk):
                index = flip_at - position
                chunk = chunk[:index] + bytes([chunk[index] ^ 0xFF]) + chunk[index + 1 :]
            if hold_at is not None and sent <= hold_at < sent + len(chunk):
                self.wfile.write(chunk[: hold_at - sent])
                self.wfile.flush()
                self.body_bytes += hold_at - sent
                faults.held.set()
                faults.release.wait(120)
                return  # the client was killed meanwhile: nothing more to send
            if cut is not None and sent + len(chunk) >= cut:
                chunk = chunk[: cut - sent]
                self.wfile.write(chunk)
                self.body_bytes += len(chunk)
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.wfile.write(chunk)
            self.body_bytes += len(chunk)
            sent += len(chunk)
            position += len(chunk)
            if faults.rate:
                time.sleep(len(chunk) / faults.rate)


class FaultyServer(PackServer):
    def __init__(self, root: Path) -> None:
        self.faults = Faults()
        self.lock = threading.Lock()
        self.production_sends = 0  # bodies sent by the real sender (sendfile), not by faults
        super().__init__(("127.0.0.1", 0), root, handler=FaultyHandler, quiet=True)

    def log(self) -> list[Served]:
        return self.take_log()


@contextlib.contextmanager
def running(root: Path) -> Iterator[FaultyServer]:
    server = FaultyServer(root)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Publisher:
    """Staff's side: a source folder (a copy of the bundled content) built into `out`."""

    def __init__(self, folder: Path, keys: tuple[Path, Path]) -> None:
        self.src = folder / "src"
        self.out = folder / "out"
        self.private, self.public_file = keys
        shutil.copytree(CONTENT, self.src)
        (self.src / "media").mkdir(exist_ok=True)

    @property
    def public_key(self) -> str:
        return self.public_file.read_text(encoding="ascii").strip()

    def media(self, name: str, data: bytes) -> Path:
        path = self.src / "media" / name
        path.write_bytes(data)
        return path

    def publish(
        self,
        version: int | None = None,
        expires_days: int = 30,
        now: datetime | None = None,
        out: Path | None = None,
    ) -> manifest.Manifest:
        target = out or self.out
        return build_pack(self.src, target, self.private, version, expires_days, now).manifest

    def snapshot(self, name: str) -> Path:
        """A copy of what is published now (to serve an old version later)."""
        target = self.out.parent / name
        shutil.copytree(self.out, target)
        return target

    def object_of(self, logical: str) -> Path:
        """The published object of media file `logical` (e.g. "clip.mp4")."""
        raw = (self.out / "manifest.json").read_bytes()
        entry = manifest.parse_manifest(raw).files["media/" + logical]
        return self.out / "objects" / entry.sha256


def kiosk_settings(folder: Path, url: str, public_key: str, **sync: str) -> Any:
    """Settings of a kiosk whose packs live in `folder`/var/packs."""
    from kiosk import config

    values = {"url": url, "public_key": public_key, "timeout": "3", **sync}
    file = write_config(folder, {"sync": values})
    return config.load(file)


def pattern(size: int, seed: int = 0) -> bytes:
    """Deterministic, incompressible-looking bytes."""
    import hashlib

    block = b"".join(hashlib.sha256(f"{seed}-{i}".encode()).digest() for i in range(2048))
    return (block * (size // len(block) + 1))[:size]
