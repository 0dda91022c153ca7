"""`kiosk pack build`: validate the sources, compile them, store every file by hash, sign.

The order of writing makes a half-finished build harmless to a kiosk polling the folder:
objects first (named by hash, so never overwritten with other bytes), then the signature and
the manifest, each replaced atomically. A kiosk that reads a new manifest with the old
signature (or the reverse) sees a bad signature and simply tries again later.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kiosk import clock
from kiosk.packs import compiled, manifest
from kiosk.packs.manifest import FileEntry, PackError
from kiosk.packs.problems import Problem

DEFAULT_EXPIRES_DAYS = 180


class BuildError(PackError):
    """Nothing was published; the message (and `problems`) say why."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclass(frozen=True)
class BuildResult:
    manifest: manifest.Manifest
    out: Path
    warnings: tuple[Problem, ...]
    written_bytes: int  # bytes of source files hashed and copied

    @property
    def version(self) -> int:
        return self.manifest.version


# Called as progress(logical_path, bytes_done_in_file, file_size) while files are stored.
BuildProgress = Callable[[str, int, int], None]


def build_pack(
    src: Path,
    out: Path,
    key_file: Path,
    version: int | None = None,
    expires_days: int = DEFAULT_EXPIRES_DAYS,
    now: datetime | None = None,
    progress: BuildProgress | None = None,
) -> BuildResult:
    """Build SRC into OUT, signed with the private key in KEY_FILE."""
    from kiosk import __version__
    from kiosk.packs.validate import validate

    src, out = Path(src), Path(out)
    key = manifest.load_private_key(key_file)  # a bad key fails before any slow work
    if expires_days < 1:
        raise BuildError("--expires-days 至少为 1 天")
    report = validate(src)
    if report.errors or report.pack is None:
        count = len(report.errors)
        raise BuildError(
            f"内容有 {count} 处错误，未打包。请先运行 `kiosk pack validate {src}` 并改正",
            report.errors,
        )
    pack = report.pack
    previous = manifest.read_unverified(out)
    if previous is not None and previous.pack != pack.id:
        raise BuildError(
            f"{out} 中已有另一个内容包（{previous.pack}）；请换一个输出文件夹，不要混放"
        )
    version = _next_version(version, previous, pack.version)
    try:
        out.mkdir(parents=True, exist_ok=True)
        objects = out / manifest.OBJECTS
        files: dict[str, FileEntry] = {}
        written = 0
        content = compiled.dumps(pack, compiled.compute_indexes(pack))
        files[compiled.CONTENT_PATH] = manifest.store_bytes(content, objects)
        from kiosk.packs.source import carried_files

        for logical, path in carried_files(src).items():
            size = path.stat().st_size
            done = 0

            def tick(count: int, logical: str = logical, size: int = size) -> None:
                nonlocal done
                done += count
                if progress:
                    progress(logical, done, size)

            files[logical] = manifest.store_object(path, objects, tick)
            written += files[logical].size
        result = manifest.new_manifest(
            pack.id,
            version,
            files,
            now or clock.now(),
            expires_days,
            min_app_version=__version__,
        )
        raw = result.to_bytes()
        manifest.write_atomic(out / manifest.SIGNATURE, manifest.sign(raw, key))
        manifest.write_atomic(out / manifest.MANIFEST, raw)
    except OSError as exc:
        where = exc.filename or out
        raise BuildError(f"写入 {where} 失败（{exc.strerror}）；已发布的版本未受影响") from None
    return BuildResult(result, out, tuple(report.warnings), written)


def _next_version(asked: int | None, previous: manifest.Manifest | None, source: int) -> int:
    """Versions must grow: default to one more than the last build in OUT (or pack.yaml's)."""
    last = previous.version if previous else 0
    if asked is None:
        return max(last + 1, source, 1)
    if asked < 1:
        raise BuildError("版本号必须是正整数")
    if asked <= last:
        raise BuildError(
            f"版本号 {asked} 不大于上次打包的版本 {last}；"
            f"终端只接受更新的版本，请用 {last + 1} 或更大"
        )
    return asked
