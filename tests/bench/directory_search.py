"""Benchmark: directory search on a generated directory of 50,000 entries.

Run: python tests/bench/directory_search.py [--entries 50000] [--sequences 1500]

Measures, in one run:
- index build time (pinyin readings + postings), against the naive build a simple
  implementation would do: pypinyin on every name to get its initials and full pinyin;
- time per keystroke query (each prefix of a typed sequence is one query, as the kiosk
  searches on every key), p50/p95/p99/max, against a naive substring scan of the
  initials and full-pinyin strings of every entry (which also finds less: no mixed input).
The goal is p95 <= 2 ms per keystroke in the first run (each query new to the index, as a
resident types it); the fastest of --repeat runs is printed as the best case.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import re
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kiosk.directory.readings import Reader
from kiosk.directory.search import Entry, SearchIndex, tokens

TOWNS = (  # noqa: SIM905  (easier to edit than a list literal)
    "双龙湖街道 双凤桥街道 回兴街道 鸳鸯街道 翠云街道 人和街道 "
    "天宫殿街道 龙溪街道 龙山街道 龙塔街道 大竹林街道 悦来街道 两路街道 "
    "宝圣湖街道 仙桃街道 王家街道 礼嘉街道 康美街道 木耳镇 兴隆镇 "
    "茨竹镇 大湾镇 石船镇 古路镇 统景镇 大盛镇 洛碛镇 玉峰山镇 龙兴镇 "
    "麻柳嘴镇 张关镇 关兴镇 石鞋镇 曾家镇"
).split()
COMMON = (
    "安宝北碧昌长朝城春翠大德东凤福富高光广桂海和河红洪华怀回吉佳家嘉建江金锦京景静九康乐"
    "利莲良林龙隆绿马美民明南宁平桥青清庆泉仁荣瑞山上胜石双顺松太泰天田通同桐文武西仙祥新"
    "星兴秀学阳杨业义银永勇友玉园远悦云泽张正中重竹紫花湖溪岭坝湾沟塘坪堡寨峰岩坡冲垭庙"
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
INDUSTRY = ("医疗", "物业", "交通事故", "劳动争议", "婚姻家庭", "消费", "旅游", "建设工程")


def word(rng: random.Random, size: int = 2) -> str:
    return "".join(rng.choice(COMMON) for _ in range(size))


def generate(count: int, seed: int = 2018) -> list[Entry]:
    rng = random.Random(seed)
    entries = []
    for number in range(count):
        roll = rng.random()
        town = rng.choice(TOWNS)
        if roll < 0.40:
            kind = "site"
            name = f"{town}{word(rng)}{rng.choice(('社区', '村'))}公共法律服务工作室"
        elif roll < 0.60:
            kind = "institution"
            name = f"重庆{word(rng, rng.choice((2, 3)))}律师事务所"
        elif roll < 0.75:
            kind = "institution"
            if rng.random() < 0.8:
                name = f"{town}{word(rng)}{rng.choice(('社区', '村'))}人民调解委员会"
            else:
                name = f"{town}{rng.choice(INDUSTRY)}纠纷人民调解委员会"
        elif roll < 0.90:
            kind = "duty"
            name = f"{rng.choice(SURNAMES)}{word(rng, rng.choice((1, 2)))}律师"
        else:
            kind = "institution"
            suffix = rng.choice(("公证处", "司法鉴定所", "法律服务所", "法律援助工作站"))
            name = f"{town}{word(rng)}{suffix}"
        site = f"site{rng.randrange(200)}"
        entries.append(
            Entry(id=f"e{number}", kind=kind, name=name, site=site, person=kind == "duty")
        )
    return entries


def typed_sequences(entries: list[Entry], reader: Reader, count: int, seed: int = 7) -> list[str]:
    """What residents type: initials or pinyin of a name's start or of a word inside it."""
    rng = random.Random(seed)
    sequences = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.05:
            sequences.append("".join(rng.choice("qwxzvjk") for _ in range(rng.randint(3, 8))))
            continue
        units = reader.units(rng.choice(entries).name)
        start = 0 if rng.random() < 0.4 else rng.randrange(len(units))
        span = units[start : start + rng.randint(2, 6)]
        if roll < 0.55:
            text = "".join(letters[:1] for _, letters in span)  # initials: FLYZ
        elif roll < 0.85:
            text = "".join(letters for _, letters in span)  # full pinyin: tiaojie
        else:
            text = "".join(  # mixed: falvyz
                letters if i % 2 == 0 else letters[:1] for i, (_, letters) in enumerate(span)
            )
        sequences.append(text)
    return sequences


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def naive_build(entries: list[Entry]) -> list[tuple[str, str]]:
    from pypinyin import lazy_pinyin

    built = []
    for entry in entries:
        syllables = lazy_pinyin(entry.name)
        built.append(("".join(s[:1] for s in syllables), "".join(syllables)))
    return built


