"""XGov conditions (expression strings and the structured form) as kiosk conditions.

A structured condition is a list of field conditions, references to other conditions and groups, joined by
coordinators: ``and`` binds tighter than ``or``, as the designer groups them. Operators become the kiosk's
comparisons; "at least" and "at most" become strict comparisons one step further (whole numbers, whole days,
minutes), and relative dates ``{"days_from_today": N}``. A condition that cannot be kept raises Refused.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from journeys.importers.xgov import expression
from journeys.importers.xgov.context import Context, Field, Refused
from journeys.importers.xgov.questions import value_key

Cond = dict[str, Any]
MAX_REFERENCES = 16  # conditions referring to conditions referring to ...: beyond this, refused
_UNIT_DAYS = {"days": 1, "months": 30, "years": 365}
_FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "==": "==", "!=": "!="}
_OPERATORS = {
    "is": "==",
    "is not": "!=",
    "is before": "<",
    "is after": ">",
    "is less than": "<",
    "is more than": ">",
    "is at least": ">=",
    "is at most": "<=",
    "is longer than": "len>",
    "is shorter than": "len<",
    "has length": "len==",
    "contains": "in",
    "does not contain": "not in",
}
# relative dates: operator -> (comparison for a time in the past, in the future), as the runner builds them
_RELATIVE = {
    "is at least": ("<=", ">="),
    "is at most": (">=", "<="),
    "is less than": (">", "<"),
    "is more than": ("<", ">"),
}


def negate(c: Cond) -> Cond:
    """The opposite condition: ``not`` taken off, equals as not_equals, else ``{"not": c}``."""
    if set(c) == {"not"}:
        return c["not"]
    if set(c) == {"question", "equals"}:
        return {"question": c["question"], "not_equals": c["equals"]}
    if set(c) == {"question", "not_equals"}:
        return {"question": c["question"], "equals": c["not_equals"]}
    return {"not": c}


def combine(kind: str, parts: list[Cond]) -> Cond:
    """``all`` / ``any`` of the parts, flattening the same kind inside (which keeps conditions shallow)."""
    flat: list[Cond] = []
    for part in parts:
        flat.extend(part[kind] if set(part) == {kind} else [part])
    return flat[0] if len(flat) == 1 else {kind: flat}


def depth(c: Cond) -> int:
    """How deep the condition nests, counted as the journey format's limit counts it."""
    for kind in ("all", "any"):
        if kind in c:
            return 1 + max(depth(p) for p in c[kind])
    if "not" in c:
        return 1 + depth(c["not"])
    return 1


