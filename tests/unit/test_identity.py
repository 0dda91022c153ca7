"""The kiosk id is made once, kept across restarts, and a damaged file is a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.errors import KioskError
from kiosk.identity import kiosk_id


def test_made_once_and_kept(tmp_path: Path) -> None:
    first = kiosk_id(tmp_path / "var")
    assert first.startswith("k-") and len(first) == 14
    assert kiosk_id(tmp_path / "var") == first
    assert (tmp_path / "var" / "kiosk-id").read_text().strip() == first


def test_other_machines_get_other_ids(tmp_path: Path) -> None:
    assert kiosk_id(tmp_path / "a") != kiosk_id(tmp_path / "b")


def test_a_second_process_that_made_the_id_first_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Force the race: the file appears after this process looked and before it links."""
    import kiosk.identity as identity

    real_read = identity._read
    calls = []

    def read_late(file: Path) -> str | None:
        calls.append(file)
        if len(calls) == 1:
            file.write_text("k-0123456789ab\n")  # the other process, just in between
            return None
        return real_read(file)

    monkeypatch.setattr(identity, "_read", read_late)
    assert kiosk_id(tmp_path) == "k-0123456789ab"
    assert [p.name for p in tmp_path.iterdir()] == ["kiosk-id"]


def test_damaged_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "kiosk-id").write_text("garbage")
    with pytest.raises(KioskError, match="damaged"):
        kiosk_id(tmp_path)
