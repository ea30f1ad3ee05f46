"""XGovFormBuilder (digital-form-builder) definitions, schema version 2, as kiosk journeys.

``looks_like(data)`` says cheaply whether a definition is one; ``convert(data)`` makes the journey and a note
for every construct it changed or left out. The parts: ``text`` (localised words, HTML made plain, ids),
``questions`` and ``content`` (components), ``expression`` and ``conditions`` (conditions), ``pages`` (the
order of pages and their routes) and ``extras`` (fees, declaration, confirmation, name). The mapping table
is in docs/journey-format.md ("Importing").
"""

from __future__ import annotations

from typing import Any

from journeys.importers.report import DEFAULT_CATEGORY, Imported
from journeys.importers.xgov import extras
from journeys.importers.xgov.conditions import Conditions
from journeys.importers.xgov.context import Context
from journeys.importers.xgov.pages import build_pages, order, read_graph
from journeys.importers.xgov.text import english_missing, identifier

__all__ = ["convert", "looks_like"]

FORMAT = "xgov"


def looks_like(data: Any) -> bool:
    """An XGov definition: a start page path and pages with paths (not DEFRA's v2, whose pages have ids)."""
    try:
        if not isinstance(data, dict) or not isinstance(data.get("startPage"), str):
            return False
        pages = data.get("pages")
        if not isinstance(pages, list) or data.get("engine") == "V2" or data.get("schema") == 2:
            return False
        return all(isinstance(p, dict) and isinstance(p.get("path"), str) and "id" not in p for p in pages[:5])
    except Exception:  # never raises, whatever it is given
        return False


def convert(data: Any, *, journey_id: str | None = None) -> Imported:
    """The kiosk journey for an XGov definition, with its notes (never an exception for a bad definition)."""
    if not isinstance(data, dict):
        ctx = Context({})
        ctx.note("", f"an XGovFormBuilder definition is a JSON object, not {type(data).__name__}", "error")
        return Imported(FORMAT, None, ctx.notes)
    ctx = Context(data)
    version = data.get("version")
    if version is not None and version != 2:
        ctx.note("", f"the definition says schema version {version!r}; it is read as version 2", "changed")
    pages = data.get("pages")
    if not isinstance(pages, list) or not pages:
        ctx.note("", "the definition has no pages", "error")
        return Imported(FORMAT, None, ctx.notes)
    _read_lists(ctx)
    conditions = Conditions(ctx)
    graph = read_graph(ctx, pages)
    start = data.get("startPage")
    if start not in graph.pages:
        ctx.note("", f"the start page {start!r} is not one of the pages", "error")
        if not graph.pages:
            return Imported(FORMAT, None, ctx.notes)
        start = next(iter(graph.pages))
    paths = order(ctx, graph, start, conditions)
    kiosk_pages = build_pages(ctx, graph, paths, conditions)
    name = extras.title(ctx, graph.pages[start])
    journey: dict[str, Any] = {
        "schema_version": 1,
        "id": journey_id or identifier(name["en"], "form"),
        "version": 1,
        "title": name,
        "summary": extras.summary(kiosk_pages, name),
        "category": DEFAULT_CATEGORY,
        "pages": kiosk_pages,
        "confirmation": extras.confirmation(ctx),
    }
    declaration = extras.declaration(ctx)
    if declaration:
        journey["declaration"] = declaration
    fee = extras.fee(ctx, conditions)
    if fee:
        journey["fee"] = fee
    extras.web_only(ctx)
    _welsh(ctx, data)
    return Imported(FORMAT, journey, ctx.notes)


def _read_lists(ctx: Context) -> None:
    lists = ctx.data.get("lists")
    if lists is not None and not isinstance(lists, list):
        ctx.note("lists", "the lists are not a list; none are kept", "error")
        return
    for n, lst in enumerate(lists or [], 1):
        if not isinstance(lst, dict) or not isinstance(lst.get("name"), str) or not isinstance(lst.get("items"), list):
            ctx.note(f"list #{n}", "a list needs a name and items; it is left out", "error")
        elif lst["name"] in ctx.lists:
            ctx.note(f"list {lst['name']}", "the name is used twice; the second is left out", "error")
        else:
            ctx.lists[lst["name"]] = lst


def _welsh(ctx: Context, data: Any) -> None:
    """A note when words were given without English (another language stood in for it)."""
    stack, seen = [data], 0
    while stack and seen < 50_000:
        node = stack.pop()
        seen += 1
        if isinstance(node, dict):
            if english_missing(node):
                ctx.note("", "some words have no English; the first language given stands in for it", "changed")
                return
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
