"""One sync run: poll, verify, download what is missing, activate atomically, tidy up.

Order of checks (TUF's, for one key): the manifest's signature against the pinned key; the
same version with the same bytes means nothing new; an older version (rollback), the same
version with other bytes, an expired manifest (freeze) or a program too old are refused;
then free disk space is checked before a single object is fetched; every object is capped at
its declared size (endless data), verified by sha256 and size, fsynced and renamed; the new
version is loaded with the same checks as at start-up; only then does state.json switch to it.

A run holds an exclusive lock, so the kiosk's own thread and `kiosk sync` never collide.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kiosk import clock, durable
from kiosk.config import Settings
from kiosk.packs.installed import MANIFEST, SIGNATURE, Installed, State
from kiosk.sync.errors import LocalProblem, Offline, Refused, SyncError
from kiosk.sync.fetch import MANIFEST_LIMIT, SIGNATURE_LIMIT, Client, sha256_of
from kiosk.sync.status import Record

if TYPE_CHECKING:
    from kiosk.packs.built import OpenedPack
    from kiosk.packs.manifest import Manifest

MB = 1 << 20
PAUSE_ENV = "KIOSK_SYNC_PAUSE_AT"  # tests: stop at a named step so a kill lands exactly there


@dataclass
class Progress:
    """Read by the UI while a run is going (plain ints: safe to read from another thread)."""

    phase: str = "idle"  # idle | checking | downloading | activating
    total: int = 0  # bytes still to fetch when the download started
    done: int = 0
    objects_total: int = 0
    objects_done: int = 0


@dataclass(frozen=True)
class Outcome:
    result: str  # unchanged | installed | repaired
    version: int | None
    opened: OpenedPack | None  # the pack now active, when it changed
    requests: int
    body_bytes: int
    fetched: int  # objects downloaded


class Engine:
    def __init__(self, settings: Settings, stop: threading.Event | None = None) -> None:
        self.settings = settings
        self.store = Installed(settings.sync.packs)
        self.progress = Progress()
        self.stop = stop or threading.Event()
        self.retries = 3
        self._walked = False  # the key announcements were checked in this run
        # Versions something in this process still shows (never collected as garbage).
        self.pinned: Callable[[], set[int]] = set

    # --- the run -------------------------------------------------------------------------

    def run_once(self) -> Outcome:
        """Do one complete sync; raises SyncError (never anything else) when it fails."""
        sync = self.settings.sync
        if not sync.url:
            raise SyncError("disabled", "kiosk.ini 未设置 [sync] url，不同步")
        if not sync.public_key:
            raise SyncError("no-key", "kiosk.ini 未设置 [sync] public_key，无法校验内容包，不同步")
        try:
            self.store.ensure()
        except OSError as exc:
            raise LocalProblem("disk", f"无法创建 {self.store.root}（{exc.strerror}）") from None
        with durable.exclusive(self.store.lock_file) as mine:
            if not mine:
                raise SyncError("busy", "另一个同步正在进行，请稍后再试")
            record = Record.load(self.store)
            record.begin(clock.now())
            client = Client(sync.url, sync.timeout, stop=self.stop)
            keep_record = True
            try:
                outcome = self._guarded(client, record)
            except SyncError as exc:
                # A run stopped because the kiosk is closing says nothing about the server.
                keep_record = exc.code != "stopped"
                record.fail(exc, client.requests, client.body_bytes)
                raise
            else:
                record.succeed(outcome.result, client.requests, client.body_bytes)
                return outcome
            finally:
                client.close()
                if keep_record:
                    record.save(self.store)
                self.progress.phase = "idle"

    def _guarded(self, client: Client, record: Record) -> Outcome:
        """The run, with every failure turned into a SyncError that says what to do."""
        from kiosk.packs import manifest

        try:
            return self._run(client, record)
        except SyncError:
            raise
        except manifest.PackError as exc:
            raise _refusal(exc) from None
        except OSError as exc:
            raise LocalProblem(
                "disk", f"读写内容包目录出错：{exc.strerror or exc}（{exc.filename or ''}）"
            ) from None

    def _run(self, client: Client, record: Record) -> Outcome:
        from kiosk.packs import manifest

        self.progress = Progress(phase="checking")
        self._walked = False
        store = self.store
        _cleanup_staging(store)
        state = store.state()
        trust = self.trust()
        key = manifest.load_public_key(trust.key)
        broken = store.broken()
        active_raw = store.manifest_bytes(state.active) if state.active is not None else None
        active_sha = _sha(active_raw) if active_raw is not None else None
        usable_validators = (
            active_sha is not None
            and record.etag_manifest == active_sha
            and state.active not in broken
        )
        polled = client.get_small(
            MANIFEST,
            MANIFEST_LIMIT,
            record.etag if usable_validators else None,
            record.last_modified if usable_validators else None,
        )
        if polled is None:  # 304: the server's manifest is the one we have active
            record.server_version = state.active
            return self._unchanged(client, state, broken, key)
        raw, signature, found, key = self._verified_manifest(client, polled.data, key)
        # About to install: learn of any rotation first, so that a key retired by the district
        # can no longer sign what this kiosk installs.
        newer = None
        if found.version != state.active and not self._walked:
            newer = self._rotate(client)
        if newer is not None:
            key = newer
            found = manifest.verify_manifest(raw, signature, key)
        checkpoint("manifest-verified")
        record.server_version = found.version
        sha = _sha(raw)
        validators = (polled.etag, polled.last_modified, sha)
        if state.active is not None and found.version == state.active and active_raw is not None:
            if sha != active_sha:
                raise Refused(
                    "same-version",
                    f"服务器上的清单与本机已安装的第{found.version}版版本号相同而内容不同，已拒绝"
                    "（每次发布必须增加版本号）",
                )
            outcome = self._unchanged(client, state, broken, key)
            _remember(record, validators)
            return outcome
        if not (state.active is not None and found.version == state.active):
            manifest.check_update(found, state.active, clock.now())
        else:  # the active version's folder is gone: install it again, same checks
            manifest.check_update(found, None, clock.now())
        outcome = self._install(client, found, raw, signature, state, broken, key)
        _remember(record, validators)
        return outcome

    def trust(self) -> Any:
        """The key this kiosk trusts now (kiosk.ini's, or its pinned successor)."""
        from kiosk.packs import trust

        return trust.pinned(self.store.root, self.settings.sync.public_key)

    def _rotate(self, client: Client) -> Any | None:
        """Walk the district's key announcements from the pinned one; pin the last valid one.

        Returns the new key when it changed. An announcement that does not verify is refused
        (the kiosk keeps its key); one not published (404) ends the walk.
        """
        from kiosk.packs import manifest, trust

        self._walked = True
        configured = self.settings.sync.public_key
        current = start = self.trust()
        for _ in range(trust.MAX_CHAIN):
            name = trust.announcement(current.version + 1)
            try:
                raw = client.get_small(name, SIGNATURE_LIMIT * 4)
                signature = client.get_small(name + ".sig", SIGNATURE_LIMIT)
            except SyncError as exc:
                if exc.code == "not-found":
                    break
                raise
            if raw is None or signature is None:
                break
            try:
                current = trust.verify(raw.data, signature.data, current)
            except manifest.PackError as exc:
                raise Refused("rotation", str(exc)) from None
        if current == start:
            return None
        kept = self.store.state().kept()
        trust.pin(self.store.root, configured, current, max(kept) if kept else None)
        checkpoint("key-pinned")
        return manifest.load_public_key(current.key)

    def _verified_manifest(
        self, client: Client, raw: bytes, key: Any
    ) -> tuple[bytes, bytes, Manifest, Any]:
        """Verify against the pinned key; a mismatch may be a key rotation (learn it) or a
        publish in progress (ask once more)."""
        from kiosk.packs import manifest

        rotated = False
        for attempt in (1, 2):
            signature = client.get_small(SIGNATURE, SIGNATURE_LIMIT)
            if signature is None:  # we sent no validators, so this would be a broken server
                raise Offline("server-error", "服务器对签名文件返回了 304")
            try:
                return raw, signature.data, manifest.verify_manifest(raw, signature.data, key), key
            except manifest.SignatureError:
                if not rotated:
                    rotated = True
                    newer = self._rotate(client)
                    if newer is not None:
                        key = newer
                        with contextlib.suppress(manifest.SignatureError):
                            found = manifest.verify_manifest(raw, signature.data, key)
                            return raw, signature.data, found, key
                if attempt == 2:
                    raise
            self._sleep(1.0)
            again = client.get_small(MANIFEST, MANIFEST_LIMIT)
            raw = again.data if again is not None else raw
        raise AssertionError("unreachable")

    # --- nothing new (or a repair of the active version) ------------------------------------

    def _unchanged(self, client: Client, state: State, broken: dict[int, str], key: Any) -> Outcome:
        """The server offers what is active. Make sure it is whole; repair it if not."""
        from kiosk.packs import built, manifest

        version = state.active
        if version is None:
            return Outcome("unchanged", None, None, client.requests, client.body_bytes, 0)
        found, _ = manifest.read_manifest(self.store.version_dir(version), key)
        suspect = version in broken
        needed: dict[str, tuple[int, str]] = {}
        for logical, entry in found.files.items():
            if entry.sha256 in needed:
                continue
            if not self.store.has_object(entry.sha256, entry.size) or (
                suspect and not self.store.verify_object(entry.sha256, entry.size)
            ):
                with contextlib.suppress(OSError):
                    self.store.object_path(entry.sha256).unlink()
                needed[entry.sha256] = (entry.size, logical)
        if not needed and not suspect:
            return Outcome("unchanged", version, None, client.requests, client.body_bytes, 0)
        self._make_room(needed, state.kept(), found)
        self._download_all(client, needed)
        self.progress.phase = "activating"
        opened = built.open_built(self.store.version_dir(version), key)
        self.store.clear_broken(version)
        return Outcome("repaired", version, opened, client.requests, client.body_bytes, len(needed))

    # --- a new version ---------------------------------------------------------------------

    def _install(
        self,
        client: Client,
        found: Manifest,
        raw: bytes,
        signature: bytes,
        state: State,
        broken: dict[int, str],
        key: Any,
    ) -> Outcome:
        from kiosk.packs import built, manifest

        store = self.store
        needed: dict[str, tuple[int, str]] = {}
        for logical, entry in found.files.items():
            if entry.sha256 not in needed and not store.has_object(entry.sha256, entry.size):
                needed[entry.sha256] = (entry.size, logical)
        self._make_room(needed, state.kept(), found)
        self._download_all(client, needed)
        checkpoint("downloaded")
        self.progress.phase = "activating"
        folder = store.stage(found.version, raw, signature)
        checkpoint("staged")
        try:
            opened = built.open_built(folder, key)
            self._check_site(opened)
        except (manifest.PackError, Refused) as exc:
            store.discard(found.version)
            if isinstance(exc, Refused):
                raise
            raise Refused("load", f"新内容包第{found.version}版无法加载，未启用：{exc}") from None
        # The last known good stays as `previous`: the old active, unless it failed to load.
        previous = state.active
        if previous is None or previous in broken:
            previous = state.previous
        store.activate(found.version, previous)
        checkpoint("activated")
        store.clear_broken(found.version)
        keep = [v for v in (found.version, previous) if v is not None]
        self._collect(keep)
        checkpoint("collected")
        return Outcome(
            "installed", found.version, opened, client.requests, client.body_bytes, len(needed)
        )

    def _check_site(self, opened: OpenedPack) -> None:
        """A pack that does not know this kiosk's site would leave it nameless: refuse it."""
        site = self.settings.kiosk.site
        if opened.pack.site(site) is None:
            raise Refused(
                "no-site",
                f"新内容包第{opened.manifest.version}版中没有本机站点 {site}，未启用"
                "（请检查 sites 或 kiosk.ini 的 [kiosk] site）",
            )

    # --- disk --------------------------------------------------------------------------------

    def _objects_of(self, versions: list[int]) -> set[str]:
        from kiosk.packs import manifest

        wanted: set[str] = set()
        for version in versions:
            raw = self.store.manifest_bytes(version)
            with contextlib.suppress(manifest.PackError, TypeError):
                wanted |= {e.sha256 for e in manifest.parse_manifest(raw or b"").files.values()}
        return wanted

    def _collect(
        self, keep: list[int], extra: set[str] | None = None, parts: set[str] | None = None
    ) -> None:
        keep = sorted(set(keep) | set(self.pinned()) | self.store.pinned_by_processes())
        self.store.collect_garbage(keep, self._objects_of(keep) | (extra or set()), parts or set())

    def _make_room(
        self, needed: dict[str, tuple[int, str]], kept: list[int], found: Manifest
    ) -> None:
        """Drop leftovers nothing needs, then refuse cleanly if the download cannot fit."""
        wanted = {entry.sha256 for entry in found.files.values()}
        self._collect(kept, wanted, set(needed))
        missing = sum(
            size - min(self.store.part_size(sha), size) for sha, (size, _) in needed.items()
        )
        reserve = self.settings.sync.reserve_mb * MB
        free = free_space(self.store.root)
        if missing + reserve > free:
            raise LocalProblem(
                "disk-full",
                f"磁盘空间不足：下载需要 {_mb(missing)}，另需保留 {_mb(reserve)}，"
                f"只有 {_mb(free)} 可用；没有下载任何文件，继续使用当前内容",
            )

    # --- downloading -----------------------------------------------------------------------

    def _download_all(self, client: Client, needed: dict[str, tuple[int, str]]) -> None:
        store = self.store
        progress = self.progress
        progress.phase = "downloading"
        progress.objects_total = len(needed)
        progress.total = sum(size for size, _ in needed.values())
        progress.done = sum(min(store.part_size(sha), size) for sha, (size, _) in needed.items())

        def advance(count: int) -> None:
            progress.done += count

        for sha, (size, logical) in sorted(needed.items(), key=lambda item: item[1][0]):
            self._download_one(client, sha, size, logical, advance)
            progress.objects_done += 1
            checkpoint("object-committed")

    def _download_one(
        self, client: Client, sha: str, size: int, logical: str, advance: Callable[[int], None]
    ) -> None:
        store = self.store
        part = store.part_path(sha)
        failures, restarted = 0, False
        while True:
            if self.stop.is_set():
                raise Offline("stopped", "同步被中止，下次继续")
            resumed = store.part_size(sha) > 0
            try:
                client.download(f"objects/{sha}", sha, size, part, advance)
            except Offline:
                failures += 1
                if failures > self.retries:
                    raise
                self._sleep(0.5 * 2 ** (failures - 1))
                continue
            if sha256_of(part) == sha:
                store.commit_object(sha)
                return
            with contextlib.suppress(OSError):
                part.unlink()
            if resumed and not restarted:  # the kept part may be what is wrong: once from zero
                restarted = True
                continue
            raise Refused(
                "hash",
                f"下载的文件 {logical} 与清单的 sha256 不符（可能被篡改），已删除，未启用新内容",
            )

    def _sleep(self, seconds: float) -> None:
        if self.stop.wait(seconds):
            raise Offline("stopped", "同步被中止，下次继续")


def free_space(folder: os.PathLike[str] | str) -> int:
    """Bytes free for this process on the file system of `folder` (a hook tests may replace)."""
    return shutil.disk_usage(folder).free


def checkpoint(name: str) -> None:
    """Tests set KIOSK_SYNC_PAUSE_AT=<name> to hold a run here and kill it at that exact step."""
    if os.environ.get(PAUSE_ENV) == name:
        print(f"sync paused at {name}", file=sys.stderr, flush=True)
        time.sleep(3600)


def _cleanup_staging(store: Installed) -> None:
    if store.versions.is_dir():
        for entry in store.versions.iterdir():
            if entry.name.startswith(".new-"):
                shutil.rmtree(entry, ignore_errors=True)


def _remember(record: Record, validators: tuple[str | None, str | None, str]) -> None:
    record.etag, record.last_modified, record.etag_manifest = validators


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _mb(count: int) -> str:
    return f"{count / MB:.1f} MB"


def _refusal(exc: Exception) -> SyncError:
    """The content pack module's errors (already in Chinese), sorted for staff."""
    from kiosk.packs import manifest

    codes = [
        (manifest.SignatureError, "signature"),
        (manifest.RollbackError, "rollback"),
        (manifest.ExpiredError, "expired"),
        (manifest.AppTooOldError, "app-too-old"),
        (manifest.ObjectError, "object"),
        (manifest.ManifestError, "manifest"),
        (manifest.KeyFileError, "no-key"),
    ]
    for cls, code in codes:
        if isinstance(exc, cls):
            if code == "no-key":
                return SyncError(code, f"[sync] public_key 不可用：{exc}")
            return Refused(code, str(exc))
    return Refused("load", str(exc))
