"""Journeys delivered to the reference Open311 server (reference_portal/open311_services.py), for the tests.

`pothole-report` maps every attribute datatype of the server's pothole service (a datetime as a date and a
time; choices whose option values are not the service's keys); `fly-tipping-report` goes to a service that
answers with a token; `graffiti-report` to one with no attributes. Written by hand, as a council would,
so that the delivery is tested apart from the importer (journeys/importers/open311 has its own tests).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from journeys.models import Journey, parse_journey

CONFIRMATION = {"en": "Keep your reference. Quote it if you get in touch with the council about this report."}


def _q(qid: str, qtype: str, label: str, **extra: Any) -> dict[str, Any]:
    return {"id": qid, "type": qtype, "label": {"en": label}, **extra}


def _options(*pairs: tuple[str, str]) -> list[dict[str, Any]]:
    return [{"value": v, "label": {"en": label}} for v, label in pairs]


def _journey(jid: str, title: str, pages: list[dict[str, Any]], open311: dict[str, Any]) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "id": jid,
        "version": 1,
        "title": {"en": title},
        "summary": {"en": f"{title}, sent to the council's street reports system."},
        "category": "roads-and-transport",
        "pages": pages,
        "confirmation": CONFIRMATION,
        "delivery": {"open311": open311},
    }


WHERE = _q("where", "address", "What is the nearest address?")
CONTACT_PAGE = {
    "id": "contact",
    "title": {"en": "Your details (optional)"},
    "questions": [
        _q("first-name", "text", "First name", required=False, max_length=50),
        _q("last-name", "text", "Last name", required=False, max_length=50),
        _q("email", "email", "Email address", required=False),
        _q("phone", "phone", "Phone number", required=False),
    ],
}
CONTACT = {"first_name": "first-name", "last_name": "last-name", "email": "email", "phone": "phone"}

POTHOLE = _journey(
    "pothole-report",
    "Report a pothole to the highways team",
    [
        {"id": "where", "questions": [WHERE]},
        {"id": "depth", "questions": [_q("depth", "number", "About how deep is it, in centimetres?", min=1, max=200)]},
        {"id": "landmark", "questions": [_q("landmark", "text", "A landmark nearby", required=False, max_length=200)]},
        {
            "id": "noticed",
            "title": {"en": "When did you first notice it?"},
            "questions": [
                _q("noticed-day", "date", "Date", required=False, date_range="today_or_past"),
                _q("noticed-time", "time", "Time", required=False),
            ],
        },
        {
            "id": "road",
            "questions": [
                _q(
                    "road",
                    "radios",
                    "Where is it?",
                    options=_options(
                        ("road", "On the road"), ("pavement", "On the pavement"), ("cycle-lane", "In a cycle lane")
                    ),
                )
            ],
        },
        {
            "id": "hazards",
            "questions": [
                _q(
                    "hazards",
                    "checkboxes",
                    "Is anything else wrong?",
                    required=False,
                    options=_options(
                        ("water", "It is full of water"),
                        ("kerb", "The kerb is broken"),
                        ("drain", "A drain cover is loose"),
                    ),
                )
            ],
        },
        {
            "id": "details",
            "questions": [_q("details", "long_text", "Anything else the highways team should know", required=False)],
        },
        {"id": "describe", "questions": [_q("describe", "long_text", "Describe the problem", max_length=1000)]},
        CONTACT_PAGE,
    ],
    {
        "service_code": "pothole",
        "description": ["describe"],
        "location": "where",
        "contact": CONTACT,
        "attributes": {
            "depth_cm": "depth",
            "landmark": "landmark",
            "noticed_at": {"question": "noticed-day", "time": "noticed-time"},
            "road_type": {
                "question": "road",
                "values": {"road": "carriageway", "pavement": "footway", "cycle-lane": "cycleway"},
            },
            "hazards": {"question": "hazards", "values": {"drain": "cover"}},
            "details": "details",
        },
    },
)

FLY_TIPPING = _journey(
    "fly-tipping-report",
    "Report fly-tipping to street cleaning",
    [
        {"id": "where", "questions": [WHERE]},
        {
            "id": "what",
            "questions": [
                _q(
                    "waste",
                    "checkboxes",
                    "What has been dumped?",
                    options=_options(
                        ("bags", "Black bags"), ("furniture", "Furniture"), ("building", "Building rubble")
                    ),
                )
            ],
        },
        {
            "id": "amount",
            "questions": [
                _q(
                    "amount",
                    "select",
                    "How much is there?",
                    options=_options(("single", "A single item"), ("car-boot", "A car boot load")),
                )
            ],
        },
        {"id": "describe", "questions": [_q("describe", "long_text", "Describe it", required=False, max_length=1000)]},
    ],
    {
        "service_code": "fly-tipping",
        "description": ["describe"],
        "location": "where",
        "attributes": {"waste_type": "waste", "amount": {"question": "amount", "values": {"car-boot": "car_boot"}}},
    },
)

GRAFFITI = _journey(
    "graffiti-report",
    "Report graffiti",
    [
        {"id": "where", "questions": [WHERE]},
        {"id": "describe", "questions": [_q("describe", "long_text", "Describe it")]},
    ],
    {"service_code": "graffiti", "description": ["describe"], "location": "where"},
)

# The synthetic borough's 14 King's Road (reference_portal/gazetteer_data.py KNOWN), as the lookup gives it.
KINGS_ROAD = {
    "line1": "14 King's Road",
    "line2": "Little Harwood",
    "town": "Harwood",
    "postcode": "BB2 1LB",
    "uprn": "100017000001",
}
TYPED = {"line1": "3 Mill Lane", "line2": "", "town": "Harwood Vale", "postcode": "BB2 1LB"}


def pothole_raw(address: dict[str, str] | None = None, **changes: Any) -> dict[str, Any]:
    noticed = dt.date.today() - dt.timedelta(days=2)
    raw: dict[str, Any] = {
        "where": address or KINGS_ROAD,
        "depth": "12",
        "landmark": "Bus stop 14",
        "noticed-day": {"day": str(noticed.day), "month": str(noticed.month), "year": str(noticed.year)},
        "noticed-time": "08:30",
        "road": "pavement",
        "hazards": ["water", "drain"],
        "details": "Cars swerve round it",
        "describe": "A deep pothole by the bus stop",
        "first-name": "Sam",
        "last-name": "Patel",
        "email": "sam@example.org",
        "phone": "",
    }
    return raw | changes


FLY_TIPPING_RAW: dict[str, Any] = {
    "where": KINGS_ROAD,
    "waste": ["bags", "furniture"],
    "amount": "car-boot",
    "describe": "",
}
GRAFFITI_RAW: dict[str, Any] = {"where": TYPED, "describe": "Paint on the bus shelter"}


def journeys() -> list[Journey]:
    return [parse_journey(j) for j in (POTHOLE, FLY_TIPPING, GRAFFITI)]
