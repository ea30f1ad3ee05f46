"""A service definition's attributes as kiosk questions, one page each, and the delivery mapping that answers them.

| datatype | the kiosk asks |
|---|---|
| string | `text`, max_length 200 |
| text | `long_text` |
| number | `number` (whole numbers) |
| datetime | a `date` and a `time` question on one page (`{"question": date, "time": time}`) |
| singlevaluelist | `radios` (`select` over 8 values) |
| multivaluelist | `checkboxes` |

`description` is the label, `datatype_description` the hint, `required` kept. A value key that is not an option
value gets a slug and an entry in the mapping's `values`. An attribute with `variable: false` is words for the
citizen: an inset on the next question's page. Anything else is a note, naming the attribute's code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from journeys import limits
from journeys.delivery import MAX_ATTRIBUTES
from journeys.importers.open311.context import IDENTIFIER, Context, code_of, flag, order_of, slug
from journeys.importers.report import kind

MAX_READ = 1_000  # attributes (and values of one attribute) read at all; the rest are counted in one note
# Pages the attributes may take: the journey also has the location, description and contact pages.
MAX_ATTRIBUTE_PAGES = min(limits.MAX_PAGES - 3, MAX_ATTRIBUTES)
SELECT_OVER = 8  # a single choice of more values than this is a select (a long list), not radios
LABEL_MAX = 500
HINT_MAX = 500
OPTION_MAX = 200
INFO_MAX = 2_000
DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")


@dataclass
class Attributes:
    """What the attributes become: question pages, the delivery mapping, and words waiting for the next page."""

    pages: list[dict[str, Any]] = field(default_factory=list)
    mapping: dict[str, Any] = field(default_factory=dict)
    waiting: list[dict[str, Any]] = field(default_factory=list)  # inset blocks for the next question's page


def _where(code: str) -> str:
    return f"attribute {code[:60]}"


def _sorted(ctx: Context, raw: list[Any]) -> list[tuple[str, dict[str, Any]]]:
    """The attributes that are objects with a code, in `order` (those without a usable order last, as given)."""
    found: list[tuple[int, float, int, str, dict[str, Any]]] = []
    seen: set[str] = set()
    for n, attr in enumerate(raw[:MAX_READ], 1):
        if not isinstance(attr, dict):
            ctx.error(f"attribute {n}", f"an attribute should be an object, not {kind(attr)}: left out")
            continue
        code = code_of(attr.get("code"))
        if code is None:
            ctx.error(
                f"attribute {n}",
                f"code {str(attr.get('code'))[:40]!r} is not an Open311 attribute code "
                "(words of up to 100 characters, no space at either end): left out",
            )
            continue
        if code in seen:
            ctx.error(_where(code), "the code is used by an earlier attribute: this one is left out")
            continue
        seen.add(code)
        order = order_of(attr.get("order"))
        if order is None:
            ctx.note(
                _where(code),
                f"order {str(attr.get('order'))[:20]!r} is not a number: asked after the others",
                "changed",
            )
        found.append((0 if order is not None else 1, order or 0.0, n, code, attr))
    if len(raw) > MAX_READ:
        ctx.error("attributes", f"{len(raw)} attributes: only the first {MAX_READ} are read")
    found.sort(key=lambda item: item[:3])
    return [(code, attr) for *_, code, attr in found]


def _options(ctx: Context, code: str, values: Any) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The options for a list's values, and option value -> key for each key that is not an option value itself."""
    where = _where(code)
    if not isinstance(values, list):
        ctx.error(where, f"values should be a list, not {kind(values)}")
        return [], {}
    read: list[tuple[str, str]] = []  # (key, label)
    keys: set[str] = set()
    for n, item in enumerate(values[:MAX_READ], 1):
        key = code_of(item.get("key")) if isinstance(item, dict) else None
        if key is None:
            ctx.note(where, f"value {n} has no key the service can take: left out", "left_out")
            continue
        if key in keys:
            ctx.note(where, f"value key {key[:40]!r} is given twice: the second is left out", "left_out")
            continue
        if len(read) == limits.MAX_OPTIONS:
            ctx.note(
                where,
                f"more than {limits.MAX_OPTIONS} values: only the first {limits.MAX_OPTIONS} are offered",
                "left_out",
            )
            break
        keys.add(key)
        label = ctx.words(item.get("name"), where, f"name of value {key[:40]!r}", OPTION_MAX) or key
        read.append((key, label))
    if len(values) > MAX_READ and len(read) < limits.MAX_OPTIONS:
        ctx.note(where, f"{len(values)} values: only the first {MAX_READ} are read", "left_out")
    # Keys that are option values already keep their value; the others get a slug, kept apart from every other.
    used = {key for key, _ in read if IDENTIFIER.fullmatch(key)}
    options: list[dict[str, Any]] = []
    mapping: dict[str, str] = {}
    for key, label in read:
        if IDENTIFIER.fullmatch(key):
            value = key
        else:
            wanted = slug(key, "option")
            value, n = wanted, 1
            while value in used:
                n += 1
                value = f"{wanted}-{n}"
            used.add(value)
            mapping[value] = key
        options.append({"value": value, "label": {"en": label}})
    if mapping:
        ctx.note(
            where,
            f"{', '.join(repr(k[:20]) for k in list(mapping.values())[:5])}{' ...' if len(mapping) > 5 else ''}: "
            "value keys that are not kiosk option values (lower case letters, digits and hyphens): the options "
            "have their own values, and the delivery sends the service's keys",
        )
    return options, mapping


