"""kiosk.ini `[upload]`: where statistics, heartbeats and batches go (registered in
kiosk/features.py; parsed by kiosk.config like every section)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import BadValue, boolean, integer, optional_path, setting


def put_url(value: str, base: Path) -> str:
    """Empty (off), or an http(s) folder address; a query string (a presigned or SAS token for
    the folder) is kept and added to every object's address."""
    value = value.strip()
    if not value:
        return ""
    if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?(\?[^\s#]*)?", value):
        raise BadValue("empty, or an address starting with http:// or https://")
    address, sep, query = value.partition("?")
    return (address if address.endswith("/") else address + "/") + sep + query


@dataclass(frozen=True)
class UploadSection:
    url: str = setting("", put_url, "empty, or the http(s) address of a folder accepting PUT")
    auth_file: Path | None = setting("", optional_path, "empty, or a file holding the credential")
    heartbeat: int = setting("300", integer(30, 86400), "30 to 86400 seconds")
    batch: int = setting("3600", integer(60, 86400), "60 to 86400 seconds")
    retry_max: int = setting("1800", integer(10, 86400), "10 to 86400 seconds")
    timeout: int = setting("30", integer(1, 600), "1 to 600 seconds")
    max_pending: int = setting("2000", integer(10, 1_000_000), "10 to 1000000 batches")
    complaints: bool = setting("no", boolean, "yes or no")
