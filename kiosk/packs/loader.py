"""Which content the kiosk shows, and loading it without ever replacing good with bad.

Order of preference: the sources named by `kiosk run --content SRC` (staff preview); otherwise
the bundled default sources in kiosk.ini `[content] source`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kiosk.config import Settings
from kiosk.packs import model
from kiosk.packs.source import load_source


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
    if preview is not None:
        return LoadedContent(load_source(preview), "preview", Path(preview))
    return LoadedContent(load_source(settings.content.source), "bundled", settings.content.source)
