"""`kiosk pack serve`: HTTP semantics the kiosk relies on, checked with a plain HTTP client."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.sync.serve import make_server
from tests.conftest import ROOT
from tests.integration.packserver import free_port

BODY = bytes(range(256)) * 40  # 10240 bytes


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "out"
    (root / "objects").mkdir(parents=True)
    (root / "manifest.json").write_bytes(b'{"format": 1}\n')
    (root / "objects" / "abc").write_bytes(BODY)
    (root / ".incoming-x").write_bytes(b"half a build")
    (tmp_path / "secret.txt").write_bytes(b"outside the pack")
    os.symlink(tmp_path / "secret.txt", root / "objects" / "escape")
    return root


@pytest.fixture
def port(folder: Path) -> Iterator[int]:
    server = make_server(folder)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()
    thread.join(5)


def get(
    port: int, path: str, method: str = "GET", **headers: str
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(method, path, headers={k.replace("_", "-"): v for k, v in headers.items()})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), body


def test_files_are_served_with_validators_and_cache_rules(port):
    status, headers, body = get(port, "/objects/abc")
    assert (status, body) == (200, BODY)
    assert headers["Content-Length"] == str(len(BODY))
    assert headers["Accept-Ranges"] == "bytes"
    assert headers["ETag"].startswith('"') and headers["Last-Modified"].endswith("GMT")
    assert "immutable" in headers["Cache-Control"]
    status, headers, _ = get(port, "/manifest.json")
    assert headers["Content-Type"] == "application/json"
    assert headers["Cache-Control"] == "no-cache"


def test_conditional_requests_answer_304_without_a_body(port):
    _, headers, _ = get(port, "/manifest.json")
    etag, modified = headers["ETag"], headers["Last-Modified"]
    assert get(port, "/manifest.json", If_None_Match=etag)[::2] == (304, b"")
    assert get(port, "/manifest.json", If_None_Match=f'"x", W/{etag}')[0] == 304
    assert get(port, "/manifest.json", If_None_Match="*")[0] == 304
    assert get(port, "/manifest.json", If_Modified_Since=modified)[::2] == (304, b"")
    # If-None-Match wins over If-Modified-Since (RFC 9110)
    assert get(port, "/manifest.json", If_None_Match='"old"', If_Modified_Since=modified)[0] == 200
    assert get(port, "/manifest.json", If_Modified_Since="Thu, 01 Jan 1970 00:00:00 GMT")[0] == 200
    assert get(port, "/manifest.json", If_Modified_Since="garbage")[0] == 200


def test_a_changed_file_gets_a_new_etag(port, folder):
    _, headers, _ = get(port, "/manifest.json")
    time.sleep(0.01)
    (folder / "manifest.json").write_bytes(b'{"format": 1, "version": 2}\n')
    status, after, _ = get(port, "/manifest.json", If_None_Match=headers["ETag"])
    assert status == 200 and after["ETag"] != headers["ETag"]


@pytest.mark.parametrize(
    ("header", "status", "start", "end"),
    [
        ("bytes=100-199", 206, 100, 199),
        ("bytes=10000-", 206, 10000, 10239),
        ("bytes=-40", 206, 10200, 10239),
        ("bytes=10000-99999", 206, 10000, 10239),
        ("bytes = 5 - 9", 206, 5, 9),
    ],
)
def test_single_ranges_are_served_as_206(port, header, status, start, end):
    got, headers, body = get(port, "/objects/abc", Range=header)
    assert got == status
    assert body == BODY[start : end + 1]
    assert headers["Content-Range"] == f"bytes {start}-{end}/{len(BODY)}"
    assert headers["Content-Length"] == str(end - start + 1)


@pytest.mark.parametrize("header", ["bytes=10240-", "bytes=99999-", "bytes=-0"])
def test_unsatisfiable_ranges_are_416(port, header):
    status, headers, body = get(port, "/objects/abc", Range=header)
    assert (status, body) == (416, b"")
    assert headers["Content-Range"] == f"bytes */{len(BODY)}"


@pytest.mark.parametrize("header", ["bytes=0-1,5-6", "items=0-5", "bytes=9-3", "bytes=-"])
def test_ranges_we_do_not_serve_give_the_whole_file(port, header):
    status, _, body = get(port, "/objects/abc", Range=header)
    assert (status, body) == (200, BODY)


def test_if_range_resumes_only_the_same_file(port):
    _, headers, _ = get(port, "/objects/abc")
    status, _, body = get(port, "/objects/abc", Range="bytes=10-", If_Range=headers["ETag"])
    assert (status, body) == (206, BODY[10:])
    status, _, body = get(port, "/objects/abc", Range="bytes=10-", If_Range='"other"')
    assert (status, body) == (200, BODY)


def test_head_sends_headers_only(port):
    status, headers, body = get(port, "/objects/abc", method="HEAD")
    assert (status, body, headers["Content-Length"]) == (200, b"", str(len(BODY)))


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/objects",
        "/objects/",
        "/objects/missing",
        "/.incoming-x",
        "/../secret.txt",
        "/objects/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/objects/escape",
    ],
)
def test_folders_hidden_files_and_anything_outside_are_not_served(port, path):
    status, _, body = get(port, path)
    assert status == 404
    assert b"outside the pack" not in body


def test_other_methods_are_refused(port):
    assert get(port, "/manifest.json", method="POST")[0] == 501
    assert get(port, "/manifest.json", method="PUT")[0] == 501


def test_keep_alive_serves_several_requests_on_one_connection(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for _ in range(3):
        conn.request("GET", "/objects/abc")
        response = conn.getresponse()
        assert response.read() == BODY
    conn.close()


def test_a_stalled_client_does_not_block_the_others(port):
    stalled = socket.create_connection(("127.0.0.1", port))
    stalled.sendall(b"GET /objects/abc HTTP/1.1\r\nHost: x\r\n")  # never finishes its request
    # One thread per connection: served while the stalled one waits (a server that handled
    # connections one at a time would make this GET time out after 10 s).
    assert get(port, "/objects/abc")[0] == 200
    stalled.close()


def test_a_client_hanging_up_mid_body_leaves_the_server_working(port, folder):
    (folder / "objects" / "big").write_bytes(b"x" * (20 << 20))
    for _ in range(5):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(b"GET /objects/big HTTP/1.1\r\nHost: x\r\n\r\n")
        sock.recv(65536)
        sock.close()
    assert get(port, "/objects/abc")[::2] == (200, BODY)


def test_a_download_cut_mid_way_is_logged_as_cut_not_as_missing(folder, capsys):
    (folder / "objects" / "big").write_bytes(b"x" * (20 << 20))
    server = make_server(folder, quiet=False)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        port = server.server_address[1]
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(b"GET /objects/big HTTP/1.1\r\nHost: x\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")
        sock.close()  # reset: the server's next write fails
        assert get(port, "/objects/abc")[0] == 200
        deadline = time.monotonic() + 30
        while len(server.served) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    cut = next(entry for entry in server.take_log() if entry.path == "/objects/big")
    assert cut.status == 200 and cut.body_bytes < 20 << 20
    log = capsys.readouterr().err
    assert '"GET /objects/big HTTP/1.1" 200 ' in log
    assert f"of {20 << 20} bytes)" in log and "cut" in log
    assert " 404 " not in log


def _interruptible() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_the_cli_verb_serves_a_built_folder_until_interrupted(folder):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "pack", "serve", str(folder), "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        # Ctrl-C as at a terminal: a test run started in the background (`cmd &`, nohup)
        # passes SIGINT on as ignored, and Python then never raises KeyboardInterrupt.
        preexec_fn=_interruptible,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        assert f"127.0.0.1:{port}" in line
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/objects/abc", headers={"Range": "bytes=0-9"})
        response = conn.getresponse()
        assert (response.status, response.read()) == (206, BODY[:10])
        # The same connection's thread logs the first response before it reads the second.
        conn.request("GET", "/manifest.json")
        assert conn.getresponse().read()
        conn.close()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
        proc.stdout.close()
        log = proc.stderr.read()
        proc.stderr.close()
    assert '"GET /objects/abc HTTP/1.1" 206 10' in log


def test_the_cli_verb_refuses_a_folder_that_is_not_a_built_pack(tmp_path):
    from tests.conftest import run_cli

    result = run_cli("pack", "serve", str(tmp_path))
    assert result.returncode == 1
    assert "manifest.json" in result.stderr and "Traceback" not in result.stderr
