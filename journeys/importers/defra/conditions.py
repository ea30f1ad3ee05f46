"""DEFRA v2 conditions as kiosk conditions.

A DEFRA condition (``ConditionWrapperV2``) has items joined by its coordinator (``and`` -> ``all``, ``or`` -> ``any``);
an item is a comparison of one component's answer with a typed value (string, number, boolean, date, relative date,
list item reference) or a reference to another condition (inlined; a loop is refused). Each operator becomes the
kiosk comparison with the same meaning on the kiosk's answer: "is at least 3" on a whole number is
``greater_than 2``; "is at least 7 days in the past" on a date is ``less_than {"days_from_today": -6}``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from journeys.importers.defra.context import Component, Context
from journeys.importers.report import kind

ORDERED = {"number", "money", "date", "time"}
LENGTH = {"text", "long_text", "email", "phone", "checkboxes"}
CONTAINS = {"text", "long_text", "checkboxes"}
CHOICES = {"radios", "select", "checkboxes"}
UNITS = {"days": 1, "day": 1, "weeks": 7, "week": 7, "months": 30, "month": 30, "years": 365, "year": 365}
# "is at least / at most / less than / more than" a relative date: (operator, days added to the offset),
# for a date in the past (offset -n) and in the future (offset +n), on whole days.
RELATIVE = {
    "is at least": {"past": ("less_than", 1), "future": ("greater_than", -1)},
    "is at most": {"past": ("greater_than", -1), "future": ("less_than", 1)},
    "is less than": {"past": ("greater_than", 0), "future": ("less_than", 0)},
    "is more than": {"past": ("less_than", 0), "future": ("greater_than", 0)},
}


def read_conditions(ctx: Context, raw: Any) -> None:
    """Index the definition's conditions by id, for pages, links and references to name."""
    if raw is None:
        return
    if not isinstance(raw, list):
        ctx.error("conditions", f"conditions should be a list, not {kind(raw)}")
        return
    for n, wrapper in enumerate(raw, 1):
        if not isinstance(wrapper, dict) or not isinstance(wrapper.get("id"), str):
            ctx.error(f"condition {n}", "a condition should be an object with an id")
            continue
        if "items" not in wrapper:
            ctx.error(f"condition {wrapper.get('displayName') or wrapper['id']}", "a V1 condition (no items): left out")
            continue
        ctx.conditions[wrapper["id"]] = wrapper


def convert(ctx: Context, cid: Any, where: str, before: int, *, same_page: bool = False) -> dict[str, Any] | None:
    """The kiosk condition for the DEFRA condition id, read at DEFRA page index ``before``; None when it cannot be kept."""
    return _wrapper(ctx, cid, where, before, same_page, ())


def _wrapper(
    ctx: Context, cid: Any, where: str, before: int, same_page: bool, stack: tuple[str, ...]
) -> dict[str, Any] | None:
    wrapper = ctx.conditions.get(cid) if isinstance(cid, str) else None
    if wrapper is None:
        ctx.error(where, f"condition {cid!r} is not in the definition's conditions")
        return None
    name = f"condition {wrapper.get('displayName') or cid!s}"
    if cid in stack:
        ctx.error(f"{where}, {name}", "the condition refers to itself (through its references): left out")
        return None
    if len(stack) >= 6:
        ctx.error(f"{where}, {name}", "conditions refer to one another too deeply (the kiosk's limit is 8 levels)")
        return None
    items = wrapper.get("items")
    if not isinstance(items, list) or not items:
        ctx.error(f"{where}, {name}", f"items should be a list of comparisons, not {kind(items)}")
        return None
    parts = []
    for n, item in enumerate(items, 1):
        at = f"{where}, {name}, item {n}"
        if isinstance(item, dict) and "conditionId" in item:
            part = _wrapper(ctx, item["conditionId"], where, before, same_page, (*stack, cid))
        elif isinstance(item, dict):
            part = _item(ctx, item, at, before, same_page)
        else:
            ctx.error(at, f"an item should be an object, not {kind(item)}")
            part = None
        if part is None:
            return None
        parts.append(part)
    coordinator = wrapper.get("coordinator") or "and"
    if coordinator not in ("and", "or"):
        ctx.error(f"{where}, {name}", f"coordinator should be and or or, not {coordinator!r}")
        return None
    if len(parts) == 1:
        return parts[0]
    return {"all" if coordinator == "and" else "any": parts}


