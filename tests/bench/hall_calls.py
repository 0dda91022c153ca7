"""Hall server: call -> display updated, and many counters calling at once.

    python tests/bench/hall_calls.py [--calls 200] [--tickets 1000] [--counters 20] [--displays 10]

The hall server runs in its own process (`kiosk hall serve`), as on the hall's host. The
displays are event-stream clients of /api/events, exactly what the display page does (each
keeps one stream open and parses every `state` event).

1. Latency: counters call one after another (round robin over the counters); for each call,
   from just before the counter's POST to the moment the LAST of the displays has received a
   state showing that ticket at that counter. p50/p95/max, against a baseline measured in the
   same run: a plain GET /api/state round trip (what a page's fallback poll costs).
   Goal: p95 <= 300 ms with 20 counters and 10 displays.
2. Concurrency: the queue is filled with --tickets tickets over all services, then every
   counter calls in its own thread as fast as the server answers, until nobody waits. Checks:
   every ticket called exactly once (none twice, none lost), in the answers and in the ledger.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.timing import fix_clock, free_port, percentile, summary  # noqa: E402

NOW = fix_clock("2026-12-03T10:00:00")


class Display(threading.Thread):
    """One display client: records when each (counter, ticket) was first seen serving."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.seen: dict[tuple[str, str], float] = {}
        self.ready = threading.Event()
        self.lock = threading.Lock()

    def run(self) -> None:
        import requests

        with contextlib.suppress(requests.RequestException):  # the server stopped at the end
            self._read(requests)

    def _read(self, requests: Any) -> None:
        with requests.get(self.url + "api/events", stream=True, timeout=600) as stream:
            event = None
            for raw in stream.iter_lines():
                line = raw.decode()
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:") and event == "state":
                    now = time.perf_counter()
                    state = json.loads(line[5:])
                    with self.lock:
                        for counter in state["counters"]:
                            if counter["serving"]:
                                self.seen.setdefault((counter["counter"], counter["serving"]), now)
                    self.ready.set()

    def when(self, counter: str, ticket: str) -> float | None:
        with self.lock:
            return self.seen.get((counter, ticket))


def setup(folder: Path, counters: int, tickets: int, port: int) -> tuple[Path, list[str]]:
    from kiosk import clock, config
    from kiosk.hall.queue import Hall
    from kiosk.packs.source import load_source
    from tests.conftest import CONTENT, write_config

    pack = load_source(CONTENT)
    services = [s for s in pack.services_at("yubei-center")]
    spec = "; ".join(f"{n}: {services[(n - 1) % len(services)].id}" for n in range(1, counters + 1))
    ini = write_config(
        folder,
        {
            "hall": {"host": "yes", "port": str(port), "player": "", "counters": spec},
            "printer": {"url": "none"},
        },
    )
    settings = config.load(ini)
    clock.set_timezone(settings.kiosk.timezone)
    hall = Hall(settings, pack)
    keys = [hall.make_key(str(n)) for n in range(1, counters + 1)]
    now = clock.now()
    for index in range(tickets):
        service = services[index % len(services)]
        hall.ledger.issue(
            site="yubei-center",
            service=service.id,
            service_name=service.name,
            prefix=service.prefix,
            now=now,
            priority=index % 7 == 0,
            block=(1, 99999),
        )
    hall.ledger.close()
    return ini, keys


