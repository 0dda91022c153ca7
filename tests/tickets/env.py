"""Settings, pack and desk for ticket tests, all inside tmp_path."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from kiosk import clock, config
from kiosk.packs.source import load_source
from kiosk.tickets.desk import Desk
from kiosk.tickets.ledger import Ledger
from kiosk.tickets.settings import PrinterSection
from tests.conftest import write_config
from tests.tickets.packs import make_pack


class TicketEnv:
    def __init__(self, tmp_path: Path, cap: int = 5, **sections: dict[str, str]) -> None:
        self.tmp = tmp_path
        self.content = make_pack(tmp_path, cap=cap)
        sections.setdefault("content", {})["source"] = str(self.content)
        sections.setdefault("printer", {}).setdefault("url", f"image://{tmp_path}/printed/")
        self.config = write_config(tmp_path, sections)
        self.settings = config.load(self.config)
        clock.set_timezone(self.settings.kiosk.timezone)
        self.pack = load_source(self.content)
        self._ledger: Ledger | None = None

    @property
    def ledger(self) -> Ledger:
        if self._ledger is None:
            self._ledger = Ledger(self.settings.store.path)
        return self._ledger

    def desk(self, **printer: str) -> Desk:
        settings = self.settings
        if printer:
            values = dict(printer)
            parsed = {}
            for key, raw in values.items():
                spec = next(f for f in dataclasses.fields(PrinterSection) if f.name == key)
                parsed[key] = spec.metadata["parse"](raw, self.tmp)
            settings = settings.replace("printer", **parsed)
        return Desk(settings, self.pack, ledger=self.ledger)

    def close(self) -> None:
        if self._ledger is not None:
            self._ledger.close()
