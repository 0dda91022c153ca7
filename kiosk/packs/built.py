"""Load a built pack folder into the model, refusing anything that does not verify.

    from kiosk.packs import built, manifest
    key = manifest.load_public_key(pinned_text_or_file)
    pack = built.load_built(folder, key)            # a model.Pack, or a PackError saying why
    opened = built.open_built(folder, key)          # .pack, .manifest, .folder

What is checked on every load (cheap enough for every start-up and for a sync thread):
the Ed25519 signature over manifest.json, the manifest's structure, that this program is
recent enough (min_app_version), that every object exists with its listed size, and the
sha256 of every object read at start-up (the compiled content). Large media are not re-hashed
at every start: the sync side verifies each object's sha256 when it downloads it, and
`deep=True` (used by `kiosk pack verify`) hashes every object. Expiry is deliberately NOT
checked here: a kiosk keeps working offline on its last good pack; the sync side refuses an
expired manifest from the server (`manifest.check_update`).

`pack.files` maps each logical path (e.g. "media/intro.mp4") to the absolute path of its
object file; `pack.version` is the manifest's version.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.packs import compiled, manifest, model
from kiosk.packs.manifest import Manifest, ObjectError, PackError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


class ContentError(PackError):
    """The signed content cannot be read by this program."""


@dataclass(frozen=True)
class OpenedPack:
    pack: model.Pack
    manifest: Manifest
    folder: Path


def open_built(
    folder: Path,
    key: Ed25519PublicKey,
    deep: bool = False,
    app_version: str | None = None,
) -> OpenedPack:
    """Verify a built pack folder and load it; PackError (Chinese reason) otherwise."""
    folder = Path(folder)
    found, _ = manifest.read_manifest(folder, key)
    manifest.check_app_version(found, app_version)
    entry = found.files.get(compiled.CONTENT_PATH)
    if entry is None:
        raise ContentError(f"内容包缺少 {compiled.CONTENT_PATH}（不是由本程序打包的）")
    problems = manifest.check_objects(folder, found, deep=deep)
    if problems:
        more = f"（共 {len(problems)} 处）" if len(problems) > 1 else ""
        raise ObjectError("；".join(problems[:3]) + more)
    path = manifest.object_path(folder, entry)
    raw = _read_verified(path, entry)
    try:
        pack = compiled.loads(raw)
    except compiled.CompiledError as exc:
        raise ContentError(str(exc)) from None
    if pack.id != found.pack:
        raise ContentError(f"内容数据属于内容包 {pack.id}，而清单写的是 {found.pack}")
    files = {
        logical: str(manifest.object_path(folder, item).resolve())
        for logical, item in found.files.items()
        if logical != compiled.CONTENT_PATH
    }
    pack = dataclasses.replace(pack, version=found.version, files=files)
    return OpenedPack(pack, found, folder)


def load_built(folder: Path, key: Ed25519PublicKey, deep: bool = False) -> model.Pack:
    return open_built(folder, key, deep=deep).pack


def _read_verified(path: Path, entry: manifest.FileEntry) -> bytes:
    """Read an object once, and check the bytes read (not a second read) against its hash."""
    import hashlib

    try:
        raw = path.read_bytes()
    except OSError:
        raise ObjectError(f"文件 {compiled.CONTENT_PATH} 缺失或无法读取") from None
    if len(raw) != entry.size or hashlib.sha256(raw).hexdigest() != entry.sha256:
        raise ObjectError(f"文件 {compiled.CONTENT_PATH} 的内容与清单不符，可能已损坏或被改动")
    return raw
