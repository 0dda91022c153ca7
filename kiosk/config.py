"""kiosk.ini -> typed settings.

Each section is a frozen dataclass whose fields carry their own parser and the words used in
error messages, so a new key is declared in exactly one place. Every bad value becomes a
ConfigError naming the file, section, key and what is allowed.
"""

from __future__ import annotations

import configparser
import dataclasses
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kiosk import features as feature_registry
from kiosk.errors import ConfigError

ENV_VAR = "KIOSK_CONFIG"
PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_DIR / "kiosk.ini"

Parser = Callable[[str, Path], Any]


class BadValue(ValueError):
    """Raised by a parser; the message says what is allowed."""


def setting(default: str, parse: Parser, allowed: str) -> Any:
    """Declare a key: its default as written in kiosk.ini, its parser, and what is allowed."""
    return field(default=None, metadata={"default": default, "parse": parse, "allowed": allowed})


# --- parsers -------------------------------------------------------------------------------


def text(value: str, base: Path) -> str:
    return value.strip()


def identifier(value: str, base: Path) -> str:
    value = value.strip()
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", value):
        raise BadValue("lowercase letters, digits, '-' and '_'")
    return value


def boolean(value: str, base: Path) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "yes", "true", "on"}:
        return True
    if lowered in {"0", "no", "false", "off"}:
        return False
    raise BadValue("yes or no")


def integer(low: int, high: int) -> Parser:
    def parse(value: str, base: Path) -> int:
        try:
            number = int(value.strip())
        except ValueError:
            raise BadValue(f"a whole number from {low} to {high}") from None
        if not low <= number <= high:
            raise BadValue(f"a whole number from {low} to {high}")
        return number

    return parse


def number(low: float, high: float) -> Parser:
    def parse(value: str, base: Path) -> float:
        try:
            result = float(value.strip())
        except ValueError:
            raise BadValue(f"a number from {low:g} to {high:g}") from None
        if not low <= result <= high:
            raise BadValue(f"a number from {low:g} to {high:g}")
        return result

    return parse


def choice(*options: str) -> Parser:
    def parse(value: str, base: Path) -> str:
        value = value.strip().lower()
        if value not in options:
            raise BadValue("one of " + ", ".join(options))
        return value

    return parse


def choices(*options: str) -> Parser:
    """A comma-separated subset of options, in the order written (empty is allowed)."""

    def parse(value: str, base: Path) -> tuple[str, ...]:
        items = [item.strip().lower() for item in value.split(",") if item.strip()]
        unknown = [item for item in items if item not in options]
        if unknown:
            raise BadValue("a comma-separated list of " + ", ".join(options))
        return tuple(dict.fromkeys(items))

    return parse


def path(value: str, base: Path) -> Path:
    """Relative paths are relative to the folder of the kiosk.ini that names them."""
    value = value.strip()
    if not value:
        raise BadValue("a file or folder path")
    candidate = Path(os.path.expandvars(os.path.expanduser(value)))
    return candidate if candidate.is_absolute() else (base / candidate).resolve()


def optional_path(value: str, base: Path) -> Path | None:
    return path(value, base) if value.strip() else None


def size(value: str, base: Path) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d{2,5})\s*[xX×]\s*(\d{2,5})\s*", value)
    if not match:
        raise BadValue("WIDTHxHEIGHT in pixels, for example 1080x1920")
    width, height = int(match[1]), int(match[2])
    if not (32 <= width <= 8192 and 32 <= height <= 8192):
        raise BadValue("WIDTHxHEIGHT with each side from 32 to 8192 pixels")
    return width, height


def position(value: str, base: Path) -> tuple[int, int]:
    """Where the window's top-left corner goes on the desktop (an LED region), X,Y pixels."""
    match = re.fullmatch(r"\s*(\d{1,5})\s*,\s*(\d{1,5})\s*", value)
    if not match or int(match[1]) > 16384 or int(match[2]) > 16384:
        raise BadValue("X,Y in pixels from the desktop's top-left corner, e.g. 0,0 or 1920,0")
    return int(match[1]), int(match[2])


def timezone(value: str, base: Path) -> ZoneInfo:
    try:
        return ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise BadValue("an IANA time zone such as Asia/Shanghai") from None


def url(value: str, base: Path) -> str:
    """Empty (off), or an http(s) address of a folder; a trailing '/' is added."""
    value = value.strip()
    if not value:
        return ""
    if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", value):
        raise BadValue("empty, or an address starting with http:// or https://")
    return value if value.endswith("/") else value + "/"


