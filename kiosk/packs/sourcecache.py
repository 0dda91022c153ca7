"""Start-up from unbuilt sources without parsing YAML each time: a compiled copy, cached.

The bundled default content and `kiosk run --content SRC` read source folders. Parsing and
checking them costs far more than reading the compiled form, so the compiled form is kept in
the kiosk's data folder under a key made of every source file's path, size and modification
time (and the program version): any edit makes a new key, so a stale copy is never used.
If the cache cannot be written (read-only disk), the kiosk simply parses every time.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

from kiosk.packs import compiled, model

PREFIX = "source-"


def fingerprint(folder: Path) -> str:
    """A key that changes whenever any file of the folder changes."""
    from kiosk import __version__

    digest = hashlib.sha256(f"{__version__}|{compiled.FORMAT}|{Path(folder).resolve()}".encode())
    for path in sorted(Path(folder).rglob("*")):
        try:
            stat = path.stat()
        except OSError:
            continue
        if path.is_file():
            relative = path.relative_to(folder).as_posix()
            digest.update(f"{relative}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:32]


def load_source_cached(folder: Path, cache_dir: Path | None) -> model.Pack:
    """Like source.load_source, from the cached compiled copy when the sources are unchanged.

    The cache also lists the files the pack carries (media, documents), so that a start-up
    from the cache never imports the source readers (YAML, spreadsheets)."""
    folder = Path(folder)
    if cache_dir is None:
        from kiosk.packs.source import load_source

        return load_source(folder)
    key = fingerprint(folder)
    cached = Path(cache_dir) / f"{PREFIX}{key}.json"
    listing = Path(cache_dir) / f"{PREFIX}{key}.files"  # JSON list of the carried files
    try:
        pack = compiled.loads(cached.read_bytes())
        carried = json.loads(listing.read_text(encoding="utf-8"))
    except (OSError, ValueError, compiled.CompiledError):
        pack = None
    if pack is not None:
        files = {logical: str(folder / logical) for logical in carried}
        return dataclasses.replace(pack, files=files)
    from kiosk.packs.source import carried_files, load_source

    pack = load_source(folder)
    try:
        from kiosk.packs.manifest import write_atomic

        cached.parent.mkdir(parents=True, exist_ok=True)
        for old in cached.parent.glob(f"{PREFIX}*"):
            old.unlink(missing_ok=True)
        write_atomic(cached, compiled.dumps(pack))
        logical = sorted(carried_files(folder))
        write_atomic(listing, json.dumps(logical, ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass
    return pack
