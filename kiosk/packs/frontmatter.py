"""Front matter of Markdown pages: the YAML block between two --- lines."""

from __future__ import annotations

from typing import Any


def front_matter(text: str) -> tuple[str | None, str, int]:
    """'---\\nmeta\\n---\\nbody' -> (meta text, body, line of the body's first line)."""
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() == "---":
                meta = "\n".join(lines[1:index])
                rest = lines[index + 1 :]
                skipped = 0
                while rest and not rest[0].strip():
                    rest, skipped = rest[1:], skipped + 1
                return meta, "\n".join(rest), index + 2 + skipped
    return None, text, 1


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """'---\\nkey: value\\n---\\nbody' -> ({key: value}, body) (plain values, for tools)."""
    from kiosk.packs import yamlpos

    meta, body, _ = front_matter(text)
    if meta is None:
        return {}, body
    node, _ = yamlpos.parse(meta)
    data = node.plain() if node is not None else {}
    return (data if isinstance(data, dict) else {}), body
