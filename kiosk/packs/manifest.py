"""Built packs: the signed manifest, content-addressed objects, keys and verification.

A built pack is a plain folder any static web server can serve:

    OUT/manifest.json       {"format": 1, "pack": "yubei", "version": 7,
                             "created": "2026-11-27T07:30:00Z", "expires": "2027-05-26T07:30:00Z",
                             "min_app_version": "0.1.0",
                             "files": {"_kiosk/content.json": {"sha256": "...", "size": 1234},
                                       "media/intro.mp4": {"sha256": "...", "size": 52428800}}}
    OUT/manifest.json.sig   base64 of the 64-byte Ed25519 signature over manifest.json's exact bytes
    OUT/objects/<sha256>    every file of the pack, named by the sha256 of its bytes

Keys: the private key is a PEM (PKCS#8) file kept by staff; the public key, pinned in every
kiosk, is the base64 of its 32 raw bytes (`kiosk pack keygen`).

This module imports neither Kivy nor YAML and holds no state, so a sync thread can call it
freely. How the sync side uses it:

    from kiosk.packs import built, manifest

    key = manifest.load_public_key(text_or_path)          # KeyFileError if malformed
    raw = GET(base + "manifest.json"); sig = GET(base + "manifest.json.sig")
    m = manifest.verify_manifest(raw, sig, key)           # SignatureError / ManifestError
    manifest.check_update(m, installed_version, now)      # Rollback/Expired/AppTooOldError
    for logical, entry in m.files.items():                # entry.sha256, entry.size
        target = stage / "objects" / entry.sha256         # objects are shared between versions:
        ... download (resume with Range) unless manifest.object_ok(target, entry) ...
        manifest.verify_object(target, entry)             # ObjectError names the file
    write stage/manifest.json (the exact bytes `raw`) and stage/manifest.json.sig (`sig`)
    pack = built.load_built(stage, key)                   # verifies again, returns model.Pack

Every failure is a PackError (a KioskError) whose message says, in Chinese, what is wrong;
it is meant to be shown on the admin screen as it is.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.errors import KioskError

if TYPE_CHECKING:  # cryptography is imported only when a key is used
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

FORMAT = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.sig"
OBJECTS = "objects"
CHUNK = 1 << 20  # bytes read at a time when hashing: memory stays flat for any file size

_SHA256 = re.compile(r"[0-9a-f]{64}")
_PACK_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
_APP_VERSION = re.compile(r"\d+(\.\d+){0,3}")


class PackError(KioskError):
    """A built pack (or a key) cannot be trusted or used; the message says why, in Chinese."""


class KeyFileError(PackError):
    """A signing or public key file is missing or malformed."""


class ManifestError(PackError):
    """manifest.json is missing, not JSON, or does not follow the format."""


class SignatureError(PackError):
    """The signature is missing, malformed, or does not match manifest.json and the key."""


class ObjectError(PackError):
    """An object file is missing or its size or sha256 differs from the manifest."""


class RollbackError(PackError):
    """The offered version is not newer than the one installed."""


class ExpiredError(PackError):
    """The manifest's `expires` time has passed (a frozen or replayed server)."""


class AppTooOldError(PackError):
    """The pack needs a newer kiosk program (min_app_version)."""


@dataclass(frozen=True)
class FileEntry:
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    pack: str
    version: int
    created: datetime  # aware, UTC
    expires: datetime  # aware, UTC
    min_app_version: str
    files: Mapping[str, FileEntry] = field(default_factory=dict)
    format: int = FORMAT

    def to_bytes(self) -> bytes:
        """The exact bytes to sign and publish (UTF-8 JSON, files sorted by path)."""
        data = {
            "format": self.format,
            "pack": self.pack,
            "version": self.version,
            "created": format_time(self.created),
            "expires": format_time(self.expires),
            "min_app_version": self.min_app_version,
            "files": {
                path: {"sha256": entry.sha256, "size": entry.size}
                for path, entry in sorted(self.files.items())
            },
        }
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

    @property
    def total_size(self) -> int:
        return sum(entry.size for entry in self.files.values())

    def is_expired(self, now: datetime) -> bool:
        return now >= self.expires


# --- time and versions -----------------------------------------------------------------------


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError("no time zone")
    return value.astimezone(UTC)


