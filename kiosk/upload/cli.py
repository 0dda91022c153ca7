"""`kiosk upload [--once]` and `kiosk upload status [--json]`."""

from __future__ import annotations

import argparse
import threading
from typing import Any

from kiosk.errors import KioskError


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    upload = subparsers.add_parser(
        "upload",
        parents=[common],
        help="send statistics and heartbeats to the district ([upload] url)",
    )
    upload.add_argument(
        "--once",
        action="store_true",
        help="send what is due, then exit: 0 when nothing is left waiting (default: forever)",
    )
    upload.add_argument("--json", action="store_true", help="print the result as JSON")
    upload.set_defaults(handler=_upload)
    verbs = upload.add_subparsers(dest="upload_verb", metavar="ACTION")
    status = verbs.add_parser(
        "status", parents=[common], help="pending uploads, oldest, last success, last error"
    )
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    status.set_defaults(handler=_status)


def _upload(args: argparse.Namespace) -> int:
    from kiosk.commandline import emit, settings_for
    from kiosk.upload import texts
    from kiosk.upload.sender import Uploader, status
    from kiosk.upload.target import UploadError

    settings = settings_for(args)
    if not settings.upload.url:
        raise KioskError(f"{settings.file}：{texts.DISABLED}")
    uploader = Uploader(settings)
    if not args.once:
        stop = threading.Event()
        uploader.stop = stop
        try:
            uploader.loop()
        except KeyboardInterrupt:
            stop.set()
        return 0
    try:
        run = uploader.run_once()
    except UploadError as exc:
        found = status(settings)
        if args.json:
            emit({"ok": False, "code": exc.code, "error": str(exc), **found}, True)
        raise KioskError(texts.PENDING_LEFT.format(count=found["pending"], reason=exc)) from None
    if args.json:
        emit({"ok": run.pending == 0, "sent": run.sent, "pending": run.pending}, True)
    elif run.pending == 0:
        print(texts.DONE.format(sent=run.sent))
    if run.pending:
        raise KioskError(
            texts.PENDING_LEFT.format(count=run.pending, reason="新数据在发送期间加入")
        )
    return 0


def _status(args: argparse.Namespace) -> int:
    from kiosk.commandline import emit, settings_for
    from kiosk.upload.sender import status

    settings = settings_for(args)
    found = status(settings)
    emit(found, args.json, human_status)
    return 0


def human_status(found: dict[str, Any]) -> str:
    oldest = f"，最早 {found['oldest']}" if found["oldest"] else ""
    failing = ""
    if found["last_error"]:
        failing = f"（{found['last_error_at']}，连续失败 {found['failures']} 次）"
    lines = [
        f"本机编号：{found['kiosk']}（站点 {found['site']}）",
        f"上传地址：{found['url'] or '未设置（不上传）'}",
        f"待上传：{found['pending']} 个文件{oldest}",
        f"上次成功：{found['last_success'] or '无'}",
        f"上次错误：{found['last_error'] or '无'}{failing}",
    ]
    if found["next_attempt"]:
        lines.append(f"下次重试：{found['next_attempt']} 之后")
    if found["merged"] or found["dropped"]:
        lines.append(
            f"存储上限：已合并 {found['merged']} 批为每日汇总，"
            f"已丢弃 {found['dropped']} 批（{found['dropped_events']} 条记录）"
        )
    return "\n".join(lines)