def naive_search(strings: list[tuple[str, str]], query: str, limit: int) -> list[int]:
    found = [i for i, (initials, full) in enumerate(strings) if query in initials or query in full]
    return found[:limit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--sequences", type=int, default=1500)
    parser.add_argument("--limit", type=int, default=30)
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of the queries; the first is the figure, the fastest the best case",
    )
    args = parser.parse_args()

    started = time.perf_counter()
    import pypinyin  # noqa: F401

    import_time = time.perf_counter() - started
    entries = generate(args.entries)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    started = time.perf_counter()
    reader = Reader()
    for entry in entries:
        reader.units(entry.name, person=entry.person)
    readings_time = time.perf_counter() - started
    started = time.perf_counter()
    index = SearchIndex(entries, own_site="site7", reader=reader)  # readings now memoised
    postings_time = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sequences = typed_sequences(entries, reader, args.sequences)
    del reader  # the kiosk drops its reader after building too

    started = time.perf_counter()
    naive = naive_build(entries)
    naive_build_time = time.perf_counter() - started

    gc.collect()
    keystrokes = [seq[:n] for seq in sequences for n in range(1, len(seq) + 1)]
    # The first run is what residents meet: each keystroke's query is new to the index (no
    # warm-up pass before it). Later runs repeat the same queries, for the best-case figure.
    # Wall time is what a resident waits for; CPU time of this thread is the search's own
    # work. On a loaded machine (other processes on the same cores) the two differ by the
    # time the search was not running at all: both are printed, so load is told from code.
    runs, empty, first_cpu = [], 0, []
    for attempt in range(args.repeat):
        run = []
        for query in keystrokes:
            re.purge()  # every query compiles its expression, as a fresh keystroke does
            cpu = time.thread_time()
            started = time.perf_counter()
            found = index.search(query, limit=args.limit)
            run.append(time.perf_counter() - started)
            if attempt == 0:
                first_cpu.append(time.thread_time() - cpu)
            empty += attempt == 0 and not found.hits
        runs.append(run)
    first = runs[0]
    times = [min(values) for values in zip(*runs, strict=True)]

    sample = keystrokes[:: max(1, len(keystrokes) // 400)]
    naive_times = []
    for query in sample:
        typed = tokens(query)
        started = time.perf_counter()
        naive_search(naive, typed, args.limit)
        naive_times.append(time.perf_counter() - started)
    ours_on_sample = []
    for query in sample:
        re.purge()
        started = time.perf_counter()
        index.search(query, limit=args.limit)
        ours_on_sample.append(time.perf_counter() - started)

    ms = 1000.0
    print(f"directory of {len(index):,} entries; pypinyin import {import_time * ms:.0f} ms")
    print(
        f"index build: {readings_time + postings_time:.2f} s "
        f"(readings {readings_time:.2f} s + postings {postings_time:.2f} s), "
        f"max RSS +{(rss_after - rss_before) / 1024:.0f} MB"
    )
    print(
        f"naive build (pypinyin per name, initials + full pinyin strings): "
        f"{naive_build_time:.2f} s -> ratio ours/naive "
        f"{(readings_time + postings_time) / naive_build_time:.2f}"
    )
    p50, p95, p99 = (percentile(times, s) * ms for s in (0.50, 0.95, 0.99))
    print(
        f"keystroke queries: {len(keystrokes):,} from {len(sequences):,} typed sequences "
        f"({empty:,} with no result)"
    )
    f50, f95, f99 = (percentile(first, s) * ms for s in (0.50, 0.95, 0.99))
    print(
        f"  index, first run (as residents meet it):  p50 {f50:.3f} ms  p95 {f95:.3f} ms  "
        f"p99 {f99:.3f} ms  max {max(first) * ms:.3f} ms"
    )
    c50, c95, c99 = (percentile(first_cpu, s) * ms for s in (0.50, 0.95, 0.99))
    print(
        f"  same, CPU time of the search itself:      p50 {c50:.3f} ms  p95 {c95:.3f} ms  "
        f"p99 {c99:.3f} ms  (wall minus this = time other processes had the core)"
    )
    print(
        f"  (best case, fastest of {args.repeat} runs per query: p50 {p50:.3f} ms  "
        f"p95 {p95:.3f} ms  p99 {p99:.3f} ms)"
    )
    n50, n95 = (percentile(naive_times, s) * ms for s in (0.50, 0.95))
    o50, o95 = (percentile(ours_on_sample, s) * ms for s in (0.50, 0.95))
    print(
        f"  naive substring scan ({len(sample)} of the same queries): p50 {n50:.2f} ms  "
        f"p95 {n95:.2f} ms; index on the same: p50 {o50:.3f} ms p95 {o95:.3f} ms "
        f"-> naive/index at p95 {n95 / o95:.0f}x"
    )
    print(
        f"goal first-run p95 <= 2 ms: {'met' if f95 <= 2.0 else 'NOT met'} ({f95:.3f} ms wall, "
        f"{c95:.3f} ms CPU; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )


if __name__ == "__main__":
    main()