def version_tuple(text: str) -> tuple[int, ...]:
    """'0.1.0' -> (0, 1, 0); anything else is a ValueError."""
    if not _APP_VERSION.fullmatch(text.strip()):
        raise ValueError(text)
    return tuple(int(part) for part in text.strip().split("."))


# --- parsing and checking --------------------------------------------------------------------


def parse_manifest(raw: bytes) -> Manifest:
    """Check the structure of manifest.json; ManifestError names the first thing wrong."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ManifestError(f"manifest.json 不是有效的 JSON（{exc}）") from None
    if not isinstance(data, dict):
        raise ManifestError("manifest.json 应当是一个 JSON 对象")

    def need(key: str, kind: type | tuple[type, ...]) -> Any:
        value = data.get(key)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise ManifestError(f"manifest.json 的 {key} 缺失或类型不对")
        return value

    fmt = need("format", int)
    if fmt != FORMAT:
        raise ManifestError(f"manifest.json 的格式版本 {fmt} 不受支持（本程序支持 {FORMAT}）")
    pack = need("pack", str)
    if not _PACK_ID.fullmatch(pack):
        raise ManifestError(f"manifest.json 的 pack 编号 {pack!r} 不合规")
    version = need("version", int)
    if version < 1:
        raise ManifestError("manifest.json 的 version 必须是正整数")
    times = {}
    for key in ("created", "expires"):
        try:
            times[key] = parse_time(need(key, str))
        except ValueError:
            raise ManifestError(f"manifest.json 的 {key} 不是带时区的 ISO 时间") from None
    min_app = need("min_app_version", str)
    try:
        version_tuple(min_app)
    except ValueError:
        raise ManifestError(f"manifest.json 的 min_app_version {min_app!r} 不是版本号") from None
    files: dict[str, FileEntry] = {}
    for path, entry in need("files", dict).items():
        if not safe_logical_path(path):
            raise ManifestError(f"manifest.json 中的文件路径 {path!r} 不安全")
        if not isinstance(entry, dict):
            raise ManifestError(f"manifest.json 中 {path} 的记录不是对象")
        sha, size = entry.get("sha256"), entry.get("size")
        if not isinstance(sha, str) or not _SHA256.fullmatch(sha):
            raise ManifestError(f"manifest.json 中 {path} 的 sha256 不对")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise ManifestError(f"manifest.json 中 {path} 的 size 不对")
        files[path] = FileEntry(sha, size)
    return Manifest(
        pack=pack,
        version=version,
        created=times["created"],
        expires=times["expires"],
        min_app_version=min_app,
        files=files,
        format=fmt,
    )


def safe_logical_path(path: object) -> bool:
    """'media/a.mp4' yes; '', '/x', 'a/../b', 'a\\b', 'C:x' no."""
    if not isinstance(path, str) or not path or path.startswith("/") or "\\" in path:
        return False
    if ":" in path or "\x00" in path:
        return False
    return all(part not in ("", ".", "..") for part in path.split("/"))


def check_update(
    manifest: Manifest,
    installed_version: int | None,
    now: datetime,
    app_version: str | None = None,
) -> None:
    """Refuse what TUF calls rollback and freeze attacks, and packs this program cannot read."""
    if installed_version is not None and manifest.version <= installed_version:
        raise RollbackError(
            f"服务器上的内容包版本 {manifest.version} 不比已安装的版本 {installed_version} 新，"
            "不予安装"
        )
    if manifest.is_expired(now):
        raise ExpiredError(
            f"服务器上的内容包清单已于 {format_time(manifest.expires)} 过期，请工作人员重新打包发布"
        )
    check_app_version(manifest, app_version)


def check_app_version(manifest: Manifest, app_version: str | None = None) -> None:
    if app_version is None:
        from kiosk import __version__ as app_version
    try:
        too_old = version_tuple(app_version) < version_tuple(manifest.min_app_version)
    except ValueError:
        too_old = False
    if too_old:
        raise AppTooOldError(
            f"内容包需要终端程序 {manifest.min_app_version} 或更新版本，本机是 {app_version}"
        )


# --- keys and signatures ---------------------------------------------------------------------


def generate_keypair(
    out: Path, name: str = "pack-signing", force: bool = False
) -> tuple[Path, Path]:
    """Write NAME.pem (private, PKCS#8, mode 0600) and NAME.pub (base64 of 32 raw bytes)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    out = Path(out)
    private_file, public_file = out / f"{name}.pem", out / f"{name}.pub"
    if not force:
        for file in (private_file, public_file):
            if file.exists():
                raise KeyFileError(f"{file} 已存在；为免覆盖正在使用的密钥，未做任何改动")
    try:
        out.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        raw = key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        fd = os.open(private_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        os.chmod(private_file, 0o600)
        public_file.write_text(base64.b64encode(raw).decode("ascii") + "\n", encoding="ascii")
    except OSError as exc:
        raise KeyFileError(f"无法写入密钥文件到 {out}（{exc.strerror}）") from None
    return private_file, public_file


def load_private_key(path: Path) -> Ed25519PrivateKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise KeyFileError(f"无法读取签名私钥 {path}（{exc.strerror}）") from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise KeyFileError(
            f"{path} 不是可用的私钥（应为 `kiosk pack keygen` 生成的 PEM 文件，且未加密码）"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path} 不是 Ed25519 私钥")
    return key


def public_key_text(key: Ed25519PrivateKey) -> str:
    from cryptography.hazmat.primitives import serialization

    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def load_public_key(value: str | os.PathLike[str]) -> Ed25519PublicKey:
    """A public key from its base64 text, or from a file holding that text."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    text = os.fspath(value).strip()
    raw = _raw_key(text)
    if raw is None:  # not the key itself: a file holding it
        try:
            raw = _raw_key(Path(text).read_text(encoding="ascii"))
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or "不是文本文件"
            raise KeyFileError(
                f"“{text}”既不是公钥（32 字节原始公钥的 base64 文本，44 个字符），"
                f"也不是可读取的公钥文件（{reason}）"
            ) from None
    if raw is None:
        raise KeyFileError(
            "公钥应为 32 字节原始公钥的 base64 文本（44 个字符，见 pack-signing.pub）"
        )
    return Ed25519PublicKey.from_public_bytes(raw)


def _raw_key(text: str) -> bytes | None:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == 32 else None


def sign(data: bytes, key: Ed25519PrivateKey) -> bytes:
    """The .sig file's content: base64 of the 64-byte signature, and a newline."""
    return base64.b64encode(key.sign(data)) + b"\n"


def verify_manifest(raw: bytes, signature: bytes, key: Ed25519PublicKey) -> Manifest:
    """Check the signature over the exact bytes, then the structure."""
    from cryptography.exceptions import InvalidSignature

    try:
        sig = base64.b64decode(signature.strip(), validate=True)
    except (binascii.Error, ValueError):
        sig = b""
    if len(sig) != 64:
        raise SignatureError("manifest.json.sig 不是 64 字节签名的 base64 文本")
    try:
        key.verify(sig, raw)
    except InvalidSignature:
        raise SignatureError(
            "签名验证失败：manifest.json 被改动过，或不是用与本机公钥配对的私钥签名的"
        ) from None
    return parse_manifest(raw)


def read_manifest(folder: Path, key: Ed25519PublicKey) -> tuple[Manifest, bytes]:
    """Read and verify OUT/manifest.json with its .sig; returns the manifest and its bytes."""
    folder = Path(folder)
    try:
        raw = (folder / MANIFEST).read_bytes()
    except OSError:
        raise ManifestError(f"{folder} 中没有 manifest.json（不是打包好的内容包）") from None
    try:
        signature = (folder / SIGNATURE).read_bytes()
    except OSError:
        raise SignatureError(f"{folder} 中没有 manifest.json.sig 签名文件") from None
    return verify_manifest(raw, signature, key), raw


def read_unverified(folder: Path) -> Manifest | None:
    """The manifest already in a build folder, for the next version number (not trusted)."""
    try:
        return parse_manifest((Path(folder) / MANIFEST).read_bytes())
    except (OSError, ManifestError):
        return None


# --- objects -------------------------------------------------------------------------------


def object_path(folder: Path, entry: FileEntry | str) -> Path:
    sha = entry if isinstance(entry, str) else entry.sha256
    return Path(folder) / OBJECTS / sha


Progress = Callable[[int], None]  # called with the number of bytes just processed


def hash_file(path: Path, progress: Progress | None = None) -> FileEntry:
    """sha256 and size of a file, reading 1 MiB at a time."""
    digest = hashlib.sha256()
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    size = 0
    with open(path, "rb", buffering=0) as handle:
        while count := handle.readinto(buffer):
            digest.update(view[:count])
            size += count
            if progress:
                progress(count)
    return FileEntry(digest.hexdigest(), size)


def store_object(source: Path, objects: Path, progress: Progress | None = None) -> FileEntry:
    """Copy a file into objects/<sha256> while hashing it: one read, flat memory.

    An object already present with the right size is kept (objects are shared between
    versions, so publishing a new version rewrites only what changed).
    """
    objects.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    size = 0
    fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", dir=objects)
    tmp = Path(tmp_name)
    try:
        with open(source, "rb", buffering=0) as reader, os.fdopen(fd, "wb", buffering=0) as out:
            while count := reader.readinto(buffer):
                digest.update(view[:count])
                out.write(view[:count])
                size += count
                if progress:
                    progress(count)
            os.fsync(out.fileno())
        entry = FileEntry(digest.hexdigest(), size)
        target = objects / entry.sha256
        if target.is_file() and target.stat().st_size == size:
            tmp.unlink()
        else:
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        return entry
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def store_bytes(data: bytes, objects: Path) -> FileEntry:
    objects.mkdir(parents=True, exist_ok=True)
    entry = FileEntry(hashlib.sha256(data).hexdigest(), len(data))
    target = objects / entry.sha256
    if not (target.is_file() and target.stat().st_size == entry.size):
        write_atomic(target, data, mode=0o644)
    return entry


def write_atomic(target: Path, data: bytes, mode: int = 0o644) -> None:
    """Write to a temporary file beside the target, fsync, then rename over it."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def object_ok(path: Path, entry: FileEntry) -> bool:
    """Cheap check: the object exists with the right size (not hashed)."""
    try:
        return Path(path).stat().st_size == entry.size
    except OSError:
        return False


def verify_object(path: Path, entry: FileEntry, logical: str = "") -> None:
    """Size and sha256 of one object; ObjectError names the file."""
    name = logical or Path(path).name
    try:
        actual = hash_file(path)
    except OSError:
        raise ObjectError(f"文件 {name} 缺失或无法读取（objects/{entry.sha256}）") from None
    if actual.size != entry.size:
        raise ObjectError(f"文件 {name} 大小不对：应为 {entry.size} 字节，实际 {actual.size} 字节")
    if actual.sha256 != entry.sha256:
        raise ObjectError(f"文件 {name} 的内容与清单不符（sha256 不一致），可能已损坏或被改动")


def check_objects(
    folder: Path,
    manifest: Manifest,
    deep: bool = True,
    progress: Progress | None = None,
) -> list[str]:
    """Every object's problem, in Chinese; sizes only unless `deep` (then sha256 too)."""
    problems: list[str] = []
    for logical, entry in sorted(manifest.files.items()):
        path = object_path(folder, entry)
        try:
            if deep:
                verify_object(path, entry, logical)
                if progress:
                    progress(entry.size)
            elif not path.is_file():
                raise ObjectError(f"文件 {logical} 缺失（objects/{entry.sha256}）")
            elif path.stat().st_size != entry.size:
                raise ObjectError(
                    f"文件 {logical} 大小不对：应为 {entry.size} 字节，"
                    f"实际 {path.stat().st_size} 字节"
                )
        except ObjectError as exc:
            problems.append(str(exc))
    return problems


def verify_folder(
    folder: Path, key: Ed25519PublicKey, deep: bool = True, progress: Progress | None = None
) -> Manifest:
    """Signature, then every object's size and (if deep) sha256; ObjectError lists them all."""
    manifest, _ = read_manifest(folder, key)
    problems = check_objects(folder, manifest, deep=deep, progress=progress)
    if problems:
        more = f"（共 {len(problems)} 处）" if len(problems) > 1 else ""
        raise ObjectError("；".join(problems[:5]) + more)
    return manifest


def new_manifest(
    pack: str,
    version: int,
    files: Mapping[str, FileEntry],
    now: datetime,
    expires_days: int,
    min_app_version: str,
) -> Manifest:
    created = now.astimezone(UTC).replace(microsecond=0)
    return Manifest(
        pack=pack,
        version=version,
        created=created,
        expires=created + timedelta(days=expires_days),
        min_app_version=min_app_version,
        files=dict(files),
    )
