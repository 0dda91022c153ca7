"""`kiosk tour` and `kiosk tour --audit` render on throw-away settings (kiosk.launch)."""

from __future__ import annotations

from pathlib import Path

from kiosk import config
from kiosk.launch import throwaway_settings
from tests.conftest import write_config


def test_the_tour_and_the_audit_touch_nothing_of_the_live_kiosk(tmp_path: Path) -> None:
    live = config.load(
        write_config(
            tmp_path,
            {
                "printer": {"url": "network://192.0.2.10:9100"},
                "sync": {"url": "https://packs.example.org/yubei/"},
                "hall": {"url": "http://192.0.2.20:8040/"},
                "speech": {"player": "aplay -q {file}"},
            },
        )
    )
    scratch = tmp_path / "scratch"
    settings = throwaway_settings(live, scratch)
    assert settings.kiosk.data_dir == scratch
    assert settings.store.path == scratch / "kiosk.sqlite3"
    assert settings.sync.packs == scratch / "packs" and settings.sync.url == ""
    assert settings.hall.url == "", "no help call or queue request reaches the real hall"
    assert settings.speech.player == "none", "silent: the tour never speaks in the hall"
    printer = settings.printer.url
    assert (printer.kind, printer.path, printer.host) == ("image", scratch / "tickets", "")
    # Everything else the kiosk writes lies under the scratch folder too.
    paths = [
        value
        for name in config.sections()
        for value in vars(getattr(settings, name)).values()
        if isinstance(value, Path) and value.is_relative_to(tmp_path)
    ]
    assert paths and all(p.is_relative_to(scratch) for p in paths), paths
    assert live.hall.url and live.store.path == tmp_path / "var" / "kiosk.sqlite3"  # unchanged