def _question(ctx: Context, code: str, attr: dict[str, Any], datatype: str, required: bool) -> dict[str, Any]:
    where = _where(code)
    label = ctx.words(attr.get("description"), where, "description", LABEL_MAX)
    if label is None:
        ctx.note(where, "the attribute has no description: its code is the question's label", "changed")
        label = code
    q: dict[str, Any] = {"id": "", "type": "text", "label": {"en": label}}
    hint = ctx.words(attr.get("datatype_description"), where, "datatype_description", HINT_MAX)
    if hint:
        q["hint"] = {"en": hint}
    if not required:
        q["required"] = False
    return q


def read_attributes(ctx: Context, raw: Any) -> Attributes:
    """Every attribute of a definition's `attributes` list, as pages and delivery mapping (notes for the rest)."""
    built = Attributes()
    if raw is None:
        return built
    if not isinstance(raw, list):
        ctx.error("attributes", f"attributes should be a list, not {kind(raw)}: none are asked")
        return built
    skipped_required: list[str] = []
    skipped: list[str] = []
    for code, attr in _sorted(ctx, raw):
        where = _where(code)
        variable = flag(attr.get("variable", True))
        if variable is None:
            ctx.note(where, f"variable {str(attr.get('variable'))[:20]!r} is not true or false: asked", "changed")
            variable = True
        if not variable:
            text = ctx.words(attr.get("description"), where, "description", INFO_MAX)
            if text:
                built.waiting.append({"type": "inset", "text": {"en": text}})
                ctx.note(where, "information (variable false): shown as an inset on the next question's page")
            else:
                ctx.note(where, "information (variable false) with no description: nothing to show", "left_out")
            continue
        required = flag(attr.get("required", False))
        if required is None:
            ctx.note(
                where, f"required {str(attr.get('required'))[:20]!r} is not true or false: asked as required", "changed"
            )
            required = True
        datatype = attr.get("datatype")
        if datatype not in DATATYPES:
            shown = str(datatype)[:30] if isinstance(datatype, str) else kind(datatype)
            also = " The service may refuse reports without it: it is required there." if required else ""
            ctx.note(where, f"datatype {shown!r} is not one of Open311's: no question asks it.{also}", "left_out")
            continue
        if len(built.pages) >= MAX_ATTRIBUTE_PAGES:
            (skipped_required if required else skipped).append(code)
            continue
        page = _attribute_page(ctx, code, attr, datatype, required, built)
        if page is not None:
            page["content"] = built.waiting + page.get("content", [])
            if not page["content"]:
                del page["content"]
            built.waiting = []
            built.pages.append(page)
    if skipped:
        ctx.note(
            "attributes",
            f"{len(skipped)} optional attributes are not asked (a journey has at most {MAX_ATTRIBUTE_PAGES} of them): "
            + ", ".join(c[:30] for c in skipped[:5])
            + (" ..." if len(skipped) > 5 else ""),
            "left_out",
        )
    if skipped_required:
        ctx.error(
            "attributes",
            f"{len(skipped_required)} required attributes cannot be asked (a journey has at most "
            f"{MAX_ATTRIBUTE_PAGES} of them), so the service would refuse every report: "
            + ", ".join(c[:30] for c in skipped_required[:5])
            + (" ..." if len(skipped_required) > 5 else ""),
        )
    return built


def _attribute_page(
    ctx: Context, code: str, attr: dict[str, Any], datatype: str, required: bool, built: Attributes
) -> dict[str, Any] | None:
    """One attribute's page (and its entry in the mapping), or None when it cannot be asked."""
    where = _where(code)
    q = _question(ctx, code, attr, datatype, required)
    if datatype in ("singlevaluelist", "multivaluelist"):
        options, values = _options(ctx, code, attr.get("values"))
        if len(options) < 2:
            also = ": the service would refuse every report" if required else ""
            ctx.note(
                where,
                f"a list with {len(options)} usable value{'s' if len(options) != 1 else ''} cannot be a choice: "
                f"not asked{also}",
                "error" if required else "left_out",
            )
            return None
        if datatype == "multivaluelist":
            q["type"] = "checkboxes"
        else:
            q["type"] = "select" if len(options) > SELECT_OVER else "radios"
            if q["type"] == "select":
                ctx.note(where, f"{len(options)} values: asked as a select (a long list), not radios")
        q["options"] = options
    elif datatype == "string":
        q["max_length"] = 200
    elif datatype == "text":
        q["type"] = "long_text"
    elif datatype == "number":
        q["type"] = "number"
        ctx.note(where, "number: the kiosk takes whole numbers only", "changed")
    elif datatype == "datetime":
        return _datetime_page(ctx, code, q, built)
    qid = ctx.take(slug(code, "attribute"))
    q["id"] = qid
    mapped: str | dict[str, Any] = qid
    if q["type"] in ("radios", "select", "checkboxes") and values:
        mapped = {"question": qid, "values": values}
    built.mapping[code] = mapped
    return {"id": qid, "questions": [q]}


def _datetime_page(ctx: Context, code: str, q: dict[str, Any], built: Attributes) -> dict[str, Any]:
    """A datetime: a date and a time question on a page titled with the attribute's description."""
    base = slug(code, "attribute")
    date_id = ctx.take(base)
    time_id = ctx.take(f"{date_id}-time")
    date_q = {**q, "id": date_id, "type": "date", "label": {"en": "Date"}}
    time_q: dict[str, Any] = {
        "id": time_id,
        "type": "time",
        "label": {"en": "Time"},
        "hint": {"en": "For example, 9am or 14:30"},
    }
    if q.get("required") is False:
        time_q["required"] = False
    ctx.note(_where(code), "date and time: asked as a date and a time on one page", "changed")
    built.mapping[code] = {"question": date_id, "time": time_id}
    return {"id": date_id, "title": q["label"], "questions": [date_q, time_q]}
