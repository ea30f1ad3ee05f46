"""report_fields on the journeys of tests/open311_journeys.py (what each answer becomes in the POST), and
Open311Target with a real Store and httpx.MockTransport: post once, reconcile before any retry, follow tokens."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest

from journeys.delivery import Open311Delivery
from journeys.flow import Flow
from journeys.models import Journey
from local_store import OutboxItem, Store
from sync.errors import Permanent, Transient
from sync.open311 import Open311Client
from sync.open311_delivery import (
    MAX_DESCRIPTION,
    RECONCILE_MARGIN_S,
    SUBMISSION_ATTRIBUTE,
    Open311Target,
    report_fields,
)
from tests.open311_journeys import FLY_TIPPING_RAW, GRAFFITI_RAW, KINGS_ROAD, TYPED, journeys, pothole_raw

SID = "019a6c1e-7d2a-7c3e-9a51-2f0e6f3b2a10"
REFERENCE = "DCP-7KQM-2XHD"
TAIL = f"Reported at a council kiosk: kiosk reference {REFERENCE}."
LAT_LONG = (53.748512, -2.482316)


def item(submission_id: str = SID, reference: str = REFERENCE, journey_id: str = "pothole-report") -> OutboxItem:
    return OutboxItem(
        submission_id=submission_id,
        reference=reference,
        journey_id=journey_id,
        journey_version=1,
        state="sending",
        attempts=0,
        created_at=0.0,
        next_attempt_at=0.0,
        last_error_class=None,
        last_error_message=None,
        server_reference=None,
        assisted_by=None,
    )


def journey(journey_id: str) -> Journey:
    return next(j for j in journeys() if j.id == journey_id)


def mapping(j: Journey) -> Open311Delivery:
    assert j.delivery is not None and j.delivery.open311 is not None
    return j.delivery.open311


def parsed(j: Journey, raw: dict[str, Any]) -> dict[str, Any]:
    answers, errors = Flow(j).check_all(raw)
    assert errors == [], errors
    return answers


def no_coordinates(uprn: str) -> tuple[float, float] | None:
    return None


def at_kings_road(uprn: str) -> tuple[float, float] | None:
    return LAT_LONG if uprn == KINGS_ROAD["uprn"] else None


def fields_of(
    journey_id: str, raw: dict[str, Any], coordinates: Callable[[str], Any] = no_coordinates
) -> list[tuple[str, str]]:
    j = journey(journey_id)
    return report_fields(j, mapping(j), parsed(j, raw), item(journey_id=journey_id), coordinates)


def named(fields: list[tuple[str, str]], name: str) -> list[str]:
    return [v for k, v in fields if k == name]


def one(fields: list[tuple[str, str]], name: str) -> str:
    [value] = named(fields, name)
    return value


# -- report_fields ------------------------------------------------------------------------------------


def test_every_datatype_becomes_its_attribute() -> None:
    raw = pothole_raw()
    fields = fields_of("pothole-report", raw)
    assert one(fields, "service_code") == "pothole"
    assert one(fields, "attribute[depth_cm]") == "12"  # number
    assert one(fields, "attribute[landmark]") == "Bus stop 14"  # string
    assert one(fields, "attribute[details]") == "Cars swerve round it"  # text (long_text)
    assert one(fields, "attribute[road_type]") == "footway"  # singlevaluelist, the option's value mapped
    day = raw["noticed-day"]
    noticed = dt.datetime(int(day["year"]), int(day["month"]), int(day["day"]), 8, 30).astimezone()
    assert one(fields, "attribute[noticed_at]") == noticed.isoformat(timespec="seconds")  # datetime, local offset
    assert dt.datetime.fromisoformat(one(fields, "attribute[noticed_at]")).utcoffset() is not None


def test_a_checkboxes_answer_is_the_attribute_repeated_with_the_values_mapped() -> None:
    fields = fields_of("pothole-report", pothole_raw())
    assert named(fields, "attribute[hazards][]") == ["water", "cover"]  # drain -> cover; water as it is
    assert named(fields, "attribute[hazards]") == []
    fly = fields_of("fly-tipping-report", FLY_TIPPING_RAW)
    assert named(fly, "attribute[waste_type][]") == ["bags", "furniture"]
    assert one(fly, "attribute[amount]") == "car_boot"  # a select's value mapped


def test_a_date_without_its_time_is_the_date_alone() -> None:
    raw = pothole_raw(**{"noticed-time": ""})
    day = raw["noticed-day"]
    expected = dt.date(int(day["year"]), int(day["month"]), int(day["day"])).isoformat()
    assert one(fields_of("pothole-report", raw), "attribute[noticed_at]") == expected


def test_optional_questions_left_unanswered_are_left_out() -> None:
    raw = pothole_raw(
        landmark="",
        details="",
        hazards=[],
        **{"noticed-day": {"day": "", "month": "", "year": ""}, "noticed-time": ""},
    )
    fields = fields_of("pothole-report", raw)
    names = [k for k, _ in fields]
    for gone in ("landmark", "details", "noticed_at"):
        assert f"attribute[{gone}]" not in names
    assert "attribute[hazards][]" not in names and "attribute[hazards]" not in names
    assert one(fields, "attribute[depth_cm]") == "12" and one(fields, "attribute[road_type]") == "footway"
    assert all(v != "" for _, v in fields)  # nothing is sent empty


def test_a_typed_address_is_its_words_without_an_id_or_coordinates() -> None:
    asked: list[str] = []

    def coordinates(uprn: str) -> tuple[float, float] | None:
        asked.append(uprn)
        return LAT_LONG

    fields = fields_of("graffiti-report", GRAFFITI_RAW, coordinates)
    assert one(fields, "address_string") == "3 Mill Lane, Harwood Vale, BB2 1LB"  # the empty line2 left out
    names = [k for k, _ in fields]
    assert "address_id" not in names and "lat" not in names and "long" not in names
    assert "attribute[uprn]" not in names and asked == []
    pothole = fields_of("pothole-report", pothole_raw(TYPED), coordinates)
    assert "address_id" not in [k for k, _ in pothole] and asked == []


def test_a_found_address_with_coordinates() -> None:
    fields = fields_of("pothole-report", pothole_raw(), at_kings_road)
    assert one(fields, "address_string") == "14 King's Road, Little Harwood, Harwood, BB2 1LB"
    assert one(fields, "address_id") == KINGS_ROAD["uprn"]
    assert one(fields, "attribute[uprn]") == KINGS_ROAD["uprn"]
    assert (one(fields, "lat"), one(fields, "long")) == ("53.748512", "-2.482316")


def test_a_found_address_without_coordinates_has_its_id_but_no_lat_long() -> None:
    fields = fields_of("pothole-report", pothole_raw(), no_coordinates)
    assert one(fields, "address_id") == KINGS_ROAD["uprn"] and one(fields, "attribute[uprn]") == KINGS_ROAD["uprn"]
    assert "lat" not in [k for k, _ in fields] and "long" not in [k for k, _ in fields]


def test_the_description_is_the_answers_then_the_kiosk_reference() -> None:
    fields = fields_of("pothole-report", pothole_raw())
    assert one(fields, "description") == f"A deep pothole by the bus stop\n\n{TAIL}"
    assert one(fields_of("fly-tipping-report", FLY_TIPPING_RAW), "description") == TAIL  # nothing described


def test_the_description_is_capped_and_keeps_the_kiosk_reference() -> None:
    j = journey("pothole-report")
    answers = parsed(j, pothole_raw()) | {"describe": "word " * 2000}  # 10,000 characters
    fields = report_fields(j, mapping(j), answers, item(), no_coordinates)
    description = one(fields, "description")
    assert len(description) <= MAX_DESCRIPTION
    assert description.endswith(TAIL) and description.startswith("word word")


def test_contact_fields_go_only_when_answered() -> None:
    fields = fields_of("pothole-report", pothole_raw())
    assert (one(fields, "first_name"), one(fields, "last_name"), one(fields, "email")) == (
        "Sam",
        "Patel",
        "sam@example.org",
    )
    assert "phone" not in [k for k, _ in fields]  # left blank
    none = fields_of("pothole-report", pothole_raw(**{"first-name": "", "last-name": "", "email": ""}))
    assert not {"first_name", "last_name", "email", "phone"} & {k for k, _ in none}
    assert not {"first_name", "email"} & {k for k, _ in fields_of("graffiti-report", GRAFFITI_RAW)}  # no contact


def test_the_submission_id_attribute_is_always_sent() -> None:
    for journey_id, raw in (
        ("pothole-report", pothole_raw()),
        ("fly-tipping-report", FLY_TIPPING_RAW),
        ("graffiti-report", GRAFFITI_RAW),  # a service with no attributes at all
    ):
        fields = fields_of(journey_id, raw)
        assert one(fields, f"attribute[{SUBMISSION_ATTRIBUTE}]") == SID, journey_id
    assert [k for k, _ in fields_of("graffiti-report", GRAFFITI_RAW)] == [
        "service_code",
        "description",
        "address_string",
        f"attribute[{SUBMISSION_ATTRIBUTE}]",
    ]


# -- Open311Target: exactly once ---------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "kiosk.sqlite3", training=True)
    yield opened
    opened.close()


class Server:
    """A scripted Open311 server: `routes` maps (method, path) to a handler; every request is kept."""

    def __init__(self) -> None:
        self.seen: list[httpx.Request] = []
        self.routes: dict[tuple[str, str], Callable[[httpx.Request], httpx.Response]] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        path = request.url.path.removeprefix("/open311/v2/")
        handler = self.routes.get((request.method, path))
        if handler is None:
            return httpx.Response(404, json=[{"code": 404, "description": f"no route {path}"}])
        return handler(request)

    def posts(self) -> list[httpx.Request]:
        return [r for r in self.seen if r.method == "POST"]

    def calls(self) -> list[tuple[str, str]]:
        return [(r.method, r.url.path.removeprefix("/open311/v2/")) for r in self.seen]


def target_for(store: Store, server: Server) -> Open311Target:
    client = Open311Client(
        "https://o311.test/open311/v2",
        api_key="k",
        jurisdiction_id="harwood-vale",
        transport=httpx.MockTransport(server),
    )
    return Open311Target(client, store, at_kings_road)


def deliver(target: Open311Target, journey_id: str = "pothole-report", raw: dict[str, Any] | None = None) -> Any:
    j = journey(journey_id)
    return target.deliver(item(journey_id=journey_id), parsed(j, raw or pothole_raw()), j)


def noted(store: Store) -> list[tuple[str, str, float, str | None]]:
    """The remote_sends rows as another connection sees them (committed, not just in this one's transaction)."""
    conn = sqlite3.connect(store.path)
    try:
        return conn.execute("SELECT submission_id, target, first_sent_at, token FROM remote_sends").fetchall()
    finally:
        conn.close()


def listed(*requests: dict[str, Any]) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(200, json=list(requests))


def test_a_first_attempt_notes_it_durably_then_posts(store: Store) -> None:
    server = Server()
    notes_at_post: list[Any] = []

    def post(request: httpx.Request) -> httpx.Response:
        notes_at_post.append(noted(store))
        return httpx.Response(201, json=[{"service_request_id": "HV-000001"}])

    server.routes[("POST", "requests.json")] = post
    before = dt.datetime.now(dt.UTC).timestamp()
    delivered = deliver(target_for(store, server))
    assert (delivered.reference, delivered.status) == ("HV-000001", "open")
    assert server.calls() == [("POST", "requests.json")]  # nothing asked first: nothing could be there
    [[(sid, target, first_sent_at, token)]] = notes_at_post  # written before the request went out
    assert (sid, target, token) == (SID, "open311", None) and first_sent_at >= before - 1
    sent = dict(parse_qsl(server.posts()[0].content.decode()))
    assert sent[f"attribute[{SUBMISSION_ATTRIBUTE}]"] == SID and sent["lat"] == "53.748512"


def test_a_retry_finds_the_report_and_does_not_post_again(store: Store) -> None:
    store.remote.about_to_send(SID, "open311", now=1_800_000_000.0)
    server = Server()
    server.routes[("GET", "requests.json")] = listed(
        {"service_request_id": "HV-000009", "attributes": {SUBMISSION_ATTRIBUTE: "someone-else"}},
        {"service_request_id": "HV-000010", "attributes": {SUBMISSION_ATTRIBUTE: SID}},
    )
    delivered = deliver(target_for(store, server))
    assert delivered.reference == "HV-000010"
    assert server.posts() == [] and server.calls() == [("GET", "requests.json")]
    params = server.seen[0].url.params
    assert params["service_code"] == "pothole" and params["jurisdiction_id"] == "harwood-vale"
    start = dt.datetime.fromisoformat(params["start_date"]).timestamp()
    end = dt.datetime.fromisoformat(params["end_date"]).timestamp()
    assert start == 1_800_000_000.0 - RECONCILE_MARGIN_S
    assert end >= dt.datetime.now(dt.UTC).timestamp() + RECONCILE_MARGIN_S - 5


def test_a_retry_finds_it_by_the_kiosk_reference_or_an_xml_attribute_list(store: Store) -> None:
    store.remote.about_to_send(SID, "open311")
    server = Server()
    server.routes[("GET", "requests.json")] = listed(
        {"service_request_id": 77, "description": f"A hole\n\n{TAIL}", "attributes": {}},
    )
    assert deliver(target_for(store, server)).reference == "77"
    server = Server()
    server.routes[("GET", "requests.json")] = listed(
        {"service_request_id": "HV-3", "attributes": [{"code": SUBMISSION_ATTRIBUTE, "value": SID}]},
    )
    assert deliver(target_for(store, server)).reference == "HV-3" and server.posts() == []


def test_a_retry_that_does_not_find_it_posts(store: Store) -> None:
    store.remote.about_to_send(SID, "open311", now=1_800_000_000.0)
    server = Server()
    server.routes[("GET", "requests.json")] = listed(
        {"service_request_id": "HV-1", "description": "kiosk reference DCP-OTHER-REF.", "attributes": {}},
        {"service_request_id": "", "attributes": {SUBMISSION_ATTRIBUTE: SID}},  # ours, but with no id yet
    )
    server.routes[("POST", "requests.json")] = lambda r: httpx.Response(201, json=[{"service_request_id": "HV-2"}])
    assert deliver(target_for(store, server)).reference == "HV-2"
    assert server.calls() == [("GET", "requests.json"), ("POST", "requests.json")]
    assert noted(store) == [(SID, "open311", 1_800_000_000.0, None)]  # the first attempt's time is kept


def test_a_stored_token_is_followed_and_nothing_is_posted(store: Store) -> None:
    store.remote.about_to_send(SID, "open311")
    store.remote.note_token(SID, "tok-1")
    server = Server()
    server.routes[("GET", "tokens/tok-1.json")] = listed({"token": "tok-1", "service_request_id": None})
    target = target_for(store, server)
    with pytest.raises(Transient) as waiting:
        deliver(target)
    assert waiting.value.error_class == "open311_token_pending"
    server.routes[("GET", "tokens/tok-1.json")] = listed({"token": "tok-1", "service_request_id": "HV-5"})
    assert deliver(target).reference == "HV-5"
    assert server.posts() == [] and {p for _, p in server.calls()} == {"tokens/tok-1.json"}


def test_a_token_answer_is_kept_before_it_is_followed(store: Store) -> None:
    server = Server()
    server.routes[("POST", "requests.json")] = lambda r: httpx.Response(201, json=[{"token": "tok-9"}])
    server.routes[("GET", "tokens/tok-9.json")] = lambda r: httpx.Response(503)
    with pytest.raises(Transient) as unwell:
        deliver(target_for(store, server), "fly-tipping-report", FLY_TIPPING_RAW)
    assert unwell.value.error_class == "open311_http_503"
    assert noted(store) == [(SID, "open311", pytest.approx(noted(store)[0][2]), "tok-9")]
    server.routes[("GET", "tokens/tok-9.json")] = listed({"token": "tok-9", "service_request_id": "HV-6"})
    assert deliver(target_for(store, server), "fly-tipping-report", FLY_TIPPING_RAW).reference == "HV-6"
    assert len(server.posts()) == 1


def test_a_reconcile_refused_is_unconfirmed_for_staff_with_the_kiosk_reference(store: Store) -> None:
    store.remote.about_to_send(SID, "open311")
    server = Server()  # GET requests is not a route: 404 with an error list
    server.routes[("POST", "requests.json")] = lambda r: httpx.Response(201, json=[{"service_request_id": "HV-1"}])
    with pytest.raises(Permanent) as refused:
        deliver(target_for(store, server))
    assert refused.value.error_class == "open311_unconfirmed" and refused.value.status == 404
    assert REFERENCE in refused.value.message and "discard" in refused.value.message
    assert server.posts() == []


def test_a_reconcile_that_fails_for_now_waits_and_does_not_post(store: Store) -> None:
    store.remote.about_to_send(SID, "open311")
    server = Server()
    server.routes[("GET", "requests.json")] = lambda r: httpx.Response(503)
    server.routes[("POST", "requests.json")] = lambda r: httpx.Response(201, json=[{"service_request_id": "HV-1"}])
    with pytest.raises(Transient) as unwell:
        deliver(target_for(store, server))
    assert unwell.value.error_class == "open311_http_503" and server.posts() == []


def test_a_refused_post_leaves_the_note_for_the_next_attempt(store: Store) -> None:
    server = Server()
    server.routes[("POST", "requests.json")] = lambda r: httpx.Response(500)
    with pytest.raises(Transient):
        deliver(target_for(store, server))
    assert [row[0] for row in noted(store)] == [SID]
