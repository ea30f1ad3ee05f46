"""DEFRA components as kiosk questions and content blocks, one component at a time.

Questions keep their title (label), hint, shortDescription (the name errors use), optional flag and the limits
the kiosk can check; what it cannot check or ask is said in a note, and a page the kiosk cannot take says
plainly to bring it to the counter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from journeys.importers.defra.choices import FollowUp, options
from journeys.importers.defra.context import Component, Context, slug, unique
from journeys.importers.defra.words import paragraphs, plain, text
from journeys.importers.report import kind

SIMPLE = {
    "TextField": "text",
    "WebsiteField": "text",
    "MultilineTextField": "long_text",
    "EmailAddressField": "email",
    "TelephoneNumberField": "phone",
    "YesNoField": "yes_no",
    "UkAddressField": "address",
    "DatePartsField": "date",
    "DateField": "date",
    "MonthYearField": "date",
    "TimeField": "time",
    "RadiosField": "radios",
    "SelectField": "select",
    "AutocompleteField": "select",
    "CheckboxesField": "checkboxes",
}
# Grid references and map positions: typed as words or numbers the council checks (the kiosk has no map).
LOCATION = {"OsGridRefField", "NationalGridFieldNumberField", "EastingNorthingField", "LatLongField", "GeospatialField"}
CONTENT = {"Html", "Markdown", "InsetText", "Details", "List", "NotificationBanner", "Para"}
SPECIAL = {"FileUploadField", "HiddenField", "DeclarationField", "PaymentField", "DateTimeField", "DateTimePartsField"}
KNOWN = set(SIMPLE) | LOCATION | CONTENT | SPECIAL | {"NumberField"}

COUNTER = (
    "The kiosk cannot take files. Bring {what} to the counter in this building and staff will add it to your request."
)


@dataclass
class Parts:
    """What the components of one DEFRA page become."""

    content: list[dict[str, Any]] = field(default_factory=list)
    questions: list[dict[str, Any]] = field(default_factory=list)
    followups: list[FollowUp] = field(default_factory=list)
    declaration: list[dict[str, str]] = field(default_factory=list)
    payment: dict[str, Any] | None = None
    you_need: list[dict[str, str]] = field(default_factory=list)
    content_moved: bool = False


def where_of(path: str, comp: dict[str, Any]) -> str:
    name = comp.get("name") if isinstance(comp.get("name"), str) else comp.get("id")
    return f"page {path}, component {name or '(no name)'} ({comp.get('type')})"


def add(ctx: Context, comp: Any, path: str, page: int, parts: Parts, *, start: bool = False) -> None:
    """Convert one component into parts of the page (or of the journey: declaration, payment)."""
    if not isinstance(comp, dict):
        ctx.error(f"page {path}", f"a component should be an object, not {kind(comp)}")
        return
    where = where_of(path, comp)
    ctype = comp.get("type")
    if not isinstance(ctype, str) or ctype not in KNOWN:
        ctx.error(where, f"unknown component type {ctype!r}: left out")
        return
    uuid = str(comp["id"]) if isinstance(comp.get("id"), str) else f"{path}#{comp.get('name')}"
    info = Component(uuid, where, page, None, None, ctype)
    if not isinstance(comp.get("options", {}), dict) or not isinstance(comp.get("schema", {}), dict):
        ctx.error(where, "options and schema should be objects")
        return
    ctx.components[uuid] = info
    if ctype in CONTENT:
        _content(ctx, comp, where, ctype, parts, start=start)
        return
    if ctype == "FileUploadField":
        title = text(ctx, comp.get("title"), where, "title") or {"en": "the file"}
        what = title["en"][0].lower() + title["en"][1:] if title["en"][1:2].islower() else title["en"]
        parts.content.append({"type": "inset", "text": {"en": COUNTER.format(what=what)}})
        ctx.note(where, "file upload: the page tells the citizen to bring it to the counter", "left_out")
        return
    if ctype == "HiddenField":
        ctx.note(
            where, "hidden field: the kiosk sends no value for it (it was set by the web page's address)", "left_out"
        )
        return
    if ctype == "DeclarationField":
        _declaration(ctx, comp, where, parts)
        return
    if ctype == "PaymentField":
        _payment(ctx, comp, where, parts)
        return
    _questions(ctx, comp, where, ctype, info, parts)


def _content(ctx: Context, comp: dict[str, Any], where: str, ctype: str, parts: Parts, *, start: bool) -> None:
    if parts.questions:
        parts.content_moved = True
    title = text(ctx, comp.get("title"), where, "title")
    if ctype == "List":
        items = ctx.lists.get(comp["list"]) if isinstance(comp.get("list"), str) else None
        if items is None:
            ctx.error(where, f"the list {comp.get('list')!r} it names is not in the definition's lists")
            return
        lines = [t for t in (text(ctx, i.text, where, "item text") for i in items) if t]
        if start:  # a list on the start page is what to have ready
            parts.you_need.extend(lines)
            return
        numbered = isinstance(comp.get("options"), dict) and comp["options"].get("type") == "numbered"
        marks = [f"{n}. " if numbered else "• " for n in range(1, len(lines) + 1)]
        words = {"en": "\n".join(m + t["en"] for m, t in zip(marks, lines, strict=True))}
        if lines and all("cy" in t for t in lines):
            words["cy"] = "\n".join(m + t["cy"] for m, t in zip(marks, lines, strict=True))
        if title and not (isinstance(comp.get("options"), dict) and comp["options"].get("hideTitle")):
            parts.content.append({"type": "paragraph", "text": title})
        if lines:
            parts.content.append({"type": "paragraph", "text": words})
        return
    markup = "html" if ctype == "Html" else "markdown"
    blocks = paragraphs(ctx, comp.get("content"), where, "content", markup=markup)
    if not blocks:
        ctx.note(where, "no words to show: left out")
        return
    if ctype == "Details":
        body = {"en": "\n\n".join(b["en"] for b in blocks)}
        if all("cy" in b for b in blocks):
            body["cy"] = "\n\n".join(b["cy"] for b in blocks)
        parts.content.append({"type": "details", "summary": title or {"en": "More information"}, "text": body})
        return
    kind_ = "inset" if ctype in {"InsetText", "NotificationBanner"} else "paragraph"
    if ctype == "NotificationBanner" and title:  # the banner's title leads its first block
        first = blocks[0]
        blocks[0] = {lang: f"{title.get(lang, title['en'])}: {words}" for lang, words in first.items()}
    parts.content.extend({"type": kind_, "text": b} for b in blocks)


def _declaration(ctx: Context, comp: dict[str, Any], where: str, parts: Parts) -> None:
    blocks = paragraphs(ctx, comp.get("content"), where, "content")
    label = text(ctx, (comp.get("options") or {}).get("declarationConfirmationLabel"), where, "confirmation label")
    if label:
        blocks.append(label)
    if not blocks:
        ctx.error(where, "a declaration needs its words (content)")
        return
    parts.declaration.extend(blocks)
    ctx.note(
        where,
        'declaration: shown on check answers above "Accept and send", which the citizen presses to agree '
        "(instead of ticking a box)",
        "changed",
    )


def _payment(ctx: Context, comp: dict[str, Any], where: str, parts: Parts) -> None:
    opts = comp.get("options") or {}
    amount = opts.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, int | float) or not 0 < amount <= 100_000:
        ctx.error(where, f"a payment needs an amount in pounds (more than 0), not {amount!r}")
        return
    description = text(ctx, opts.get("description"), where, "description") or text(
        ctx, comp.get("title"), where, "title"
    )
    parts.payment = {
        "description": description or {"en": "Payment"},
        "amount_pence": round(amount * 100),
        "pay_at_counter": True,
        "other_ways": {"en": "You can also pay at the counter in this building."},
    }
    ctx.note(
        where,
        f"payment of £{amount:,.2f}: taken after check answers, on the citizen's own phone or at this building's counter",
        "changed",
    )


def _base(ctx: Context, comp: dict[str, Any], where: str, qid: str, qtype: str) -> dict[str, Any]:
    label = text(ctx, comp.get("title"), where, "title", required=True) or {"en": qid.replace("-", " ").capitalize()}
    q: dict[str, Any] = {"id": qid, "type": qtype, "label": label}
    hint = text(ctx, comp.get("hint"), where, "hint")
    if hint:
        q["hint"] = hint
    short = text(ctx, comp.get("shortDescription"), where, "shortDescription")
    if short:
        q["error_name"] = {k: (v[0].lower() + v[1:] if v[1:2].islower() else v) for k, v in short.items()}
    opts = comp.get("options") or {}
    if opts.get("required") is False:
        q["required"] = False
    if opts.get("customValidationMessage") or opts.get("customValidationMessages"):
        ctx.note(where, "custom error messages: the kiosk uses its own (in the citizen's language)")
    return q


def _questions(ctx: Context, comp: dict[str, Any], where: str, ctype: str, info: Component, parts: Parts) -> None:
    qid = unique(slug(comp.get("name"), "question"), ctx.question_ids)
    schema = comp.get("schema") or {}
    opts = comp.get("options") or {}
    if ctype == "NumberField":
        money = isinstance(opts.get("prefix"), str) and opts["prefix"].strip() == "£"
        q = _base(ctx, comp, where, qid, "money" if money else "number")
        _number(ctx, q, schema, where, money)
        if opts.get("suffix") and not money:
            ctx.note(where, f"suffix {opts['suffix']!r}: not shown beside the box", "info")
    elif ctype in ("DateTimeField", "DateTimePartsField"):
        q = _base(ctx, comp, where, qid, "date")
        time_id = unique(f"{qid[:59]}-time", ctx.question_ids)
        parts.questions.append(q)
        parts.questions.append({**_base(ctx, comp, where, time_id, "time"), "label": _suffix(q["label"], "time")})
        ctx.note(where, "date and time: asked as a date and a time", "changed")
        info.question, info.qtype = qid, "date"
        return
    elif ctype in LOCATION:
        _location(ctx, comp, where, ctype, qid, info, parts)
        return
    else:
        qtype = SIMPLE[ctype]
        q = _base(ctx, comp, where, qid, qtype)
        if qtype in ("radios", "select", "checkboxes"):
            q["options"], followups = options(ctx, comp, info, where, qid, qtype)
            parts.followups.extend(followups)
            if qtype == "checkboxes" and len(q["options"]) == 1:
                only = q.pop("options")[0]
                q["type"] = "yes_no"
                q["label"] = only["label"]
                info.options_by_item = {k: "yes" for k in info.options_by_item}
                info.options_by_value = {k: "yes" for k in info.options_by_value}
                ctx.note(where, "checkboxes with one option: asked as yes or no", "changed")
        elif qtype in ("text", "long_text"):
            _text_limits(ctx, q, schema, opts, where)
        elif qtype == "date":
            _date(ctx, q, opts, where, ctype)
        elif qtype == "address" and opts.get("usePostcodeLookup"):
            ctx.note(where, "postcode lookup: the kiosk finds addresses in the council's own address pack")
    if ctype == "AutocompleteField":
        ctx.note(where, "autocomplete: a list to choose from (the kiosk's select)")
    parts.questions.append(q)
    info.question, info.qtype = qid, q["type"]


def _suffix(label: dict[str, str], what: str) -> dict[str, str]:
    words = {"en": f"{label['en']} ({what})"}
    if "cy" in label:
        words["cy"] = f"{label['cy']} ({'amser' if what == 'time' else what})"
    return words


def _number(ctx: Context, q: dict[str, Any], schema: dict[str, Any], where: str, money: bool) -> None:
    low, high = schema.get("min"), schema.get("max")
    scale = 100 if money else 1
    for name, value, rounding in (("min", low, math.ceil), ("max", high, math.floor)):
        if value is None or value == "":
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            ctx.error(where, f"schema.{name} should be a number, not {kind(value)}")
            continue
        q[name] = int(rounding(round(value * scale, 6)))
    if "min" in q and "max" in q and q["min"] > q["max"]:
        ctx.error(where, "schema.min is larger than schema.max")
    precision = schema.get("precision")
    if not money and isinstance(precision, int) and precision > 0:
        ctx.note(where, f"decimals ({precision} places): the kiosk takes whole numbers only", "changed")
    if money:
        ctx.note(where, "a number with £ before it: asked as an amount of money (pounds and pence)", "changed")
    if schema.get("minLength") or schema.get("maxLength"):
        ctx.note(where, "the number of digits is not checked by the kiosk", "changed")


def _text_limits(ctx: Context, q: dict[str, Any], schema: dict[str, Any], opts: dict[str, Any], where: str) -> None:
    high = schema.get("max") if schema.get("max") not in (None, "") else schema.get("length")
    if high not in (None, ""):
        if isinstance(high, int) and not isinstance(high, bool) and 1 <= high <= 10_000:
            q["max_length"] = high
        else:
            ctx.error(where, f"schema.max should be a whole number from 1 to 10,000, not {high!r}")
    unchecked = [n for n in ("min", "length", "regex") if schema.get(n) not in (None, "")]
    if opts.get("maxWords"):
        unchecked.append("maxWords")
    if unchecked:
        ctx.note(where, f"{', '.join(unchecked)}: not checked by the kiosk (the council checks the answer)", "changed")


def _date(ctx: Context, q: dict[str, Any], opts: dict[str, Any], where: str, ctype: str) -> None:
    past, future = opts.get("maxDaysInPast"), opts.get("maxDaysInFuture")
    if ctype == "MonthYearField":
        q["hint"] = q.get("hint", {"en": "If you do not know the day, enter 1."})
        ctx.note(where, "month and year: asked as a date (the citizen can give the 1st)", "changed")
    if future == 0 and isinstance(past, int) and not isinstance(past, bool) and 1 <= past <= 3660:
        q["date_rules"] = {"within_days": past}
    elif future == 0:
        q["date_range"] = "today_or_past"
        if past is not None:
            ctx.note(where, f"maxDaysInPast {past!r}: not checked by the kiosk", "changed")
    elif past == 0:
        q["date_range"] = "today_or_future"
        if future is not None:
            ctx.note(where, f"maxDaysInFuture {future!r}: not checked by the kiosk", "changed")
    elif past is not None or future is not None:
        ctx.note(where, "how far in the past or future: not checked by the kiosk (the council checks it)", "changed")


def _location(
    ctx: Context, comp: dict[str, Any], where: str, ctype: str, qid: str, info: Component, parts: Parts
) -> None:
    """A grid reference or a map position as words (or numbers) the citizen types; the council checks them."""
    base = _base(ctx, comp, where, qid, "text")
    if ctype == "EastingNorthingField":
        schema = comp.get("schema") or {}
        for axis in ("easting", "northing"):
            axis_id = unique(f"{qid[:54]}-{axis}", ctx.question_ids)
            q = {**base, "id": axis_id, "type": "number", "label": _suffix(base["label"], axis)}
            limits: dict[str, Any] = schema[axis] if isinstance(schema.get(axis), dict) else {}
            q.update({k: int(v) for k, v in limits.items() if k in ("min", "max") and isinstance(v, int | float)})
            parts.questions.append(q)
        ctx.question_ids.discard(qid)
        ctx.note(where, "easting and northing: asked as two numbers (metres); there is no map at the kiosk", "changed")
        return
    if ctype == "LatLongField":
        for axis in ("latitude", "longitude"):
            axis_id = unique(f"{qid[:54]}-{axis}", ctx.question_ids)
            parts.questions.append({**base, "id": axis_id, "label": _suffix(base["label"], axis), "max_length": 20})
        ctx.question_ids.discard(qid)
        ctx.note(where, "latitude and longitude: typed as two answers; there is no map at the kiosk", "changed")
        return
    if ctype == "GeospatialField":
        base["type"] = "long_text"
        base.setdefault("hint", {"en": "Describe the place: a street, a landmark, or a grid reference."})
        ctx.note(where, "a place drawn on a map: the citizen describes it in words instead", "changed")
    else:
        base.setdefault("hint", {"en": "For example, ST 12345 67890"})
        base["max_length"] = 30
        ctx.note(
            where, "grid reference: typed as words; the council checks it (there is no map at the kiosk)", "changed"
        )
    parts.questions.append(base)
    info.question, info.qtype = qid, base["type"]


__all__ = ["KNOWN", "Parts", "add", "plain", "where_of"]
