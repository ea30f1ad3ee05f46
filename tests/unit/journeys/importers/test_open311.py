"""The Open311 GeoReport v2 importer: every datatype, required and optional, value keys and their mapping, information
attributes, order, services without a definition, a bare definition, and malformed or hostile input (notes or
ImportFailed, never a traceback). The journeys made always carry `delivery.open311` and follow the format."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest

from journeys.flow import Flow
from journeys.importers import FORMATS, detect, import_definition
from journeys.importers.open311 import convert, looks_like
from journeys.importers.open311.attributes import MAX_ATTRIBUTE_PAGES
from journeys.importers.report import DEFAULT_CATEGORY, DEFAULT_CONFIRMATION
from journeys.models import Journey, parse_journey
from reference_portal.open311 import LIST_FIELDS
from reference_portal.open311_services import DATATYPES, SERVICES

ROOT = Path(__file__).resolve().parents[4]
DATA = ROOT / "tests/data/importers/open311"
NAMES = sorted(p.stem for p in DATA.glob("*.json") if not p.name.endswith(".walks.json"))


def load(name: str) -> Any:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def attribute(code: str, datatype: str = "string", order: Any = 1, **extra: Any) -> dict[str, Any]:
    return {"variable": True, "code": code, "datatype": datatype, "required": False, "datatype_description": "",
            "order": order, "description": f"About {code}", "values": [], **extra}  # fmt: skip


def values(*keys: str) -> list[dict[str, str]]:
    return [{"key": k, "name": f"Name of {k}"} for k in keys]


def bundle(*attributes: dict[str, Any], code: str = "test-service", **service: Any) -> dict[str, Any]:
    entry = {"service_code": code, "service_name": "Test service", "description": "A test.", "metadata": True,
             "type": "realtime", "keywords": "one, two", "group": "Tests", **service}  # fmt: skip
    return {"service": entry, "definition": {"service_code": code, "attributes": list(attributes)}}


def made(data: Any, **kwargs: Any) -> tuple[dict[str, Any], Journey, list[str]]:
    """The journey (as made and parsed) and the notes as text; fails when it is not usable."""
    imported = import_definition(data, "open311", **kwargs)
    assert imported.usable, [str(n) for n in imported.notes if n.severity == "error"]
    assert imported.journey is not None
    return imported.journey, parse_journey(imported.journey), [str(n) for n in imported.notes]


def converted(data: Any) -> tuple[Journey, list[str]]:
    """convert alone (no size check first, as import_definition does): still a usable journey in the format."""
    imported = convert(data)
    assert imported.usable, [str(n) for n in imported.notes if n.severity == "error"]
    return parse_journey(imported.journey), [str(n) for n in imported.notes]


def question(journey: Journey, qid: str) -> Any:
    return next(q for q in journey.questions() if q.id == qid)


def page_of(journey: Journey, qid: str) -> Any:
    return next(p for p in journey.pages if any(q.id == qid for q in p.questions))


def attributes_of(journey: Journey) -> dict[str, Any]:
    assert journey.delivery is not None and journey.delivery.open311 is not None
    return {code: journey.delivery.open311.attribute(code) for code in journey.delivery.open311.attributes}


# -- the reference services --------------------------------------------------------------------------


def test_the_test_bundles_are_what_the_reference_server_gives() -> None:
    """services.json's entry and services/{code}.json, as reference_portal/open311.py builds them: no drift."""
    assert set(NAMES) == {s["service_code"] for s in SERVICES}
    for service in SERVICES:
        expected = {
            "service": {k: service[k] for k in LIST_FIELDS},
            "definition": {"service_code": service["service_code"], "attributes": service["attributes"]}
            if service["metadata"]
            else None,
        }
        assert load(service["service_code"]) == expected, service["service_code"]


