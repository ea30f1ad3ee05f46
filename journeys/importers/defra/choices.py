"""DEFRA lists as kiosk options: item values as option values, hints, "none of these", and the questions items reveal.

An item's ``conditional`` components and its ``additional-question`` extension are questions GOV.UK shows under
the ticked item; the kiosk asks them on a page of their own right after, shown only when that item is chosen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from journeys.importers.defra.context import Component, Context, ListItem, slug, unique
from journeys.importers.defra.words import plain, text
from journeys.importers.report import kind


@dataclass
class FollowUp:
    """Questions asked on their own page after a choice, only when one of its options is chosen."""

    title: dict[str, str]
    show_when: dict[str, Any]
    components: list[dict[str, Any]] = field(default_factory=list)
    extra: list[dict[str, Any]] = field(default_factory=list)  # kiosk questions made here (additional-question)


def read_lists(ctx: Context, lists: Any) -> None:
    """Index the definition's lists by id and by name (V2 components name a list by its id)."""
    if lists is None:
        return
    if not isinstance(lists, list):
        ctx.error("lists", f"lists should be a list, not {kind(lists)}")
        return
    for n, raw in enumerate(lists, 1):
        where = f"list {n}"
        if not isinstance(raw, dict):
            ctx.error(where, f"a list should be an object, not {kind(raw)}")
            continue
        where = f"list {raw.get('name') or raw.get('id') or n}"
        items_raw = raw.get("items")
        if not isinstance(items_raw, list):
            ctx.error(where, f"items should be a list, not {kind(items_raw)}")
            continue
        items = []
        for m, item in enumerate(items_raw, 1):
            if not isinstance(item, dict) or "text" not in item or "value" not in item:
                ctx.error(f"{where}, item {m}", "an item needs text and a value")
                continue
            items.append(ListItem(str(item.get("id") or f"{n}-{m}"), item["text"], item["value"], item))
        for key in (raw.get("id"), raw.get("name")):
            if isinstance(key, str) and key:
                ctx.lists[key] = items
                ctx.list_where[key] = where


def options(
    ctx: Context, comp: dict[str, Any], info: Component, where: str, qid: str, qtype: str
) -> tuple[list[dict[str, Any]], list[FollowUp]]:
    """The options of a list question, and the follow-up pages its items reveal."""
    ref = comp.get("list")
    items = ctx.lists.get(ref) if isinstance(ref, str) else None
    if items is None:
        ctx.error(where, f"the list {ref!r} it names is not in the definition's lists")
        return [], []
    used: set[str] = set()
    out: list[dict[str, Any]] = []
    followups: list[FollowUp] = []
    for item in items:
        item_where = f"{where}, item {plain(text(ctx, item.text, where, 'item text')) or item.id}"
        label = text(ctx, item.text, item_where, "text", required=True)
        if label is None:
            continue
        value = unique(slug(item.value, "option"), used)
        info.options_by_item[item.id] = value
        info.options_by_value[str(item.value).casefold()] = value
        option: dict[str, Any] = {"value": value, "label": label}
        hint_raw = item.raw.get("hint")
        hint = text(
            ctx, hint_raw.get("text") if isinstance(hint_raw, dict) else item.raw.get("description"), item_where, "hint"
        )
        if hint:
            option["hint"] = hint
        if item.raw.get("condition"):
            ctx.note(item_where, "the option is offered on every route (the kiosk cannot hide one option)", "changed")
        reveal = {"question": qid, "contains" if qtype == "checkboxes" else "equals": value}
        extensions = item.raw.get("extensions") or []
        if not isinstance(extensions, list):
            ctx.error(item_where, f"extensions should be a list, not {kind(extensions)}")
            extensions = []
        for ext in extensions:
            if not isinstance(ext, dict):
                ctx.error(item_where, f"an extension should be an object, not {kind(ext)}")
            elif ext.get("type") == "exclusive":
                if qtype == "checkboxes":
                    option["exclusive"] = True
            elif ext.get("type") == "additional-question":
                followups.append(_additional(ctx, ext, item_where, label, reveal))
            else:
                ctx.error(item_where, f"unknown extension {ext.get('type')!r}: left out")
        conditional = item.raw.get("conditional")
        if isinstance(conditional, dict) and isinstance(conditional.get("components"), list):
            ctx.note(
                item_where, "the questions this option reveals are asked on the next page, when it is chosen", "changed"
            )
            followups.append(FollowUp(label, reveal, list(conditional["components"])))
        elif conditional is not None:
            ctx.error(item_where, f"conditional should be an object with components, not {kind(conditional)}")
        out.append(option)
    return out, followups


def _additional(
    ctx: Context, ext: dict[str, Any], where: str, label: dict[str, str], reveal: dict[str, Any]
) -> FollowUp:
    """An item's additional question (a short answer under "none of these") as a text question on its own page."""
    qid = unique(slug(ext.get("name"), "more"), ctx.question_ids)
    title = text(ctx, ext.get("title"), where, "additional question title", required=True) or {"en": "Tell us more"}
    question: dict[str, Any] = {"id": qid, "type": "text", "label": title}
    hint = text(ctx, ext.get("hint"), where, "additional question hint")
    if hint:
        question["hint"] = hint
    opts = ext.get("options")
    if isinstance(opts, dict) and opts.get("required") is False:
        question["required"] = False
    schema = ext.get("schema")
    if isinstance(schema, dict) and isinstance(schema.get("max"), int) and 1 <= schema["max"] <= 10_000:
        question["max_length"] = schema["max"]
    ctx.note(where, "the additional question is asked on the next page, when this option is chosen", "changed")
    return FollowUp(label, reveal, extra=[question])
