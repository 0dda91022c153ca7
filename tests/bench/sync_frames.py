"""UI frame times while the kiosk downloads a big pack in its sync thread, against idle.

    python tests/bench/sync_frames.py [--mb 300] [--seconds 5]

Runs the real app (Xvfb if there is no screen) at 1080x1920 with maxfps 30, measures the
interval between frames for `--seconds` at idle (the baseline), then while the sync thread
downloads, verifies and activates a new version carrying one `--mb` MB file at full loopback
speed, and prints both distributions and their ratio.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

MB = 1 << 20


def summary(gaps: list[float]) -> dict[str, float]:
    ordered = sorted(gaps)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return {
        "frames": len(gaps),
        "mean": statistics.mean(gaps) * 1000,
        "p50": pick(0.50),
        "p95": pick(0.95),
        "p99": pick(0.99),
        "max": ordered[-1] * 1000,
        "over_50ms": sum(g > 0.05 for g in gaps),
        "over_100ms": sum(g > 0.1 for g in gaps),
    }


def line(name: str, s: dict[str, float]) -> str:
    return (
        f"{name:<16} frames {s['frames']:>5}  mean {s['mean']:6.1f} ms  p50 {s['p50']:6.1f}  "
        f"p95 {s['p95']:6.1f}  p99 {s['p99']:6.1f}  max {s['max']:6.1f}  "
        f">50ms {s['over_50ms']:>3}  >100ms {s['over_100ms']:>3}"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rate", type=float, default=0, help="server MB/s (0: unlimited)")
    args = parser.parse_args()

    from kiosk import clock, config, xdisplay
    from kiosk.packs import manifest
    from kiosk.packs.loader import load_content
    from kiosk.sync.engine import Engine
    from tests.bench.sync_transfer import write_media
    from tests.conftest import write_config
    from tests.integration.packserver import Publisher, running

    work = Path(tempfile.mkdtemp(prefix="kiosk-bench-frames-"))
    try:
        keys = manifest.generate_keypair(work / "keys")
        (work / "server").mkdir()
        publisher = Publisher(work / "server", keys)
        publisher.publish()
        with running(publisher.out) as server, xdisplay.ensure_display(1920, 1920):
            (work / "kiosk").mkdir()
            sync = {
                "url": server.url,
                "public_key": publisher.public_key,
                "interval": "3600",
                "jitter": "0",
            }
            file = write_config(
                work / "kiosk", {"sync": sync, "display": {"size": "1080x1920", "maxfps": "30"}}
            )
            settings = config.load(file)
            clock.set_timezone(settings.kiosk.timezone)
            Engine(settings).run_once()

            from kiosk.ui.driver import Driver

            driver = Driver.start(settings, load_content(settings))  # configures Kivy first
            from kivy.clock import Clock

            app = driver.app
            driver.wait(lambda: app.background.get("sync") is not None, timeout=10)
            driver.pump(30)

            gaps: list[float] = []
            last = [time.perf_counter()]

            def frame(_dt: float) -> None:
                now = time.perf_counter()
                gaps.append(now - last[0])
                last[0] = now

            event = Clock.schedule_interval(frame, 0)
            deadline = time.monotonic() + args.seconds
            while time.monotonic() < deadline:
                driver.pump(1)
            idle = list(gaps[1:])

            write_media(publisher.src / "media" / "big.mp4", args.mb * MB, 9)
            publisher.publish()
            server.faults.rate = int(args.rate * 1e6) or None
            gaps.clear()
            last[0] = time.perf_counter()
            started = time.perf_counter()
            app.background.get("sync").trigger()
            while app.content.pack.version != 2 and time.perf_counter() - started < 600:
                driver.pump(1)
            seconds = time.perf_counter() - started
            event.cancel()
            during = list(gaps[1:])
            driver.stop()

            quiet, busy = summary(idle), summary(during)
            speed = f"server limited to {args.rate:g} MB/s" if args.rate else "unlimited"
            print(
                f"download ({speed}): {args.mb} MiB fetched, verified and activated"
                f" in {seconds:.1f} s"
            )
            print(line("idle", quiet))
            print(line("during download", busy))
            print(
                f"ratio during/idle: mean {busy['mean'] / quiet['mean']:.2f}  "
                f"p95 {busy['p95'] / quiet['p95']:.2f}  max {busy['max'] / quiet['max']:.2f}"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
