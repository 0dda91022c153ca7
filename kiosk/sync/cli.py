"""`kiosk sync [--once]`, `kiosk status [--json]` and `kiosk pack serve DIR`.

Messages are in Chinese for staff; --json gives the same facts to programs.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any

from kiosk.errors import KioskError


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    from kiosk.commandline import verb_group

    sync = subparsers.add_parser(
        "sync", parents=[common], help="fetch the newest content pack from the server"
    )
    sync.add_argument("--once", action="store_true", help="one check, then exit (default: forever)")
    sync.add_argument("--json", action="store_true", help="one JSON object per check")
    sync.set_defaults(handler=_sync)

    status = subparsers.add_parser(
        "status", parents=[common], help="installed packs and the state of syncing"
    )
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    status.set_defaults(handler=_status)

    pack_verbs = verb_group(subparsers, "pack", common, "content packs")
    serve = pack_verbs.add_parser(
        "serve", parents=[common], help="serve a built pack folder over HTTP (development, tests)"
    )
    serve.add_argument("dir", metavar="DIR", help="built pack folder (holds manifest.json)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (%(default)s)")
    serve.add_argument("--port", type=int, default=8700, help="port (%(default)s; 0 = any free)")
    serve.set_defaults(handler=_serve)


# --- sync ------------------------------------------------------------------------------------


def describe(outcome: Any) -> str:
    if outcome.result == "unchanged":
        return (
            f"已是最新：第{outcome.version}版"
            f"（{outcome.requests} 次请求，{outcome.body_bytes} 字节）"
        )
    verb = "已安装并启用" if outcome.result == "installed" else "已修复"
    return (
        f"{verb}第{outcome.version}版：下载 {outcome.fetched} 个文件，"
        f"{outcome.body_bytes / 1e6:.1f} MB，{outcome.requests} 次请求"
    )


def _outcome_dict(outcome: Any) -> dict[str, Any]:
    return {
        "ok": True,
        "result": outcome.result,
        "version": outcome.version,
        "fetched": outcome.fetched,
        "requests": outcome.requests,
        "bytes": outcome.body_bytes,
    }


def _sync(args: argparse.Namespace) -> int:
    from kiosk.commandline import emit, settings_for
    from kiosk.sync.engine import Engine
    from kiosk.sync.errors import SyncError

    settings = settings_for(args)
    if not settings.sync.url:
        raise KioskError(f"{settings.file}：[sync] url 为空，不同步（填写发布内容包的网址）")
    engine = Engine(settings)
    while True:
        try:
            outcome = engine.run_once()
        except SyncError as exc:
            if args.once:
                if args.json:
                    emit({"ok": False, "code": exc.code, "kind": exc.kind, "error": str(exc)}, True)
                raise
            emit(
                {"ok": False, "code": exc.code, "kind": exc.kind, "error": str(exc)},
                args.json,
                lambda r: f"同步失败：{r['error']}",
            )
        else:
            emit(_outcome_dict(outcome), args.json, lambda _r, o=outcome: describe(o))
        if args.once:
            return 0
        sys.stdout.flush()
        time.sleep(settings.sync.interval + random.uniform(0, settings.sync.jitter))


# --- status ----------------------------------------------------------------------------------


def _status(args: argparse.Namespace) -> int:
    from kiosk.commandline import emit, settings_for
    from kiosk.sync.status import report

    settings = settings_for(args)
    found = report(settings)
    emit(found.as_dict(), args.json, lambda _r: human_status(found))
    return 0


def human_status(found: Any) -> str:
    from kiosk import clock
    from kiosk.sync.texts import SYNC_STATES

    def when(moment: Any) -> str:
        return f"{moment.astimezone(clock.timezone()):%Y-%m-%d %H:%M:%S}" if moment else "无"

    def version(number: int | None) -> str:
        return f"第{number}版" if number is not None else "无"

    disk = found.disk
    lines = [
        f"状态：{SYNC_STATES.get(found.state, found.state)}（{found.state}）",
        f"服务器：{found.url or '未设置'}",
        f"当前版本：{version(found.active)}"
        + (f"，清单有效期至 {when(found.active_expires)}" if found.active_expires else ""),
        f"上一版本：{version(found.previous)}",
        f"服务器上的版本：{version(found.server_version)}",
        f"上次尝试：{when(found.last_attempt)}",
        f"上次成功：{when(found.last_success)}",
        f"上次错误：{found.last_error or '无'}",
        f"磁盘占用：{disk.get('total', 0) / 1e6:.1f} MB"
        + (f"（未完成的下载 {disk['partial'] / 1e6:.1f} MB）" if disk.get("partial") else "")
        + (f"，剩余 {disk['free'] / 1e9:.1f} GB" if disk.get("free") is not None else ""),
    ]
    for number, reason in sorted(found.broken.items()):
        lines.append(f"第{number}版启动时未通过校验：{reason}")
    return "\n".join(lines)


# --- serve -----------------------------------------------------------------------------------


def _serve(args: argparse.Namespace) -> int:
    from kiosk.sync.serve import serve

    folder = Path(args.dir)
    if not (folder / "manifest.json").is_file():
        raise KioskError(
            f"{folder}：没有 manifest.json，不是打包好的内容包（先运行 kiosk pack build）"
        )
    try:
        serve(folder, args.host, args.port)
    except OSError as exc:
        raise KioskError(f"无法在 {args.host}:{args.port} 上提供服务（{exc.strerror}）") from None
    return 0
