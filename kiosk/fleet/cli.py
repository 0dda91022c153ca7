"""`kiosk fleet status|report --from DIR_OR_URL`: the district's view of its kiosks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    from kiosk.commandline import verb_group

    verbs = verb_group(
        subparsers, "fleet", common, "the district's kiosks, from the folder they upload to"
    )
    source = argparse.ArgumentParser(add_help=False)
    source.add_argument(
        "--from",
        dest="origin",
        required=True,
        metavar="DIR_OR_URL",
        help="the uploaded folder, or its http(s) address (listed as nginx autoindex JSON)",
    )
    source.add_argument(
        "--cache", metavar="DIR", help="local cache (default: ~/.cache/kiosk-fleet/<hash>)"
    )
    status = verbs.add_parser(
        "status", parents=[common, source], help="one row per kiosk: heartbeat age, state, pack"
    )
    status.add_argument(
        "--pack", metavar="DIR_OR_URL", help="published pack folder: flag kiosks behind it"
    )
    status.add_argument("--json", action="store_true", help="print the rows as JSON")
    status.set_defaults(handler=_status)
    report = verbs.add_parser(
        "report", parents=[common, source], help="the quarter's 统计表 over every kiosk (XLSX)"
    )
    report.add_argument("--quarter", required=True, help="e.g. 2026Q4")
    report.add_argument("--out", required=True, metavar="FILE.xlsx", help="workbook to write")
    report.add_argument("--json", action="store_true", help="also print the figures as JSON")
    report.set_defaults(handler=_report)


def _status(args: argparse.Namespace) -> int:
    from kiosk import clock
    from kiosk.commandline import emit, settings_for
    from kiosk.errors import KioskError
    from kiosk.fleet import source, status, texts

    settings_for(args)
    cache = source.cache_root(args.origin, args.cache)
    folder = source.local_folder(
        args.origin, cache, lambda path: path == "heartbeat/" or path.startswith("heartbeat/")
    )
    beats = status.read_heartbeats(folder)
    if not beats:
        raise KioskError(texts.NO_KIOSKS.format(origin=args.origin))
    try:
        published = status.published_version(args.pack)
    except (OSError, ValueError, KioskError) as exc:
        raise KioskError(f"--pack {args.pack}：无法读取 manifest.json（{exc}）") from None
    found = status.rows(beats, clock.now(), published)
    counts = {state: sum(r.state == state for r in found) for state in texts.STATES}
    if args.json:
        emit(
            {"published": published, "counts": counts, "kiosks": [r.as_dict() for r in found]}, True
        )
        return 0
    lines = ["\t".join(texts.HEADERS)]
    for row in found:
        lines.append(
            "\t".join(
                [
                    row.site,
                    row.kiosk,
                    status.human_age(row.age_seconds),
                    texts.STATES[row.state],
                    f"第{row.pack}版" if row.pack is not None else "—",
                    row.printer,
                    "；".join(row.problems) or "—",
                ]
            )
        )
    lines.append(texts.TOTALS.format(total=len(found), **counts))
    print("\n".join(lines))
    return 0


def _report(args: argparse.Namespace) -> int:
    from kiosk.commandline import emit, settings_for
    from kiosk.fleet import report, source, texts
    from kiosk.stats import summary

    settings = settings_for(args)
    quarter = summary.Quarter.parse(args.quarter)
    cache = source.cache_root(args.origin, args.cache)
    start, end = quarter.start.isoformat(), quarter.end.isoformat()

    def wanted(path: str) -> bool:
        parts = path.split("/")
        if parts[0] not in ("stats", "stats_daily"):
            return False
        return len(parts) < 2 or not parts[1] or start <= parts[1].removeprefix("dt=") <= end

    folder = source.local_folder(args.origin, cache, wanted)
    site_names, service_names = _names(settings)

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\r整理上传数据：{done}/{total} 天", end="", file=sys.stderr, flush=True)

    built = report.build(
        folder, cache, quarter, site_names, service_names, texts.DISTRICT, progress
    )
    out = report.write_xlsx(built, Path(args.out))
    data = built.district.as_json()
    if args.json:
        emit(
            {
                **data,
                "kiosks": built.kiosks,
                "sites": {site: s.as_json() for site, s in built.sites.items()},
                "out": str(out),
            },
            True,
        )
    else:
        if sys.stderr.isatty():
            print(file=sys.stderr)
        print(
            texts.REPORT_DONE.format(
                out=out,
                title=built.district.title,
                sites=len(built.sites),
                kiosks=sum(built.kiosks.values()),
                tickets=data["tickets_issued"],
                ratings=sum(data["ratings"].values()),
            )
        )
    return 0


def _names(settings: Any) -> tuple[dict[str, str], dict[str, str]]:
    """Site and service names from the content pack this machine has (ids when it has none)."""
    try:
        from kiosk.packs.loader import load_content

        pack = load_content(settings).pack
    except Exception:
        return {}, {}
    sites = {site.id: site.name for site in pack.sites}
    services: dict[str, str] = {}
    for site in pack.sites:
        services.update({s.id: s.name for s in pack.services_at(site.id)})
    return sites, services
