"""YAML that remembers where each mapping started, so problems can name a line.

Mappings load as `Located` dicts (plain dicts with a `line` attribute, 1-based); everything else
loads as PyYAML's safe loader would. The engine uses them as ordinary dicts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class Located(dict):
    """A dict that knows the line of the YAML file it came from (0 when unknown)."""

    line: int = 0


class YamlProblem(ValueError):
    """The text is not valid YAML; `line` says where (1-based, or 0)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


def loads(text: str) -> Any:
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def mapping(loader: Loader, node: Any) -> Located:
        loader.flatten_mapping(node)
        result = Located(loader.construct_pairs(node, deep=True))
        result.line = node.start_mark.line + 1
        return result

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    try:
        return yaml.load(text, Loader=Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        reason = getattr(exc, "problem", None) or str(exc)
        raise YamlProblem(str(reason), line) from None


def load(file: Path) -> Any:
    try:
        text = Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise YamlProblem(f"cannot be read ({exc})") from None
    return loads(text)


def line_of(value: Any) -> int | None:
    line = getattr(value, "line", 0)
    return line or None