@pytest.mark.parametrize("name", NAMES)
def test_each_reference_service_is_detected_imported_and_walked(name: str) -> None:
    data = load(name)
    assert looks_like(data) and detect(data) == "open311"
    imported = import_definition(data)
    assert imported.format == "open311" and imported.usable
    journey = parse_journey(imported.journey)
    assert journey.category == DEFAULT_CATEGORY
    assert journey.confirmation.en == DEFAULT_CONFIRMATION["en"]
    assert journey.payment is None and journey.fee is None and journey.receipt_email is None
    o = journey.delivery.open311 if journey.delivery else None
    assert o is not None and o.service_code == name
    assert (o.description, o.location) == (["description"], "location")
    assert o.contact is not None and o.contact.email == "email" and o.contact.phone == "phone"
    walks = json.loads((DATA / f"{name}.walks.json").read_text(encoding="utf-8"))
    assert len(walks) >= 2
    for walk in walks:
        everything, errors = Flow(journey).check_all(walk["answers"])
        assert errors == [], (name, [(e.question_id, str(e.message)) for e in errors])
        assert [p.id for p in journey.route(everything)] == walk["pages"]


def test_pothole_uses_every_datatype_and_maps_each_attribute() -> None:
    _, journey, notes = made(load("pothole"))
    assert {a["datatype"] for a in SERVICES[0]["attributes"]} == set(DATATYPES)
    assert journey.title.en == "Report a problem: Pothole"
    assert journey.summary.en == "A pothole or a damaged road surface."
    assert journey.keywords is not None and journey.keywords.en == ["road", "pothole", "surface", "Roads"]
    assert [p.id for p in journey.pages] == [
        "where", "depth-cm", "landmark", "noticed-at", "road-type", "hazards", "details", "describe", "contact",
    ]  # fmt: skip
    kinds = {q.id: q.type for q in journey.questions()}
    assert kinds["depth-cm"] == "number" and kinds["landmark"] == "text" and kinds["details"] == "long_text"
    assert kinds["road-type"] == "radios" and kinds["hazards"] == "checkboxes"
    assert (kinds["noticed-at"], kinds["noticed-at-time"]) == ("date", "time")
    mapping = attributes_of(journey)
    assert set(mapping) == {"depth_cm", "landmark", "noticed_at", "road_type", "hazards", "details"}  # not safety
    assert (mapping["noticed_at"].question, mapping["noticed_at"].time) == ("noticed-at", "noticed-at-time")
    # safety is variable false: its words are an inset above the first question after it
    depth_page = page_of(journey, "depth-cm")
    assert [b.type for b in depth_page.content] == ["inset"] and "not for emergencies" in depth_page.content[0].text.en
    assert any("attribute safety" in n for n in notes)
    assert question(journey, "depth-cm").required and not question(journey, "landmark").required
    assert question(journey, "depth-cm").hint.en == "a number of centimetres"
    assert question(journey, "landmark").max_length == 200


def test_graffiti_has_no_definition_so_only_the_standard_questions() -> None:
    data = load("graffiti")
    assert data["service"]["metadata"] is False and data["definition"] is None
    _, journey, _ = made(data)
    assert [p.id for p in journey.pages] == ["where", "describe", "contact"]
    assert attributes_of(journey) == {}
    where = question(journey, "location")
    assert (where.type, where.label.en, where.required) == ("address", "Where is it?", True)
    describe = question(journey, "description")
    assert (describe.type, describe.label.en, describe.required) == ("long_text", "Describe the problem", True)
    contact = next(p for p in journey.pages if p.id == "contact")
    assert [q.type for q in contact.questions] == ["text", "text", "email", "phone"]
    assert not any(q.required for q in contact.questions)
    why = " ".join(b.text.en for b in contact.content)
    assert "ask you about this report" in why and "do not promise a reply" in why


def test_street_light_keeps_its_required_list_and_fly_tipping_maps_a_key_that_is_not_a_value() -> None:
    _, light, _ = made(load("street-light"))
    fault = question(light, "fault")
    assert fault.required and [o.value for o in fault.options] == ["out", "flickering", "day"]
    _, tipping, notes = made(load("fly-tipping"))
    amount = attributes_of(tipping)["amount"]
    assert amount.values == {"car-boot": "car_boot"}
    assert [o.value for o in question(tipping, "amount").options] == ["single", "car-boot", "van"]
    assert any("attribute amount" in n and "'car_boot'" in n for n in notes)