class Conditions:
    """The definition's named conditions, converted on demand (each once) for the pages that use them."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.raw: dict[str, Any] = {}
        self.notes_seen: set[str] = set()
        self._done: dict[str, Cond] = {}
        self._busy: list[str] = []
        for n, item in enumerate(ctx.data.get("conditions") or [], 1):
            name = item.get("name") if isinstance(item, dict) else None
            if not isinstance(name, str) or "value" not in item:
                ctx.note(f"condition #{n}", "a condition needs a name and a value; it is left out", "error")
            elif name in self.raw:
                ctx.note(f"condition {name}", "the name is used twice; the second is left out", "error")
            else:
                self.raw[name] = item["value"]

    def named(self, name: str) -> Cond:
        """The kiosk condition for a named XGov condition; Refused, saying why, when it cannot be kept."""
        if name in self._done:
            return self._done[name]
        if name not in self.raw:
            raise Refused(f"there is no condition named {name!r}")
        if name in self._busy:
            raise Refused(f"the condition {name!r} refers to itself")
        if len(self._busy) >= MAX_REFERENCES:
            raise Refused(f"conditions refer to conditions more than {MAX_REFERENCES} deep")
        self._busy.append(name)
        try:
            value = self.raw[name]
            if isinstance(value, str):
                result = self._tree(expression.parse(value))
            elif isinstance(value, dict) and isinstance(value.get("conditions"), list):
                result = self._list(value["conditions"])
            else:
                raise Refused("its value is neither an expression nor a list of conditions")
        except Refused as exc:
            raise Refused(f"condition {name}: {exc}") from None
        finally:
            self._busy.pop()
        self._done[name] = result
        return result

    # -- the structured form ----------------------------------------------------------------------

    def _list(self, items: list[Any], level: int = 1) -> Cond:
        if level > expression.MAX_NESTING:
            raise Refused(f"groups of conditions are nested more than {expression.MAX_NESTING} deep")
        if not items:
            raise Refused("the list of conditions is empty")
        groups: list[list[Cond]] = [[]]  # or-separated runs of and-joined conditions
        for n, item in enumerate(items):
            if not isinstance(item, dict):
                raise Refused(f"part {n + 1} is not an object")
            coordinator = item.get("coordinator")
            if n and coordinator not in ("and", "or"):
                raise Refused(f"part {n + 1} needs a coordinator, and or or")
            if n and coordinator == "or":
                groups.append([])
            groups[-1].append(self._item(item, level))
        return combine("any", [combine("all", g) for g in groups])

    def _item(self, item: dict[str, Any], level: int) -> Cond:
        if "conditionName" in item:
            if not isinstance(item["conditionName"], str):
                raise Refused("a reference needs the name of a condition")
            return self.named(item["conditionName"])
        if "field" in item:
            return self._field_condition(item)
        if isinstance(item.get("conditions"), list):
            return self._list(item["conditions"], level + 1)
        raise Refused("a part is neither a field condition, a reference nor a group")

    def _field_condition(self, item: dict[str, Any]) -> Cond:
        fld, operator, value = item.get("field"), item.get("operator"), item.get("value")
        if not isinstance(fld, dict) or not isinstance(fld.get("name"), str):
            raise Refused("a field condition needs the field's name")
        if operator not in _OPERATORS:
            raise Refused(f"the operator {operator!r} is not one the kiosk knows")
        info = self.ctx.find_field(fld["name"])
        if isinstance(value, dict) and value.get("type") == "RelativeTime":
            if operator not in _RELATIVE:
                raise Refused(f"{operator!r} cannot take a relative time")
            past, future = _RELATIVE[operator]
            days = _relative_days(self.ctx, value, fld["name"])
            return compare(info, past if days <= 0 else future, ("days", days))
        if not isinstance(value, dict) or "value" not in value:
            raise Refused("a field condition needs a value")
        op = _OPERATORS[operator]
        if op == "not in":
            return negate(compare(info, "in", value["value"]))
        return compare(info, op, value["value"])

    # -- expression strings -----------------------------------------------------------------------

    def _tree(self, node: expression.Node) -> Cond:
        kind = node[0]
        if kind in ("and", "or"):
            return combine("all" if kind == "and" else "any", [self._tree(n) for n in node[1]])
        if kind == "not":
            return negate(self._tree(node[1]))
        if kind == "name":
            if node[1] in self.raw:
                return self.named(node[1])
            info = self.ctx.find_field(node[1])
            return (
                compare(info, "==", True) if info.kiosk_type == "yes_no" else {"question": info.qid, "answered": True}
            )
        if kind == "cmp":
            return self._comparison(node[1], node[2], node[3])
        if kind == "lit" and isinstance(node[1], bool):
            raise Refused("a condition that is always true or always false cannot be kept")
        raise Refused("the expression is not a comparison of a field")

    def _comparison(self, op: str, left: expression.Node, right: expression.Node) -> Cond:
        if op == "in":
            if left[0] != "lit" or right[0] != "name":
                raise Refused("'in' must test a value in a field: 'value' in field")
            return compare(self.ctx.find_field(right[1]), "in", left[1])
        if left[0] == "lit" and right[0] != "lit":
            left, right, op = right, left, _FLIP[op]
        if left[0] == "call" and left[1] == "length":
            if len(left[2]) != 1 or left[2][0][0] != "name" or right[0] != "lit":
                raise Refused("length() takes one field and compares it with a number")
            return _length(self.ctx.find_field(left[2][0][1]), op, right[1])
        if left[0] != "name":
            raise Refused("a comparison must have a field on one side")
        info = self.ctx.find_field(left[1])
        if right[0] == "lit":
            return compare(info, op, right[1])
        if right[0] == "call" and right[1] == "dateForComparison":
            args = right[2]
            if len(args) != 2 or any(a[0] != "lit" for a in args):
                raise Refused("dateForComparison takes a number and a unit")
            days = _relative_days(
                self.ctx, {"timePeriod": args[0][1], "timeUnit": args[1][1], "direction": None}, left[1]
            )
            return compare(info, op, ("days", days))
        if right[0] == "call" and right[1] == "timeForComparison":
            raise Refused(
                "a time relative to now cannot be kept: the kiosk compares times of day only with fixed times"
            )
        raise Refused("a field can be compared only with a value or a relative date")


def _relative_days(ctx: Context, value: dict[str, Any], field_name: str) -> int:
    """Days from today of an XGov relative time (a period, a unit, a direction); months and years approximated."""
    try:
        period = float(value.get("timePeriod"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise Refused("a relative time needs a number of days, months or years") from None
    unit = value.get("timeUnit")
    if value.get("timeOnly") is True or unit not in _UNIT_DAYS:
        raise Refused(f"a time relative to now in {unit!r} cannot be kept: the kiosk counts whole days")
    if not math.isfinite(period) or abs(period) > 100 * 366:
        raise Refused("the relative time is beyond 100 years")
    direction = value.get("direction")
    if direction == "in the past":
        period = -abs(period)
    elif direction == "in the future":
        period = abs(period)
    if unit != "days":
        ctx.note(
            f"condition on {field_name}",
            f"{abs(period):g} {unit} counted as {abs(round(period * _UNIT_DAYS[unit]))} days",
            "changed",
        )
    return round(period * _UNIT_DAYS[str(unit)])


def _length(info: Field, op: str, value: Any) -> Cond:
    if info.kiosk_type not in ("text", "long_text", "email", "checkboxes"):
        raise Refused(f"the length of a {info.xgov_type} cannot be compared")
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100_000:
        raise Refused("a length is compared with a whole number")
    n = int(value)
    table = {
        ">": ("longer_than", n),
        ">=": ("longer_than", n - 1),
        "<": ("shorter_than", n),
        "<=": ("shorter_than", n + 1),
        "==": ("length_equals", n),
    }
    if op == "!=":
        return negate({"question": info.qid, "length_equals": n})
    if op not in table or table[op][1] < 0:
        raise Refused(f"a length cannot be compared with {op} {n}")
    name, bound = table[op]
    return {"question": info.qid, name: bound}


def _len_op(op: str) -> str:
    return {"len>": ">", "len<": "<", "len==": "=="}[op]


def compare(info: Field, op: str, value: Any) -> Cond:
    """One kiosk comparison of a field with a value, as its kiosk question type reads answers."""
    if op.startswith("len"):
        number = float(value) if isinstance(value, str) and re.fullmatch(r"\d+", value) else value
        return _length(info, _len_op(op), number)
    kind, qid = info.kiosk_type, info.qid
    if op == "in":
        if kind == "checkboxes":
            return {"question": qid, "contains": _option(info, value)}
        if info.single_choice is not None:
            return _yes(info, value_key(value) == info.single_choice)
        if kind in ("text", "long_text"):
            return {"question": qid, "contains": str(value)}
        raise Refused(f"contains cannot look inside a {info.xgov_type}")
    if op not in ("==", "!="):
        return _ordered(info, op, value)
    word = "equals" if op == "==" else "not_equals"
    if kind == "yes_no":
        if info.single_choice is not None:
            yes = value_key(value) == info.single_choice
        elif value_key(value) in ("true", "false"):
            yes = value_key(value) == "true"
        else:
            raise Refused(f"a yes or no field is compared with true or false, not {value!r}")
        return _yes(info, yes) if op == "==" else negate(_yes(info, yes))
    if kind in ("radios", "select"):
        return {"question": qid, word: _option(info, value)}
    if kind == "checkboxes":
        c = {"question": qid, "contains": _option(info, value)}
        return c if op == "==" else negate(c)
    if kind in ("number", "money", "date", "time"):
        bound = _bound(info, value)
        if isinstance(bound, float):
            raise Refused(f"a whole-number answer is never equal to {value!r}")
        return {"question": qid, word: bound}
    if kind in ("text", "long_text", "email", "phone"):
        return {"question": qid, word: str(value)}
    raise Refused(f"a {info.xgov_type} cannot be compared with a value")


def _yes(info: Field, yes: bool) -> Cond:
    return {"question": info.qid, "equals": yes}


def _option(info: Field, value: Any) -> str:
    key = value_key(value)
    if key not in info.options:
        raise Refused(f"{value!r} is not an item of the list of {info.xgov_type} {info.qid}")
    return info.options[key]


def _bound(info: Field, value: Any) -> int | float | str:
    """A value as the kiosk compares it: whole number, pence, ``YYYY-MM-DD`` or ``HH:MM``."""
    kind = info.kiosk_type
    if kind in ("number", "money"):
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise Refused(f"{value!r} is not a number") from None
        if not math.isfinite(number):
            raise Refused(f"{value!r} is not a number")
        if kind == "money":
            number = number * 100
        return round(number) if abs(number - round(number)) < 1e-9 else number
    text = str(value).strip()
    if kind == "date":
        m = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if not m:
            raise Refused(f"{value!r} is not a date (YYYY-MM-DD)")
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            raise Refused(f"{value!r} is not a real date") from None
    m = re.match(r"^(?:\d{4}-\d{2}-\d{2}T)?(\d{1,2}):(\d{2})", text)
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        raise Refused(f"{value!r} is not a time (HH:MM)")
    return f"{int(m[1]):02d}:{m[2]}"


def _ordered(info: Field, op: str, value: Any) -> Cond:
    """less / more than, at least / at most: strict comparisons one whole step beyond the bound."""
    qid, kind = info.qid, info.kiosk_type
    if kind not in ("number", "money", "date", "time"):
        raise Refused(f"a {info.xgov_type} cannot be compared with {op}")
    if isinstance(value, tuple):  # ("days", N): relative to today
        if kind != "date":
            raise Refused(f"a {info.xgov_type} cannot be compared with a date relative to today")
        n = value[1]
        step = {
            "<": ("less_than", n),
            ">": ("greater_than", n),
            "<=": ("less_than", n + 1),
            ">=": ("greater_than", n - 1),
        }
        name, days = step[op]
        return {"question": qid, name: {"days_from_today": days}}
    bound = _bound(info, value)
    if isinstance(bound, float):
        lower, upper = math.floor(bound), math.ceil(bound)
        step_n = {
            "<": ("less_than", upper),
            ">": ("greater_than", lower),
            "<=": ("less_than", lower + 1),
            ">=": ("greater_than", upper - 1),
        }
        name, limit = step_n[op]
        return {"question": qid, name: limit}
    if isinstance(bound, int):
        step_i = {
            "<": ("less_than", bound),
            ">": ("greater_than", bound),
            "<=": ("less_than", bound + 1),
            ">=": ("greater_than", bound - 1),
        }
        name, limit = step_i[op]
        return {"question": qid, name: limit}
    if op in ("<", ">"):
        return {"question": qid, "less_than" if op == "<" else "greater_than": bound}
    shifted = _shift(bound, kind, 1 if op == "<=" else -1)
    return {"question": qid, "less_than" if op == "<=" else "greater_than": shifted}


def _shift(bound: str, kind: str, step: int) -> str:
    """A date a day later (or earlier), or a time a minute later (or earlier): <= d is < d + 1."""
    if kind == "date":
        return (dt.date.fromisoformat(bound) + dt.timedelta(days=step)).isoformat()
    minutes = int(bound[:2]) * 60 + int(bound[3:]) + step
    if not 0 <= minutes < 24 * 60:
        raise Refused(f"a time cannot be compared beyond midnight ({bound})")
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
