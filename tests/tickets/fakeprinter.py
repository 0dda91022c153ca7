"""A network ESC/POS printer on loopback, and a decoder for what it received.

The server parses the stream as a printer does: GS v 0 raster blocks are read as data (so
bytes inside an image are never taken for commands), DLE EOT n gets a status byte back at
once, everything else is kept. Tests then decode the raster back into an image.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from dataclasses import dataclass, field

from PIL import Image

ONLINE, OFFLINE = 0x12, 0x1A
PAPER_OK, PAPER_NEAR_END, PAPER_OUT = 0x12, 0x1E, 0x72
COVER_OPEN = 0x16
PAPER_END_STOP = 0x32


@dataclass
class Job:
    data: bytes = b""
    queries: list[int] = field(default_factory=list)
    finished_at: float = 0.0  # perf_counter when the last byte arrived


def _command_length(buffer: bytes | bytearray, start: int) -> int | None:
    """Length of the command at `start`, or None if it is not complete yet."""
    first = buffer[start]
    remaining = len(buffer) - start
    if first == 0x1D and remaining >= 2 and buffer[start + 1] == ord("v"):
        if remaining < 8:
            return None
        width = buffer[start + 4] | buffer[start + 5] << 8
        height = buffer[start + 6] | buffer[start + 7] << 8
        total = 8 + width * height
        return total if remaining >= total else None
    if first == 0x10 and remaining >= 2 and buffer[start + 1] == 0x04:
        return 3 if remaining >= 3 else None
    if first in (0x10, 0x1D) and remaining < 2:
        return None
    return 1


class FakePrinter:
    """Serve one job per connection; `status` maps a DLE EOT query to its reply byte.

    answer=False: never reply to status queries. read=False: accept, then never read
    (the kernel buffers fill and the sender stalls). backlog_full: listen but never accept.
    """

    def __init__(
        self,
        status: dict[int, int] | None = None,
        answer: bool = True,
        read: bool = True,
        backlog_full: bool = False,
        receive_buffer: int = 0,
    ) -> None:
        self.status = status if status is not None else {1: ONLINE, 2: ONLINE, 4: PAPER_OK}
        self.answer = answer
        self.read = read
        self.backlog_full = backlog_full
        self.jobs: list[Job] = []
        self.connections = 0
        self._stop = threading.Event()
        self._done = threading.Condition()
        self._held: list[socket.socket] = []
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if receive_buffer:
            self.server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(0 if backlog_full else 16)
        self.server.settimeout(0.1)
        self.port = self.server.getsockname()[1]
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"network://127.0.0.1:{self.port}"

    def __enter__(self) -> FakePrinter:
        if self.backlog_full:
            # Fill the accept queue so the next connect() hangs until its timeout.
            for _ in range(4):
                filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                filler.setblocking(False)
                with contextlib.suppress(BlockingIOError):
                    filler.connect(("127.0.0.1", self.port))
                self._held.append(filler)
            time.sleep(0.2)
        else:
            self._thread = threading.Thread(target=self._serve, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(5)
        self.server.close()
        for held in self._held:
            held.close()

    def wait_jobs(self, count: int, timeout: float = 10.0) -> list[Job]:
        deadline = time.monotonic() + timeout
        with self._done:
            while len(self.jobs) < count and time.monotonic() < deadline:
                self._done.wait(0.05)
        return self.jobs

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        if not self.read:
            self._held.append(conn)
            return
        job = Job()
        buffer = bytearray()
        kept = bytearray()
        conn.settimeout(0.1)
        while not self._stop.is_set():
            try:
                chunk = conn.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                break
            if not chunk:
                break
            job.finished_at = time.perf_counter()
            buffer += chunk
            position = 0
            while position < len(buffer):
                length = _command_length(buffer, position)
                if length is None:
                    break
                command = bytes(buffer[position : position + length])
                if length == 3 and command[:2] == b"\x10\x04":
                    job.queries.append(command[2])
                    reply = self.status.get(command[2])
                    if self.answer and reply is not None:
                        conn.sendall(bytes([reply]))
                else:
                    kept += command
                position += length
            del buffer[:position]
        kept += buffer
        job.data = bytes(kept)
        conn.close()
        with self._done:
            self.jobs.append(job)
            self._done.notify_all()


def decode_raster(data: bytes) -> Image.Image:
    """Stack every GS v 0 block in `data` into one 1-bit image (ink = black)."""
    blocks = []
    position = 0
    while True:
        position = data.find(b"\x1dv0", position)
        if position < 0:
            break
        width_bytes = data[position + 4] | data[position + 5] << 8
        height = data[position + 6] | data[position + 7] << 8
        payload = data[position + 8 : position + 8 + width_bytes * height]
        # GS v 0: 1 bits print (black); Pillow "1" images: 1 is white. Invert.
        inverted = bytes(255 - b for b in payload)
        blocks.append(Image.frombytes("1", (width_bytes * 8, height), inverted))
        position += 8 + len(payload)
    if not blocks:
        raise ValueError("no GS v 0 raster in the data")
    width = max(b.width for b in blocks)
    image = Image.new("1", (width, sum(b.height for b in blocks)), 1)
    y = 0
    for block in blocks:
        image.paste(block, (0, y))
        y += block.height
    return image


def same_pixels(a: Image.Image, b: Image.Image) -> bool:
    from PIL import ImageChops

    if a.size != b.size:
        return False
    return ImageChops.difference(a.convert("L"), b.convert("L")).getbbox() is None