# -- each datatype ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("datatype", "qtype"),
    [("string", "text"), ("text", "long_text"), ("number", "number"), ("singlevaluelist", "radios"),
     ("multivaluelist", "checkboxes")],
)  # fmt: skip
@pytest.mark.parametrize("required", [True, False])
def test_each_datatype_becomes_its_question_required_or_not(datatype: str, qtype: str, required: bool) -> None:
    attr = attribute("thing", datatype, required=required, datatype_description="Some help", values=values("a", "b"))
    if datatype not in ("singlevaluelist", "multivaluelist"):
        attr["values"] = []
    _, journey, _ = made(bundle(attr))
    q = question(journey, "thing")
    assert (q.type, q.required, q.label.en, q.hint.en) == (qtype, required, "About thing", "Some help")
    assert attributes_of(journey)["thing"].question == "thing"
    assert page_of(journey, "thing").questions == [q]  # a page of its own


def test_a_datetime_is_a_date_and_a_time_on_one_page_mapped_together() -> None:
    _, journey, notes = made(bundle(attribute("seen_at", "datetime", required=True)))
    page = page_of(journey, "seen-at")
    assert [(q.id, q.type, q.required) for q in page.questions] == [
        ("seen-at", "date", True),
        ("seen-at-time", "time", True),
    ]
    assert page.title is not None and page.title.en == "About seen_at"
    mapped = attributes_of(journey)["seen_at"]
    assert (mapped.question, mapped.time) == ("seen-at", "seen-at-time")
    assert any("attribute seen_at" in n and "date and a time" in n for n in notes)
    _, optional, _ = made(bundle(attribute("seen_at", "datetime")))
    assert not any(q.required for q in page_of(optional, "seen-at").questions)


def test_a_single_choice_of_more_than_eight_values_is_a_select() -> None:
    keys = [f"k{n}" for n in range(9)]
    _, journey, _ = made(bundle(attribute("many", "singlevaluelist", values=values(*keys)),
                                attribute("few", "singlevaluelist", 2, values=values(*keys[:8]))))  # fmt: skip
    assert question(journey, "many").type == "select" and question(journey, "few").type == "radios"


def test_value_keys_that_are_not_option_values_are_slugged_apart_and_mapped_back() -> None:
    keys = ["1", "Yes please", "a_b", "a-b", "A B", "yes-please", "x" * 100, "café"]
    attr = attribute("pick", "multivaluelist", values=values(*keys))
    _, journey, _ = made(bundle(attr))
    options = [o.value for o in question(journey, "pick").options]
    assert len(set(options)) == len(keys)
    mapping = attributes_of(journey)["pick"].values
    sent = [mapping.get(value, value) for value in options]  # what the delivery sends for each option
    assert sent == keys
    assert "a-b" in options and mapping.get("a-b") is None  # a key that is a value keeps it: the others move aside
    assert "yes-please" in options and mapping.get("yes-please") is None
    assert all(v.startswith("option-") for v, k in mapping.items() if k == "1")
    assert [o.label.en for o in question(journey, "pick").options][:2] == ["Name of 1", "Name of Yes please"]


def test_a_value_without_a_name_is_labelled_by_its_key_and_a_duplicate_or_bad_key_is_noted() -> None:
    vals = [{"key": "a"}, {"key": "b", "name": "Bee"}, {"key": "b", "name": "Again"}, {"key": " padded "}, "c"]
    _, journey, notes = made(bundle(attribute("pick", "singlevaluelist", values=vals)))
    assert [(o.value, o.label.en) for o in question(journey, "pick").options] == [("a", "a"), ("b", "Bee")]
    assert sum("attribute pick" in n and "left_out" in n for n in notes) == 3


