"""Which content the kiosk shows, and loading it without ever replacing good with bad.

Order of preference:
1. the sources named by `kiosk run --content SRC` (staff preview);
2. the active installed pack (kept up to date by `kiosk.sync`), verified like every start;
3. the previous installed pack, when the active one fails to load;
4. the bundled default sources in kiosk.ini `[content] source`.
Every step skipped, and why, is recorded in `LoadedContent.notes` for the admin screen, and a
version that failed is marked in the pack store so that the next sync repairs it. Sources are
compiled once and the compiled copy reused while unchanged (`sourcecache`); built packs are
loaded and verified by `kiosk.packs.built`.
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
    origin: str  # "preview" | "built" | "bundled"
    path: Path
    # Problems met on the way (e.g. a newer pack that failed and was skipped), for staff.
    notes: tuple[str, ...] = field(default=())
    # The installed version shown (origin "built"), for the sync side.
    installed_version: int | None = None

    @property
    def version_label(self) -> str:
        return f"{self.pack.id} v{self.pack.version} ({self.origin})"


def load_content(settings: Settings, preview: Path | None = None) -> LoadedContent:
    cache = settings.kiosk.data_dir / "cache"
    if preview is not None:
        return LoadedContent(load_source_cached(preview, cache), "preview", Path(preview))
    notes: list[str] = []
    installed = load_installed(settings, notes)
    if installed is not None:
        return installed
    if notes:
        notes.append("已改用内置默认内容")
    return LoadedContent(
        load_source_cached(settings.content.source, cache),
        "bundled",
        settings.content.source,
        tuple(notes),
    )


def _load_with(folder: Path, keys: list[str]) -> model.Pack:
    """The built pack, verified with the first of `keys` whose signature matches (the pinned
    key, or the retired key a version was installed under before a rotation)."""
    from kiosk.packs import built, manifest

    for index, text in enumerate(keys):
        try:
            return built.load_built(folder, manifest.load_public_key(text))
        except manifest.SignatureError:
            if index == len(keys) - 1:
                raise
    raise AssertionError("unreachable")


def load_installed(settings: Settings, notes: list[str]) -> LoadedContent | None:
    """The active installed pack, else the previous one; None when neither loads."""
    if not Path(settings.sync.packs).is_dir():
        return None  # nothing ever installed: start without loading the verifier
    from kiosk.packs import manifest
    from kiosk.packs.installed import Installed

    store = Installed(settings.sync.packs)
    state = store.state()
    if not state.kept():
        return None
    if state.rebuilt:
        notes.append("内容包记录文件 state.json 已损坏，已按现有版本重建")
    if not settings.sync.public_key:
        notes.append("已安装内容包，但 kiosk.ini 未设置 [sync] public_key，无法校验，未使用")
        return None
    from kiosk.packs import trust

    configured = settings.sync.public_key
    try:
        manifest.load_public_key(trust.pinned(store.root, configured).key)
    except manifest.PackError as exc:
        notes.append(f"[sync] public_key 不可用，已安装的内容包未使用：{exc}")
        return None
    for role, version in (("active", state.active), ("previous", state.previous)):
        if version is None:
            continue
        folder = store.version_dir(version)
        try:
            pack = _load_with(folder, trust.keys_for(store.root, configured, version))
        except Exception as exc:  # whatever is wrong with it, it must not stop the kiosk
            reason = str(exc) if isinstance(exc, manifest.PackError) else repr(exc)
            label = "当前" if role == "active" else "上一"
            notes.append(f"已安装的{label}版内容包（第{version}版）未通过校验，未使用：{reason}")
            store.mark_broken(version, reason)
            continue
        if role == "previous":
            notes.append(f"已改用上一版内容包（第{version}版）")
        return LoadedContent(pack, "built", folder, tuple(notes), installed_version=version)
    return None
