"""Which files of a source folder a built pack carries besides its compiled content."""

from __future__ import annotations

from pathlib import Path

from kiosk.packs.sourcefields import IGNORED_NAMES, SOURCE_NAMES


def is_source(logical: str) -> bool:
    return logical in SOURCE_NAMES or (logical.startswith("pages/") and logical.endswith(".md"))


def is_ignored(logical: str) -> bool:
    """Hidden files, editors' lock and backup files: never carried."""
    parts = logical.split("/")
    name = parts[-1]
    return (
        any(part.startswith(".") for part in parts)
        or name.startswith("~$")
        or name.endswith("~")
        or name.lower() in IGNORED_NAMES
    )


def carried_files(folder: Path) -> dict[str, Path]:
    """logical path -> file, for every file a built pack carries besides its content."""
    folder = Path(folder)
    result = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        logical = path.relative_to(folder).as_posix()
        if not is_source(logical) and not is_ignored(logical):
            result[logical] = path
    return result
