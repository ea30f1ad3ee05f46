"""A refused journey definition in words: where each problem is (page, question, field) and what it is."""

from __future__ import annotations

from typing import Any

from journeys import limits
from journeys.types import ANSWER_TYPES

__all__ = ["MAX_PROBLEMS", "located", "message", "summed_up"]

_TYPE_NAMES = frozenset(ANSWER_TYPES)  # pydantic names a union member by its type: not a field


def located(definition: Any, loc: tuple[int | str, ...]) -> str:
    """Turn a pydantic error location into 'page P, question Q, field F'."""
    parts: list[str] = []
    node: Any = definition
    i = 0
    while i < len(loc):
        key = loc[i]
        if key in ("pages", "questions", "options") and i + 1 < len(loc) and isinstance(loc[i + 1], int):
            idx = int(loc[i + 1])
            try:
                node = node[key][idx]
                ident = node.get("id", node.get("value")) if isinstance(node, dict) else None
                label = limits.name(ident, f"#{idx + 1}")
            except (KeyError, IndexError, TypeError, AttributeError):
                node, label = None, f"#{idx + 1}"
            parts.append(f"{key[:-1]} {label!s}")
            i += 2
            continue
        if isinstance(key, int):
            parts.append(f"#{key + 1}")
        elif not (isinstance(key, str) and (key.startswith("function-") or key in _TYPE_NAMES)):
            parts.append(f"field {key}")
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            node = None
        i += 1
    # "field show_when, field all, #2, field question" reads better as "field show_when.all.2.question"
    merged: list[str] = []
    for part in parts:
        if merged and merged[-1].startswith("field ") and (part.startswith("field ") or part.startswith("#")):
            merged[-1] += "." + part.removeprefix("field ").removeprefix("#")
        else:
            merged.append(part)
    return ", ".join(merged)


def message(err: Any) -> str:
    msg = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        return "this field is not part of the journey format (check its spelling)"
    if err["type"] == "missing":
        return "this field is required"
    return msg


MAX_PROBLEMS = 5  # problems a refusal lists; the rest are counted


def summed_up(problems: list[str]) -> str:
    shown = "; ".join(problems[:MAX_PROBLEMS])
    more = len(problems) - MAX_PROBLEMS
    return f"{shown}; and {more} more problems" if more > 0 else shown
