"""`kiosk pack validate | keygen | build | verify`: the staff's tools for content packs.

Messages are in Chinese: staff run these commands. Nothing heavy is imported until a verb runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from kiosk.errors import KioskError


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    from kiosk.commandline import verb_group

    verbs = verb_group(subparsers, "pack", common, "content packs: validate, keygen, build, verify")

    validate = verbs.add_parser(
        "validate", parents=[common], help="list every problem of a content source folder"
    )
    validate.add_argument("src", metavar="SRC", help="content source folder, e.g. content/yubei")
    validate.add_argument("--json", action="store_true", help="one JSON object per problem")
    validate.set_defaults(handler=_validate)

    keygen = verbs.add_parser("keygen", parents=[common], help="make an Ed25519 signing key pair")
    keygen.add_argument("--out", required=True, metavar="DIR", help="folder for the two files")
    keygen.add_argument(
        "--name", default="pack-signing", help="file name stem (default: %(default)s)"
    )
    keygen.add_argument("--force", action="store_true", help="overwrite existing key files")
    keygen.add_argument("--json", action="store_true", help="print the result as JSON")
    keygen.set_defaults(handler=_keygen)

    rotate = verbs.add_parser(
        "rotate-key",
        parents=[common],
        help="announce a new signing key, signed by the current one (kiosks switch to it)",
    )
    rotate.add_argument("out", metavar="OUT", help="the published pack folder")
    rotate.add_argument("--key", required=True, metavar="CURRENT.pem", help="current private key")
    rotate.add_argument("--new-key", required=True, metavar="NEW.pem", help="new private key")
    rotate.add_argument("--json", action="store_true", help="print the result as JSON")
    rotate.set_defaults(handler=_rotate_key)

    build = verbs.add_parser("build", parents=[common], help="validate, compile and sign a pack")
    build.add_argument("src", metavar="SRC", help="content source folder")
    build.add_argument("out", metavar="OUT", help="output folder (what the server publishes)")
    build.add_argument("--key", required=True, metavar="PRIVATE.pem", help="signing private key")
    build.add_argument(
        "--version", type=int, metavar="N", help="version number (default: last build + 1)"
    )
    build.add_argument(
        "--expires-days",
        type=int,
        default=None,
        metavar="D",
        help="days until kiosks stop accepting this manifest from the server (default: 180)",
    )
    build.add_argument("--json", action="store_true", help="print the result as JSON")
    build.set_defaults(handler=_build)

    verify = verbs.add_parser(
        "verify", parents=[common], help="check a built pack's signature, sizes and hashes"
    )
    verify.add_argument("out", metavar="OUT", help="built pack folder")
    verify.add_argument(
        "--public-key", required=True, metavar="KEY", help="public key file or its base64 text"
    )
    verify.add_argument("--json", action="store_true", help="print the result as JSON")
    verify.set_defaults(handler=_verify)


def _problem_dict(problem: Any) -> dict[str, Any]:
    return {
        "file": problem.file,
        "line": problem.line,
        "field": problem.field,
        "severity": problem.severity,
        "message": problem.message,
    }


def _validate(args: argparse.Namespace) -> int:
    from kiosk.commandline import emit_lines, settings_for
    from kiosk.packs.validate import validate

    _quiet_settings(args, settings_for)
    src = Path(args.src)
    if not src.is_dir():
        raise KioskError(f"{src}：文件夹不存在")
    report = validate(src)
    if args.json:
        emit_lines([_problem_dict(p) for p in report.problems])
    else:
        for problem in report.problems:
            print(problem)
        errors, warnings = len(report.errors), len(report.warnings)
        if errors:
            print(f"共 {errors} 处错误、{warnings} 处提醒。改正错误后才能打包。")
        elif warnings:
            print(f"没有错误，有 {warnings} 处提醒（不影响打包，但请尽快处理）。")
        else:
            print("检查通过，没有发现问题。")
    return 1 if report.errors else 0


def _keygen(args: argparse.Namespace) -> int:
    from kiosk.commandline import emit
    from kiosk.packs import manifest

    private, public = manifest.generate_keypair(Path(args.out), args.name, force=args.force)
    text = public.read_text(encoding="ascii").strip()
    result = {"private_key": str(private), "public_key_file": str(public), "public_key": text}
    emit(
        result,
        args.json,
        lambda r: (
            f"私钥：{r['private_key']}（只留在打包的电脑上，妥善保管，不要发给任何人）\n"
            f"公钥：{r['public_key_file']}\n"
            f"公钥内容（填入每台终端的配置）：{r['public_key']}"
        ),
    )
    return 0


def _rotate_key(args: argparse.Namespace) -> int:
    """Publish keys/root-<N>.json(.sig): the current key hands over to the new one."""
    import re

    from kiosk.commandline import emit
    from kiosk.packs import manifest, trust

    out = Path(args.out)
    current = manifest.load_private_key(Path(args.key))
    new = manifest.load_private_key(Path(args.new_key))
    current_text, new_text = manifest.public_key_text(current), manifest.public_key_text(new)
    if current_text == new_text:
        raise KioskError("新旧密钥相同，没有轮换")
    published = sorted(
        int(m[1])
        for p in (out / "keys").glob("root-*.json")
        if (m := re.fullmatch(r"root-(\d+)\.json", p.name))
    )
    version = (published[-1] + 1) if published else 2
    if published:
        last = json.loads((out / trust.announcement(published[-1])).read_text(encoding="utf-8"))
        if last.get("key") != current_text:
            raise KioskError(
                f"--key 不是当前密钥：第{published[-1]}号轮换公告已换成另一个密钥，未做任何改动"
            )
    elif (out / "manifest.json.sig").exists():
        try:
            manifest.verify_manifest(
                (out / "manifest.json").read_bytes(),
                (out / "manifest.json.sig").read_bytes(),
                manifest.load_public_key(current_text),
            )
        except manifest.PackError:
            raise KioskError(f"--key 不是签署 {out}/manifest.json 的密钥，未做任何改动") from None
    raw, signature = trust.make(current, new, version)
    (out / "keys").mkdir(parents=True, exist_ok=True)
    target = out / trust.announcement(version)
    # The signature first: a kiosk that finds the announcement always finds its signature.
    manifest.write_atomic(target.with_name(target.name + ".sig"), signature)
    manifest.write_atomic(target, raw)
    result = {"version": version, "announcement": str(target), "public_key": new_text}
    emit(
        result,
        args.json,
        lambda r: (
            f"已发布第{r['version']}号密钥轮换公告：{r['announcement']}\n"
            f"新公钥：{r['public_key']}\n"
            "今后请用新私钥打包（kiosk pack build ... --key 新私钥）；"
            "终端在下次同步时自动改用新密钥，旧密钥从此不再被接受。"
        ),
    )
    return 0


def _build(args: argparse.Namespace) -> int:
    from kiosk.commandline import emit, settings_for
    from kiosk.packs.build import DEFAULT_EXPIRES_DAYS, BuildError, build_pack

    _quiet_settings(args, settings_for)
    src = Path(args.src)
    if not src.is_dir():
        raise KioskError(f"{src}：文件夹不存在")
    reported: dict[str, int] = {}

    def progress(logical: str, done: int, size: int) -> None:
        """A line per tenth of each large file, so staff see a long build moving."""
        if size < 64 << 20:
            return
        tenth = 10 * done // size
        if reported.get(logical) != tenth:
            reported[logical] = tenth
            print(f"  正在打包 {logical}：{done >> 20}/{size >> 20} MB", file=sys.stderr)

    expires = DEFAULT_EXPIRES_DAYS if args.expires_days is None else args.expires_days
    try:
        result = build_pack(
            src, Path(args.out), Path(args.key), args.version, expires, progress=progress
        )
    except BuildError as exc:
        if exc.problems and not args.json:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
        raise
    found = result.manifest
    summary = {
        "pack": found.pack,
        "version": found.version,
        "created": found.created,
        "expires": found.expires,
        "files": len(found.files),
        "bytes": found.total_size,
        "out": str(result.out),
        "warnings": [_problem_dict(p) for p in result.warnings],
    }
    if not args.json:
        for problem in result.warnings:
            print(problem)
    emit(
        summary,
        args.json,
        lambda s: (
            f"已打包 {s['pack']} 第 {s['version']} 版：{s['files']} 个文件，"
            f"{s['bytes'] / 1e6:.1f} MB，输出到 {s['out']}；"
            f"清单有效期至 {s['expires']:%Y-%m-%d}"
        ),
    )
    return 0


def _verify(args: argparse.Namespace) -> int:
    from kiosk.commandline import emit
    from kiosk.packs import manifest

    out = Path(args.out)
    key = manifest.load_public_key(args.public_key)
    found, _ = manifest.read_manifest(out, key)
    problems = manifest.check_objects(out, found, deep=True)
    result = {
        "pack": found.pack,
        "version": found.version,
        "files": len(found.files),
        "bytes": found.total_size,
        "expires": found.expires,
        "problems": problems,
    }
    if problems:
        if args.json:
            emit(result, True)
        else:
            for problem in problems:
                print(problem, file=sys.stderr)
        raise KioskError(f"内容包 {found.pack} 第 {found.version} 版有 {len(problems)} 处不一致")
    emit(
        result,
        args.json,
        lambda r: (
            f"签名正确：{r['pack']} 第 {r['version']} 版，{r['files']} 个文件、"
            f"{r['bytes'] / 1e6:.1f} MB 全部与清单一致"
        ),
    )
    return 0


def _quiet_settings(args: argparse.Namespace, settings_for: Any) -> None:
    """Put the site's time zone into effect when a kiosk.ini is at hand; staff PCs may have none."""
    from kiosk.errors import ConfigError

    try:
        settings_for(args)
    except ConfigError:
        if getattr(args, "config", None):
            raise
