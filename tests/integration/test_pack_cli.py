"""`kiosk pack ...` as staff run it: success and every failure path, never a traceback."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import CONTENT, run_cli


@pytest.fixture
def cli(config_file):
    config = config_file()

    def run(*args: str):
        result = run_cli("pack", *args, config=config)
        assert "Traceback" not in result.stderr, result.stderr
        assert "unexpected error" not in result.stderr, result.stderr
        return result

    return run


@pytest.fixture
def keys(cli, tmp_path: Path) -> tuple[Path, Path]:
    result = cli("keygen", "--out", str(tmp_path / "keys"))
    assert result.returncode == 0, result.stderr
    return tmp_path / "keys" / "pack-signing.pem", tmp_path / "keys" / "pack-signing.pub"


def test_validate_the_default_pack(cli):
    result = cli("validate", str(CONTENT))
    assert result.returncode == 0, result.stdout
    assert "没有错误" in result.stdout or "检查通过" in result.stdout


def test_validate_lists_problems_and_fails(cli, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(CONTENT, src)
    sites = src / "sites.yaml"
    sites.write_text(sites.read_text(encoding="utf-8").replace("level: station", "level: 街道", 1))
    (src / "rosters.yaml").write_text("duty:\n  - id: x\n    site: nowhere\n", encoding="utf-8")
    result = cli("validate", str(src))
    assert result.returncode == 1
    assert "sites.yaml:" in result.stdout and "[level]" in result.stdout
    assert "rosters.yaml:3 [site]" in result.stdout
    assert "处错误" in result.stdout

    as_json = cli("validate", str(src), "--json")
    assert as_json.returncode == 1
    rows = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert {"file", "line", "field", "severity", "message"} <= set(rows[0])
    assert any(r["file"] == "rosters.yaml" and r["line"] == 3 for r in rows)


def test_validate_a_missing_folder(cli, tmp_path):
    result = cli("validate", str(tmp_path / "nope"))
    assert result.returncode == 1 and "文件夹不存在" in result.stderr


def test_keygen_refuses_to_overwrite(cli, keys):
    private, public = keys
    assert private.stat().st_mode & 0o777 == 0o600
    again = cli("keygen", "--out", str(private.parent))
    assert again.returncode == 1 and "已存在" in again.stderr
    forced = cli("keygen", "--out", str(private.parent), "--force", "--json")
    assert forced.returncode == 0
    assert json.loads(forced.stdout)["public_key"] == public.read_text().strip()


def test_keygen_into_a_folder_that_cannot_be_written(cli, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = cli("keygen", "--out", str(blocker / "keys"))
    assert result.returncode == 1 and "无法写入" in result.stderr


def test_build_then_verify(cli, keys, tmp_path):
    out = tmp_path / "out"
    built = cli("build", str(CONTENT), str(out), "--key", str(keys[0]), "--json")
    assert built.returncode == 0, built.stderr
    summary = json.loads(built.stdout)
    assert summary["pack"] == "yubei" and summary["version"] == 1
    verified = cli("verify", str(out), "--public-key", str(keys[1]))
    assert verified.returncode == 0, verified.stderr
    assert "签名正确" in verified.stdout
    text_key = cli("verify", str(out), "--public-key", keys[1].read_text().strip())
    assert text_key.returncode == 0


def test_build_refuses_sources_with_errors_and_writes_nothing(cli, keys, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(CONTENT, src)
    (src / "services.yaml").write_text("services:\n  - id: x\n", encoding="utf-8")
    out = tmp_path / "out"
    result = cli("build", str(src), str(out), "--key", str(keys[0]))
    assert result.returncode == 1
    assert "services.yaml:2" in result.stderr and "未打包" in result.stderr
    assert not (out / "manifest.json").exists()


def test_build_failure_paths(cli, keys, tmp_path):
    out = tmp_path / "out"
    missing_key = cli("build", str(CONTENT), str(out), "--key", str(tmp_path / "none.pem"))
    assert missing_key.returncode == 1 and "无法读取签名私钥" in missing_key.stderr
    public_as_private = cli("build", str(CONTENT), str(out), "--key", str(keys[1]))
    assert public_as_private.returncode == 1 and "不是可用的私钥" in public_as_private.stderr
    no_src = cli("build", str(tmp_path / "nope"), str(out), "--key", str(keys[0]))
    assert no_src.returncode == 1 and "文件夹不存在" in no_src.stderr
    zero_days = cli("build", str(CONTENT), str(out), "--key", str(keys[0]), "--expires-days", "0")
    assert zero_days.returncode == 1 and "expires-days" in zero_days.stderr

    assert (
        cli("build", str(CONTENT), str(out), "--key", str(keys[0]), "--version", "5").returncode
        == 0
    )
    again = cli("build", str(CONTENT), str(out), "--key", str(keys[0]), "--version", "5")
    assert again.returncode == 1 and "不大于上次打包的版本 5" in again.stderr
    assert json.loads((out / "manifest.json").read_text())["version"] == 5


def test_verify_failure_paths(cli, keys, tmp_path):
    out = tmp_path / "out"
    assert cli("build", str(CONTENT), str(out), "--key", str(keys[0])).returncode == 0

    other = cli("keygen", "--out", str(tmp_path / "other"))
    assert other.returncode == 0
    wrong = cli("verify", str(out), "--public-key", str(tmp_path / "other" / "pack-signing.pub"))
    assert wrong.returncode == 1 and "签名验证失败" in wrong.stderr

    bad_key = cli("verify", str(out), "--public-key", "not-a-key")
    assert bad_key.returncode == 1 and "公钥" in bad_key.stderr

    missing = cli("verify", str(tmp_path / "nothing"), "--public-key", str(keys[1]))
    assert missing.returncode == 1 and "manifest.json" in missing.stderr

    manifest = json.loads((out / "manifest.json").read_text())
    logical, entry = next(iter(manifest["files"].items()))
    obj = out / "objects" / entry["sha256"]
    data = bytearray(obj.read_bytes())
    data[0] ^= 1
    obj.write_bytes(bytes(data))
    flipped = cli("verify", str(out), "--public-key", str(keys[1]))
    assert flipped.returncode == 1 and logical in flipped.stderr
    assert "1 处不一致" in flipped.stderr
