"""The reference Open311 GeoReport v2 server (/open311/v2/ on the reference portal), over real HTTP:
services and definitions in JSON and XML, POST requests checked against the definition, token
answers, GET requests by date range and service with their attributes, and a lost response."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from reference_portal import db
from tests.conftest import Portal

pytestmark = pytest.mark.integration

BASE = "/open311/v2"


def api_key(portal: Portal) -> str:
    return db.read_admin_file(portal.db)["open311_api_key"]


def post(portal: Portal, fields: list[tuple[str, str]], fmt: str = "json", key: str | None = "") -> httpx.Response:
    if key == "":
        key = api_key(portal)
    form = ([("api_key", key)] if key is not None else []) + [("jurisdiction_id", "harwood-vale"), *fields]
    headers = {"Content-Type": "application/x-www-form-urlencoded"}  # form-encoded, as the spec says
    return httpx.post(portal.url + f"{BASE}/requests.{fmt}", content=urlencode(form), headers=headers, timeout=10)


def get(portal: Portal, path: str, **params: str) -> httpx.Response:
    return httpx.get(portal.url + BASE + path, params=params, timeout=10)


POTHOLE = [
    ("service_code", "pothole"),
    ("lat", "53.7457"),
    ("long", "-2.0123"),
    ("description", "A deep pothole by the bus stop"),
    ("email", "citizen@example.org"),
    ("first_name", "Sam"),
    ("attribute[depth_cm]", "12.5"),  # number
    ("attribute[landmark]", "Bus stop 14"),  # string
    ("attribute[noticed_at]", "2024-05-01T08:30:00+01:00"),  # datetime
    ("attribute[road_type]", "carriageway"),  # singlevaluelist
    ("attribute[hazards][]", "water"),  # multivaluelist
    ("attribute[hazards][]", "kerb"),
    ("attribute[details]", "Cars swerve round it"),  # text
    ("attribute[kiosk_submission_id]", "0190f0c2-aaaa-7bbb-8ccc-000000000001"),  # not in the definition: kept
]


def errors_of(response: httpx.Response) -> list[dict[str, Any]]:
    body = response.json()
    assert isinstance(body, list) and body, body
    assert all(set(e) == {"code", "description"} for e in body), body
    return body


def test_services_and_a_definition_in_json_and_xml(portal: Portal) -> None:
    services = get(portal, "/services.json").json()
    codes = {s["service_code"] for s in services}
    assert {"pothole", "fly-tipping", "street-light"} <= codes
    for s in services:
        assert set(s) == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
        assert s["type"] == "realtime" and isinstance(s["metadata"], bool)

    root = ET.fromstring(get(portal, "/services.xml").content)
    assert root.tag == "services"
    assert {e.findtext("service_code") for e in root.findall("service")} == codes
    assert root.find("service[service_code='pothole']/metadata").text == "true"  # type: ignore[union-attr]

    definition = get(portal, "/services/pothole.json").json()
    assert definition["service_code"] == "pothole"
    datatypes = {a["datatype"] for a in definition["attributes"]}
    assert datatypes == {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
    road = next(a for a in definition["attributes"] if a["code"] == "road_type")
    assert road["required"] is True and {"key": "footway", "name": "On the pavement"} in road["values"]
    for a in definition["attributes"]:
        assert {"variable", "code", "datatype", "required", "datatype_description", "order", "description"} <= set(a)

    xml = ET.fromstring(get(portal, "/services/pothole.xml").content)
    assert xml.tag == "service_definition" and xml.findtext("service_code") == "pothole"
    hazards = xml.find("attributes/attribute[code='hazards']")
    assert hazards is not None and hazards.findtext("datatype") == "multivaluelist"
    assert [v.findtext("key") for v in hazards.findall("values/value")] == ["water", "kerb", "cover"]

    missing = get(portal, "/services/no-such.json")
    assert missing.status_code == 404 and errors_of(missing)[0]["code"] == 404


def test_a_request_with_every_datatype_is_stored_and_found_with_its_attributes(portal: Portal) -> None:
    before = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)
    answer = post(portal, POTHOLE)
    assert answer.status_code == 200, answer.text
    [created] = answer.json()
    rid = created["service_request_id"]
    assert rid and created["service_notice"]
    post(portal, [("service_code", "street-light"), ("address_id", "100012345678"), ("attribute[fault]", "out")])

    after = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)
    found = get(
        portal,
        "/requests.json",
        service_code="pothole",
        start_date=before.isoformat(),
        end_date=after.isoformat(),
    ).json()
    assert [r["service_request_id"] for r in found] == [rid]
    [req] = found
    assert req["status"] == "open" and req["service_name"] == "Pothole" and req["lat"] == 53.7457
    assert req["attributes"] == {
        "depth_cm": "12.5",
        "landmark": "Bus stop 14",
        "noticed_at": "2024-05-01T08:30:00+01:00",
        "road_type": "carriageway",
        "hazards": ["water", "kerb"],
        "details": "Cars swerve round it",
        "kiosk_submission_id": "0190f0c2-aaaa-7bbb-8ccc-000000000001",
    }
    assert "email" not in req and "citizen@example.org" not in str(req)  # contact fields are not given out

    earlier = get(portal, "/requests.json", service_code="pothole", end_date=before.isoformat()).json()
    assert earlier == []
    by_id = get(portal, f"/requests/{rid}.json").json()
    assert by_id == [req]
    xml = ET.fromstring(get(portal, f"/requests/{rid}.xml").content)
    assert xml.tag == "service_requests" and xml.findtext("request/service_request_id") == rid
    multi = xml.find("request/attributes/attribute[code='hazards']")
    assert multi is not None and [v.text for v in multi.findall("values/value")] == ["water", "kerb"]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"attribute[road_type]": None}, "road_type"),  # a required attribute missing
        ({"attribute[road_type]": "motorway"}, "motorway"),  # a value not in the list
        ({"attribute[hazards][]": "lava"}, "lava"),  # a multivaluelist value not in the list
        ({"attribute[depth_cm]": "deep"}, "number"),  # a bad number
        ({"attribute[noticed_at]": "last Tuesday"}, "date"),  # a bad datetime
        ({"service_code": "unicorns"}, "unicorns"),  # an unknown service
        ({"lat": None, "long": None}, "location"),  # no location at all
    ],
)
def test_a_request_that_does_not_match_the_definition_is_400_with_an_error_list(
    portal: Portal, change: dict[str, str | None], words: str
) -> None:
    fields = [(k, v) for k, v in POTHOLE if k not in change]
    fields += [(k, v) for k, v in change.items() if v is not None]
    for fmt in ("json", "xml"):
        answer = post(portal, fields, fmt)
        assert answer.status_code == 400, answer.text
        if fmt == "json":
            [err] = errors_of(answer)
            assert err["code"] == 400 and words in err["description"]
        else:
            root = ET.fromstring(answer.content)
            assert root.tag == "errors" and root.findtext("error/code") == "400"
            assert words in (root.findtext("error/description") or "")
    assert get(portal, "/requests.json").json() == []


@pytest.mark.parametrize("key", [None, "not-the-key"])
def test_no_api_key_or_a_wrong_one_is_403(portal: Portal, key: str | None) -> None:
    answer = post(portal, POTHOLE, key=key)
    assert answer.status_code == 403
    assert errors_of(answer)[0]["code"] == 403
    assert get(portal, "/requests.json").json() == []


def test_a_token_answer_is_followed_through_tokens_to_the_request(portal: Portal) -> None:
    fields = [
        ("service_code", "fly-tipping"),
        ("address_string", "Canal towpath by Mill Lane bridge"),
        ("attribute[waste_type][]", "bags"),
        ("attribute[waste_type][]", "furniture"),
        ("attribute[amount]", "van"),
        ("attribute[kiosk_submission_id]", "sub-42"),
    ]
    answer = post(portal, fields)
    assert answer.status_code == 200, answer.text
    [body] = answer.json()
    assert set(body) == {"token"}
    token = body["token"]
    [followed] = get(portal, f"/tokens/{token}.json").json()
    assert followed["token"] == token and followed["service_request_id"]
    xml = ET.fromstring(get(portal, f"/tokens/{token}.xml").content)
    assert xml.findtext("request/service_request_id") == followed["service_request_id"]  # the same id again
    [req] = get(portal, f"/requests/{followed['service_request_id']}.json").json()
    assert req["address"] == "Canal towpath by Mill Lane bridge"
    assert req["attributes"]["waste_type"] == ["bags", "furniture"]
    assert req["attributes"]["kiosk_submission_id"] == "sub-42"
    assert get(portal, "/tokens/nope.json").status_code == 404


def test_a_lost_response_after_commit_leaves_the_request_stored_once(portal: Portal) -> None:
    portal.set_faults(kind="lost_response", count=1, paths=[f"{BASE}/requests"])
    with pytest.raises(httpx.HTTPError):
        post(portal, POTHOLE)
    found = get(portal, "/requests.json", service_code="pothole").json()
    assert len(found) == 1
    assert found[0]["attributes"]["kiosk_submission_id"] == "0190f0c2-aaaa-7bbb-8ccc-000000000001"
    log = portal.requests()
    assert any(r["path"] == f"{BASE}/requests.json" and r["status"] == "lost_200" for r in log)
    assert api_key(portal) not in str(log)  # the api_key is never in the request log


def test_a_500_fault_applies_to_open311_paths(portal: Portal) -> None:
    portal.set_faults(kind="http_500", count=1, paths=[BASE])
    assert post(portal, POTHOLE).status_code == 500
    assert get(portal, "/requests.json").json() == []  # the fault answered before anything was stored
    assert post(portal, POTHOLE).status_code == 200


def test_the_api_key_survives_a_restart(portal: Portal) -> None:
    key = api_key(portal)
    portal.stop()
    portal.start()
    assert api_key(portal) == key
    assert post(portal, POTHOLE).status_code == 200
