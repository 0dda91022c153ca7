"""Pack each day's many small batches into one file, once, so DuckDB reads a few big files.

    CACHE/<kind>/dt=YYYY-MM-DD/all.parquet   every line of that day's batches, any kiosk, read
                                             once by DuckDB's JSON reader and kept as Parquet
    CACHE/<kind>/dt=YYYY-MM-DD/.signature    the kiosk folders' names and change times it holds

A day is packed again only when one of its kiosk folders changed (a new batch renames a file
into the folder, which changes the folder's time), so a report over a quarter already seen
reads only the folders' times and the packed days.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk import durable

PACKED = "all.parquet"
SIGNATURE = ".signature"


def _leaves(day: Path) -> list[tuple[str, int]]:
    """(site=/kiosk= folder, its change time) of one day, sorted."""
    found = []
    with os.scandir(day) as sites:
        for site in sites:
            if not site.is_dir() or site.name.startswith("."):
                continue
            with os.scandir(site.path) as kiosks:
                for kiosk in kiosks:
                    if kiosk.is_dir() and not kiosk.name.startswith("."):
                        found.append((f"{site.name}/{kiosk.name}", kiosk.stat().st_mtime_ns))
    return sorted(found)


def pack(
    source: Path,
    cache: Path,
    kind: str,
    wanted_day: Callable[[str], bool],
    columns: str,
    progress: Callable[[int, int], None] | None = None,
) -> list[Path]:
    """Packed files of every wanted day of `kind` (packing the days that changed)."""
    root = source / kind
    if not root.is_dir():
        return []
    days = sorted(
        entry.name
        for entry in os.scandir(root)
        if entry.is_dir() and entry.name.startswith("dt=") and wanted_day(entry.name[3:])
    )
    result = []
    for index, name in enumerate(days):
        folder = root / name
        leaves = _leaves(folder)
        signature = hashlib.sha256(repr(leaves).encode()).hexdigest()
        target = cache / kind / name
        packed = target / PACKED
        try:
            known = (target / SIGNATURE).read_text(encoding="ascii")
        except OSError:
            known = ""
        if known != signature or not packed.exists():
            target.mkdir(parents=True, exist_ok=True)
            _pack_day(folder, leaves, packed, columns)
            durable.write_bytes(target / SIGNATURE, signature.encode("ascii"))
        if packed.exists():
            result.append(packed)
        if progress:
            progress(index + 1, len(days))
    return result


def _pack_day(folder: Path, leaves: list[tuple[str, int]], packed: Path, columns: str) -> None:
    """Concatenate the day's batches, then one DuckDB JSON read writes them as Parquet."""
    tmp = packed.with_name(f".{packed.name}.{os.getpid()}.jsonl")
    lines = 0
    with open(tmp, "wb") as out:
        for leaf, _ in leaves:
            with os.scandir(folder / leaf) as files:
                names = sorted(f.name for f in files if f.name.endswith(".jsonl"))
            for name in names:
                with open(folder / leaf / name, "rb") as handle:
                    data = handle.read()
                if data and not data.endswith(b"\n"):
                    data += b"\n"
                lines += data.count(b"\n")
                out.write(data)
    try:
        if not lines:  # a day whose folders hold nothing (yet): nothing to read
            packed.unlink(missing_ok=True)
            return
        staged = packed.with_name(f".{packed.name}.{os.getpid()}.tmp")
        con = connect()
        try:
            con.execute(
                f"COPY (SELECT * FROM read_json({quote(tmp)}, format = 'newline_delimited',"
                f" columns = {columns})) TO {quote(staged)} (FORMAT parquet)"
            )
        finally:
            con.close()
        os.replace(staged, packed)
    finally:
        tmp.unlink(missing_ok=True)


def connect() -> Any:
    """DuckDB that never downloads an extension (JSON is built into the wheel)."""
    import duckdb

    con = duckdb.connect(
        config={"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}
    )
    con.execute("SET enable_progress_bar = false")
    return con


def quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"