def _item(ctx: Context, item: dict[str, Any], at: str, before: int, same_page: bool) -> dict[str, Any] | None:
    info = ctx.components.get(item["componentId"]) if isinstance(item.get("componentId"), str) else None
    if info is None:
        ctx.error(at, f"component {item.get('componentId')!r} is not on any page")
        return None
    at = f"{at} ({info.where})"
    if info.question is None or info.qtype is None:
        ctx.error(at, f"reads a {info.source_type}, which the kiosk does not ask: the condition cannot be kept")
        return None
    if info.page > before or (info.page == before and not same_page):
        ctx.error(at, "reads an answer given later in the form: the kiosk can only read earlier answers")
        return None
    op = item.get("operator")
    if not isinstance(op, str):
        ctx.error(at, f"operator should be words, not {kind(op)}")
        return None
    value = _value(ctx, item, info, at)
    if value is _BAD:
        return None
    result = _compare(ctx, op.strip(), info, value, at)
    return result


_BAD = object()


def _value(ctx: Context, item: dict[str, Any], info: Component, at: str) -> Any:
    """The item's value as the kiosk compares it: an option value, words, a number, a date, or ("days", n)."""
    vtype, value = item.get("type"), item.get("value")
    if vtype == "ListItemRef":
        if not isinstance(value, dict):
            ctx.error(at, f"a list item reference should be an object with listId and itemId, not {kind(value)}")
            return _BAD
        option = info.options_by_item.get(str(value.get("itemId")))
        if option is None:
            ctx.error(at, f"list item {value.get('itemId')!r} is not an option of this question")
            return _BAD
        return option
    if vtype in ("StringValue", "Value"):
        if not isinstance(value, str):
            ctx.error(at, f"a StringValue should be words, not {kind(value)}")
            return _BAD
        return value
    if vtype == "NumberValue":
        if isinstance(value, bool) or not isinstance(value, int | float):
            ctx.error(at, f"a NumberValue should be a number, not {kind(value)}")
            return _BAD
        return value
    if vtype == "BooleanValue":
        if not isinstance(value, bool):
            ctx.error(at, f"a BooleanValue should be true or false, not {kind(value)}")
            return _BAD
        return value
    if vtype == "DateValue":
        if not isinstance(value, str) or not _is_date(value):
            ctx.error(at, f"a DateValue should be a date YYYY-MM-DD, not {value!r}")
            return _BAD
        return value
    if vtype == "RelativeDate":
        return _relative(ctx, value, at)
    ctx.error(at, f"unknown value type {vtype!r}")
    return _BAD


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


def _relative(ctx: Context, value: Any, at: str) -> Any:
    if not isinstance(value, dict):
        ctx.error(at, f"a relative date should be an object (period, unit, direction), not {kind(value)}")
        return _BAD
    period, unit, direction = value.get("period"), value.get("unit"), str(value.get("direction", ""))
    if isinstance(period, str) and period.strip().isdigit():
        period = int(period)
    if isinstance(period, bool) or not isinstance(period, int) or not 0 <= period <= 3660:
        ctx.error(at, f"a relative date's period should be a whole number, not {period!r}")
        return _BAD
    if not isinstance(unit, str) or unit not in UNITS:
        ctx.error(at, f"a relative date's unit should be days, weeks, months or years, not {unit!r}")
        return _BAD
    way = "past" if "past" in direction else "future" if "future" in direction else None
    if way is None:
        ctx.error(at, f"a relative date's direction should be past or future, not {direction!r}")
        return _BAD
    if UNITS[unit] in (30, 365):
        ctx.note(at, f"{period} {unit} counted as {period * UNITS[unit]} days", "changed")
    return ("days", way, period * UNITS[unit])


def _compare(ctx: Context, op: str, info: Component, value: Any, at: str) -> dict[str, Any] | None:
    qid, qtype = info.question, info.qtype or ""
    if isinstance(value, tuple):  # a relative date
        return _compare_relative(ctx, op, qid or "", qtype, value, at)
    if op in ("isEmpty", "isNotEmpty"):
        return {"question": qid, "answered": op == "isNotEmpty"}
    if op in ("is", "is not", "contains", "does not contain"):
        value = _as_answer(ctx, qtype, info, value, at)
        if value is _BAD:
            return None
    if op in ("is", "is not"):
        if qtype == "checkboxes":  # "is" of a checkboxes answer: that option ticked
            cmp: dict[str, Any] = {"question": qid, "contains": value}
            return cmp if op == "is" else {"not": cmp}
        return {"question": qid, "equals" if op == "is" else "not_equals": value}
    if op in ("contains", "does not contain"):
        if qtype == "yes_no":
            cmp = {"question": qid, "equals": True}
        elif qtype in CONTAINS:
            cmp = {"question": qid, "contains": str(value)}
        else:
            return _refuse(ctx, op, qtype, at)
        return cmp if op == "contains" else {"not": cmp}
    if op in ("is longer than", "is shorter than", "has length"):
        if qtype not in LENGTH or isinstance(value, bool) or not isinstance(value, int | float):
            return _refuse(ctx, op, qtype, at)
        name = {"is longer than": "longer_than", "is shorter than": "shorter_than", "has length": "length_equals"}[op]
        return {"question": qid, name: int(value)}
    return _compare_ordered(ctx, op, qid or "", qtype, value, at)


