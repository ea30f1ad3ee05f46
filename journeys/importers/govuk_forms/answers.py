"""The GOV.UK Forms answer types that become more than one plain question: name, address, selection, file."""

from __future__ import annotations

from typing import Any

from journeys.importers.govuk_forms.blocks import MAX_OPTIONS, NONE_OF_THE_ABOVE, Asking, Block, Choice
from journeys.importers.govuk_forms.ids import Ids, slug
from journeys.importers.govuk_forms.source import flag

# GOV.UK Forms' own words for "None of the above", in English and Welsh: an answer_value may name them
NONE_WORDS = ("None of the above", "Dim un o’r uchod", "Dim un o'r uchod", "none_of_the_above")


def name(s: Asking) -> Block:
    """A name: one full-name box, or first (middle) and last name boxes, with a title box when asked for."""
    settings = s.step.settings(s.r)
    input_type = settings.get("input_type", "full_name")
    if input_type not in ("full_name", "first_and_last_name", "first_middle_and_last_name"):
        s.r.note(s.where, f"input_type {input_type!r} is not a name format GOV.UK Forms has: a full name is asked")
        input_type = "full_name"
    title = flag(settings.get("title_needed"), s.where, "title_needed", s.r)
    if input_type == "full_name" and not title:
        return s.many_as_lines("text", 499)
    s.once()
    w = s.b.words
    parts: list[dict[str, Any]] = []
    if title:
        parts.append(s.question("text", label=w("Title", "Teitl"), suffix="title", required=False, max_length=99))
    if input_type == "full_name":
        parts.append(s.question("text", label=w("Full name", "Enw llawn"), suffix="full-name", max_length=499))
    else:
        parts.append(s.question("text", label=w("First name", "Enw cyntaf"), suffix="first-name", max_length=499))
        if input_type == "first_middle_and_last_name":
            middle = w("Middle names", "Enwau canol")
            parts.append(s.question("text", label=middle, suffix="middle-names", required=False, max_length=499))
        parts.append(s.question("text", label=w("Last name", "Cyfenw"), suffix="last-name", max_length=499))
    page = s.page(parts)
    hint = s.hint()
    if hint:
        page["content"] = [{"type": "paragraph", "text": hint}, *page.get("content", [])]
    return Block(s.step, [page], [(page["id"], None)])


def address(s: Asking) -> Block:
    """A UK address (found in the council's gazetteer), an address abroad and its country, or either."""
    raw = s.step.settings(s.r).get("input_type")
    if raw is None:
        uk, abroad = True, False
    elif isinstance(raw, dict):
        uk = flag(raw.get("uk_address"), s.where, "input_type.uk_address", s.r)
        abroad = flag(raw.get("international_address"), s.where, "input_type.international_address", s.r)
    else:
        s.r.note(s.where, "input_type is not an object of uk_address and international_address: a UK address is asked")
        uk, abroad = True, False
    if not uk and not abroad:
        s.r.note(s.where, "neither uk_address nor international_address is set: a UK address is asked", "error")
        uk = True
    s.once()
    if uk and not abroad:
        return s.single("address")
    w = s.b.words
    abroad_questions = [
        s.question("long_text", label=w("Address", "Cyfeiriad"), suffix="address", max_length=4999, hint=s.hint()),
        s.question("text", label=w("Country", "Gwlad"), suffix="country", max_length=499),
    ]
    if not uk:
        page = s.page(abroad_questions)
        return Block(s.step, [page], [(page["id"], None)])
    s.r.note(
        s.where,
        "the form takes a UK address or one abroad: the kiosk asks first whether it is in the UK, then for the "
        "UK address (found in the council's address list) or the address abroad and its country",
        "changed",
    )
    where = s.question(
        "radios",
        label=w("Is the address in the UK?", "Ydy’r cyfeiriad yn y DU?"),
        suffix="in-uk",
        required=True,
        options=[
            {"value": "uk", "label": w("Yes, it is in the UK", "Ydy, mae yn y DU")},
            {"value": "abroad", "label": w("No, it is outside the UK", "Nac ydy, mae y tu allan i’r DU")},
        ],
    )
    first = s.page([where], title=s.heading() or s.label)
    uk_page = s.page([s.question("address", suffix="uk")], suffix="uk", title=s.heading())
    uk_page["show_when"] = {"question": where["id"], "equals": "uk"}
    abroad_page = s.page(abroad_questions, suffix="abroad")
    abroad_page["show_when"] = {"question": where["id"], "equals": "abroad"}
    return Block(s.step, [first, uk_page, abroad_page], [(uk_page["id"], None), (abroad_page["id"], None)])


