"""Build -> verify -> load round trip, and every way a built pack must be refused."""

from __future__ import annotations

import base64
import dataclasses
import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.packs import built, compiled, manifest
from kiosk.packs.build import BuildError, build_pack
from kiosk.packs.source import load_source
from tests.conftest import CONTENT

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return manifest.generate_keypair(tmp_path_factory.mktemp("keys"))


@pytest.fixture
def src(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    shutil.copytree(CONTENT, folder)
    (folder / "media").mkdir(exist_ok=True)
    (folder / "media" / "clip.mp4").write_bytes(bytes(range(256)) * 4096)  # 1 MiB
    (folder / "media" / "poster.png").write_bytes(b"\x89PNG fake poster bytes")
    return folder


@pytest.fixture
def out(src: Path, keys: tuple[Path, Path], tmp_path: Path) -> Path:
    target = tmp_path / "out"
    build_pack(src, target, keys[0], now=NOW)
    return target


def public(keys: tuple[Path, Path]) -> object:
    return manifest.load_public_key(keys[1])


def test_round_trip_gives_the_same_pack_as_the_sources(src, out, keys):
    loaded = built.load_built(out, public(keys))
    from_source = load_source(src)
    assert loaded == dataclasses.replace(from_source, version=1)
    assert loaded.legal_aid == from_source.legal_aid
    # media are carried, by hash, and found through their logical paths
    clip = Path(loaded.path_of("media/clip.mp4"))
    assert clip.parent == out / "objects"
    assert clip.read_bytes() == (src / "media" / "clip.mp4").read_bytes()
    assert compiled.CONTENT_PATH not in loaded.files
    # sources are compiled, not carried
    assert not any(name.endswith(".yaml") for name in loaded.files)


def test_manifest_has_the_specified_fields_and_a_64_byte_signature(out, keys):
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert list(data) == [
        "format",
        "pack",
        "version",
        "created",
        "expires",
        "min_app_version",
        "files",
    ]
    assert data["pack"] == "yubei" and data["version"] == 1
    assert data["created"] == "2026-11-27T09:00:00Z"
    assert data["expires"] == "2027-05-26T09:00:00Z"  # 180 days by default
    entry = data["files"]["media/clip.mp4"]
    assert entry["size"] == 1 << 20
    assert (out / "objects" / entry["sha256"]).stat().st_size == 1 << 20
    signature = base64.b64decode((out / "manifest.json.sig").read_bytes().strip(), validate=True)
    assert len(signature) == 64
    public_raw = base64.b64decode(keys[1].read_text())
    assert len(public_raw) == 32


def test_verify_passes_on_a_fresh_build(out, keys):
    found = manifest.verify_folder(out, public(keys))
    assert found.version == 1 and "media/poster.png" in found.files


def _objects_of(out: Path) -> dict[str, Path]:
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {logical: out / "objects" / e["sha256"] for logical, e in data["files"].items()}


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset % len(data)] ^= 0x01
    path.write_bytes(bytes(data))


