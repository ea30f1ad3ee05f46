"""A journey's delivery as data: an Open311 mapping is checked against the journey's own questions."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from journeys.models import JourneyFormatError, parse_journey

ROOT = Path(__file__).resolve().parents[3]


def pothole() -> dict[str, Any]:
    """The training pothole journey, with an address question to give an Open311 report its location."""
    data: dict[str, Any] = json.loads((ROOT / "journeys" / "training" / "pothole.json").read_text(encoding="utf-8"))
    where = {"id": "where", "type": "address", "label": {"en": "What is the nearest address?"}}
    data["pages"].append({"id": "where", "questions": [where]})
    return data


def with_delivery(open311: dict[str, Any], journey: dict[str, Any] | None = None) -> dict[str, Any]:
    data = copy.deepcopy(journey or pothole())
    data["delivery"] = {"open311": open311}
    return data


def test_no_delivery_means_the_portal() -> None:
    journey = parse_journey(pothole())
    assert journey.delivery is None


def test_an_open311_mapping_is_kept() -> None:
    journey = parse_journey(
        with_delivery(
            {
                "service_code": "pothole",
                "description": ["street"],
                "location": "where",
                "attributes": {
                    "road_type": {"question": "surface", "values": {"road": "carriageway", "pavement": "footway"}},
                    "size": "size",
                },
            }
        )
    )
    assert journey.delivery is not None and journey.delivery.target == "open311"
    o = journey.delivery.open311
    assert o is not None and o.service_code == "pothole"
    assert o.attribute("size").question == "size"
    assert o.attribute("road_type").values["road"] == "carriageway"


@pytest.mark.parametrize(
    ("open311", "says"),
    [
        ({"service_code": "pothole", "attributes": {"x": "nowhere"}}, "there is no question 'nowhere'"),
        ({"service_code": "pothole", "location": "street"}, "question 'street' is a text question, not address"),
        ({"service_code": "pothole", "contact": {"email": "street"}}, "contact.email"),
        (
            {"service_code": "pothole", "attributes": {"r": {"question": "surface", "values": {"moon": "m"}}}},
            "has no option 'moon'",
        ),
        (
            {"service_code": "pothole", "attributes": {"r": {"question": "street", "values": {"road": "c"}}}},
            "values are for a choice",
        ),
        ({"service_code": "pothole", "attributes": {"r": {"question": "surface", "time": "street"}}}, "time"),
        ({"service_code": " pothole"}, "service_code"),
        ({"service_code": "pothole", "attributes": {"bad\ncode": "street"}}, "not an attribute code"),
        ({"service_code": "pothole", "description": ["Street"]}, "description"),
    ],
)
def test_a_mapping_that_does_not_fit_the_journey_is_refused(open311: dict[str, Any], says: str) -> None:
    with pytest.raises(JourneyFormatError) as caught:
        parse_journey(with_delivery(open311))
    assert says in str(caught.value)


def test_an_open311_report_needs_a_location() -> None:
    with pytest.raises(JourneyFormatError) as caught:
        parse_journey(with_delivery({"service_code": "pothole", "description": ["street"]}))
    assert "needs a location" in str(caught.value)


def test_open311_cannot_carry_a_fee() -> None:
    data = with_delivery({"service_code": "pothole", "location": "where"})
    data["fee"] = {"label": {"en": "Cost"}, "amount_pence": 100, "note": {"en": "We send a bill."}}
    with pytest.raises(JourneyFormatError) as caught:
        parse_journey(data)
    assert "cannot have fee" in str(caught.value)