def test_a_list_with_fewer_than_two_values_is_not_asked_and_an_error_when_required() -> None:
    imported = import_definition(bundle(attribute("one", "singlevaluelist", values=values("only"))), "open311")
    assert imported.usable and "one" not in attributes_of(parse_journey(imported.journey))
    assert any(n.severity == "left_out" and n.where == "attribute one" for n in imported.notes)
    imported = import_definition(bundle(attribute("one", "singlevaluelist", required=True, values=[])), "open311")
    assert not imported.usable
    assert any(n.severity == "error" and n.where == "attribute one" for n in imported.notes)


def test_an_information_attribute_is_an_inset_on_the_next_questions_page_or_above_the_description() -> None:
    first = attribute("note_a", "text", 1, variable=False, description="Read this first.")
    asked = attribute("size", "string", 2)
    last = attribute("note_b", "string", 3, variable=False, description="Read this last.")
    _, journey, notes = made(bundle(last, asked, first))
    assert [b.text.en for b in page_of(journey, "size").content] == ["Read this first."]
    assert [b.text.en for b in page_of(journey, "description").content] == ["Read this last."]
    assert set(attributes_of(journey)) == {"size"}
    assert all(q.id not in ("note-a", "note-b") for q in journey.questions())
    assert sum("information (variable false)" in n for n in notes) == 2


def test_an_unknown_datatype_is_a_note_and_no_question() -> None:
    _, journey, notes = made(bundle(attribute("photo", "file", required=True), attribute("size", "string", 2)))
    assert "photo" not in attributes_of(journey) and all(q.id != "photo" for q in journey.questions())
    assert any(n.startswith("left_out: attribute photo") and "'file'" in n for n in notes)


# -- order and identifiers ------------------------------------------------------------------------


def test_attributes_are_asked_in_order_and_those_without_a_number_last() -> None:
    attrs = [attribute("c", order=3), attribute("a", order=1), attribute("n", order="soon"),
             attribute("b", order="2"), attribute("m", order=None), attribute("z", order=0.5)]  # fmt: skip
    _, journey, notes = made(bundle(*attrs))
    assert [p.id for p in journey.pages][1:-2] == ["z", "a", "b", "c", "n", "m"]
    assert any("attribute n" in n and "not a number" in n for n in notes)


def test_attribute_ids_never_collide_with_the_standard_questions_or_each_other() -> None:
    codes = ["description", "location", "email", "phone", "first_name", "where", "contact", "describe", "check-answers",
             "Email", "depth cm", "depth_cm"]  # fmt: skip
    _, journey, _ = made(bundle(*(attribute(c, order=n) for n, c in enumerate(codes))))
    mapping = attributes_of(journey)
    assert set(mapping) == set(codes)
    ids = [m.question for m in mapping.values()]
    assert len(set(ids)) == len(ids)
    o = journey.delivery.open311 if journey.delivery else None
    assert o is not None and o.location == "location" and o.description == ["description"]
    assert question(journey, "location").type == "address" and question(journey, "email").type == "email"
    assert mapping["description"].question != "description" and mapping["email"].question != "email"


def test_the_journey_id_is_the_service_code_made_an_identifier_or_the_one_given() -> None:
    assert made(bundle(code="pothole"))[1].id == "pothole"
    assert made(bundle(code="Street_Light"))[1].id == "street-light"
    assert made(bundle(code="311"))[1].id == "report-311"
    assert made(bundle(code="pothole"), journey_id="roads-pothole")[1].id == "roads-pothole"
    assert made(bundle(code="pothole"))[1].delivery.open311.service_code == "pothole"  # type: ignore[union-attr]
    assert made(bundle(code="Street_Light"))[1].delivery.open311.service_code == "Street_Light"  # type: ignore[union-attr]


# -- the service, a bare definition, metadata -----------------------------------------------------


