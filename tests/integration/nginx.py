"""A real nginx for upload tests: temp prefix, free port on 127.0.0.1, WebDAV PUT folders.

Locations (each a folder the kiosk's [upload] url can point at):
    /up/      dav_methods PUT, create_full_put_path: the district's folder (autoindex json for
              `fleet --from URL`)
    /token/   the same, only with `Authorization: Bearer s3cret` (else 401)
    /basic/   the same, only with HTTP basic auth kiosk:pw (else 401)
    /small/   client_max_body_size 64 bytes: a batch larger than that gets nginx's own 413
    /full/    answers 507 Insufficient Storage (nginx has no full disk here: forced)
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

WRAPPER = """
{user}
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
http {{
  access_log {prefix}/access.log;
  client_body_temp_path {prefix}/body;
  proxy_temp_path {prefix}/proxy;
  fastcgi_temp_path {prefix}/fastcgi;
  uwsgi_temp_path {prefix}/uwsgi;
  scgi_temp_path {prefix}/scgi;
{server}
}}
"""

UPLOADS = """
  map $http_authorization $no_token {{ default 1; "Bearer s3cret" 0; }}
  server {{
    listen 127.0.0.1:{port};
    root {prefix}/data;
    location /up/ {{
      dav_methods PUT;
      create_full_put_path on;
      dav_access user:rw group:r all:r;
      client_max_body_size 16m;
      autoindex on;
      autoindex_format json;
    }}
    location /token/ {{
      if ($no_token) {{ return 401; }}
      dav_methods PUT;
      create_full_put_path on;
    }}
    location /basic/ {{
      auth_basic "kiosks";
      auth_basic_user_file {prefix}/htpasswd;
      dav_methods PUT;
      create_full_put_path on;
    }}
    location /small/ {{
      client_max_body_size 64;
      dav_methods PUT;
      create_full_put_path on;
    }}
    location /full/ {{ return 507; }}
  }}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Nginx:
    """nginx run from `prefix` (its config, logs and temporary folders live there) with the
    upload server above, or with `server` — a server block (e.g. the README's, for pack
    hosting) already pointed at `port`."""

    def __init__(self, prefix: Path, server: str | None = None, port: int | None = None) -> None:
        self.prefix = prefix
        self.port = port or free_port()
        self.data = prefix / "data"
        self.process: subprocess.Popen[bytes] | None = None
        for name in ("data", "body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (prefix / name).mkdir(parents=True, exist_ok=True)
        (prefix / "htpasswd").write_text("kiosk:{PLAIN}pw\n", encoding="ascii")
        user = "user root root;" if os.geteuid() == 0 else ""
        self.conf = prefix / "nginx.conf"
        if server is None:
            server = UPLOADS.format(prefix=prefix, port=self.port)
        config = WRAPPER.format(user=user, prefix=prefix, server=server)
        self.conf.write_text(config, "utf-8")

    def url(self, folder: str = "up") -> str:
        return f"http://127.0.0.1:{self.port}/{folder}/"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                NGINX,
                "-p",
                str(self.prefix),
                "-c",
                str(self.conf),
                "-e",
                str(self.prefix / "error.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx did not start: {self.process.stderr.read().decode()}")  # type: ignore[union-attr]
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nginx did not listen within 30 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process = None

    def requests(self, method: str = "PUT") -> list[tuple[str, int]]:
        """(path, status) of every request of `method` nginx logged, in order."""
        return logged(self.prefix, method)

    def objects(self, folder: str = "up") -> dict[str, bytes]:
        """Every stored object under `folder`, by its name relative to the folder."""
        base = self.data / folder
        return {
            str(path.relative_to(base)): path.read_bytes()
            for path in sorted(base.rglob("*"))
            if path.is_file()
        }


def logged(prefix: Path, method: str) -> list[tuple[str, int]]:
    """(path, status) of every request of `method` in the access log of nginx at `prefix`."""
    log = prefix / "access.log"
    found = []
    if not log.exists():
        return found
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split('"')
        if len(parts) < 3:
            continue
        request = parts[1].split()
        status = parts[2].split()
        if len(request) >= 2 and request[0] == method and status:
            found.append((request[1], int(status[0])))
    return found
