"""Benchmark: build and kiosk-load a pack with 50,000 institutions and 2 GB of media.

    python tests/bench/pack_build.py [--institutions 50000] [--media-mb 2048] [--dir /tmp]

Everything is generated in a temporary folder that is deleted afterwards. Each figure is
printed next to a baseline measured in the same run on the same bytes:

- build time          vs  sha256 of the same media with hashlib alone (+ a plain file copy)
- build peak memory   vs  the same build with no media (flat memory = media do not count)
- kiosk load time     vs  json.loads of the same compiled content
- validation time     vs  csv.reader over the same spreadsheet

Build and load run in child processes (the real `kiosk pack build` command), so their peak
resident memory is measured per process with os.wait4.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

KINDS = ["律师事务所", "公证机构", "司法鉴定机构", "人民调解组织", "法律援助机构", "基层法律服务所"]
TOWNS = ["双龙湖街道", "龙溪街道", "回兴街道", "两路街道", "兴隆镇", "统景镇", "木耳镇", "洛碛镇"]


def generate(src: Path, institutions: int, media_mb: int) -> list[Path]:
    """The default pack plus a big spreadsheet and generated media files."""
    shutil.copytree(ROOT / "content" / "yubei", src)
    lines = ["编号,名称,类别,所属镇街,地址,电话,服务项目,所属站点,下次复核日期"]
    for i in range(institutions):
        kind = KINDS[i % len(KINDS)]
        town = TOWNS[i % len(TOWNS)]
        lines.append(
            f"gen-{i:06d},测试机构{i:06d}（生成数据）,{kind},{town},{town}测试路{i % 500}号,"
            f"023-6{i % 10_000_000:07d},法律咨询、代理,,2027-06-30"
        )
    (src / "institutions.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    media = src / "media"
    media.mkdir(exist_ok=True)
    files = []
    per_file = max(1, media_mb // 4)
    block = os.urandom(1 << 20)
    for n in range(4):
        path = media / f"video-{n}.mp4"
        with path.open("wb") as out:
            for m in range(per_file):
                out.write(n.to_bytes(2, "big") + m.to_bytes(4, "big") + block[6:])
        files.append(path)
    videos = "videos:\n" + "".join(
        f"  - id: v{n}\n    title: 生成的视频{n}\n    file: media/video-{n}.mp4\n" for n in range(4)
    )
    (src / "videos.yaml").write_text(videos, encoding="utf-8")
    return files


def child(code: str | list[str]) -> tuple[float, int, str]:
    """Run a child process; its wall time, peak resident memory (MB) and stdout."""
    args = code if isinstance(code, list) else [sys.executable, "-c", code]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    output = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"child failed ({process.returncode}): {args}")
    return elapsed, usage.ru_maxrss // 1024, output


HASH_ONLY = """
import hashlib, sys
for name in sys.argv[1:]:
    digest = hashlib.sha256()
    with open(name, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
"""

LOAD = """
import json, sys, time
from pathlib import Path
start = time.perf_counter()
from kiosk.packs import built, manifest
imports = time.perf_counter() - start
start = time.perf_counter()
key = manifest.load_public_key(sys.argv[2])
pack = built.load_built(Path(sys.argv[1]), key)
load = time.perf_counter() - start
raw = Path(sys.argv[3]).read_bytes()
start = time.perf_counter()
json.loads(raw)
plain = time.perf_counter() - start
print(json.dumps({"load": load, "json": plain, "imports": imports,
                  "institutions": len(pack.institutions)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--institutions", type=int, default=50_000)
    parser.add_argument("--media-mb", type=int, default=2048)
    parser.add_argument("--dir", default=None, help="where to make the temporary folder")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="pack-bench-", dir=args.dir))
    try:
        src, out, bare = work / "src", work / "out", work / "src-no-media"
        t = time.perf_counter()
        media = generate(src, args.institutions, args.media_mb)
        media_bytes = sum(p.stat().st_size for p in media)
        print(
            f"generated {args.institutions} institutions and {media_bytes / 2**30:.2f} GiB "
            f"of media in {time.perf_counter() - t:.1f} s ({work})"
        )
        shutil.copytree(src, bare, ignore=shutil.ignore_patterns("media"))
        (bare / "videos.yaml").write_text("videos: []\n", encoding="utf-8")
        from kiosk.packs import manifest

        private, public = manifest.generate_keypair(work / "keys")

        # warm the page cache so both sides read the media from memory
        child([sys.executable, "-c", HASH_ONLY, *map(str, media)])
        hash_time, hash_rss, _ = child([sys.executable, "-c", HASH_ONLY, *map(str, media)])
        copy_start = time.perf_counter()
        for path in media:
            shutil.copyfile(path, work / "copy.tmp")
            (work / "copy.tmp").unlink()
        copy_time = time.perf_counter() - copy_start

        build = [sys.executable, "-m", "kiosk", "pack", "build"]
        build_time, build_rss, _ = child([*build, str(src), str(out), "--key", str(private)])
        bare_time, bare_rss, _ = child(
            [*build, str(bare), str(work / "out-bare"), "--key", str(private)]
        )
        rebuild_time, _, _ = child([*build, str(src), str(out), "--key", str(private)])

        found = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        content = out / "objects" / found["files"]["_kiosk/content.json"]["sha256"]
        loads = [
            json.loads(
                child(
                    LOAD.replace("sys.argv[1]", repr(str(out)))
                    .replace("sys.argv[2]", repr(str(public)))
                    .replace("sys.argv[3]", repr(str(content)))
                )[2]
            )
            for _ in range(3)
        ]
        load_time = min(r["load"] for r in loads)
        import_time = min(r["imports"] for r in loads)
        json_time = min(r["json"] for r in loads)
        assert loads[0]["institutions"] == args.institutions

        from kiosk.packs.validate import validate

        start = time.perf_counter()
        report = validate(bare)
        validate_time = time.perf_counter() - start
        assert report.ok, [str(p) for p in report.errors[:5]]
        import csv

        start = time.perf_counter()
        with (bare / "institutions.csv").open(encoding="utf-8", newline="") as handle:
            rows = sum(1 for _ in csv.reader(handle))
        csv_time = time.perf_counter() - start

        import tracemalloc

        tracemalloc.start()
        manifest.store_object(media[0], work / "objects-probe")
        _, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

        verify_start = time.perf_counter()
        manifest.verify_folder(out, manifest.load_public_key(public))
        verify_time = time.perf_counter() - verify_start

        gib = media_bytes / 2**30
        print()
        print(f"{'measure':46} {'value':>12} {'baseline':>12} {'ratio':>7}")

        def row(name: str, value: float, base: float, unit: str) -> None:
            print(f"{name:46} {value:10.2f} {unit:1} {base:10.2f} {unit:1} {value / base:6.2f}x")

        row("build (validate+compile+copy+hash+sign) vs sha256", build_time, hash_time, "s")
        row("build vs sha256 + plain copy", build_time, hash_time + copy_time, "s")
        row("rebuild, objects unchanged, vs sha256", rebuild_time, hash_time, "s")
        row("build peak RSS vs same build without media", build_rss, bare_rss, "M")
        row("build peak RSS vs hashlib-only process", build_rss, hash_rss, "M")
        row("kiosk load of built pack vs json.loads", load_time, json_time, "s")
        row(f"validate {rows - 1}-row CSV pack vs csv.reader", validate_time, csv_time, "s")
        row("verify (signature + every sha256) vs sha256", verify_time, hash_time, "s")
        print()
        print(
            f"media: {gib:.2f} GiB, sha256 alone {gib / hash_time:.2f} GiB/s, "
            f"build {gib / build_time:.2f} GiB/s; build without media {bare_time:.2f} s"
        )
        print(f"kiosk load also imports kiosk.packs.built once: {import_time:.3f} s")
        print(f"compiled content: {content.stat().st_size / 1e6:.1f} MB for {rows - 1} rows")
        print(
            f"store_object on {media[0].stat().st_size >> 20} MiB: tracemalloc peak "
            f"{traced_peak / 2**20:.2f} MiB of Python allocations"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
