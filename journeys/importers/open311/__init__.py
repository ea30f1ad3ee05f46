"""Import an Open311 GeoReport v2 service (its services.json entry and its definition) as a kiosk journey.

Read: a bundle ``{"service": <one entry of services.json>, "definition": <services/{code}.json, or null>}``, what
``dcp-kiosk open311 journey CODE`` fetches (``metadata: false`` means the service has no definition), or a bare
service definition ``{"service_code": ..., "attributes": [...]}`` (the title is then made from the code).

The journey asks where it is (an address, the report's location), one page per variable attribute in `order`
(attributes.py), what the problem is (the report's description), and optional contact details; its
``delivery.open311`` says which answer goes where, so the kiosk's delivery posts it to the service.
"""

from __future__ import annotations

from typing import Any

from journeys.importers.open311.attributes import read_attributes
from journeys.importers.open311.context import Context, code_of, flag, slug
from journeys.importers.report import DEFAULT_CATEGORY, DEFAULT_CONFIRMATION, Imported, kind

__all__ = ["convert", "looks_like"]

FORMAT = "open311"
TITLE_MAX = 150
SUMMARY_MAX = 300
KEYWORD_MAX = 40
KEYWORDS_MAX = 30
# The questions every report asks, besides the attributes: their ids are taken first, so no attribute has them.
LOCATION, DESCRIPTION = "location", "description"
CONTACT = {"first_name": "first-name", "last_name": "last-name", "email": "email", "phone": "phone"}
PAGES = ("where", "describe", "contact")
CONTACT_WHY = (
    "Give these only if you are happy for the council to ask you about this report. "
    "Reports like this one do not promise a reply."
)


def _parts(data: Any) -> tuple[Any, Any, bool] | None:
    """(the services.json entry or None, the definition or None, whether it is a bundle), or None when neither."""
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("service"), dict) and "definition" in data:
        return data["service"], data["definition"], True
    if "service_code" in data and isinstance(data.get("attributes"), list):
        return None, data, False
    return None


def looks_like(data: Any) -> bool:
    """A bundle (``service`` with a ``service_code``, and ``definition``) or a bare definition (code and attributes)."""
    try:
        parts = _parts(data)
        if parts is None:
            return False
        service, definition, bundle = parts
        if bundle:
            return "service_code" in service
        return isinstance(definition, dict) and not ({"pages", "steps"} & set(definition))
    except Exception:  # never raises, whatever it is given
        return False


def _title_from_code(code: str) -> str:
    words = " ".join(code.replace("_", " ").replace("-", " ").split())
    return words[:1].upper() + words[1:]


def _keywords(ctx: Context, service: dict[str, Any]) -> list[str]:
    raw: list[str] = []
    words = service.get("keywords")
    if isinstance(words, str):
        raw += words[:5_000].split(",")
    elif words is not None:
        ctx.note("service, keywords", f"keywords should be words separated by commas, not {kind(words)}: not used")
    group = service.get("group")
    if isinstance(group, str):
        raw.append(group[:200])
    found: list[str] = []
    for word in raw:
        word = " ".join(word.split())
        if not word or word.lower() in (w.lower() for w in found):
            continue
        if len(word) > KEYWORD_MAX:
            ctx.note("service, keywords", f"{word[:KEYWORD_MAX]!r}...: longer than {KEYWORD_MAX} characters, not used")
            continue
        if len(found) == KEYWORDS_MAX:
            ctx.note("service, keywords", f"more than {KEYWORDS_MAX} search words: the first {KEYWORDS_MAX} are kept")
            break
        found.append(word)
    return found


