"""The tiny condition language of the rule file, and arithmetic for derived values.

A condition is a mapping; all its entries must hold:

    name: value            known and equal (value null: the name is unknown / 不确定)
    name: [a, b, null]     one of the listed values (null: unknown counts too)
    name: {lt: x}          comparison with a number or another name; also lte gt gte eq ne
    name: {known: true}    answered with something other than 不确定
    all: [cond, ...]       every one holds
    any: [cond, ...]       at least one holds
    not: cond              does not hold

A comparison with an unknown side is false, so unknown answers fall through to the later, more
careful rules. Derived values are formulas with + - * / and parentheses over known numbers,
computed with Decimal so that "one fen below the line" is exactly one fen below.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal, DivisionByZero, InvalidOperation
from typing import Any

COMBINATORS = ("all", "any", "not")
COMPARISONS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
}
OPERATOR_WORDS = {"lt": "<", "lte": "≤", "gt": ">", "gte": "≥", "eq": "=", "ne": "≠"}

Lookup = Callable[[str], Any]


class ConditionError(ValueError):
    """A condition or formula is not written in the rule language."""


def to_decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float | str):
        try:
            return Decimal(str(value).strip())
        except InvalidOperation:
            return None
    return None


def holds(condition: Any, lookup: Lookup) -> bool:
    """Whether `condition` holds; `lookup(name)` gives a fact, derived value or parameter."""
    if condition is None:
        return True
    if not isinstance(condition, Mapping):
        raise ConditionError(f"a condition must be a mapping, not {condition!r}")
    for key, expected in condition.items():
        if key == "all":
            if not all(holds(item, lookup) for item in _items(key, expected)):
                return False
        elif key == "any":
            if not any(holds(item, lookup) for item in _items(key, expected)):
                return False
        elif key == "not":
            if holds(expected, lookup):
                return False
        elif not _test(lookup(key), expected, lookup):
            return False
    return True


def _items(key: str, value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ConditionError(f"'{key}' needs a list of conditions")
    return value


def _same(actual: Any, expected: Any) -> bool:
    if isinstance(actual, bool) or isinstance(expected, bool):
        return isinstance(actual, bool) and isinstance(expected, bool) and actual == expected
    numbers = (int, float, Decimal)
    if isinstance(actual, numbers) and isinstance(expected, numbers):
        return Decimal(str(actual)) == Decimal(str(expected))
    return actual == expected


def _test(actual: Any, expected: Any, lookup: Lookup) -> bool:
    if expected is None:
        return actual is None
    if isinstance(expected, list):
        return any(
            (actual is None) if option is None else (actual is not None and _same(actual, option))
            for option in expected
        )
    if isinstance(expected, Mapping):
        for op, operand in expected.items():
            if op == "known":
                if (actual is not None) != bool(operand):
                    return False
                continue
            if op not in COMPARISONS:
                raise ConditionError(f"unknown comparison '{op}'")
            left = to_decimal(actual)
            right = to_decimal(lookup(operand) if isinstance(operand, str) else operand)
            if left is None or right is None or not COMPARISONS[op](left, right):
                return False
        return True
    return actual is not None and _same(actual, expected)


def names_in(condition: Any) -> Iterator[str]:
    """Every name a condition reads (facts, derived values, parameters), for the lint."""
    if not isinstance(condition, Mapping):
        return
    for key, expected in condition.items():
        if key in ("all", "any"):
            for item in expected if isinstance(expected, list) else []:
                yield from names_in(item)
        elif key == "not":
            yield from names_in(expected)
        else:
            yield str(key)
            if isinstance(expected, Mapping):
                for op, operand in expected.items():
                    if op != "known" and isinstance(operand, str):
                        yield operand


def problems_in(condition: Any) -> Iterator[str]:
    """Ways a condition breaks the language (wrong shapes, unknown comparisons)."""
    if condition is None:
        return
    if not isinstance(condition, Mapping):
        yield f"条件应写成“名称: 值”的形式，而不是 {condition!r}"
        return
    for key, expected in condition.items():
        if key in ("all", "any"):
            if not isinstance(expected, list):
                yield f"“{key}”后面应是条件列表"
                continue
            for item in expected:
                yield from problems_in(item)
        elif key == "not":
            yield from problems_in(expected)
        elif isinstance(expected, Mapping):
            for op in expected:
                if op != "known" and op not in COMPARISONS:
                    allowed = "、".join([*COMPARISONS, "known"])
                    yield f"“{key}”的比较方式“{op}”无法识别（可用：{allowed}）"


def describe(
    condition: Any,
    name: Callable[[str], str] = str,
    value: Callable[[str, Any], str] | None = None,
) -> str:
    """A short readable form of a condition for the flowchart (staff read it).

    `name(key)` and `value(key, v)` turn ids into the words staff know (question labels,
    option labels); by default ids are shown as they are.
    """
    show = value or (lambda _key, v: _word(v))
    if not condition:
        return "其余情况"
    parts = []
    for key, expected in condition.items():
        if key in ("all", "any"):
            joiner = "，且 " if key == "all" else "，或 "
            inner = joiner.join(describe(item, name, value) for item in expected or [])
            parts.append(f"（{inner}）")
        elif key == "not":
            parts.append(f"并非（{describe(expected, name, value)}）")
        elif expected is None:
            parts.append(f"{name(key)}：不确定")
        elif isinstance(expected, list):
            shown = ["不确定" if v is None else show(key, v) for v in expected]
            parts.append(f"{name(key)}：{' / '.join(shown)}")
        elif isinstance(expected, Mapping):
            for op, operand in expected.items():
                if op == "known":
                    parts.append(f"{name(key)}{'已知' if operand else '不确定'}")
                else:
                    other = name(operand) if isinstance(operand, str) else str(operand)
                    parts.append(f"{name(key)} {OPERATOR_WORDS.get(op, op)} {other}")
        else:
            parts.append(f"{name(key)}：{show(key, expected)}")
    return "，且 ".join(parts)


def _word(value: Any) -> str:
    if value is True:
        return "是"
    if value is False:
        return "否"
    return str(value)


# --- derived values --------------------------------------------------------------------------

_ALLOWED_NODES = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.USub,
    ast.UAdd,
    ast.Name,
    ast.Load,
    ast.Constant,
)


def parse_formula(text: str) -> ast.Expression:
    """Parse `text`, allowing only numbers, names, + - * / and parentheses."""
    try:
        tree = ast.parse(str(text), mode="eval")
    except SyntaxError:
        raise ConditionError(f"公式“{text}”写法不对（只能用数字、名称、+ - * / 和括号）") from None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES) or (
            isinstance(node, ast.Constant) and not isinstance(node.value, int | float)
        ):
            raise ConditionError(f"公式“{text}”只能用数字、名称、+ - * / 和括号")
    return tree


def formula_names(text: str) -> list[str]:
    return [n.id for n in ast.walk(parse_formula(text)) if isinstance(n, ast.Name)]


def compute(tree: ast.Expression, lookup: Lookup) -> Decimal | None:
    """The formula's value, or None when any name in it is unknown (or it divides by 0)."""

    def value(node: ast.AST) -> Decimal | None:
        if isinstance(node, ast.Expression):
            return value(node.body)
        if isinstance(node, ast.Constant):
            return Decimal(str(node.value))
        if isinstance(node, ast.Name):
            return to_decimal(lookup(node.id))
        if isinstance(node, ast.UnaryOp):
            inner = value(node.operand)
            if inner is None:
                return None
            return -inner if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BinOp):
            left, right = value(node.left), value(node.right)
            if left is None or right is None:
                return None
            try:
                if isinstance(node.op, ast.Add):
                    return left + right
                if isinstance(node.op, ast.Sub):
                    return left - right
                if isinstance(node.op, ast.Mult):
                    return left * right
                return left / right
            except (DivisionByZero, InvalidOperation):
                return None
        raise ConditionError(f"unsupported formula element {type(node).__name__}")

    return value(tree)
