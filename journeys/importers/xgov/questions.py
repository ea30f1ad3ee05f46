"""XGov input fields as kiosk questions: the type, label, hint, options, optional, and the limits the kiosk checks."""

from __future__ import annotations

import math
from typing import Any

from journeys.importers.xgov.context import Context, Field
from journeys.importers.xgov.text import Ids, localised

# XGov field type -> kiosk question type (NumberField may become money, a one-item list yes_no).
FIELD_TYPES = {
    "TextField": "text",
    "MultilineTextField": "long_text",
    "YesNoField": "yes_no",
    "DateField": "date",
    "DatePartsField": "date",
    "MonthYearField": "date",
    "TimeField": "time",
    "DateTimeField": "date",
    "DateTimePartsField": "date",
    "SelectField": "select",
    "AutocompleteField": "select",
    "RadiosField": "radios",
    "CheckboxesField": "checkboxes",
    "NumberField": "number",
    "UkAddressField": "address",
    "TelephoneNumberField": "phone",
    "EmailAddressField": "email",
    "WebsiteField": "text",
}
LIST_TYPES = ("SelectField", "AutocompleteField", "RadiosField", "CheckboxesField")
_REUSE = {"UkAddressField": "address", "TelephoneNumberField": "phone", "EmailAddressField": "email"}


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def value_key(value: Any) -> str:
    """An XGov list value as text, the same for 1, 1.0 and "1" (conditions name values as text)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float) and math.isfinite(value) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def _options(
    ctx: Context, component: dict[str, Any], where: str
) -> tuple[list[dict[str, Any]], dict[str, str], list[tuple[dict[str, str], Any]]]:
    """The kiosk options of a list field, the XGov value -> option value map, and items' revealed components."""
    name = component.get("list")
    lst = ctx.lists.get(name) if isinstance(name, str) else None
    if lst is None:
        ctx.note(where, f"the list {name!r} it offers is not in the definition's lists", "error")
        return [], {}, []
    ids = Ids()
    options: list[dict[str, Any]] = []
    values: dict[str, str] = {}
    revealed: list[tuple[dict[str, str], Any]] = []
    items: list[Any] = lst["items"] if isinstance(lst.get("items"), list) else []
    for n, item in enumerate(items, 1):
        text = localised(item.get("text")) if isinstance(item, dict) else None
        raw = item.get("value") if isinstance(item, dict) else None
        if text is None or raw is None or isinstance(raw, dict | list) or value_key(raw) == "":
            ctx.note(
                f"{where}, list {name} item {n}", "an item needs words (text) and a value; it is left out", "error"
            )
            continue
        key = value_key(raw)
        if key in values:
            ctx.note(
                f"{where}, list {name} item {n}", f"the value {key!r} is used twice; the second is left out", "error"
            )
            continue
        values[key] = ids.make(key, "option")
        option: dict[str, Any] = {"value": values[key], "label": text}
        hint = localised(item.get("description"))
        if hint:
            option["hint"] = hint
        options.append(option)
        if isinstance(item.get("condition"), str) and item["condition"]:
            ctx.note(
                where,
                f"the option {text['en']!r} is offered only when {item['condition']!r} holds; the kiosk offers it always",
                "changed",
            )
        conditional = item.get("conditional")
        if isinstance(conditional, dict) and isinstance(conditional.get("components"), list):
            revealed.extend((text, c) for c in conditional["components"])
    return options, values, revealed


def _text_limits(ctx: Context, q: dict[str, Any], schema: dict[str, Any], options: dict[str, Any], where: str) -> None:
    top = _number(schema.get("max")) or _number(schema.get("length"))
    if top is not None and 1 <= top <= 10_000:
        q["max_length"] = int(top)
    if _number(schema.get("min")) or _number(schema.get("length")):
        ctx.note(where, "the least (or exact) number of characters is not checked by the kiosk", "changed")
    if isinstance(schema.get("regex"), str) and schema["regex"]:
        ctx.note(
            where,
            "the pattern the answer must match is not checked by the kiosk; the portal sees the answer as typed",
            "changed",
        )
    if _number(options.get("maxWords")):
        ctx.note(where, "the most words is not checked by the kiosk (only the most characters)", "changed")


def _number_limits(ctx: Context, q: dict[str, Any], schema: dict[str, Any], money: bool, where: str) -> None:
    scale = 100 if money else 1
    low, high = _number(schema.get("min")), _number(schema.get("max"))
    if (low is None and schema.get("min") is not None) or (high is None and schema.get("max") is not None):
        ctx.note(where, "its least or most value is not a number; it is not kept", "error")
    if low is not None:
        q["min"] = math.ceil(low * scale)
    if high is not None:
        q["max"] = math.floor(high * scale)
    if q.get("min") is not None and q.get("max") is not None and q["min"] > q["max"]:
        ctx.note(where, "its least value is more than its most; neither is kept", "error")
        q.pop("min")
        q.pop("max")
    precision = _number(schema.get("precision"))
    if not money and precision:
        ctx.note(where, "the kiosk takes whole numbers only (this field allowed decimals)", "changed")


