"""YAML with line numbers, and without YAML's surprises, for validating staff-written files.

PyYAML's composer gives every value its position; we keep scalars as the text staff typed
(no implicit typing: `09:30` is not the number 570, `no` is not False, `023-1234` stays text)
and let the schema convert them. Duplicate keys, anchors that loop or explode, and syntax
errors become problems with a line number and a Chinese explanation, never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAP, SEQ, SCALAR = "map", "seq", "scalar"
NULLS = frozenset({"", "~", "null", "Null", "NULL"})
MAX_NODES = 200_000  # nodes visited when expanding aliases; beyond that the file is refused
MAX_DEPTH = 64


@dataclass(eq=False)
class Node:
    """A YAML value: a mapping (dict of Node), a sequence (list of Node) or a scalar (str|None)."""

    kind: str
    value: Any
    line: int  # 1-based line where the value starts
    key_lines: dict[str, int] = field(default_factory=dict)  # MAP: line of each key

    @property
    def is_null(self) -> bool:
        return self.kind == SCALAR and self.value is None

    def get(self, key: str) -> Node | None:
        return self.value.get(key) if self.kind == MAP else None

    def plain(self) -> Any:
        """Plain Python data (strings, lists, dicts, None), for messages and free-form data."""
        if self.kind == MAP:
            return {k: v.plain() for k, v in self.value.items()}
        if self.kind == SEQ:
            return [v.plain() for v in self.value]
        return self.value


@dataclass(frozen=True)
class YamlProblem:
    line: int | None
    message: str  # Chinese


class _Abort(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        self.line, self.message = line, message


def parse(text: str, first_line: int = 1) -> tuple[Node | None, list[YamlProblem]]:
    """Parse one YAML document. Returns (None, problems) if it cannot be read at all.

    `first_line` is the line of `text`'s first line in its file (for front matter).
    """
    import yaml

    offset = first_line - 1
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)  # pure Python: deep input is caught
    except yaml.MarkedYAMLError as exc:
        line = error_line(exc, text)
        return None, [YamlProblem(line + offset if line else None, explain(exc))]
    except yaml.YAMLError as exc:  # ReaderError: control characters, bad encoding
        position = getattr(exc, "position", None)
        line = text.count("\n", 0, position) + 1 + offset if isinstance(position, int) else None
        return None, [YamlProblem(line, "文件里有不可打印的特殊字符，请删除后重新保存")]
    except RecursionError:
        return None, [YamlProblem(None, "层级嵌套太深，无法读取")]
    if root is None:
        return None, []
    problems: list[YamlProblem] = []
    counter = [0]
    try:
        return _convert(root, offset, problems, counter, set(), 0), problems
    except _Abort as exc:
        return None, [*problems, YamlProblem(exc.line, exc.message)]


def _convert(
    node: Any,
    offset: int,
    problems: list[YamlProblem],
    counter: list[int],
    path: set[int],
    depth: int,
) -> Node:
    import yaml

    line = node.start_mark.line + 1 + offset
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise _Abort(line, "引用（& 和 *）展开后内容过多，请不要这样使用引用")
    if depth > MAX_DEPTH:
        raise _Abort(line, "层级嵌套太深，无法读取")
    if id(node) in path:
        raise _Abort(line, "引用（& 和 *）形成了循环，请删除这个引用")
    if isinstance(node, yaml.ScalarNode):
        value = node.value
        if node.style is None and value in NULLS:
            return Node(SCALAR, None, line)
        return Node(SCALAR, value, line)
    path = path | {id(node)}
    if isinstance(node, yaml.SequenceNode):
        items = [
            _convert(child, offset, problems, counter, path, depth + 1) for child in node.value
        ]
        return Node(SEQ, items, line)
    result: dict[str, Node] = {}
    key_lines: dict[str, int] = {}
    merged: dict[str, tuple[Node, int]] = {}
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1 + offset
        if key_node.tag == "tag:yaml.org,2002:merge":
            source = _convert(value_node, offset, problems, counter, path, depth + 1)
            for part in source.value if source.kind == SEQ else [source]:
                if part.kind == MAP:
                    for k, v in part.value.items():
                        merged.setdefault(k, (v, part.key_lines.get(k, part.line)))
            continue
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(YamlProblem(key_line, "字段名只能是普通文字"))
            continue
        key = key_node.value.strip()
        if key in result:
            problems.append(
                YamlProblem(
                    key_line,
                    f"“{key}”在这一项里写了两次（第 {key_lines[key]} 行和第 {key_line} 行），"
                    "请删掉多余的一个",
                )
            )
            continue
        result[key] = _convert(value_node, offset, problems, counter, path, depth + 1)
        key_lines[key] = key_line
    for key, (value, key_line) in merged.items():
        if key not in result:
            result[key], key_lines[key] = value, key_line
    return Node(MAP, result, line, key_lines)


def error_line(exc: Any, text: str) -> int | None:
    """The 1-based line a PyYAML error is about: where an unclosed quote or bracket opened."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    context = getattr(exc, "context_mark", None)
    problem = str(getattr(exc, "problem", "") or "")
    if "end of stream" in problem or "<stream end>" in problem:
        if context is not None and context.index < len(text.rstrip()):
            mark = context
        else:  # point at the last line with text rather than past the end of the file
            lines = text.rstrip().split("\n")
            return len(lines) if text.strip() else None
    return mark.line + 1 if mark is not None else None


_EXPLANATIONS = (
    ("found character '\\t'", "不能用 Tab 键缩进，请改用空格"),
    (
        "mapping values are not allowed here",
        "冒号位置不对：值里有冒号“:”时请用引号把整个值括起来，或检查缩进",
    ),
    ("could not find expected ':'", "缺少冒号“:”，或上一行的引号没有配对"),
    ("found undefined alias", "引用（*名称）找不到对应的 &名称"),
    ("expected a single document", "一个文件只能有一份内容，请删除多余的“---”分隔线"),
    ("found unexpected end of stream", "引号没有配对：缺少结尾的引号"),
    ("found unknown escape character", "双引号里的反斜杠“\\”用法不对，请改用单引号"),
    ("expected ',' or ']'", "方括号 [ ] 没有配对或缺少逗号"),
    ("expected the node content", "方括号 [ ] 或花括号 { } 没有写完"),
    ("expected ',' or '}'", "花括号 { } 没有配对或缺少逗号"),
    ("expected <block end>", "缩进不一致：同一层的内容要对齐，列表项以“- ”开头"),
    ("cannot start any token", "这一行以 YAML 不允许的字符开头（如 @ 或 `），请用引号把值括起来"),
    ("found duplicate anchor", "同一个 &名称 用了两次"),
    ("while scanning a simple key", "缺少冒号“:”，或这一行不该单独成行"),
    ("expected '<document start>'", "文件结构不对：请检查缩进和每行开头的“- ”"),
)


def explain(exc: Any) -> str:
    """A PyYAML error in words staff can act on (the original is kept for the technician)."""
    problem = f"{getattr(exc, 'context', '') or ''} {getattr(exc, 'problem', '') or ''}"
    for needle, message in _EXPLANATIONS:
        if needle in problem:
            return f"YAML 格式错误：{message}"
    detail = " ".join(problem.split()) or type(exc).__name__
    return f"YAML 格式错误，请检查这一行和上一行的缩进、冒号和引号（{detail}）"
