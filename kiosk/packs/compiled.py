"""The compiled form of a pack: the model as typed JSON, written at build time.

A kiosk starts by reading one JSON object (`_kiosk/content.json` in a built pack) straight
into the model's dataclasses: no YAML, no spreadsheets, no validation at start-up. Items are
written as objects holding only the fields that differ from the model's defaults, so a field
added to the model later reads as its default from older packs, and a field this program does
not know (a pack built by a newer program) is ignored.

Feature packages can store derived data computed at build time (e.g. a search index) with
`@indexer("name")`; the kiosk finds it in `pack.indexes["name"]`. Indexers must return plain
JSON data. A feature names its module of indexers in its registration (kiosk/features.py).
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import json
import types
import typing
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from kiosk.packs import model

FORMAT = 1
# The oldest kiosk program that reads this FORMAT (the manifest's min_app_version). Raise it
# only when a change cannot be read by older programs: unknown fields are ignored anyway.
MIN_APP_VERSION = "0.1.0"
CONTENT_PATH = "_kiosk/content.json"  # logical path of the compiled content in a built pack

Indexer = Callable[[model.Pack], Any]
INDEXERS: dict[str, Indexer] = {}


def indexer(name: str) -> Callable[[Indexer], Indexer]:
    """Register a function computing build-time data for `pack.indexes[name]`."""

    def register(function: Indexer) -> Indexer:
        INDEXERS[name] = function
        return function

    return register


def compute_indexes(pack: model.Pack) -> dict[str, Any]:
    from kiosk import features

    for module in features.index_modules():
        importlib.import_module(module)
    return {name: function(pack) for name, function in sorted(INDEXERS.items())}


class CompiledError(ValueError):
    """The compiled content does not match the model (message in Chinese)."""


# --- encoding ------------------------------------------------------------------------------


def dumps(pack: model.Pack, indexes: dict[str, Any] | None = None) -> bytes:
    """The bytes of `_kiosk/content.json` for a pack."""
    from kiosk import __version__

    data = {
        "format": FORMAT,
        "app_version": __version__,
        "pack": _encode(pack, skip={"files", "indexes"}),
        "indexes": indexes if indexes is not None else dict(pack.indexes),
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _encode(value: Any, skip: set[str] | frozenset[str] = frozenset()) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _class_encoder(type(value), frozenset(skip))(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if isinstance(value, frozenset | set):
        return sorted(_encode(v) for v in value)
    if isinstance(value, dict):
        return {
            (k.isoformat() if isinstance(k, date) else str(k)): plain(v) for k, v in value.items()
        }
    return value


_PLAIN = (str, int, float, bool, type(None))


@functools.cache
def _class_encoder(cls: type, skip: frozenset[str]) -> Callable[[Any], dict[str, Any]]:
    """Fields that differ from their defaults; plain values are copied without a call."""
    specs = [
        (spec.name, _default_of(spec)) for spec in dataclasses.fields(cls) if spec.name not in skip
    ]

    def encode(value: Any) -> dict[str, Any]:
        out = {}
        for name, default in specs:
            item = getattr(value, name)
            if item == default:
                continue
            out[name] = item if type(item) in _PLAIN else _encode(item)
        return out

    return encode


def _default_of(spec: dataclasses.Field[Any]) -> Any:
    if spec.default is not dataclasses.MISSING:
        return spec.default
    if spec.default_factory is not dataclasses.MISSING:
        return spec.default_factory()
    return dataclasses.MISSING


def plain(value: Any) -> Any:
    """Free-form YAML data (legal_aid rules) as JSON, dates tagged so they come back as dates."""
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def unplain(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1:
            if "$date" in value:
                return date.fromisoformat(value["$date"])
            if "$datetime" in value:
                return datetime.fromisoformat(value["$datetime"])
        return {k: unplain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unplain(v) for v in value]
    return value


# --- decoding ------------------------------------------------------------------------------


def loads(raw: bytes) -> model.Pack:
    """Read compiled content; CompiledError (Chinese) if it does not fit the model."""
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise CompiledError(f"内容数据不是有效的 JSON（{exc}）") from None
    if not isinstance(data, dict) or not isinstance(data.get("pack"), dict):
        raise CompiledError("内容数据的结构不对")
    if data.get("format") != FORMAT:
        raise CompiledError(f"内容数据的格式版本 {data.get('format')!r} 不受本程序支持")
    try:
        pack = _decoder(model.Pack)(data["pack"])
        indexes = data.get("indexes") or {}
        if not isinstance(indexes, dict):
            raise TypeError("indexes")
        return dataclasses.replace(pack, indexes=indexes) if indexes else pack
    except (TypeError, ValueError, KeyError, AttributeError, IndexError) as exc:
        raise CompiledError(
            f"内容数据与本程序的数据结构不符（{type(exc).__name__}: {exc}）"
        ) from None


def _identity(value: Any) -> Any:
    return value


@functools.cache
def _decoder(tp: Any) -> Callable[[Any], Any]:
    """A function turning the JSON form of type `tp` back into a value of that type."""
    if dataclasses.is_dataclass(tp):
        return _class_decoder(tp)
    if tp in (str, int, float, Any, typing.Any):
        return _identity
    if tp is bool:
        return bool
    if tp is date:
        return date.fromisoformat
    if tp is datetime:
        return datetime.fromisoformat
    if tp is time:
        return time.fromisoformat
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (types.UnionType, typing.Union):
        inner = _decoder(next(a for a in args if a is not type(None)))
        return lambda v: None if v is None else inner(v)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])
            return tuple if item is _identity else (lambda v: tuple(item(x) for x in v))
        parts = [_decoder(a) for a in args]
        return lambda v: tuple(p(x) for p, x in zip(parts, v, strict=True))
    if origin in (frozenset, set):
        item = _decoder(args[0])
        return lambda v: frozenset(item(x) for x in v)
    if origin is dict:
        key, val = _decoder(args[0]), _decoder(args[1])
        if args[1] in (Any, typing.Any):
            val = unplain
        return lambda v: {key(k): val(x) for k, x in v.items()}
    raise TypeError(f"no decoder for {tp!r}")


def _class_decoder(cls: type) -> Callable[[Any], Any]:
    hints = typing.get_type_hints(cls, vars(model))
    names = frozenset(f.name for f in dataclasses.fields(cls))
    convert = {name: dec for name in names if (dec := _decoder(hints[name])) is not _identity}

    def decode(value: dict[str, Any]) -> Any:
        if not names.issuperset(value):
            value = {k: v for k, v in value.items() if k in names}
        if convert:
            value = {k: (convert[k](v) if k in convert else v) for k, v in value.items()}
        return cls(**value)

    return decode
