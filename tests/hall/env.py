"""A hall for tests: the bundled content (windows, services, call clips), a fresh database,
the clock frozen on a working morning, and a real hall server on a free port."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

from kiosk import clock, config
from kiosk.hall.queue import Hall
from kiosk.hall.server import HallServer
from kiosk.packs.source import load_source
from kiosk.tickets.desk import Desk
from tests.conftest import CONTENT, write_config

MORNING = "2026-12-03T10:00:00"  # a Thursday: every service of the bundled pack is open


class HallEnv:
    def __init__(self, tmp_path: Path, **sections: dict[str, str]) -> None:
        hall = {"host": "yes", "port": "0", "player": "", **sections.pop("hall", {})}
        sections.setdefault("printer", {}).setdefault("url", "none")
        self.config = write_config(tmp_path, {"hall": hall, **sections})
        self.settings = config.load(self.config)
        clock.set_timezone(self.settings.kiosk.timezone)
        self.pack = load_source(CONTENT)
        self.desk = Desk(self.settings, self.pack)
        self.hall = Hall(self.settings, self.pack, self.desk.ledger)

    def issue(self, service: str = "A", priority: bool = False) -> str:
        return self.desk.issue(service, priority).number


@contextmanager
def running(env: HallEnv, announcer: Any = None) -> Iterator[HallServer]:
    server = HallServer(env.settings, env.pack, announcer=announcer).start()
    try:
        yield server
    finally:
        server.stop()


def post(
    server: HallServer, path: str, key: str | None = None, headers_json: bool = False, **kwargs: Any
) -> requests.Response:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    if headers_json:
        headers["Content-Type"] = "application/json"
    return requests.post(server.url + path.lstrip("/"), headers=headers, timeout=10, **kwargs)


def state(server: HallServer) -> dict[str, Any]:
    response = requests.get(server.url + "api/state", timeout=10)
    response.raise_for_status()
    return response.json()
