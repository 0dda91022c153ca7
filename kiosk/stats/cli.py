"""`kiosk stats export`: the quarterly 统计表 of this kiosk's anonymous statistics.

kiosk stats export --quarter 2026Q4 --out FILE.xlsx [--format xlsx|csv|json]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

FORMATS = ("xlsx", "csv", "json")


def register(verbs: Any, common: argparse.ArgumentParser) -> None:
    from kiosk.commandline import verb_group

    actions = verb_group(verbs, "stats", common, "anonymous statistics (统计表)")
    export = actions.add_parser("export", parents=[common], help="the quarterly 统计表")
    export.add_argument("--quarter", required=True, metavar="YYYYQn", help="e.g. 2026Q4")
    export.add_argument("--out", required=True, metavar="FILE", help="where to write it")
    export.add_argument(
        "--format", choices=FORMATS, help="default: from the file name's ending, else xlsx"
    )
    export.set_defaults(handler=_export)


def export(settings: Any, quarter_text: str, out: Path, fmt: str | None = None) -> Any:
    """Write the 统计表 of one quarter; returns the Summary."""
    from kiosk import features, store
    from kiosk.packs.loader import load_content
    from kiosk.stats import events, summary, workbook

    quarter = summary.Quarter.parse(quarter_text)
    fmt = fmt or (out.suffix.lower().lstrip(".") if out.suffix.lower()[1:] in FORMATS else "xlsx")
    db = store.open_db(settings.store.path)
    conn = events.ensure(db)
    site = settings.kiosk.site
    tallies = summary.tally_sqlite(conn, quarter.start, quarter.end, site)
    # Follow-ups are kept by the feedback feature: asked through the registry (none: the
    # summary counts them from the events, as the fleet report does).
    sources = features.followup_sources()
    followups = (
        features.resolve(sources[0])(settings, quarter.start, quarter.end) if sources else None
    )
    pack = load_content(settings).pack
    site_obj = pack.site(site)
    names = {s.id: s.name for s in pack.services_at(site)}
    result = summary.summarize(
        tallies,
        quarter,
        site,
        site_obj.name if site_obj else site,
        followups=followups,
        service_names=names,
    )
    writer = {"xlsx": workbook.write_xlsx, "csv": workbook.write_csv, "json": workbook.write_json}
    writer[fmt](result, out)
    return result


def _export(args: argparse.Namespace) -> int:
    from kiosk.commandline import settings_for

    out = Path(args.out)
    result = export(settings_for(args), args.quarter, out, args.format)
    data = result.as_json()
    rate = data["satisfaction_rate"]
    shown = "—" if rate is None else f"{rate:.1%}"
    rated = sum(data["ratings"].values())
    print(f"{out}: {result.title} — 取号 {data['tickets_issued']}，评价 {rated}，满意率 {shown}")
    return 0