def public_key(value: str, base: Path) -> str:
    """Empty, or base64 of the 32 raw bytes of an Ed25519 public key (`kiosk pack keygen`)."""
    import base64
    import binascii

    value = value.strip()
    if not value:
        return ""
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise BadValue("empty, or the base64 public key written by `kiosk pack keygen`")
    return value


def pin_hash(value: str, base: Path) -> str:
    value = value.strip()
    if value and not re.fullmatch(r"scrypt\$\d+\$\d+\$\d+\$[0-9a-f]{32}\$[0-9a-f]{64}", value):
        raise BadValue("empty, or a hash written by `kiosk admin set-pin`")
    return value


def short_name(value: str, base: Path) -> str:
    value = value.strip()
    if not value or len(value) > 20:
        raise BadValue("a short name of 1 to 20 characters, e.g. 1号机")
    return value


def short_text(value: str, base: Path) -> str:
    value = value.strip()
    if len(value) > 40:
        raise BadValue("at most 40 characters")
    return value


# --- sections ------------------------------------------------------------------------------

FEATURES = feature_registry.switchable()  # what [kiosk] features may name


@dataclass(frozen=True)
class KioskSection:
    site: str = setting("yubei-center", identifier, "the id of a site in the content pack")
    mode: str = setting(
        "kiosk", choice("kiosk", "signage", "evaluator"), "kiosk, signage or evaluator"
    )
    timezone: ZoneInfo = setting("Asia/Shanghai", timezone, "an IANA time zone")
    data_dir: Path = setting("var", path, "a folder the kiosk may write to")
    features: tuple[str, ...] = setting(
        ", ".join(FEATURES),
        choices(*FEATURES),
        "a comma-separated list of " + ", ".join(FEATURES),
    )
    label: str = setting("1号机", short_name, "a short name of 1 to 20 characters, e.g. 1号机")
    place: str = setting("", short_text, "empty, or at most 40 characters, e.g. 大厅入口")


@dataclass(frozen=True)
class DisplaySection:
    fullscreen: bool = setting("yes", boolean, "yes or no")
    size: tuple[int, int] = setting("1080x1920", size, "WIDTHxHEIGHT, e.g. 1080x1920")
    position: tuple[int, int] = setting("0,0", position, "X,Y, e.g. 0,0")
    rotation: int = setting(
        "0", lambda v, b: int(choice("0", "90", "180", "270")(v, b)), "0, 90, 180 or 270"
    )
    maxfps: int = setting("30", integer(5, 120), "5 to 120")


@dataclass(frozen=True)
class SessionSection:
    idle_timeout: int = setting("90", integer(1, 3600), "1 to 3600 seconds")
    idle_countdown: int = setting("20", integer(1, 300), "1 to 300 seconds")
    attract_after: int = setting("60", integer(0, 3600), "0 (off) to 3600 seconds")


@dataclass(frozen=True)
class AdminSection:
    pin_hash: str = setting("", pin_hash, "empty or a hash from `kiosk admin set-pin`")
    max_attempts: int = setting("5", integer(1, 20), "1 to 20")
    lockout_minutes: int = setting("5", integer(1, 1440), "1 to 1440 minutes")


@dataclass(frozen=True)
class ContentSection:
    source: Path = setting("content/yubei", path, "the folder of the bundled content sources")


@dataclass(frozen=True)
class SignageSection:
    slide_seconds: int = setting("15", integer(3, 600), "3 to 600 seconds")
    layout: str = setting("slides", choice("slides", "strip"), "slides or strip")
    counter: str = setting("", text, "empty, or the number of one counter (window-top strip)")
    strip_speed: float = setting("4", number(0.5, 20), "0.5 to 20 characters per second")


@dataclass(frozen=True)
class StoreSection:
    path: Path = setting("var/kiosk.sqlite3", path, "a SQLite file path")


@dataclass(frozen=True)
class SyncSection:
    url: str = setting("", url, "empty, or the http(s) address of the published pack folder")
    public_key: str = setting("", public_key, "the base64 key written by `kiosk pack keygen`")
    interval: int = setting("900", integer(10, 86400), "10 to 86400 seconds")
    jitter: int = setting("120", integer(0, 86400), "0 to 86400 seconds")
    packs: Path = setting("var/packs", path, "a folder the kiosk may write to")
    stale_after: int = setting("72", integer(1, 8760), "1 to 8760 hours")
    timeout: int = setting("30", integer(1, 600), "1 to 600 seconds")
    reserve_mb: int = setting("200", integer(0, 1_000_000), "0 to 1000000 megabytes")