def start_server(ini: Path, port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--config", str(ini), "hall", "serve"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    from kiosk.hall.server import wait_until_listening

    wait_until_listening(f"http://127.0.0.1:{port}/", timeout=60)
    return process


def latency(url: str, keys: list[str], calls: int, displays: list[Display]) -> None:
    import requests

    session = requests.Session()
    baseline = []
    for _ in range(calls):
        start = time.perf_counter()
        session.get(url + "api/state", timeout=30).raise_for_status()
        baseline.append(time.perf_counter() - start)
    results = []
    for index in range(calls):
        counter = str(index % len(keys) + 1)
        start = time.perf_counter()
        answer = session.post(
            url + f"api/counters/{counter}/call",
            headers={"Authorization": f"Bearer {keys[int(counter) - 1]}"},
            timeout=30,
        ).json()
        ticket = answer["called"]["ticket"]
        deadline = time.perf_counter() + 30
        while True:
            seen = [d.when(counter, ticket) for d in displays]
            if all(s is not None for s in seen):
                results.append(max(s for s in seen if s is not None) - start)
                break
            if time.perf_counter() > deadline:
                raise SystemExit(f"display never showed {ticket} at counter {counter}")
            time.sleep(0.001)
    base, got = percentile(baseline, 95), percentile(results, 95)
    print(summary("baseline: GET /api/state", baseline))
    print(summary(f"call -> all {len(displays)} displays updated", results))
    print(
        f"p95 ratio to baseline: {got / base:.1f}x   goal p95 <= 300 ms: "
        f"{'met' if got <= 0.3 else 'NOT met'}"
    )


def concurrency(url: str, keys: list[str], ini: Path, expected: int) -> None:
    import requests

    called: list[str] = []
    lock = threading.Lock()
    errors: list[str] = []

    def work(counter: int) -> None:
        session = requests.Session()
        headers = {"Authorization": f"Bearer {keys[counter - 1]}"}
        while True:
            response = session.post(
                url + f"api/counters/{counter}/call", headers=headers, timeout=60
            )
            if response.status_code != 200:
                errors.append(f"{counter}: {response.status_code} {response.text}")
                return
            ticket = response.json()["called"]
            if ticket is None:
                return
            with lock:
                called.append(ticket["ticket"])

    threads = [threading.Thread(target=work, args=(n,)) for n in range(1, len(keys) + 1)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    import sqlite3

    from kiosk import config

    db = sqlite3.connect(config.load(ini).store.path)
    per_ticket = db.execute(
        "SELECT COUNT(*), COUNT(DISTINCT ticket_id), MAX(n) FROM"
        " (SELECT ticket_id, COUNT(*) AS n FROM hall_events WHERE kind = 'call' GROUP BY ticket_id)"
    ).fetchone()
    (waiting,) = db.execute("SELECT COUNT(*) FROM tickets WHERE queue_state = 'waiting'").fetchone()
    twice = len(called) - len(set(called))
    print(
        f"{len(keys)} counters, {len(called)} calls in {elapsed:.1f} s"
        f" ({len(called) / elapsed:.0f} calls/s); errors: {len(errors)}"
    )
    print(
        f"called twice: {twice}; lost (still waiting or never called): "
        f"{expected - len(set(called))}; ledger: {per_ticket[1]} tickets called,"
        f" at most {per_ticket[2]} call(s) each, {waiting} still waiting"
    )
    ok = not errors and twice == 0 and len(set(called)) == expected and per_ticket[2] == 1
    print("none called twice, none lost: " + ("yes" if ok else "NO"))
    for error in errors[:5]:
        print("  " + error)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--tickets", type=int, default=1000)
    parser.add_argument("--counters", type=int, default=20)
    parser.add_argument("--displays", type=int, default=10)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="hall-bench-") as tmp:
        for part in ("latency", "concurrency"):
            folder = Path(tmp) / part
            folder.mkdir()
            port = free_port()
            tickets = args.calls * 2 if part == "latency" else args.tickets
            ini, keys = setup(folder, args.counters, tickets, port)
            server = start_server(ini, port)
            url = f"http://127.0.0.1:{port}/"
            displays = [Display(url) for _ in range(args.displays)]
            try:
                for display in displays:
                    display.start()
                for display in displays:
                    display.ready.wait(30)
                print(f"--- {part}: {args.counters} counters, {args.displays} displays ---")
                if part == "latency":
                    latency(url, keys, args.calls, displays)
                else:
                    concurrency(url, keys, ini, tickets)
            finally:
                server.terminate()
                server.wait(timeout=30)


if __name__ == "__main__":
    main()
