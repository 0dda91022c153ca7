"""The packs installed on this kiosk, on disk, safe against a crash at any instant.

    PACKS/state.json                 {"active": N, "previous": M}: the ONE pointer, replaced
                                     atomically; it changes only after everything it names is
                                     complete, verified and fsynced
    PACKS/objects/<sha256>           verified objects, shared by every version (content-addressed)
    PACKS/partial/<sha256>.part      downloads in progress (resumed with Range)
    PACKS/versions/<N>/              a built pack folder: manifest.json, manifest.json.sig and
                                     `objects` -> ../../objects
    PACKS/health.json                versions that failed to load at start-up, and why
    PACKS/status.json                what the last sync runs did (for `kiosk status`)
    PACKS/in-use/<pid>.json          versions a running kiosk shows: no process removes them

A folder under versions/ that state.json does not name is garbage from an interrupted run.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk import clock, durable

FORMAT = 1
MANIFEST, SIGNATURE = "manifest.json", "manifest.json.sig"


@dataclass(frozen=True)
class State:
    active: int | None = None
    previous: int | None = None
    # Set when state.json was unreadable and the pointers were rebuilt from versions/.
    rebuilt: bool = False

    def kept(self) -> list[int]:
        return [v for v in (self.active, self.previous) if v is not None]


class Installed:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.objects = self.root / "objects"
        self.partial = self.root / "partial"
        self.versions = self.root / "versions"
        self.state_file = self.root / "state.json"
        self.health_file = self.root / "health.json"
        self.status_file = self.root / "status.json"
        self.lock_file = self.root / "sync.lock"
        self.in_use = self.root / "in-use"

    def ensure(self) -> None:
        for folder in (self.objects, self.partial, self.versions):
            folder.mkdir(parents=True, exist_ok=True)

    # --- the pointer -------------------------------------------------------------------

    def state(self) -> State:
        try:
            raw = durable.read_json(self.state_file)
        except (OSError, ValueError):
            raw = "damaged"
        if raw is None:
            return State()
        if isinstance(raw, dict) and raw.get("format") == FORMAT:
            active, previous = raw.get("active"), raw.get("previous")
            if isinstance(active, int) and (previous is None or isinstance(previous, int)):
                return State(active, previous)
        # Only a hand edit or a failing disk gets here: trust the folders that exist.
        found = sorted(self.version_numbers(), reverse=True)
        return State(
            found[0] if found else None, found[1] if len(found) > 1 else None, rebuilt=True
        )

    def activate(self, active: int, previous: int | None) -> None:
        """Switch, in one atomic rename, to `active` (which must be complete and verified)."""
        durable.write_json(
            self.state_file,
            {
                "format": FORMAT,
                "active": active,
                "previous": previous,
                "activated": clock.now().isoformat(timespec="seconds"),
            },
        )

    # --- versions ------------------------------------------------------------------------

    def version_dir(self, version: int) -> Path:
        return self.versions / str(version)

    def version_numbers(self) -> list[int]:
        if not self.versions.is_dir():
            return []
        return [int(p.name) for p in self.versions.iterdir() if re.fullmatch(r"\d+", p.name)]

    def manifest_bytes(self, version: int) -> bytes | None:
        try:
            return (self.version_dir(version) / MANIFEST).read_bytes()
        except OSError:
            return None

    def signature_bytes(self, version: int) -> bytes | None:
        try:
            return (self.version_dir(version) / SIGNATURE).read_bytes()
        except OSError:
            return None

    def stage(self, version: int, manifest: bytes, signature: bytes) -> Path:
        """Write versions/<version>/ completely and durably, then give it its final name."""
        self.ensure()
        final = self.version_dir(version)
        tmp = self.versions / f".new-{version}-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        for name, data in ((MANIFEST, manifest), (SIGNATURE, signature)):
            with open(tmp / name, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        os.symlink(os.path.join("..", "..", "objects"), tmp / "objects")
        durable.fsync_dir(tmp)
        if final.exists() or final.is_symlink():
            # Left by a run that died before switching the pointer; never the active one,
            # because a version is staged only when it is newer than the active one.
            shutil.rmtree(final, ignore_errors=True)
        os.rename(tmp, final)
        durable.fsync_dir(self.versions)
        return final

    def discard(self, version: int) -> None:
        shutil.rmtree(self.version_dir(version), ignore_errors=True)

    # --- objects -------------------------------------------------------------------------

    def object_path(self, sha256: str) -> Path:
        return self.objects / sha256

    def part_path(self, sha256: str) -> Path:
        return self.partial / f"{sha256}.part"

    def has_object(self, sha256: str, size: int) -> bool:
        try:
            return self.object_path(sha256).stat().st_size == size
        except OSError:
            return False

    def part_size(self, sha256: str) -> int:
        try:
            return self.part_path(sha256).stat().st_size
        except OSError:
            return 0

    def commit_object(self, sha256: str) -> None:
        """Move a verified, fsynced part file to its final name, durably."""
        os.replace(self.part_path(sha256), self.object_path(sha256))
        durable.fsync_dir(self.objects)

    def verify_object(self, sha256: str, size: int) -> bool:
        path = self.object_path(sha256)
        try:
            if path.stat().st_size != size:
                return False
            digest = hashlib.sha256()
            with open(path, "rb") as handle:
                while block := handle.read(1 << 20):
                    digest.update(block)
        except OSError:
            return False
        return digest.hexdigest() == sha256

    # --- tidying ---------------------------------------------------------------------------

    def collect_garbage(
        self, keep_versions: list[int], keep_objects: set[str], keep_parts: set[str]
    ) -> int:
        """Remove versions, objects and partial downloads nothing needs; returns bytes freed."""
        freed = 0
        if self.versions.is_dir():
            for entry in self.versions.iterdir():
                if entry.name not in {str(v) for v in keep_versions}:
                    freed += durable.tree_size(entry)
                    if entry.is_dir() and not entry.is_symlink():
                        shutil.rmtree(entry, ignore_errors=True)
                    else:
                        with contextlib.suppress(OSError):
                            entry.unlink()
        for folder, keep, suffix in (
            (self.objects, keep_objects, ""),
            (self.partial, keep_parts, ".part"),
        ):
            if not folder.is_dir():
                continue
            for entry in folder.iterdir():
                name = (
                    entry.name[: -len(suffix)]
                    if suffix and entry.name.endswith(suffix)
                    else entry.name
                )
                if name in keep:
                    continue
                with contextlib.suppress(OSError):
                    freed += entry.lstat().st_size
                    entry.unlink()
        return freed

    # --- versions on screen in running kiosks ---------------------------------------------

    def pin(self, versions: set[int], pid: int | None = None) -> None:
        """Record that process `pid` shows `versions`, so that a `kiosk sync` run from the
        command line (another process) keeps their files."""
        target = self.in_use / f"{pid or os.getpid()}.json"
        if not versions:
            with contextlib.suppress(OSError):
                target.unlink()
            return
        self.in_use.mkdir(parents=True, exist_ok=True)
        durable.write_json(target, sorted(versions))

    def pinned_by_processes(self) -> set[int]:
        """Versions pinned by kiosk processes that are still alive (stale pins are removed)."""
        found: set[int] = set()
        if not self.in_use.is_dir():
            return found
        for entry in self.in_use.glob("*.json"):
            try:
                pid = int(entry.stem)
                os.kill(pid, 0)
            except ProcessLookupError:
                with contextlib.suppress(OSError):
                    entry.unlink()
                continue
            except (ValueError, PermissionError):
                pass  # not ours to judge: keep honouring the pin
            try:
                value = durable.read_json(entry)
            except (OSError, ValueError):
                value = None
            if isinstance(value, list):
                found |= {v for v in value if isinstance(v, int)}
        return found

    # --- health and disk -------------------------------------------------------------------

    def broken(self) -> dict[int, str]:
        """Versions that failed to load at start-up: {version: reason}."""
        try:
            raw = durable.read_json(self.health_file) or {}
        except (OSError, ValueError):
            return {}
        return {int(k): str(v) for k, v in raw.get("broken", {}).items() if str(k).isdigit()}

    def mark_broken(self, version: int, reason: str) -> None:
        marks = self.broken()
        if marks.get(version) == reason:
            return
        marks[version] = reason
        self._write_health(marks)

    def clear_broken(self, version: int) -> None:
        marks = self.broken()
        if marks.pop(version, None) is not None:
            self._write_health(marks)

    def _write_health(self, marks: dict[int, str]) -> None:
        with contextlib.suppress(OSError):
            self.root.mkdir(parents=True, exist_ok=True)
            durable.write_json(self.health_file, {"broken": {str(k): v for k, v in marks.items()}})

    def disk_use(self) -> dict[str, Any]:
        """Bytes used by the store and bytes free on its file system."""
        used = {
            "objects": durable.tree_size(self.objects),
            "partial": durable.tree_size(self.partial),
        }
        used["total"] = sum(used.values())
        try:
            used["free"] = shutil.disk_usage(
                self.root if self.root.exists() else self.root.parent
            ).free
        except OSError:
            used["free"] = None
        return used
