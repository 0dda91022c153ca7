"""Bytes and requests a kiosk moves over the network, against a real server on loopback.

    python tests/bench/sync_transfer.py [--files 10] [--mb 100]

1. An unchanged poll: requests and bytes (goal: one request, no body). Baseline: a poller
   without conditional requests (GET manifest.json and its signature every time).
2. One file of the pack changes: bytes transferred (goal <= 1.05 x that file). Baseline:
   downloading the whole pack again.
3. The connection is cut at 50 % of that file: bytes transferred for it, resumed within the
   run and resumed by the next run after a failed one (goal <= 1.05 x the file).
Default: a 1 GB pack of ten 100 MB files. Everything lives in a temporary folder removed at
the end.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kiosk.packs import manifest  # noqa: E402
from kiosk.sync.engine import Engine  # noqa: E402
from kiosk.sync.errors import SyncError  # noqa: E402
from tests.integration.packserver import (  # noqa: E402
    Publisher,
    kiosk_settings,
    running,
)

MB = 1 << 20


def write_media(path: Path, size: int, seed: int) -> None:
    """`size` bytes, different for every seed, written in 8 MB blocks (no big memory)."""
    import hashlib

    block = b"".join(hashlib.sha256(f"{seed}-{i}".encode()).digest() for i in range(8 * MB // 32))
    with open(path, "wb") as handle:
        left = size
        while left:
            piece = block[: min(left, len(block))]
            handle.write(piece)
            left -= len(piece)


def pieces(entries: list) -> str:
    return ", ".join(
        f"{e.status} {e.range or 'whole'} {e.body_bytes / 1e6:.1f} MB" for e in entries
    )


def served_totals(entries: list) -> tuple[int, int, int]:
    return len(entries), sum(e.body_bytes for e in entries), sum(e.header_bytes for e in entries)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--mb", type=int, default=100)
    args = parser.parse_args()
    size = args.mb * MB
    work = Path(tempfile.mkdtemp(prefix="kiosk-bench-sync-"))
    try:
        keys = manifest.generate_keypair(work / "keys")
        (work / "server").mkdir()
        publisher = Publisher(work / "server", keys)
        for index in range(args.files):
            write_media(publisher.src / "media" / f"film-{index:02d}.mp4", size, index)
        started = time.perf_counter()
        first = publisher.publish()
        print(
            f"pack: {len(first.files)} files, {first.total_size / (1 << 30):.2f} GiB "
            f"(built in {time.perf_counter() - started:.1f} s)"
        )
        with running(publisher.out) as server:
            (work / "kiosk").mkdir()
            settings = kiosk_settings(work / "kiosk", server.url, publisher.public_key)
            started = time.perf_counter()
            Engine(settings).run_once()
            seconds = time.perf_counter() - started
            requests, body, _ = served_totals(server.log())
            print(
                f"first install: {requests} requests, {body / 1e6:.1f} MB body "
                f"in {seconds:.1f} s ({body / 1e6 / seconds:.0f} MB/s)"
            )

            # 1. unchanged poll
            outcome = Engine(settings).run_once()
            requests, body, headers = served_totals(server.log())
            manifest_size = (publisher.out / "manifest.json").stat().st_size
            signature_size = (publisher.out / "manifest.json.sig").stat().st_size
            print("\n1. unchanged poll (goal: 1 request, no body)")
            print(
                f"   kiosk: {requests} request(s), {body} body bytes, {headers} header bytes"
                f" [client counted {outcome.requests} request(s), {outcome.body_bytes} bytes]"
            )
            print(
                f"   baseline (unconditional GET of manifest + signature): 2 requests, "
                f"{manifest_size + signature_size} body bytes -> kiosk/baseline body ratio "
                f"{body / (manifest_size + signature_size):.3f}"
            )

            # 2. one file changes
            write_media(publisher.src / "media" / f"film-{3 % args.files:02d}.mp4", size, 1000)
            second = publisher.publish()
            changed = second.files[f"media/film-{3 % args.files:02d}.mp4"].size
            started = time.perf_counter()
            outcome = Engine(settings).run_once()
            seconds = time.perf_counter() - started
            requests, body, headers = served_totals(server.log())
            print(
                f"\n2. one {changed / MB:.0f} MiB file of {second.total_size / MB:.0f} MiB changed"
            )
            print(
                f"   kiosk: {requests} requests, {body / 1e6:.2f} MB body + {headers} header"
                f" bytes in {seconds:.1f} s; objects fetched: {outcome.fetched}"
            )
            print(
                f"   ratio to the changed file: {(body + headers) / changed:.5f} (goal <= 1.05);"
                f" to the whole pack (baseline): {(body + headers) / second.total_size:.5f}"
            )

            # 3a. cut at 50 %, resumed in the same run
            write_media(publisher.src / "media" / f"film-{5 % args.files:02d}.mp4", size, 2000)
            third = publisher.publish()
            sha = third.files[f"media/film-{5 % args.files:02d}.mp4"].sha256
            path = f"/objects/{sha}"
            server.faults.cut_after[path] = size // 2
            outcome = Engine(settings).run_once()
            entries = server.log()
            mine = [e for e in entries if e.path == path]
            requests, body, headers = served_totals(entries)
            moved = sum(e.body_bytes for e in mine)
            print("\n3a. connection cut at 50 % of a changed file, resumed in the same run")
            print(
                "   that file: "
                + ", ".join(
                    f"{e.status} {e.range or 'whole'} {e.body_bytes / 1e6:.1f} MB" for e in mine
                )
            )
            print(
                f"   run total: {requests} requests, {(body + headers) / 1e6:.2f} MB; ratio to the"
                f" file: {(body + headers) / size:.5f} (goal <= 1.05);"
                f" that file alone {moved / size:.5f}"
            )

            # 3b. cut at 50 %, the run fails, the next run resumes
            write_media(publisher.src / "media" / f"film-{7 % args.files:02d}.mp4", size, 3000)
            fourth = publisher.publish()
            sha = fourth.files[f"media/film-{7 % args.files:02d}.mp4"].sha256
            path = f"/objects/{sha}"
            server.faults.cut_after[path] = size // 2
            engine = Engine(settings)
            engine.retries = 0
            try:
                engine.run_once()
                print("   (unexpected: the cut run succeeded)")
            except SyncError as exc:
                failed = exc.code
            Engine(settings).run_once()
            entries = server.log()
            mine = [e for e in entries if e.path == path]
            requests, body, headers = served_totals(entries)
            print(f"\n3b. cut at 50 %, that run failed ({failed}), the next run resumed")
            print(
                "   that file: "
                + ", ".join(
                    f"{e.status} {e.range or 'whole'} {e.body_bytes / 1e6:.1f} MB" for e in mine
                )
            )
            print(
                f"   both runs: {requests} requests, {(body + headers) / 1e6:.2f} MB; ratio to the"
                f" file: {(body + headers) / size:.5f} (goal <= 1.05)"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