def selection(s: Asking) -> Block | None:
    """Radios (a select over 30 options) when only one may be chosen, else checkboxes; "None of the above"."""
    settings, settings_cy = s.step.settings(s.r), s.step.settings_cy()
    raw = settings.get("selection_options")
    if not isinstance(raw, list):
        s.r.note(s.where, "selection_options is not a list: the question is left out", "error")
        return None
    raw_cy = settings_cy.get("selection_options")
    raw_cy = raw_cy if isinstance(raw_cy, list) else []
    one = flag(settings.get("only_one_option"), s.where, "only_one_option", s.r)
    values = Ids()
    options: list[dict[str, Any]] = []
    by_answer: dict[str, str] = {}  # an answer the form may name (option name, Welsh name, value) -> kiosk value
    for n, item in enumerate(raw, 1):
        where = f"{s.where}, selection_options {n}"
        cy = raw_cy[n - 1] if n - 1 < len(raw_cy) and isinstance(raw_cy[n - 1], dict) else {}
        words = s.r.loc(item.get("name"), cy.get("name"), where, "name") if isinstance(item, dict) else None
        if words is None:
            s.r.note(where, "an option has no name: left out", "error")
            continue
        value = values.take(slug(words["en"], "option"))
        option: dict[str, Any] = {"value": value, "label": words}
        hint = s.r.loc(
            item.get("hint") or item.get("description"), cy.get("hint") or cy.get("description"), where, "hint"
        )
        if hint:
            option["hint"] = hint
        options.append(option)
        for answer in (words["en"], words.get("cy"), item.get("value")):
            if isinstance(answer, str) and answer:
                by_answer.setdefault(answer, value)
    kind = ("radios" if len(options) <= 30 else "select") if one else "checkboxes"
    none = None
    if s.optional:
        none = values.take(NONE_OF_THE_ABOVE)
        option = {"value": none, "label": s.b.words("None of the above", "Dim un o’r uchod")}
        if kind == "checkboxes":
            option["exclusive"] = True
        options.append(option)
        by_answer.update(dict.fromkeys(NONE_WORDS, none))
    if len(options) < 2:
        s.r.note(s.where, "a selection needs at least two options (with 'None of the above'): left out", "error")
        return None
    if len(options) > MAX_OPTIONS:
        s.r.note(
            s.where, f"{len(options)} options: the kiosk takes at most {MAX_OPTIONS}; the rest are left out", "error"
        )
        options = options[:MAX_OPTIONS]
    if kind == "select":
        s.r.note(s.where, "more than 30 options: a select list, as GOV.UK Forms uses a searchable list", "info")
    s.once()
    question = s.question(kind, options=options, required=True)
    choice = Choice(question["id"], kind, by_answer, none)
    page = s.page([question])
    follow = settings.get("none_of_the_above_question")
    if none is None or follow is None:
        return Block(s.step, [page], [(page["id"], None)], choice)
    follow_cy = settings_cy.get("none_of_the_above_question")
    follow_cy = follow_cy if isinstance(follow_cy, dict) else {}
    where = f"{s.where}, none_of_the_above_question"
    label = (
        s.r.loc(follow.get("question_text"), follow_cy.get("question_text"), where, "question_text")
        if isinstance(follow, dict)
        else None
    )
    if label is None:
        s.r.note(where, "the question after 'None of the above' has no question_text: left out", "error")
        return Block(s.step, [page], [(page["id"], None)], choice)
    required = not flag(follow.get("is_optional"), where, "is_optional", s.r)
    chosen = {"question": question["id"], ("contains" if kind == "checkboxes" else "equals"): none}
    after = s.page([s.question("text", label=label, suffix="other", required=required, max_length=499)], suffix="other")
    after["show_when"] = chosen
    return Block(s.step, [page, after], [(page["id"], {"not": chosen}), (after["id"], None)], choice)


def file(s: Asking) -> Block:
    """The kiosk takes no files: a page that says to bring it to the counter, in place of the question."""
    s.r.note(
        s.where,
        "the kiosk cannot take files: the page tells the citizen to bring it to the counter instead"
        + (" (the form let people skip it)" if s.optional else ""),
        "left_out",
    )
    w = s.b.words
    if s.optional:
        words = w(
            "If you have a file for this, you cannot give it at this kiosk: bring it to the counter.",
            "Os oes gennych ffeil ar gyfer hyn, ni allwch ei rhoi yn y ciosg hwn: dewch â hi i’r cownter.",
        )
    else:
        words = w(
            "This form asks for a file here. You cannot give files at this kiosk: bring it to the counter.",
            "Mae’r ffurflen hon yn gofyn am ffeil yma. Ni allwch roi ffeiliau yn y ciosg hwn: dewch â hi i’r cownter.",
        )
    page = s.page([], title=s.heading() or s.label)
    hint = s.hint()
    content = [*page.get("content", []), *([{"type": "paragraph", "text": hint}] if hint else [])]
    page["content"] = [*content, {"type": "inset", "text": words}]
    return Block(s.step, [page], [(page["id"], None)])
