"""Import a GOV.UK Forms form document into the kiosk's journey format.

``looks_like(data)`` says whether a definition is a form document (or the API's wrapper of one, or a
list of a form's English and Welsh documents); ``convert(data, journey_id=...)`` makes the journey and a
note for every construct it changed or left out. Each step becomes a page (or a few: see steps.py and
answers.py), routing conditions become routes (routes.py), the declaration, what happens next and the
support details become the journey's declaration, confirmation and start page. Nothing here raises.
"""

from __future__ import annotations

from typing import Any

from journeys.importers.govuk_forms import markdown
from journeys.importers.govuk_forms.blocks import Builder
from journeys.importers.govuk_forms.ids import slug
from journeys.importers.govuk_forms.routes import Router
from journeys.importers.govuk_forms.source import Form, Loc, Reader, looks_like, read
from journeys.importers.govuk_forms.steps import build
from journeys.importers.report import DEFAULT_CATEGORY, DEFAULT_CONFIRMATION, Imported, Note

__all__ = ["convert", "looks_like"]

FORMAT = "govuk-forms"
CATEGORY = DEFAULT_CATEGORY  # GOV.UK Forms has no category: the council chooses one

# fields of a form document that concern GOV.UK Forms' own running of the form, not what a citizen is asked
_NOT_FOR_THE_KIOSK = {
    "submission_email": "answers are sent to the council's portal, not by email",
    "submission_type": "answers are sent to the council's portal",
    "s3_bucket_name": "answers are sent to the council's portal",
    "privacy_policy_url": "the kiosk does not show the privacy notice's link: the council's portal has its own",
    "send_copy_of_answers": "the kiosk does not email a copy of the answers",
}


def convert(data: Any, *, journey_id: str | None = None) -> Imported:
    """The kiosk journey for a GOV.UK Forms form document, with its notes."""
    reader = Reader()
    try:
        journey = _convert(data, journey_id, reader)
    except Exception as exc:  # a last guard: the notes say where, never a traceback  # pragma: no cover
        reader.notes.append(Note("", f"the importer could not read this form ({type(exc).__name__})", "error"))
        journey = None
    return Imported(FORMAT, journey, reader.notes)


def _convert(data: Any, journey_id: str | None, reader: Reader) -> dict[str, Any] | None:
    form = read(data, reader)
    if form is None:
        return None
    builder = Builder(reader)
    blocks = [b for b in (build(builder, step) for step in form.steps) if b is not None]
    if not blocks:
        reader.note("", "no page of the form could be imported", "error")
        return None
    exits = Router(blocks, reader, builder.page_ids, builder.lost).run()
    pages = []
    for i, block in enumerate(blocks):
        pages.extend(block.pages)
        pages.extend(exits.get(i, []))
    title = form.text(reader, "name")
    if title is None:
        reader.note("", "the form has no name: 'Untitled form' stands in for its title", "error")
        title = {"en": "Untitled form"}
    journey: dict[str, Any] = {
        "schema_version": 1,
        "id": _journey_id(journey_id, form, title),
        "version": 1,
        "title": title,
        "summary": title,
        "category": CATEGORY,
    }
    reader.note("", "GOV.UK Forms has no summary: the form's name is the summary; write one for the home screen")
    reader.note(
        "",
        f"GOV.UK Forms has no category: the journey goes under {CATEGORY!r} unless --category names one of the council's",
    )
    start = _start(form, reader)
    if start:
        journey["start"] = start
    journey["pages"] = pages
    declaration = _declaration(form, reader, builder.lost)
    if declaration:
        journey["declaration"] = declaration
    journey["confirmation"] = _confirmation(form, reader, builder.lost)
    _form_notes(form, reader, builder.lost)
    return journey


def _journey_id(given: str | None, form: Form, title: Loc) -> str:
    if given:
        return given
    form_slug = form.doc.get("form_slug")
    return slug(form_slug if isinstance(form_slug, str) and form_slug else title["en"], "govuk-form")


def _markdown_text(value: Loc | None, lost: set[str]) -> Loc | None:
    if value is None:
        return None
    out = {lang: markdown.plain(text, lost) for lang, text in value.items()}
    return {k: v for k, v in out.items() if v} if out.get("en") else None


def _declaration(form: Form, reader: Reader, lost: set[str]) -> Loc | None:
    return _markdown_text(form.text(reader, "declaration_markdown"), lost) or form.text(reader, "declaration_text")


def _confirmation(form: Form, reader: Reader, lost: set[str]) -> Loc:
    words = _markdown_text(form.text(reader, "what_happens_next_markdown"), lost)
    if words is None:
        reader.note(
            "", "the form has no what_happens_next_markdown: the confirmation says to keep the reference", "changed"
        )
        words = reader.words(
            DEFAULT_CONFIRMATION["en"],
            DEFAULT_CONFIRMATION["cy"],
        )
    payment = form.text(reader, "payment_url")
    if payment:
        reader.note(
            "",
            "the form asks for a payment through a GOV.UK Pay link after it is sent, and says no amount: the kiosk "
            "takes no payment for it; the confirmation gives the link to pay online with the reference",
            "changed",
        )
        extra = reader.words(
            f"You need to pay for this. Pay online at {payment['en']} and give your reference.",
            f"Mae angen i chi dalu am hyn. Talwch ar-lein yn {payment.get('cy', payment['en'])} a rhowch eich cyfeirnod.",
        )
        words = {lang: f"{words.get(lang, words['en'])}\n\n{text}" for lang, text in extra.items()}
    return words


def _start(form: Form, reader: Reader) -> dict[str, Any] | None:
    """The support details as the start page's other ways to get help."""
    parts: list[tuple[str, str]] = []
    phone = form.text(reader, "support_phone")
    if phone:
        parts.append((f"phone {phone['en']}", f"ffoniwch {phone.get('cy', phone['en'])}"))
    email = form.text(reader, "support_email")
    if email:
        parts.append((f"email {email['en']}", f"e-bostiwch {email.get('cy', email['en'])}"))
    url = form.text(reader, "support_url")
    if url:
        text = form.text(reader, "support_url_text") or url
        parts.append((f"{text['en']} ({url['en']})", f"{text.get('cy', text['en'])} ({url.get('cy', url['en'])})"))
    if not parts:
        return None
    en = "For help with this form: " + ", or ".join(p[0] for p in parts) + "."
    cy = "Am help gyda’r ffurflen hon: " + ", neu ".join(p[1] for p in parts) + "."
    return {"other_ways": reader.words(en, cy)}


def _form_notes(form: Form, reader: Reader, lost: set[str]) -> None:
    for key, why in _NOT_FOR_THE_KIOSK.items():
        if form.doc.get(key):
            reader.note("", f"{key}: {why}")
    if lost:
        reader.note(
            "",
            "the kiosk shows plain words: " + ", ".join(sorted(lost)) + " in the form's markdown became plain text "
            "(a link's address is written after its words)",
            "changed" if "links" in lost or "HTML" in lost else "info",
        )
    if reader.welsh and form.language == "en":
        reader.note("", "the form's Welsh is kept: the journey is in English and Welsh (cy)")
