"""Import a DEFRA forms engine definition (schema version 2) into the kiosk's journey format.

DEFRA v2 (``@defra/forms-model``'s ``formDefinitionV2Schema``) descends from XGovFormBuilder: pages with a path,
a title, components and a ``condition`` (a condition's id), lists and conditions with UUID ids, sections. The
pages are asked in order; a page whose condition does not hold is skipped (the kiosk's ``show_when``), and a
page's ``next`` links become the kiosk's forward ``routes``. The start page becomes the journey's first page
(its list: what to have ready), the summary page check answers (with the declaration), the status page the
confirmation. The mapping of every construct is in pages.py, fields.py, choices.py and conditions.py.

Also read: ``{"metadata": {...}, "definition": {...}}`` as the forms registry holds a form (its title, slug and
submission guidance are used).
"""

from __future__ import annotations

from typing import Any

from journeys.importers.defra.choices import read_lists
from journeys.importers.defra.conditions import read_conditions
from journeys.importers.defra.context import Context, slug
from journeys.importers.defra.pages import build_pages
from journeys.importers.defra.words import joined, text
from journeys.importers.report import DEFAULT_CATEGORY, DEFAULT_CONFIRMATION, Imported, kind

__all__ = ["convert", "looks_like"]

KNOWN_KEYS = {
    "schema", "engine", "name", "startPage", "pages", "lists", "conditions", "sections", "declaration",
    "metadata", "feedback", "phaseBanner", "outputEmail", "output", "outputs", "options", "skipSummary",
}  # fmt: skip
IGNORED = {"feedback", "phaseBanner", "outputEmail", "output", "outputs", "options", "skipSummary"}
CONFIRMATION = DEFAULT_CONFIRMATION["en"]


def _unwrap(data: Any) -> tuple[Any, dict[str, Any]]:
    if isinstance(data, dict) and isinstance(data.get("definition"), dict) and "pages" not in data:
        metadata = data.get("metadata")
        return data["definition"], metadata if isinstance(metadata, dict) else {}
    meta = data.get("metadata") if isinstance(data, dict) else None
    return data, meta if isinstance(meta, dict) else {}


def looks_like(data: Any) -> bool:
    """A DEFRA v2 definition: ``schema`` 2 or ``engine`` V2, with pages (XGov's own marker is ``version``)."""
    try:
        definition, _ = _unwrap(data)
        if not isinstance(definition, dict) or not isinstance(definition.get("pages"), list):
            return False
        if definition.get("schema") == 2 or definition.get("engine") == "V2":
            return True
        conditions = definition.get("conditions")
        return isinstance(conditions, list) and any(isinstance(c, dict) and "items" in c for c in conditions)
    except Exception:
        return False


def convert(data: Any, *, journey_id: str | None = None) -> Imported:
    """The kiosk journey for a DEFRA v2 definition, with a note for everything changed or left out."""
    ctx = Context()
    definition, metadata = _unwrap(data)
    if not isinstance(definition, dict):
        ctx.error("", f"a DEFRA definition is an object, not {kind(definition)}")
        return Imported("defra", None, ctx.notes)
    if definition.get("schema") not in (2, None) or definition.get("engine") not in ("V2", None):
        ctx.note("", f"schema {definition.get('schema')!r}, engine {definition.get('engine')!r}: read as version 2")
    for key in sorted(set(definition) - KNOWN_KEYS):
        ctx.note(f"field {key}", "not part of a DEFRA v2 definition: left out", "left_out")
    for key in sorted(set(definition) & IGNORED):
        ctx.note(
            f"field {key}", "about the web service (feedback, banners, where submissions go): not used by the kiosk"
        )
    read_lists(ctx, definition.get("lists"))
    read_conditions(ctx, definition.get("conditions"))
    try:
        built = build_pages(ctx, definition)
    except RecursionError:
        ctx.error("", "the definition is nested too deeply to read")
        return Imported("defra", None, ctx.notes)
    if not built.pages:
        ctx.error("pages", "no page the kiosk can ask: nothing to import")
        return Imported("defra", None, ctx.notes)

    title = (
        text(ctx, metadata.get("title"), "metadata", "title")
        or text(ctx, definition.get("name"), "field name", "name")
        or built.first_title
    )
    if title is None:
        ctx.error("field name", "the form has no name: the journey needs a title")
        title = {"en": "Imported form"}
    ident = journey_id or slug(metadata.get("slug") or title["en"], "form")
    journey: dict[str, Any] = {
        "schema_version": 1,
        "id": ident,
        "version": 1,
        "title": title,
        "summary": dict(title),
        "category": DEFAULT_CATEGORY,
        "pages": built.pages,
    }
    ctx.note("", "the journey's summary is its title and its category is 'imported': set both before publishing")
    if built.you_need:
        journey["start"] = {"you_need": built.you_need}
    declaration = list(built.declaration)
    old = text(ctx, definition.get("declaration"), "field declaration", "declaration")
    if old:
        declaration.insert(0, old)
    if declaration:
        journey["declaration"] = joined(declaration)
    guidance = text(ctx, metadata.get("submissionGuidance"), "metadata", "submissionGuidance")
    confirmation = joined(built.confirmation) or guidance
    if confirmation is None:
        ctx.note(
            "",
            "the form has no status page or submission guidance: the confirmation says to keep the reference",
            "changed",
        )
        confirmation = {"en": CONFIRMATION}
    journey["confirmation"] = confirmation
    if built.payment:
        journey["payment"] = built.payment
    return Imported("defra", journey, ctx.notes)