def _standard_pages(ctx: Context) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Where it is, what the problem is, and who to ask about it (all optional)."""
    where = {
        "id": "where",
        "questions": [
            {
                "id": LOCATION,
                "type": "address",
                "label": {"en": "Where is it?"},
                "hint": {"en": "The address nearest to the problem. Search by postcode or street, or type it."},
                "error_name": {"en": "where it is"},
            }
        ],
    }
    describe = {
        "id": "describe",
        "questions": [
            {
                "id": DESCRIPTION,
                "type": "long_text",
                "label": {"en": "Describe the problem"},
                "hint": {"en": "What is wrong, and anything that helps the council find it."},
                "error_name": {"en": "a description of the problem"},
                "max_length": 4000,  # GeoReport v2: the description is free text of up to 4,000 characters
            }
        ],
    }
    contact = {
        "id": "contact",
        "title": {"en": "Your contact details (optional)"},
        "content": [{"type": "paragraph", "text": {"en": CONTACT_WHY}}],
        "questions": [
            {"id": CONTACT["first_name"], "type": "text", "label": {"en": "First name"}, "required": False,
             "max_length": 100, "error_name": {"en": "your first name"}},
            {"id": CONTACT["last_name"], "type": "text", "label": {"en": "Last name"}, "required": False,
             "max_length": 100, "error_name": {"en": "your last name"}},
            {"id": CONTACT["email"], "type": "email", "label": {"en": "Email address"}, "required": False,
             "error_name": {"en": "your email address"}, "reuse": "email"},
            {"id": CONTACT["phone"], "type": "phone", "label": {"en": "Phone number"}, "required": False,
             "error_name": {"en": "your phone number"}, "reuse": "phone"},
        ],
    }  # fmt: skip
    return where, describe, contact


def convert(data: Any, *, journey_id: str | None = None) -> Imported:
    """The kiosk journey for an Open311 service, with a note for everything changed or left out."""
    ctx = Context()
    parts = _parts(data)
    if parts is None:
        ctx.error(
            "",
            'an Open311 import is {"service": <a services.json entry>, "definition": <its definition or null>} '
            f'or a service definition {{"service_code", "attributes"}}, not {kind(data)} of another shape',
        )
        return Imported(FORMAT, None, ctx.notes)
    service, definition, bundle = parts
    service = service or {}

    code = code_of(service.get("service_code")) if bundle else None
    if bundle and code is None:
        ctx.error("service", f"service_code {str(service.get('service_code'))[:40]!r} is not an Open311 service code")
        return Imported(FORMAT, None, ctx.notes)
    if definition is not None and not isinstance(definition, dict):
        ctx.error("definition", f"the definition should be an object (or null), not {kind(definition)}")
        return Imported(FORMAT, None, ctx.notes)
    if isinstance(definition, dict):
        own = code_of(definition.get("service_code"))
        if own is None and not bundle:
            ctx.error("definition", f"service_code {str(definition.get('service_code'))[:40]!r} is not a service code")
            return Imported(FORMAT, None, ctx.notes)
        if bundle and definition.get("service_code") is not None and own != code:
            ctx.error(
                "definition",
                f"the definition is for service {str(definition.get('service_code'))[:40]!r}, not {code!r}",
            )
            return Imported(FORMAT, None, ctx.notes)
        code = code or own
    assert code is not None
    if bundle:
        metadata = flag(service.get("metadata"))
        if metadata is True and definition is None:
            ctx.note("definition", "the service has a definition (metadata true) but none was given: "
                     "only the standard questions are asked; import it with its definition", "error")  # fmt: skip
        elif metadata is False and definition is not None:
            ctx.note("definition", "the service says it has no definition (metadata false): the one given is used")
        kind_of = service.get("type")
        if isinstance(kind_of, str) and kind_of not in ("realtime", "batch", "blackbox"):
            ctx.note("service, type", f"type {kind_of[:20]!r} is not realtime, batch or blackbox: not used")

    for taken in (LOCATION, DESCRIPTION, *CONTACT.values(), *PAGES):
        ctx.taken.add(taken)
    attrs = read_attributes(ctx, definition.get("attributes") if isinstance(definition, dict) else None)
    where, describe, contact = _standard_pages(ctx)
    if attrs.waiting:  # information after the last question: shown above the description
        describe["content"] = attrs.waiting

    name = ctx.words(service.get("service_name"), "service", "service_name", TITLE_MAX) if bundle else None
    if name is None:
        name = _title_from_code(code)[:TITLE_MAX] or code
        if bundle:
            ctx.note("service", "the service has no service_name: the title is made from its code", "changed")
        else:
            ctx.note(
                "",
                "a service definition alone: the title is made from the service code and the summary is plain; "
                "import it with its services.json entry for the service's own name and description",
                "changed",
            )
    summary = ctx.words(service.get("description"), "service", "description", SUMMARY_MAX)
    if summary is None:
        summary = f"Tell the council about a problem: {name}."
        if bundle:
            ctx.note("service", "the service has no description: the summary is plain", "changed")

    ident = journey_id or slug(code, "report")
    journey: dict[str, Any] = {
        "schema_version": 1,
        "id": ident,
        "version": 1,
        "title": {"en": f"Report a problem: {name}"},
        "summary": {"en": summary},
        "category": DEFAULT_CATEGORY,
        "pages": [where, *attrs.pages, describe, contact],
        "confirmation": {"en": DEFAULT_CONFIRMATION["en"]},
        "delivery": {
            "open311": {
                "service_code": code,
                "description": [DESCRIPTION],
                "location": LOCATION,
                "contact": dict(CONTACT),
                "attributes": attrs.mapping,
            }
        },
    }
    keywords = _keywords(ctx, service) if bundle else []
    if keywords:
        journey["keywords"] = {"en": keywords}
    ctx.note(
        "",
        "added the questions every Open311 report has: where it is (an address), a description of the problem "
        "and optional contact details; the category is 'other-services' unless --category names another",
    )
    return Imported(FORMAT, journey, ctx.notes)
