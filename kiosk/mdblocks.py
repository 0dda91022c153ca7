"""Markdown pages (公示) as a flat list of blocks a screen or a sign can lay out.

Only what disclosure pages need: headings, paragraphs, numbered and bulleted lists, tables
flattened to rows. Inline emphasis is dropped (Chinese fonts have no italics anyway).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Block:
    kind: str  # heading | paragraph | item | row
    text: str
    level: int = 0  # heading level, or list depth
    marker: str = ""  # "1." or "•" for list items


def blocks(markdown: str) -> list[Block]:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    result: list[Block] = []
    lists: list[list[int]] = []  # stack of [ordered, counter]
    heading = 0
    in_item = False
    row: list[str] = []
    in_cell = False
    for token in tokens:
        kind = token.type
        if kind == "heading_open":
            heading = int(token.tag[1])
        elif kind == "heading_close":
            heading = 0
        elif kind in ("ordered_list_open", "bullet_list_open"):
            start = int(token.attrGet("start") or 1)
            lists.append([kind == "ordered_list_open", start - 1])
        elif kind in ("ordered_list_close", "bullet_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            lists[-1][1] += 1
            in_item = True
        elif kind == "list_item_close":
            in_item = False
        elif kind in ("th_open", "td_open"):
            in_cell = True
        elif kind in ("th_close", "td_close"):
            in_cell = False
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            result.append(Block("row", "  |  ".join(row)))
        elif kind == "inline":
            text = _plain(token)
            if in_cell:
                row.append(text)
            elif heading:
                result.append(Block("heading", text, heading))
            elif in_item and lists:
                ordered, counter = lists[-1]
                marker = f"{counter}." if ordered else "•"
                result.append(Block("item", text, len(lists), marker))
            elif text:
                result.append(Block("paragraph", text))
    return result


def _plain(token: object) -> str:
    parts: list[str] = []
    for child in getattr(token, "children", None) or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n" if child.type == "hardbreak" else "")
    return "".join(parts).strip()