def test_a_bare_definition_gets_a_title_from_its_code_with_a_note() -> None:
    definition = {"service_code": "street-light", "attributes": SERVICES[2]["attributes"]}
    assert looks_like(definition) and detect(definition) == "open311"
    _, journey, notes = made(definition)
    assert journey.title.en == "Report a problem: Street light"
    assert journey.keywords is None
    assert any(n.startswith("changed:") and "service definition alone" in n for n in notes)
    assert set(attributes_of(journey)) == {"column_number", "fault"}


def test_metadata_true_without_a_definition_is_an_error_and_a_mismatched_definition_is_refused() -> None:
    data = bundle(attribute("a"))
    data["definition"] = None
    imported = import_definition(data, "open311")
    assert not imported.usable and any("metadata true" in n.what for n in imported.notes)
    other = bundle(attribute("a"))
    other["definition"]["service_code"] = "somewhere-else"
    imported = import_definition(other, "open311")
    assert imported.journey is None and any("not 'test-service'" in n.what for n in imported.notes)


def test_keywords_come_from_the_keywords_and_the_group_without_repeats() -> None:
    _, journey, _ = made(bundle(keywords="Bins, bins ,, wheelie bin, " + "x" * 41, group="Bins"))
    assert journey.keywords is not None and journey.keywords.en == ["Bins", "wheelie bin"]
    _, journey, notes = made(bundle(keywords=", ".join(f"w{n}" for n in range(40)), group=None))
    assert journey.keywords is not None and len(journey.keywords.en) == 30
    assert any("more than 30" in n for n in notes)


def test_no_service_name_or_description_gives_plain_words_with_notes() -> None:
    _, journey, notes = made(bundle(service_name=None, description=7))
    assert journey.title.en == "Report a problem: Test service"
    assert journey.summary.en == "Tell the council about a problem: Test service."
    assert any("service_name" in n for n in notes) and any("description should be words" in n for n in notes)


def test_other_formats_are_not_taken_for_open311() -> None:
    for fmt in ("xgov", "govuk-forms", "defra"):
        for path in sorted((ROOT / "tests/data/importers" / fmt).glob("*.json")):
            if not path.name.endswith(".walks.json"):
                data = json.loads(path.read_text(encoding="utf-8"))
                assert not looks_like(data) and detect(data) == fmt, path.name
    assert "open311" in FORMATS
    for thing in (None, [], "pothole", 7, {"service": "pothole", "definition": None}, {"service_code": "x"}):
        assert not looks_like(thing)


# -- malformed and hostile input ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ([1, 2], ""),
        ({"service": {"service_code": " spaced "}, "definition": None}, "service"),
        ({"service": {"service_code": "x"}, "definition": [1]}, "definition"),
        ({"service_code": 12.5, "attributes": []}, "definition"),
    ],
)
def test_input_that_is_not_a_service_is_an_error_note_and_no_journey(data: Any, where: str) -> None:
    imported = convert(data)
    assert imported.journey is None and imported.notes[0].severity == "error" and imported.notes[0].where == where


@pytest.mark.parametrize(
    ("attrs", "words"),
    [
        ("all of them", "attributes should be a list"),
        ([7, None], "should be an object"),
        ([attribute("a", "singlevaluelist", values={"key": "a"})], "values should be a list"),
        ([{"code": None, "datatype": "string"}], "is not an Open311 attribute code"),
        ([attribute("a"), attribute("a", order=2)], "used by an earlier attribute"),
    ],
)
def test_wrong_types_are_named_in_an_error_note(attrs: Any, words: str) -> None:
    data = bundle()
    data["definition"]["attributes"] = attrs
    imported = convert(data)
    assert any(n.severity == "error" and words in n.what for n in imported.notes), [str(n) for n in imported.notes]
    if imported.journey is not None:
        parse_journey(imported.journey)  # what was made still follows the format


