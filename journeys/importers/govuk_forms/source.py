"""Reading a GOV.UK Forms form document: its steps in order, with their words in English and Welsh.

A form document is what GOV.UK Forms publishes for a form: ``{"name", "steps": [...], "declaration_text",
"what_happens_next_markdown", "payment_url", "language", "available_languages", ...}``. It is read as given,
or inside the API's wrapper (``{"id", "form_id", "tag", "content": {...}}``), or as a JSON list of the
form's documents in each language (the English one and the Welsh one, ``"language": "cy"``), whose
steps, options and routing conditions are paired by id (options by position). A text may also be given
as ``{"en": ..., "cy": ...}`` in place of a string. Nothing here raises: what cannot be read is a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from journeys.importers.report import Note, Severity

Loc = dict[str, str]  # a kiosk localised string: {"en": ..., "cy": ...}


@dataclass
class Reader:
    """The notes of one import, and whether the journey is bilingual (Welsh words are kept)."""

    notes: list[Note] = field(default_factory=list)
    welsh: bool = False
    welsh_only: bool = False  # a form in Welsh alone: its words stand in for English too

    def note(self, where: str, what: str, severity: Severity = "info") -> None:
        self.notes.append(Note(where, what, severity))

    def loc(self, en: Any, cy: Any, where: str, name: str) -> Loc | None:
        """The words of a field from the English and the Welsh document; None when there are none."""
        en_text, cy_text = _split(en, where, name, self), _split(cy, where, name, self)
        if en_text is None or not en_text[0]:
            return None
        out = {"en": en_text[0]}
        welsh = en_text[1] or (cy_text[0] if cy_text else None) or (en_text[0] if self.welsh_only else None)
        if welsh:
            out["cy"] = welsh
        return out

    def words(self, en: str, cy: str) -> Loc:
        """Words the import adds itself (a "None of the above" option), in Welsh too when the form is."""
        return {"en": en, "cy": cy} if self.welsh else {"en": en}


def _split(value: Any, where: str, name: str, reader: Reader) -> tuple[str, str | None] | None:
    """A text as (English, Welsh or None); a localised object gives both. A wrong type is noted."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip(), None
    if isinstance(value, dict) and all(isinstance(v, str | None) for v in value.values()):
        en, cy = value.get("en"), value.get("cy")
        return ((en or cy or "").strip(), (cy or "").strip() or None) if (en or cy) else None
    reader.note(where, f"{name} is not text (a {type(value).__name__}): left out", "error")
    return None


def flag(value: Any, where: str, name: str, reader: Reader) -> bool:
    """A GOV.UK Forms yes/no setting, which is a boolean or the strings "true", "false", "1", "0"."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0", ""):
        return value.strip().lower() in ("true", "1")
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    reader.note(where, f"{name} should be true or false, not {value!r}: taken as false", "error")
    return False


@dataclass
class Step:
    """One question page of the form, with its Welsh counterpart's data (empty when there is none)."""

    number: int  # 1-based, in the form's order
    id: str  # the source's step id, as text
    data: dict[str, Any]
    data_cy: dict[str, Any]
    conditions: list[Any]
    conditions_cy: list[Any]
    where: str  # 'page 3 (step 12, "What is your name?")'

    @property
    def answer_type(self) -> Any:
        return self.data.get("answer_type")

    def settings(self, reader: Reader) -> dict[str, Any]:
        value = self.data.get("answer_settings")
        if value is None:
            return {}
        if not isinstance(value, dict):
            reader.note(self.where, "answer_settings is not an object: the defaults are used", "error")
            return {}
        return value

    def settings_cy(self) -> dict[str, Any]:
        value = self.data_cy.get("answer_settings")
        return value if isinstance(value, dict) else {}

    def text(self, reader: Reader, key: str) -> Loc | None:
        return reader.loc(self.data.get(key), self.data_cy.get(key), self.where, key)


@dataclass
class Form:
    """The form's own fields (English and Welsh document) and its steps in order."""

    doc: dict[str, Any]
    doc_cy: dict[str, Any]
    steps: list[Step]
    language: str  # the language of the main document: "en" (or "cy" for a Welsh-only form)

    def text(self, reader: Reader, key: str) -> Loc | None:
        return reader.loc(self.doc.get(key), self.doc_cy.get(key), "", key)


def _content(item: Any) -> dict[str, Any] | None:
    """The form document in an item: the item itself, or its wrapper's ``content``."""
    if isinstance(item, dict) and "steps" not in item and "pages" not in item and isinstance(item.get("content"), dict):
        inner: dict[str, Any] = item["content"]
        if "language" not in inner and isinstance(item.get("language"), str):
            inner = {**inner, "language": item["language"]}
        return inner
    return item if isinstance(item, dict) else None


def _step_items(doc: dict[str, Any]) -> Any:
    """A document's steps: ``steps``, or the older API's ``pages`` (flat question pages)."""
    return doc["steps"] if "steps" in doc else doc.get("pages")


def looks_like(data: Any) -> bool:
    """A form document (or its wrapper, or a list of them): steps, or older pages, that have question_text."""
    try:
        first = data[0] if isinstance(data, list) and data else data
        doc = _content(first)
        if doc is None:
            return False
        items = _step_items(doc)
        if not isinstance(items, list):
            return False
        if not items:
            return "steps" in doc and ("form_slug" in doc or "what_happens_next_markdown" in doc)
        step = items[0]
        if not isinstance(step, dict):
            return False
        inner = step["data"] if isinstance(step.get("data"), dict) else step
        return "question_text" in inner or "answer_type" in inner
    except Exception:  # looks_like never raises, whatever it is given
        return False


