"""XGov condition expression strings (the runner's expr-eval syntax) read into a small tree.

The subset the designer writes and councils hand-edit: ``and``, ``or``, ``not``, parentheses, the comparisons
``== != < > <= >=`` and ``in``, field and condition names (``section.field``), quoted strings, numbers,
``true``/``false``, and the calls ``length(field)``, ``dateForComparison(-7, 'days')`` and
``timeForComparison(1, 'hours')``. Anything else is refused with the place it was found, never a traceback.

Tree nodes are tuples: ``("or", [..])``, ``("and", [..])``, ``("not", node)``, ``("cmp", op, left, right)``,
``("name", "section.field")``, ``("lit", value)``, ``("call", "length", [args])``.
"""

from __future__ import annotations

import re
from typing import Any

from journeys.importers.xgov.context import Refused

Node = tuple[Any, ...]
MAX_NESTING = 16  # parentheses and nots inside one another: beyond this the expression is refused

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<num>\d+(?:\.\d+)?)
      | (?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
      | (?P<op>==|!=|<=|>=|<|>|\(|\)|,|-)
      | (?P<name>[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)*)
    )""",
    re.VERBOSE,
)
_WORDS = {"and", "or", "not", "in", "true", "false"}
COMPARISONS = ("==", "!=", "<=", ">=", "<", ">", "in")


def _tokens(text: str) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if m is None:
            raise Refused(f"the expression cannot be read at {text[pos : pos + 20].strip()!r}")
        pos = m.end()
        if m.group("num") is not None:
            num = float(m.group("num"))
            out.append(("lit", int(num) if num.is_integer() and "." not in m.group("num") else num))
        elif m.group("str") is not None:
            out.append(("lit", re.sub(r"\\(.)", r"\1", m.group("str")[1:-1])))
        elif m.group("op") is not None:
            out.append(("op", m.group("op")))
        else:
            word = m.group("name")
            if word in _WORDS:
                out.append(("lit", word == "true") if word in ("true", "false") else ("op", word))
            else:
                out.append(("name", word))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.i = 0
        self.depth = 0

    def peek(self) -> tuple[str, Any] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, op: str) -> bool:
        token = self.peek()
        if token == ("op", op):
            self.i += 1
            return True
        return False

    def expect(self, op: str) -> None:
        if not self.take(op):
            token = self.peek()
            found = "the end" if token is None else repr(token[1])
            raise Refused(f"the expression needs {op!r} where it has {found}")

    def nest(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise Refused(f"the expression is nested more than {MAX_NESTING} deep")

    def expression(self) -> Node:
        parts = [self.conjunction()]
        while self.take("or"):
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else ("or", parts)

    def conjunction(self) -> Node:
        parts = [self.negation()]
        while self.take("and"):
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else ("and", parts)

    def negation(self) -> Node:
        if self.take("not"):
            self.nest()
            inner = self.negation()
            self.depth -= 1
            return ("not", inner)
        return self.comparison()

    def comparison(self) -> Node:
        left = self.operand()
        token = self.peek()
        if token is not None and token[0] == "op" and token[1] in COMPARISONS:
            self.i += 1
            return ("cmp", token[1], left, self.operand())
        return left

    def operand(self) -> Node:
        token = self.peek()
        if token is None:
            raise Refused("the expression ends where a value or a field is needed")
        self.i += 1
        kind, value = token
        if kind == "lit":
            return ("lit", value)
        if token == ("op", "-"):
            number = self.operand()
            if number[0] != "lit" or isinstance(number[1], bool) or not isinstance(number[1], int | float):
                raise Refused("a minus sign must come before a number")
            return ("lit", -number[1])
        if token == ("op", "("):
            self.nest()
            inner = self.expression()
            self.expect(")")
            self.depth -= 1
            return inner
        if kind == "name":
            if self.take("("):
                args: list[Node] = []
                if not self.take(")"):
                    args.append(self.operand())
                    while self.take(","):
                        args.append(self.operand())
                    self.expect(")")
                return ("call", value, args)
            return ("name", value)
        raise Refused(f"the expression has {value!r} where a value or a field is needed")


def parse(text: str) -> Node:
    """The tree of an expression string; Refused, saying where, when it is not one the kiosk can read."""
    if len(text) > 2000:
        raise Refused("the expression is longer than 2,000 characters")
    parser = _Parser(text)
    if not parser.tokens:
        raise Refused("the expression is empty")
    tree = parser.expression()
    if parser.peek() is not None:
        raise Refused(f"the expression has more after its end: {parser.peek()[1]!r}")  # type: ignore[index]
    return tree