def test_flags_as_words_are_read_and_nonsense_flags_are_noted() -> None:
    attrs = [attribute("a", required="true"), attribute("b", order=2, required="FALSE"),
             attribute("c", order=3, required=[1]), attribute("d", order=4, variable="maybe")]  # fmt: skip
    _, journey, notes = made(bundle(*attrs))
    assert question(journey, "a").required and not question(journey, "b").required
    assert question(journey, "c").required  # unknown: asked as required, so the service does not refuse it
    assert any("attribute c" in n and "required" in n for n in notes)
    assert any("attribute d" in n and "variable" in n for n in notes)


def test_huge_strings_are_cut_short_with_a_note() -> None:
    attr = attribute("big", "singlevaluelist", description="word " * 5_000, datatype_description="h" * 9_000,
                     values=[{"key": "a", "name": "n" * 9_000}, {"key": "b", "name": "B"}])  # fmt: skip
    journey, notes = converted(bundle(attr, service_name="S" * 9_000, description="d " * 9_000))
    q = question(journey, "big")
    assert len(q.label.en) <= 501 and len(q.hint.en) <= 501 and len(q.options[0].label.en) <= 201
    assert len(journey.title.en) < 200 and len(journey.summary.en) <= 301
    assert sum("cut short" in n for n in notes) >= 5


def test_thousands_of_attributes_are_bounded_by_the_journeys_limits() -> None:
    many = [attribute(f"a{n}", order=n) for n in range(3_000)]
    imported = convert(bundle(*many))
    journey = parse_journey(imported.journey)  # within MAX_PAGES and MAX_QUESTIONS
    assert len(attributes_of(journey)) == MAX_ATTRIBUTE_PAGES
    assert any(n.severity == "left_out" and "optional attributes are not asked" in n.what for n in imported.notes)
    assert any("only the first 1000 are read" in n.what for n in imported.notes)
    dated = [attribute(f"d{n}", "datetime", order=n, required=True) for n in range(150)]
    imported = convert(bundle(*dated))
    parse_journey(imported.journey)
    assert not imported.usable  # required attributes it cannot ask: the service would refuse every report
    assert any("required attributes cannot be asked" in n.what for n in imported.notes)


def test_thousands_of_values_are_bounded_by_the_options_limit() -> None:
    attr = attribute("pick", "singlevaluelist", values=values(*(f"Key {n}" for n in range(5_000))))
    journey, notes = converted(bundle(attr))
    assert len(question(journey, "pick").options) == 100
    assert len(attributes_of(journey)["pick"].values) == 100
    assert any("only the first 100 are offered" in n for n in notes)


def test_beyond_the_formats_limits_is_import_failed_not_a_traceback() -> None:
    data = bundle(*(attribute(f"a{n}", "singlevaluelist", order=n, values=values("a", "b")) for n in range(6_000)))
    with pytest.raises(ValueError, match="beyond the limits"):
        import_definition(data, "open311")


def _vandalise(node: Any, rng: random.Random) -> Any:
    """The bundle with a few values swapped for the wrong kind of thing."""
    if rng.random() < 0.05:
        return rng.choice([None, 7, "words", [], {}, [[[[]]]], {"a": {"b": {}}}, True, -1.5, "x" * 300, " "])
    if isinstance(node, dict):
        return {k: _vandalise(v, rng) for k, v in node.items()}
    if isinstance(node, list):
        return [_vandalise(v, rng) for v in node]
    return node


@pytest.mark.parametrize("name", NAMES)
def test_fuzzed_bundles_never_raise_and_what_is_usable_follows_the_format(name: str) -> None:
    original = load(name)
    if original["definition"] is None:
        original["definition"] = {"service_code": name, "attributes": SERVICES[0]["attributes"]}
    for seed in range(150):
        broken = _vandalise(copy.deepcopy(original), random.Random(seed))
        imported = convert(broken)
        assert all(isinstance(n.what, str) and n.what for n in imported.notes)
        try:
            checked = import_definition(broken, "open311")
        except ValueError as exc:  # ImportFailed is a message, not a traceback
            assert str(exc)
            continue
        if checked.usable:
            parse_journey(checked.journey)