# Sections of the kiosk itself; each feature's own come from its registration (kiosk/features.py).
CORE_SECTIONS: dict[str, type] = {
    "kiosk": KioskSection,
    "display": DisplaySection,
    "session": SessionSection,
    "admin": AdminSection,
    "content": ContentSection,
    "store": StoreSection,
    "signage": SignageSection,
    "sync": SyncSection,
}


def sections() -> dict[str, type]:
    """Every section kiosk.ini may have: the core ones, then those features register."""
    return {**CORE_SECTIONS, **feature_registry.sections()}


@dataclass(frozen=True)
class Settings:
    file: Path
    kiosk: KioskSection
    display: DisplaySection
    session: SessionSection
    admin: AdminSection
    content: ContentSection
    store: StoreSection
    signage: SignageSection
    sync: SyncSection
    # Sections registered by features, read like the others: `settings.printer.url`.
    feature_sections: Mapping[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        sections = self.__dict__.get("feature_sections") or {}
        if name in sections:
            return sections[name]
        raise AttributeError(f"kiosk.ini has no section [{name}]")

    def replace(self, section: str, **values: Any) -> Settings:
        """A copy with some typed values changed (command-line overrides, tests)."""
        return self.with_sections({section: dataclasses.replace(getattr(self, section), **values)})

    def with_sections(self, changed: Mapping[str, Any]) -> Settings:
        """A copy with whole sections replaced, core or feature ones alike."""
        core = {name: value for name, value in changed.items() if name in CORE_SECTIONS}
        extra = {name: value for name, value in changed.items() if name not in CORE_SECTIONS}
        return dataclasses.replace(
            self, **core, feature_sections={**self.feature_sections, **extra}
        )


# --- loading -------------------------------------------------------------------------------


def locate(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--config beats KIOSK_CONFIG beats ./kiosk.ini beats the bundled kiosk.ini."""
    if explicit:
        return Path(explicit)
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    local = Path.cwd() / "kiosk.ini"
    return local if local.is_file() else DEFAULT_CONFIG


def user_data_dir() -> Path:
    """Where a kiosk started outside its checkout keeps its files when it runs on the bundled
    kiosk.ini: $KIOSK_DATA_HOME, else /var/lib/kiosk for root, else
    $XDG_DATA_HOME/kiosk (~/.local/share/kiosk)."""
    if os.environ.get("KIOSK_DATA_HOME"):
        return Path(os.environ["KIOSK_DATA_HOME"]).expanduser()
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return Path("/var/lib/kiosk")
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "kiosk"


def rebase(settings: Settings, old: Path, new: Path) -> Settings:
    """A copy in which every path under `old` (data folder, database, packs, printer images)
    lies at the same place under `new`."""

    def moved(value: Any) -> Any:
        if isinstance(value, Path) and value.is_relative_to(old):
            return new / value.relative_to(old)
        if isinstance(getattr(value, "path", None), Path) and dataclasses.is_dataclass(value):
            return dataclasses.replace(value, path=moved(value.path))  # e.g. [printer] url
        return value

    changes = {}
    for name in sections():
        section = getattr(settings, name)
        values = {f.name: moved(getattr(section, f.name)) for f in dataclasses.fields(section)}
        changes[name] = dataclasses.replace(section, **values)
    return settings.with_sections(changes)


def keep_out_of_code_tree(settings: Settings) -> Settings:
    """The bundled kiosk.ini puts the kiosk's files in `var/` beside it, inside the code tree.
    That suits a developer working in the checkout (started from there), but an installed
    kiosk started from elsewhere must never write into its program folder: then every path
    under the code tree's var/ moves to `user_data_dir()` (same layout)."""
    if settings.file != DEFAULT_CONFIG.resolve() or Path.cwd().resolve() == PROJECT_DIR:
        return settings
    return rebase(settings, PROJECT_DIR / "var", user_data_dir())


def load(explicit: str | os.PathLike[str] | None = None) -> Settings:
    """Read and check kiosk.ini; every problem is a ConfigError, never a traceback."""
    file = locate(explicit).expanduser()
    if not file.is_file():
        raise ConfigError(f"{file}: configuration file not found")
    parser = configparser.ConfigParser(
        interpolation=None, inline_comment_prefixes=(";", "#"), empty_lines_in_values=False
    )
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        with file.open(encoding="utf-8") as handle:
            parser.read_file(handle)
    except UnicodeDecodeError:
        raise ConfigError(f"{file}: not UTF-8 text; save it as UTF-8") from None
    except configparser.Error as exc:
        raise ConfigError(f"{file}: {_describe_syntax(exc)}") from None
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read ({exc.strerror})") from None
    return keep_out_of_code_tree(parse(parser, file))


def parse(parser: configparser.ConfigParser, file: Path) -> Settings:
    base = file.resolve().parent
    known = sections()
    for section in parser.sections():
        if section not in known:
            raise ConfigError(
                f"{file}: unknown section [{section}]; known sections: "
                + ", ".join(f"[{name}]" for name in known)
            )
    values: dict[str, Any] = {}
    for name, cls in known.items():
        fields = {f.name: f for f in dataclasses.fields(cls)}
        given = dict(parser.items(name)) if parser.has_section(name) else {}
        for key in given:
            if key not in fields:
                raise ConfigError(
                    f"{file}: [{name}] {key}: unknown key; keys of [{name}]: " + ", ".join(fields)
                )
        parsed = {}
        for key, spec in fields.items():
            raw = given.get(key, spec.metadata["default"])
            try:
                parsed[key] = spec.metadata["parse"](raw, base)
            except BadValue as exc:
                raise ConfigError(
                    f"{file}: [{name}] {key} = {raw.strip()!r} is not allowed; expected {exc}"
                ) from None
        values[name] = cls(**parsed)
    core = {name: values.pop(name) for name in CORE_SECTIONS}
    return Settings(file=file.resolve(), **core, feature_sections=values)


def defaults(file: Path = DEFAULT_CONFIG) -> Settings:
    """Settings with every key at its default, paths relative to `file`'s folder."""
    parser = configparser.ConfigParser(interpolation=None)
    return parse(parser, file)


def _describe_syntax(exc: configparser.Error) -> str:
    if isinstance(exc, configparser.MissingSectionHeaderError):
        return f"line {exc.lineno}: a [section] header must come before any key"
    if isinstance(exc, configparser.DuplicateSectionError):
        return f"line {exc.lineno}: section [{exc.section}] appears twice"
    if isinstance(exc, configparser.DuplicateOptionError):
        return f"line {exc.lineno}: [{exc.section}] {exc.option} appears twice"
    if isinstance(exc, configparser.ParsingError):
        lines = ", ".join(str(line) for line, _ in exc.errors)
        return f"line {lines}: not a 'key = value' line"
    return str(exc).splitlines()[0]


def set_value(file: Path, section: str, key: str, value: str) -> None:
    """Rewrite one key in place, keeping every comment and the order of the file."""
    known_sections = sections()
    known = (
        {f.name for f in dataclasses.fields(known_sections[section])}
        if section in known_sections
        else set()
    )
    if key not in known:
        raise ConfigError(f"{file}: [{section}] {key}: unknown key")
    lines = file.read_text(encoding="utf-8").splitlines(keepends=True) if file.exists() else []
    header = re.compile(r"^\s*\[([^\]]+)\]")
    current = None
    insert_at = None
    for index, line in enumerate(lines):
        match = header.match(line)
        if match:
            if current == section and insert_at is None:
                insert_at = index
            current = match[1].strip()
            continue
        if current == section and re.match(rf"^\s*{re.escape(key)}\s*[=:]", line):
            lines[index] = f"{key} = {value}\n"
            break
    else:
        if current == section and insert_at is None:
            insert_at = len(lines)
        if insert_at is None:
            if lines and not lines[-1].endswith("\n"):
                lines[-1] += "\n"
            lines += [f"\n[{section}]\n", f"{key} = {value}\n"]
        else:
            while insert_at > 0 and not lines[insert_at - 1].strip():
                insert_at -= 1  # keep the blank line that separates sections
            if insert_at and not lines[insert_at - 1].endswith("\n"):
                lines[insert_at - 1] += "\n"
            lines.insert(insert_at, f"{key} = {value}\n")
    tmp = file.with_name(file.name + ".tmp")
    tmp.write_text("".join(lines), encoding="utf-8")
    os.replace(tmp, file)
