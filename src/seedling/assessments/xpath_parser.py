"""Parsing the XPath subset of XLSForm expressions (see xpath.py for the language and evaluation).

Refuses, with XPathError naming the feature, what the subset leaves out: paths other than ${name},
`.` and position(..), predicates, unions and functions outside FUNCTIONS.
"""

import re

# name -> (min args, max args or None)
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "true": (0, 0),
    "false": (0, 0),
    "not": (1, 1),
    "boolean": (1, 1),
    "string": (0, 1),
    "number": (0, 1),
    "int": (1, 1),
    "round": (1, 2),
    "floor": (1, 1),
    "ceiling": (1, 1),
    "abs": (1, 1),
    "pow": (2, 2),
    "sqrt": (1, 1),
    "concat": (1, None),
    "string-length": (0, 1),
    "normalize-space": (0, 1),
    "contains": (2, 2),
    "starts-with": (2, 2),
    "ends-with": (2, 2),
    "substr": (2, 3),
    "selected": (2, 2),
    "count-selected": (1, 1),
    "if": (3, 3),
    "coalesce": (2, 2),
    "regex": (2, 2),
    "today": (0, 0),
    "now": (0, 0),
    "count": (1, 1),
    "count-non-empty": (1, 1),
    "sum": (1, 1),
    "max": (1, None),
    "min": (1, None),
    "join": (2, None),
    "position": (1, 1),
    "indexed-repeat": (3, None),
}

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<num>\d+(?:\.\d*)?|\.\d+)
     |(?P<str>'[^']*'|"[^"]*")
     |(?P<ref>\$\{[^}]*\})
     |(?P<op>!=|<=|>=|=|<|>|\+|-|\*|\||\(|\)|,|\[|\]|//|/|@|::)
     |(?P<up>\.\.)
     |(?P<dot>\.)
     |(?P<name>[A-Za-z_][A-Za-z0-9_.\-]*(?::[A-Za-z_][A-Za-z0-9_.\-]*)?)
    )""",
    re.X | re.ASCII,
)
_WORD_OPS = {"and", "or", "div", "mod"}


class XPathError(ValueError):
    """An expression that cannot be used; `feature` names what is unsupported, when that is the cause."""

    def __init__(self, message: str, feature: str = ""):
        super().__init__(message)
        self.feature = feature


# ---------------------------------------------------------------------------------------------- parsing


def _tokens(expr: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos, end = 0, len(expr)
    while pos < end:
        if expr[pos:].strip() == "":
            break
        m = _TOKEN.match(expr, pos)
        if m is None or m.end() == pos:
            raise XPathError(f"unexpected character {expr[pos:].strip()[:1]!r}")
        kind = m.lastgroup
        text = m.group(kind)
        if kind == "name" and text in _WORD_OPS and out and not _opens(out[-1]):
            kind = "op"
        elif kind == "op" and text == "*" and (not out or _opens(out[-1])):
            raise XPathError("wildcard * is not supported", feature="path")
        out.append((kind, text))
        pos = m.end()
    return out


def _opens(token: tuple[str, str]) -> bool:
    """Whether an operand is expected after `token` (XPath's rule for reading and/or/div/mod)."""
    kind, text = token
    return kind == "op" and text not in (")", "]")


class _Parser:
    def __init__(self, expr: str):
        self.toks = _tokens(expr)
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise XPathError("unexpected end of expression")
        self.i += 1
        return tok

    def at_op(self, *ops: str) -> bool:
        tok = self.peek()
        return tok is not None and tok[0] == "op" and tok[1] in ops

    def expect(self, op: str) -> None:
        if not self.at_op(op):
            tok = self.peek()
            raise XPathError(f"expected {op!r}, found {tok[1] if tok else 'end'!r}")
        self.i += 1

    def binary(self, ops: tuple[str, ...], operand):
        left = operand()
        while self.at_op(*ops):
            op = self.take()[1]
            left = ("bin", op, left, operand())
        return left

    def parse_or(self):
        return self.binary(("or",), self.parse_and)

    def parse_and(self):
        return self.binary(("and",), self.parse_eq)

    def parse_eq(self):
        return self.binary(("=", "!="), self.parse_rel)

    def parse_rel(self):
        return self.binary(("<", "<=", ">", ">="), self.parse_add)

    def parse_add(self):
        return self.binary(("+", "-"), self.parse_mul)

    def parse_mul(self):
        return self.binary(("*", "div", "mod"), self.parse_unary)

    def parse_unary(self):
        if self.at_op("-"):
            self.take()
            return ("neg", self.parse_unary())
        node = self.parse_primary()
        if self.at_op("|"):
            raise XPathError("union | is not supported", feature="union")
        if self.at_op("["):
            raise XPathError("predicates [...] are not supported", feature="predicate")
        if self.at_op("/", "//"):
            raise XPathError("XPath paths are not supported; use ${name}", feature="path")
        return node

    def parse_primary(self):
        kind, text = self.take()
        if kind == "num":
            return ("num", float(text))
        if kind == "str":
            return ("str", text[1:-1])
        if kind == "ref":
            name = text[2:-1].strip()
            if not name:
                raise XPathError("empty reference ${}")
            return ("ref", name)
        if kind == "dot":
            return ("dot",)
        if kind == "up":
            levels = 1
            while self.at_op("/") and self.i + 1 < len(self.toks) and self.toks[self.i + 1][0] == "up":
                self.i += 2
                levels += 1
            return ("up", levels)
        if kind == "name":
            if self.at_op("("):
                return self.parse_call(text)
            return ("col", text)
        if kind == "op" and text == "(":
            node = self.parse_or()
            self.expect(")")
            return node
        if kind == "op" and text in ("/", "//"):
            raise XPathError("absolute XPath paths are not supported; use ${name}", feature="path")
        raise XPathError(f"unexpected {text!r}")

    def parse_call(self, name: str):
        self.expect("(")
        args = []
        if not self.at_op(")"):
            args.append(self.parse_or())
            while self.at_op(","):
                self.take()
                args.append(self.parse_or())
        self.expect(")")
        if name not in FUNCTIONS:
            raise XPathError(f"function {name}() is not supported", feature=f"{name}()")
        low, high = FUNCTIONS[name]
        if len(args) < low or (high is not None and len(args) > high):
            raise XPathError(f"{name}() takes a different number of arguments")
        if name == "position" and args[0][0] != "up":
            raise XPathError("position() is supported only as position(..)", feature="position()")
        if name == "indexed-repeat" and (len(args) % 2 == 0 or any(a[0] != "ref" for a in args[1::2])):
            raise XPathError("indexed-repeat() needs ${field}, then ${repeat}, index pairs")
        return ("call", name, args)


def parse(expr: str):
    """The syntax tree of `expr`; raises XPathError naming what is wrong or unsupported."""
    if not isinstance(expr, str) or not expr.strip():
        raise XPathError("empty expression")
    parser = _Parser(expr)
    tree = parser.parse_or()
    if parser.peek() is not None:
        raise XPathError(f"unexpected {parser.peek()[1]!r}")
    _check_up(tree, inside_position=False)
    return tree


def _check_up(node, inside_position: bool) -> None:
    if node[0] == "up" and not inside_position:
        raise XPathError(".. is supported only inside position(..)", feature="path")
    if node[0] == "call":
        for arg in node[2]:
            _check_up(arg, inside_position=node[1] == "position")
    elif node[0] == "bin":
        _check_up(node[2], False)
        _check_up(node[3], False)
    elif node[0] == "neg":
        _check_up(node[1], False)


def walk(node):
    """Every node of a syntax tree, depth first."""
    yield node
    if node[0] == "call":
        for arg in node[2]:
            yield from walk(arg)
    elif node[0] == "bin":
        yield from walk(node[2])
        yield from walk(node[3])
    elif node[0] == "neg":
        yield from walk(node[1])


def references(tree) -> set[str]:
    """The ${names} an expression reads."""
    return {n[1] for n in walk(tree) if n[0] == "ref"}
