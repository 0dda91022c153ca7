"""`kiosk eligibility check | cases | map | lint | stats`: the walkthrough rules for staff.

    check  [--facts FILE|-] [--date D]   one JSON object of facts in, one JSON result out
    cases  FILE.csv|xlsx                 replay a staff case table; PASS/FAIL per row
    map    [--out DIR]                   flowchart (DOT, and PNG when Graphviz is installed)
    lint   [SRC]                         check the rule file of a pack folder
    stats  [--since D]                   anonymous counts of results shown (outcome, rule)

The rules come from the kiosk's content (kiosk.ini [content] source) or --content SRC.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from kiosk.errors import KioskError


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    from kiosk.commandline import date_arg, verb_group

    verbs = verb_group(
        subparsers, "eligibility", common, "legal-aid walkthrough rules (法律援助自测)"
    )

    content = argparse.ArgumentParser(add_help=False)
    content.add_argument(
        "--content", metavar="SRC", help="content sources to use (default: kiosk.ini [content])"
    )

    check = verbs.add_parser(
        "check", parents=[common, content], help="evaluate one JSON object of facts"
    )
    check.add_argument("--facts", metavar="FILE", default="-", help="JSON file, or - for stdin")
    check.add_argument("--date", type=date_arg, metavar="YYYY-MM-DD", help="default: today")
    check.add_argument("--json", action="store_true", help="(the output is always JSON)")
    check.set_defaults(handler=_cmd_check)

    cases = verbs.add_parser("cases", parents=[common, content], help="run a staff case table")
    cases.add_argument("file", metavar="FILE", help="case table (.csv UTF-8 or .xlsx)")
    cases.add_argument("--json", action="store_true", help="JSON lines, one per case")
    cases.set_defaults(handler=_cmd_cases)

    flow = verbs.add_parser(
        "map", parents=[common, content], help="flowchart of questions, rules and outcomes"
    )
    flow.add_argument("--out", metavar="DIR", default=".", help="folder for the files")
    flow.add_argument("--json", action="store_true", help="print the written paths as JSON")
    flow.set_defaults(handler=_cmd_map)

    lint = verbs.add_parser("lint", parents=[common], help="check the rule file of a pack folder")
    lint.add_argument("source", nargs="?", metavar="SRC", help="pack folder (default: kiosk.ini)")
    lint.add_argument("--json", action="store_true", help="JSON lines, one per problem")
    lint.set_defaults(handler=_cmd_lint)

    stats = verbs.add_parser("stats", parents=[common], help="anonymous counts of results")
    stats.add_argument("--since", type=date_arg, metavar="YYYY-MM-DD", help="first day counted")
    stats.add_argument("--json", action="store_true", help="JSON lines")
    stats.set_defaults(handler=_cmd_stats)


def _load(args: argparse.Namespace) -> tuple[Any, Any, Any]:
    """(settings, pack, ruleset) for this invocation."""
    from kiosk.commandline import settings_for
    from kiosk.eligibility.rules import load_pack_rules
    from kiosk.packs.source import load_source

    settings = settings_for(args)
    source = Path(args.content) if getattr(args, "content", None) else settings.content.source
    pack = load_source(source)
    return settings, pack, load_pack_rules(pack)


def _cmd_check(args: argparse.Namespace) -> int:
    from kiosk import clock
    from kiosk.eligibility.engine import evaluate, validate_facts

    settings, pack, ruleset = _load(args)
    text = _read_facts(args.facts)
    try:
        raw = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as exc:
        raise KioskError(
            f"事实不是有效的 JSON（第{exc.lineno}行第{exc.colno}列：{exc.msg}）"
        ) from None
    facts = validate_facts(ruleset, raw)
    result = evaluate(ruleset, facts, args.date or clock.today(), pack, settings.kiosk.site)
    print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    return 0


def _read_facts(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    try:
        return Path(name).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise KioskError(f"{name}: 无法读取（{exc}）") from None


def _cmd_cases(args: argparse.Namespace) -> int:
    from kiosk import clock
    from kiosk.commandline import emit_lines
    from kiosk.eligibility.cases import run_file

    settings, pack, ruleset = _load(args)
    runs = run_file(ruleset, Path(args.file), clock.today(), pack, settings.kiosk.site)
    if args.json:
        emit_lines([run.as_dict() for run in runs])
    else:
        for run in runs:
            mark = "PASS" if run.passed else "FAIL"
            title = f"{run.case.case_id} {run.case.description}".strip()
            print(f"{mark}  {title}  -> {run.result.rule if run.result else '-'}")
            for failure in run.failures:
                print(f"      {failure}")
        failed = sum(not run.passed for run in runs)
        print(f"{len(runs) - failed} passed, {failed} failed (rules {ruleset.version})")
    return 1 if any(not run.passed for run in runs) else 0


def _cmd_map(args: argparse.Namespace) -> int:
    import subprocess

    from kiosk.commandline import emit
    from kiosk.eligibility import flowchart

    _settings, _pack, ruleset = _load(args)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    dot_file = out / "eligibility-map.dot"
    dot_file.write_text(flowchart.to_dot(ruleset), encoding="utf-8")
    written = {"dot": str(dot_file), "png": None}
    if flowchart.dot_program():
        png = out / "eligibility-map.png"
        try:
            flowchart.render_png(dot_file, png)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            detail = getattr(exc, "stderr", b"") or b""
            raise KioskError(
                f"Graphviz failed to draw {png}: {detail.decode(errors='replace').strip()}"
            ) from None
        written["png"] = str(png)
    emit(
        written,
        args.json,
        lambda w: (
            f"wrote {w['dot']}"
            + (f" and {w['png']}" if w["png"] else " (install graphviz for a PNG)")
        ),
    )
    return 0


def _cmd_lint(args: argparse.Namespace) -> int:
    from kiosk.commandline import emit_lines, settings_for
    from kiosk.eligibility.lint import lint_cases, lint_folder
    from kiosk.packs.problems import ERROR

    folder = Path(args.source) if args.source else settings_for(args).content.source
    if not folder.is_dir():
        raise KioskError(f"{folder}: not a folder")
    problems = lint_folder(folder)
    if not any(p.severity == ERROR for p in problems):
        problems += lint_cases(folder)
    if args.json:
        emit_lines([p.__dict__ for p in problems])
    else:
        for problem in problems:
            print(problem)
        errors = sum(p.severity == ERROR for p in problems)
        print(f"{errors} errors, {len(problems) - errors} warnings")
    return 1 if any(p.severity == ERROR for p in problems) else 0


def _cmd_stats(args: argparse.Namespace) -> int:
    from kiosk import store
    from kiosk.commandline import emit_lines, settings_for
    from kiosk.eligibility import stats

    settings = settings_for(args)
    rows = stats.rows(store.open_db(settings.store.path), args.since)
    if args.json:
        emit_lines(rows)
    elif not rows:
        print("no results counted yet")
    else:
        for row in rows:
            print(f"{row['day']}  {row['outcome']:<20} {row['rule']:<30} {row['count']}")
    return 0
