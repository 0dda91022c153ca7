"""Which content the kiosk shows, and loading it without ever replacing good with bad.

Order of preference: the sources named by `kiosk run --content SRC` (staff preview); otherwise
the bundled default sources in kiosk.ini `[content] source`. Built packs are loaded and
verified by `kiosk.packs.built`; choosing between installed versions belongs to the sync side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kiosk.config import Settings
from kiosk.packs import model
from kiosk.packs.sourcecache import load_source_cached


@dataclass(frozen=True)
class LoadedContent:
    pack: model.Pack
    origin: str  # "preview" | "bundled"
    path: Path
    # Problems met on the way (e.g. a newer pack that failed and was skipped), for staff.
    notes: tuple[str, ...] = field(default=())

    @property
    def version_label(self) -> str:
        return f"{self.pack.id} v{self.pack.version} ({self.origin})"


def load_content(settings: Settings, preview: Path | None = None) -> LoadedContent:
    """Sources are compiled once and the compiled copy reused while they are unchanged."""
    cache = settings.kiosk.data_dir / "cache"
    if preview is not None:
        return LoadedContent(load_source_cached(preview, cache), "preview", Path(preview))
    source = settings.content.source
    return LoadedContent(load_source_cached(source, cache), "bundled", source)