def test_a_flipped_byte_in_any_object_fails_verification_naming_it(out, keys):
    for logical, path in _objects_of(out).items():
        original = path.read_bytes()
        for offset in (0, len(original) // 2, len(original) - 1):
            _flip(path, offset)
            problems = manifest.check_objects(out, manifest.read_manifest(out, public(keys))[0])
            assert len(problems) == 1 and logical in problems[0], (logical, offset)
            with pytest.raises(manifest.ObjectError, match=logical.replace(".", r"\.")):
                manifest.verify_folder(out, public(keys))
            path.write_bytes(original)
    manifest.verify_folder(out, public(keys))


def test_a_flipped_byte_in_the_manifest_or_signature_fails(out, keys):
    for name in ("manifest.json", "manifest.json.sig"):
        file = out / name
        original = file.read_bytes()
        for offset in range(0, len(original) - 1, max(1, len(original) // 37)):
            _flip(file, offset)
            with pytest.raises((manifest.SignatureError, manifest.ManifestError)):
                manifest.verify_folder(out, public(keys))
            with pytest.raises(manifest.PackError):
                built.load_built(out, public(keys))
            file.write_bytes(original)


def test_another_key_is_refused(out, tmp_path):
    _, other_public = manifest.generate_keypair(tmp_path / "other")
    with pytest.raises(manifest.SignatureError, match="签名验证失败"):
        built.load_built(out, manifest.load_public_key(other_public))


def test_the_kiosk_refuses_corrupt_content_and_missing_or_truncated_media(out, keys):
    objects = _objects_of(out)
    content = objects[compiled.CONTENT_PATH]
    original = content.read_bytes()
    _flip(content, 10)
    with pytest.raises(manifest.ObjectError, match=r"_kiosk/content\.json"):
        built.load_built(out, public(keys))
    content.write_bytes(original)

    clip = objects["media/clip.mp4"]
    data = clip.read_bytes()
    clip.write_bytes(data[:-1])
    with pytest.raises(manifest.ObjectError, match=r"media/clip\.mp4"):
        built.load_built(out, public(keys))
    clip.unlink()
    with pytest.raises(manifest.ObjectError, match=r"media/clip\.mp4.*缺失"):
        built.load_built(out, public(keys))
    clip.write_bytes(data)
    # a same-size corruption of a large medium is found by a deep load (and by sync/verify)
    _flip(clip, 5)
    built.load_built(out, public(keys))
    with pytest.raises(manifest.ObjectError, match=r"media/clip\.mp4"):
        built.load_built(out, public(keys), deep=True)


def test_missing_files_name_what_is_missing(out, keys, tmp_path):
    (out / "manifest.json.sig").unlink()
    with pytest.raises(manifest.SignatureError, match=r"manifest\.json\.sig"):
        built.load_built(out, public(keys))
    with pytest.raises(manifest.ManifestError, match=r"manifest\.json"):
        built.load_built(tmp_path / "empty", public(keys))


def test_versions_must_grow(src, out, keys):
    again = build_pack(src, out, keys[0], now=NOW)
    assert again.version == 2
    with pytest.raises(BuildError, match="版本号 2 不大于上次打包的版本 2"):
        build_pack(src, out, keys[0], version=2, now=NOW)
    assert build_pack(src, out, keys[0], version=10, now=NOW).version == 10
    assert manifest.verify_folder(out, public(keys)).version == 10


def test_unchanged_objects_are_shared_between_versions(src, out, keys):
    before = set((out / "objects").iterdir())
    (src / "media" / "new.bin").write_bytes(b"new")
    build_pack(src, out, keys[0], now=NOW)
    after = set((out / "objects").iterdir())
    # only the new file is written: the compiled content did not change, the clip is reused
    assert before < after and len(after - before) == 1


def test_build_refuses_a_bad_key_and_an_other_pack_in_out(src, out, keys, tmp_path):
    bad = tmp_path / "bad.pem"
    bad.write_text("not a key")
    with pytest.raises(manifest.KeyFileError, match="不是可用的私钥"):
        build_pack(src, tmp_path / "x", bad)
    with pytest.raises(manifest.KeyFileError, match="无法读取"):
        build_pack(src, tmp_path / "x", tmp_path / "missing.pem")
    manifest_file = out / "manifest.json"
    manifest_file.write_text(manifest_file.read_text().replace('"yubei"', '"other"'))
    with pytest.raises(BuildError, match="另一个内容包"):
        build_pack(src, out, keys[0])


def test_keygen_never_overwrites_and_keeps_the_private_key_private(keys, tmp_path):
    private, public_file = keys
    assert private.stat().st_mode & 0o777 == 0o600
    assert private.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    with pytest.raises(manifest.KeyFileError, match="已存在"):
        manifest.generate_keypair(private.parent)
    assert manifest.load_public_key(public_file.read_text().strip())  # text form works too


def _manifest(**changes: object) -> manifest.Manifest:
    base = manifest.Manifest(
        pack="yubei",
        version=5,
        created=NOW,
        expires=NOW + timedelta(days=10),
        min_app_version="0.1.0",
        files={"a": manifest.FileEntry("0" * 64, 1)},
    )
    return dataclasses.replace(base, **changes)


def test_check_update_refuses_rollback_freeze_and_too_new_packs():
    manifest.check_update(_manifest(), installed_version=4, now=NOW)
    manifest.check_update(_manifest(), installed_version=None, now=NOW)
    with pytest.raises(manifest.RollbackError, match="不比已安装的版本 5 新"):
        manifest.check_update(_manifest(), installed_version=5, now=NOW)
    with pytest.raises(manifest.ExpiredError, match="过期"):
        manifest.check_update(_manifest(), 4, NOW + timedelta(days=10))
    with pytest.raises(manifest.AppTooOldError, match=r"9\.0"):
        manifest.check_update(_manifest(min_app_version="9.0"), 4, NOW)


def test_manifest_bytes_parse_back_to_the_same_manifest():
    m = _manifest()
    assert manifest.parse_manifest(m.to_bytes()) == m


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format=2), "格式版本"),
        (lambda d: d.update(pack="Bad Id"), "pack"),
        (lambda d: d.update(version="7"), "version"),
        (lambda d: d.update(version=True), "version"),
        (lambda d: d.update(version=0), "version"),
        (lambda d: d.update(created="yesterday"), "created"),
        (lambda d: d.update(expires="2027-01-01T00:00:00"), "expires"),
        (lambda d: d.update(min_app_version="new"), "min_app_version"),
        (lambda d: d.update(files=[]), "files"),
        (lambda d: d["files"].update({"../etc/passwd": {"sha256": "0" * 64, "size": 1}}), "不安全"),
        (lambda d: d["files"].update({"/abs": {"sha256": "0" * 64, "size": 1}}), "不安全"),
        (lambda d: d["files"].update({"a": {"sha256": "XYZ", "size": 1}}), "sha256"),
        (lambda d: d["files"].update({"a": {"sha256": "0" * 64, "size": -1}}), "size"),
        (lambda d: d.pop("files"), "files"),
    ],
)
def test_malformed_manifests_are_refused_with_the_field_named(change, message):
    data = json.loads(_manifest().to_bytes())
    change(data)
    with pytest.raises(manifest.ManifestError, match=message):
        manifest.parse_manifest(json.dumps(data).encode())


def test_not_json_is_refused():
    for raw in (b"", b"\xff\xfe", b"[1]", b"{"):
        with pytest.raises(manifest.ManifestError):
            manifest.parse_manifest(raw)


@pytest.mark.parametrize("text", ["", "abc", base64.b64encode(b"x" * 31).decode(), "!!!"])
def test_malformed_public_keys_are_refused(text):
    with pytest.raises(manifest.KeyFileError, match="32"):
        manifest.load_public_key(text)