def _date_limits(ctx: Context, q: dict[str, Any], options: dict[str, Any], where: str) -> None:
    past, future = _number(options.get("maxDaysInPast")), _number(options.get("maxDaysInFuture"))
    if future == 0 and past is not None and 1 <= past <= 3660:
        q["date_rules"] = {"within_days": int(past)}
    elif future == 0:
        q["date_range"] = "today_or_past"
    elif past == 0 and future is None:
        q["date_range"] = "today_or_future"
    elif past is not None or future is not None:
        ctx.note(
            where, "the most days in the past or future is not checked by the kiosk; say it in the hint", "changed"
        )


def questions(
    ctx: Context, component: dict[str, Any], where: str, page: int, section: str | None
) -> list[dict[str, Any]]:
    """The kiosk questions for one XGov input field (two for a date and time), registered for conditions."""
    kind = component["type"]
    name = component.get("name")
    if not isinstance(name, str) or not name.strip():
        ctx.note(where, "an input field needs a name; it is left out", "error")
        return []
    label = localised(component.get("title"))
    if label is None:
        ctx.note(where, "an input field needs a title (the question); it is left out", "error")
        return []
    options = _dict(component.get("options"))
    schema = _dict(component.get("schema"))
    kiosk_type = FIELD_TYPES[kind]
    info = Field(qid=ctx.question_ids.make(name, "q"), xgov_type=kind, kiosk_type=kiosk_type, page=page)
    q: dict[str, Any] = {"id": info.qid, "type": kiosk_type, "label": label}
    hint = localised(component.get("hint"))
    if hint:
        q["hint"] = hint
    if options.get("required") is False:
        q["required"] = False
    extra: list[dict[str, Any]] = []
    if kind in LIST_TYPES:
        opts, info.options, revealed = _options(ctx, component, where)
        if len(opts) == 1:
            # one tick box ("I agree") or one choice: asked as yes or no
            info.kiosk_type = q["type"] = "yes_no"
            info.single_choice = next(iter(info.options))
            q["label"] = label if kind != "CheckboxesField" else opts[0]["label"]
            ctx.note(where, "a list of one item is asked as a yes or no question", "changed")
        elif len(opts) < 1:
            ctx.note(where, "a choice needs at least one item in its list; the question is left out", "error")
            return []
        else:
            q["options"] = opts
        if kind == "AutocompleteField":
            ctx.note(where, "the autocomplete is a select list on the kiosk (the citizen picks from the list)")
        for option_words, sub in revealed:
            extra.extend(_revealed(ctx, sub, where, page, section, option_words))
    elif kind in ("TextField", "MultilineTextField", "WebsiteField"):
        _text_limits(ctx, q, schema, options, where)
        if kind == "WebsiteField":
            ctx.note(where, "the web address is taken as text; the kiosk does not check that it is one")
    elif kind == "NumberField":
        info.money = isinstance(options.get("prefix"), str) and options["prefix"].strip() == "£"
        if info.money:
            info.kiosk_type = q["type"] = "money"
            ctx.note(where, "a number in pounds (prefix £) is asked as money: the portal receives pence")
        _number_limits(ctx, q, schema, info.money, where)
    elif kiosk_type == "date":
        _date_limits(ctx, q, options, where)
        if kind == "MonthYearField":
            ctx.note(
                where,
                "the kiosk asks for a whole date (day, month and year); this field asked for a month and year",
                "changed",
            )
    if kind in _REUSE:
        q["reuse"] = _REUSE[kind]
    ctx.add_field(section, name, info)
    out = [q, *extra]
    if kind in ("DateTimeField", "DateTimePartsField"):
        info.time_qid = ctx.question_ids.make(f"{name}-time", "q")
        words = {lang: f"{text}: {'amser' if lang == 'cy' else 'time'}" for lang, text in label.items()}
        time_q: dict[str, Any] = {"id": info.time_qid, "type": "time", "label": words}
        if q.get("required") is False:
            time_q["required"] = False
        out.insert(1, time_q)
        ctx.note(where, "a date and time is asked as a date and a time, on the same page", "changed")
    return out


def _revealed(
    ctx: Context, sub: Any, where: str, page: int, section: str | None, option: dict[str, str]
) -> list[dict[str, Any]]:
    """A component an option reveals (a conditional follow-up): an optional question on the same page."""
    if not isinstance(sub, dict) or sub.get("type") not in FIELD_TYPES:
        kind = sub.get("type") if isinstance(sub, dict) else type(sub).__name__
        ctx.note(
            where,
            f"the component revealed by {option['en']!r} ({kind}) is not an input field the kiosk asks; left out",
            "error",
        )
        return []
    sub_where = f"{where}, revealed component {sub.get('name')} ({sub['type']})"
    made = questions(ctx, sub, sub_where, page, section)
    for q in made:
        q["required"] = False
        q["label"] = {
            lang: f"{'Os dewisoch' if lang == 'cy' else 'If you chose'} “{option.get(lang, option['en'])}”: {text}"
            for lang, text in q["label"].items()
        }
    if made:
        ctx.note(
            sub_where,
            f"revealed when {option['en']!r} is chosen: asked on the same page as an optional question",
            "changed",
        )
    return made
