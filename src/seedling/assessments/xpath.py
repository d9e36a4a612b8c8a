"""The XPath subset of XLSForm expressions (relevant, constraint, calculation, choice_filter, defaults).

The same language is implemented in static/assessments/xpath.js for the browser; both run the shared
vectors in tests/xpath_vectors.json, so a form behaves the same while filling and when the server
checks the submission again. XPath 1.0 rules (node-set comparisons, number/string/boolean conversion)
with the ODK habits forms rely on: a date string compares as a number of days.

Supported: ${name} references, `.` (the current answer), string and number literals, + - * div mod,
= != < <= > >=, and/or, unary minus, bare names inside a choice_filter (the choice's columns) and the
functions in FUNCTIONS. Anything else (paths, predicates, unions, other functions) is refused when the
form is imported, never met at run time.
"""

import datetime
import math
import re
from decimal import Decimal

from .xpath_parser import FUNCTIONS, XPathError, parse, references, walk

__all__ = [
    "FUNCTIONS", "NodeSet", "XPathError", "evaluate", "number_to_string", "parse", "references",
    "split_selected", "string_to_number", "to_boolean", "to_number", "to_string", "walk",
]  # fmt: skip

_NUMBER = re.compile(r"^[ \t\n\r]*(-?(?:\d+(?:\.\d*)?|\.\d+))[ \t\n\r]*$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_SPACE = re.compile(r"[ \t\n\r]+")
_EPOCH = datetime.date(1970, 1, 1)


class NodeSet(list):
    """The string values of the nodes an expression selected (XPath node-set)."""


# ------------------------------------------------------------------------------------------ conversion


def to_string(value) -> str:
    if isinstance(value, NodeSet):
        return value[0] if value else ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return number_to_string(value)
    return value


def number_to_string(x: float) -> str:
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == int(x) and abs(x) < 1e21:
        return str(int(x))
    text = repr(x)
    if "e" in text:
        text = format(Decimal(text), "f")
    return text


def string_to_number(text: str) -> float:
    m = _NUMBER.match(text)
    if m:
        return float(m.group(1))
    m = _DATE.match(text.strip())
    if m and int(m[1]) >= 100:
        try:
            return float((datetime.date(int(m[1]), int(m[2]), int(m[3])) - _EPOCH).days)
        except ValueError:
            return math.nan
    return math.nan


def to_number(value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    return string_to_number(to_string(value))


def to_boolean(value) -> bool:
    if isinstance(value, NodeSet):
        return len(value) > 0
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return not math.isnan(value) and value != 0
    return len(value) > 0


def split_selected(text: str) -> list[str]:
    return [part for part in _SPACE.split(text) if part]


# ------------------------------------------------------------------------------------------ evaluation


def evaluate(tree, ctx):
    """Value of a parsed expression in `ctx` (see formdata.Context): float, str, bool or NodeSet."""
    kind = tree[0]
    if kind == "num" or kind == "str":
        return tree[1]
    if kind == "ref":
        return NodeSet(ctx.resolve(tree[1]))
    if kind == "dot":
        return NodeSet(ctx.current())
    if kind == "col":
        return NodeSet(ctx.column(tree[1]))
    if kind == "neg":
        return -to_number(evaluate(tree[1], ctx))
    if kind == "bin":
        return _binary(tree[1], tree[2], tree[3], ctx)
    if kind == "call":
        return _call(tree[1], tree[2], ctx)
    raise XPathError(f"cannot evaluate {kind}")


def _binary(op: str, left_tree, right_tree, ctx):
    if op == "or":
        return to_boolean(evaluate(left_tree, ctx)) or to_boolean(evaluate(right_tree, ctx))
    if op == "and":
        return to_boolean(evaluate(left_tree, ctx)) and to_boolean(evaluate(right_tree, ctx))
    left, right = evaluate(left_tree, ctx), evaluate(right_tree, ctx)
    if op in ("=", "!=", "<", "<=", ">", ">="):
        return _compare(op, left, right)
    a, b = to_number(left), to_number(right)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "div":
        return _divide(a, b)
    return math.nan if b == 0 or math.isinf(a) or math.isnan(a) or math.isnan(b) else math.fmod(a, b)


def _divide(a: float, b: float) -> float:
    if b == 0:
        if a == 0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def _compare(op: str, left, right) -> bool:
    if isinstance(left, NodeSet) or isinstance(right, NodeSet):
        if isinstance(left, bool) or isinstance(right, bool):
            return _compare_atoms(op, to_boolean(left), to_boolean(right))
        lefts = left if isinstance(left, NodeSet) else [left]
        rights = right if isinstance(right, NodeSet) else [right]
        return any(_compare_atoms(op, a, b) for a in lefts for b in rights)
    return _compare_atoms(op, left, right)


def _compare_atoms(op: str, a, b) -> bool:
    if op in ("=", "!="):
        if isinstance(a, bool) or isinstance(b, bool):
            equal = to_boolean(a) == to_boolean(b)
        elif isinstance(a, float) or isinstance(b, float):
            equal = to_number(a) == to_number(b)
        else:
            equal = to_string(a) == to_string(b)
        return equal if op == "=" else not equal
    x, y = to_number(a), to_number(b)
    if op == "<":
        return x < y
    if op == "<=":
        return x <= y
    if op == ">":
        return x > y
    return x >= y


def _values(value) -> list[str]:
    return list(value) if isinstance(value, NodeSet) else [to_string(value)]


def _round(x: float, digits: float) -> float:
    if math.isnan(x) or math.isinf(x) or math.isnan(digits):
        return x
    n = int(digits)
    if abs(n) > 22:
        return x
    if n >= 0:
        m = float(10**n)
        return math.floor(x * m + 0.5) / m
    m = float(10 ** (-n))
    return math.floor(x / m + 0.5) * m


def _extreme(args, pick) -> float:
    numbers = [string_to_number(v) for arg in args for v in _values(arg)]
    if not numbers or any(math.isnan(n) for n in numbers):
        return math.nan
    return pick(numbers)


def _regex(text: str, pattern: str) -> bool:
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return False


def _pow(a: float, b: float) -> float:
    try:
        return math.pow(a, b)
    except OverflowError:
        return math.inf
    except (ValueError, ZeroDivisionError):
        return math.inf if a == 0 and b < 0 else math.nan


def _call(name: str, arg_trees, ctx):  # noqa: C901 -- one dispatch table reads best flat
    if name == "if":
        return evaluate(arg_trees[1] if to_boolean(evaluate(arg_trees[0], ctx)) else arg_trees[2], ctx)
    if name == "position":
        return float(ctx.position(arg_trees[0][1]))
    if name == "indexed-repeat":
        pairs = [
            (arg_trees[i][1], to_number(evaluate(arg_trees[i + 1], ctx))) for i in range(1, len(arg_trees), 2)
        ]
        return NodeSet(ctx.indexed(arg_trees[0], pairs))
    args = [evaluate(a, ctx) for a in arg_trees]
    if name in ("string", "number", "string-length", "normalize-space") and not args:
        args = [NodeSet(ctx.current())]
    s = [to_string(a) for a in args] if name not in ("count", "sum", "max", "min", "join") else []
    if name == "true":
        return True
    if name == "false":
        return False
    if name == "not":
        return not to_boolean(args[0])
    if name == "boolean":
        return to_boolean(args[0])
    if name == "string":
        return s[0]
    if name == "number":
        return to_number(args[0])
    if name == "int":
        x = to_number(args[0])
        return x if math.isnan(x) or math.isinf(x) else float(math.trunc(x))
    if name == "round":
        return _round(to_number(args[0]), to_number(args[1]) if len(args) > 1 else 0.0)
    if name in ("floor", "ceiling", "abs", "sqrt"):
        x = to_number(args[0])
        if math.isnan(x) or math.isinf(x):
            return x if name != "sqrt" or x > 0 else math.nan
        if name == "sqrt":
            return math.sqrt(x) if x >= 0 else math.nan
        return float({"floor": math.floor, "ceiling": math.ceil, "abs": abs}[name](x))
    if name == "pow":
        return _pow(to_number(args[0]), to_number(args[1]))
    if name == "concat":
        return "".join(s)
    if name == "string-length":
        return float(len(s[0]))
    if name == "normalize-space":
        return " ".join(split_selected(s[0]))
    if name == "contains":
        return s[1] in s[0]
    if name == "starts-with":
        return s[0].startswith(s[1])
    if name == "ends-with":
        return s[0].endswith(s[1])
    if name == "substr":
        start = to_number(args[1])
        stop = to_number(args[2]) if len(args) > 2 else math.inf
        if math.isnan(start) or math.isnan(stop):
            return ""
        begin = max(0, int(start))
        return s[0][begin:] if math.isinf(stop) else s[0][begin : max(begin, int(stop))]
    if name == "selected":
        return s[1].strip() in split_selected(s[0])
    if name == "count-selected":
        return float(len(split_selected(s[0])))
    if name == "coalesce":
        return s[0] if s[0] != "" else s[1]
    if name == "regex":
        return _regex(s[0], s[1])
    if name == "today":
        return ctx.today()
    if name == "now":
        return ctx.now()
    if name == "count":
        return float(len(_values(args[0])))
    if name == "count-non-empty":
        return float(sum(1 for v in _values(args[0]) if v != ""))
    if name == "sum":
        total = 0.0
        for v in _values(args[0]):
            total += string_to_number(v)
        return total
    if name == "max":
        return _extreme(args, max)
    if name == "min":
        return _extreme(args, min)
    if name == "join":
        return to_string(args[0]).join(v for arg in args[1:] for v in _values(arg))
    raise XPathError(f"function {name}() is not supported", feature=f"{name}()")