def _as_answer(ctx: Context, qtype: str, info: Component, value: Any, at: str) -> Any:
    """A value for equals / contains, as the kiosk's answer to this question has it."""
    if qtype in CHOICES or (qtype == "yes_no" and info.options_by_value):
        if value in info.options_by_item.values():
            return value
        option = info.options_by_value.get(str(value).casefold())
        if option is None:
            ctx.error(at, f"{value!r} is not one of the question's options")
            return _BAD
        return True if qtype == "yes_no" else option
    if qtype == "yes_no":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false", "yes", "no"):
            return value.strip().lower() in ("true", "yes")
        ctx.error(at, f"a yes or no question is compared with true or false, not {value!r}")
        return _BAD
    if qtype == "money" and isinstance(value, int | float) and not isinstance(value, bool):
        return round(value * 100)
    if qtype == "number" and isinstance(value, float):
        if not value.is_integer():
            ctx.note(at, f"{value} is not a whole number: the kiosk's whole-number answer never equals it", "changed")
        return int(value) if value.is_integer() else str(value)
    return value


def _compare_ordered(ctx: Context, op: str, qid: str, qtype: str, value: Any, at: str) -> dict[str, Any] | None:
    if qtype not in ORDERED:
        return _refuse(ctx, op, qtype, at)
    if qtype in ("number", "money"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            ctx.error(at, f"{op} needs a number, not {kind(value)}")
            return None
        x = value * 100 if qtype == "money" else value
        bounds = {
            "is at least": ("greater_than", math.ceil(x) - 1),
            "is at most": ("less_than", math.floor(x) + 1),
            "is more than": ("greater_than", math.floor(x)),
            "greaterThan": ("greater_than", math.floor(x)),
            "is less than": ("less_than", math.ceil(x)),
            "lessThan": ("less_than", math.ceil(x)),
        }
        if op not in bounds:
            return _refuse(ctx, op, qtype, at)
        name, bound = bounds[op]
        return {"question": qid, name: int(bound)}
    if not isinstance(value, str) or (qtype == "date" and not _is_date(value)):
        ctx.error(at, f"{op} on a {qtype} question needs a {qtype}, not {value!r}")
        return None
    if qtype == "time" and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
        ctx.error(at, f"{op} on a time question needs a time HH:MM, not {value!r}")
        return None
    if op in ("is before", "lessThan", "is less than"):
        return {"question": qid, "less_than": value}
    if op in ("is after", "greaterThan", "is more than"):
        return {"question": qid, "greater_than": value}
    if op in ("is at least", "is at most") and qtype == "date":
        day = dt.date.fromisoformat(value) + dt.timedelta(days=-1 if op == "is at least" else 1)
        return {"question": qid, "greater_than" if op == "is at least" else "less_than": day.isoformat()}
    return _refuse(ctx, op, qtype, at)


def _compare_relative(ctx: Context, op: str, qid: str, qtype: str, value: Any, at: str) -> dict[str, Any] | None:
    _, way, days = value
    if qtype != "date":
        return _refuse(ctx, f"{op} (a relative date)", qtype, at)
    offset = -days if way == "past" else days
    if op in RELATIVE:
        name, shift = RELATIVE[op][way]
        return {"question": qid, name: {"days_from_today": offset + shift}}
    if op in ("is before", "is after"):
        return {"question": qid, "less_than" if op == "is before" else "greater_than": {"days_from_today": offset}}
    return _refuse(ctx, f"{op} (a relative date)", qtype, at)


def _refuse(ctx: Context, op: str, qtype: str, at: str) -> dict[str, Any] | None:
    """None, after an error note: the operator has no meaning on this kind of kiosk answer."""
    ctx.error(at, f"operator {op!r} cannot be used on a {qtype} question in the kiosk")
    return None