def read(data: Any, reader: Reader) -> Form | None:
    """The form in a definition, or None (with an error note) when there is no form document in it."""
    items = data if isinstance(data, list) else [data]
    docs = [d for d in (_content(i) for i in items) if d is not None]
    if not docs or len(docs) != len(items):
        reader.note("", "not a GOV.UK Forms form document (an object with steps, or a list of them)", "error")
        return None
    by_lang: dict[str, dict[str, Any]] = {}
    for n, doc in enumerate(docs, 1):
        lang = doc.get("language") if isinstance(doc.get("language"), str) else "en"
        if lang not in ("en", "cy"):
            reader.note(f"document {n}", f"language {lang!r} is neither English (en) nor Welsh (cy): left out", "error")
            continue
        if lang in by_lang:
            reader.note(f"document {n}", f"a second document in {lang!r}: left out", "error")
            continue
        by_lang[lang] = doc
    if not by_lang:
        return None
    language = "en" if "en" in by_lang else "cy"
    doc = by_lang[language]
    doc_cy = by_lang.get("cy", {}) if language == "en" else {}
    reader.welsh = bool(doc_cy) or _has_welsh(doc)
    if language == "cy":
        reader.welsh = reader.welsh_only = True
        reader.note(
            "",
            "the form is in Welsh only; the kiosk needs English words, so the Welsh stand in for them "
            "(the journey shows Welsh in English too): add the English form document to give both",
            "changed",
        )
    langs = doc.get("available_languages")
    if isinstance(langs, list) and "cy" in langs and not reader.welsh:
        reader.note(
            "",
            "the form has a Welsh version that is not in this file: import the English and the Welsh form "
            "documents together (a JSON list of both) to keep the Welsh",
        )
    steps = _steps(doc, doc_cy, reader)
    if steps is None:
        return None
    return Form(doc, doc_cy, steps, language)


def _has_welsh(value: Any, depth: int = 0) -> bool:
    """Whether a document gives any text as {"en": ..., "cy": ...} (a merged, bilingual document)."""
    if depth > 6:
        return False
    if isinstance(value, dict):
        if isinstance(value.get("cy"), str) and value.get("cy"):
            return True
        return any(_has_welsh(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return any(_has_welsh(v, depth + 1) for v in value[:200])
    return False


def _steps(doc: dict[str, Any], doc_cy: dict[str, Any], reader: Reader) -> list[Step] | None:
    items = _step_items(doc)
    if not isinstance(items, list) or not items:
        reader.note("", "the form has no steps (questions): nothing to import", "error")
        return None
    cy_items = _step_items(doc_cy) if isinstance(_step_items(doc_cy), list) else []
    cy_by_id = {str(s.get("id")): s for s in cy_items if isinstance(s, dict) and s.get("id") is not None}
    ordered: list[tuple[int, int, dict[str, Any]]] = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict):
            reader.note(f"page {n}", f"a step is an object, not a {type(item).__name__}: left out", "error")
            continue
        position = item.get("position")
        ordered.append((position if isinstance(position, int) and not isinstance(position, bool) else n, n, item))
    ordered.sort(key=lambda t: (t[0], t[1]))
    steps: list[Step] = []
    seen: set[str] = set()
    for number, (_, n, item) in enumerate(ordered, 1):
        raw_id = item.get("id")
        step_id = str(raw_id) if isinstance(raw_id, str | int) and not isinstance(raw_id, bool) else f"#{n}"
        if step_id in seen:
            reader.note(f"page {number} (step {step_id})", "a second step with this id: left out", "error")
            continue
        seen.add(step_id)
        cy = cy_by_id.get(step_id) or (cy_items[n - 1] if n - 1 < len(cy_items) else {})
        data, data_cy = _data(item), _data(cy if isinstance(cy, dict) else {})
        kind = item.get("type", "question_page")
        label = data.get("question_text")
        label_words = label if isinstance(label, str) else (label.get("en") if isinstance(label, dict) else None)
        where = f"page {number} (step {step_id}" + (f', "{label_words[:60]}")' if isinstance(label_words, str) else ")")
        if kind != "question_page":
            reader.note(where, f"a step of type {kind!r} is not a question page: left out", "error")
            continue
        conds = item.get("routing_conditions")
        if conds is not None and not isinstance(conds, list):
            reader.note(where, "routing_conditions is not a list: the page's routes are left out", "error")
            conds = []
        conds_cy = cy.get("routing_conditions") if isinstance(cy, dict) else None
        steps.append(
            Step(number, step_id, data, data_cy, conds or [], conds_cy if isinstance(conds_cy, list) else [], where)
        )
    start = doc.get("start_page")
    if steps and start is not None and str(start) != steps[0].id:
        reader.note("", f"start_page {start!r} is not the first step by position: the journey starts at the first")
    return steps


def _data(step: dict[str, Any]) -> dict[str, Any]:
    """A step's question data: its ``data`` object, with any text given on the step itself (merged documents)."""
    data = step.get("data")
    out = dict(data) if isinstance(data, dict) else {}
    for key in ("question_text", "hint_text", "page_heading", "guidance_markdown", "answer_type", "answer_settings"):
        if key not in out and key in step:
            out[key] = step[key]
    for key in ("is_optional", "is_repeatable", "question_short_name"):
        if key not in out and key in step:
            out[key] = step[key]
    return out
