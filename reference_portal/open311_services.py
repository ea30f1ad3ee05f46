"""The training services of the reference Open311 server (Harwood Vale's street reports).

Plain data, in the shape GeoReport v2 gives them: `services.json` lists the first part of each
(service_code ... group), `services/{code}.json` its definition (the attributes). Between them they
use every attribute datatype; `answers_with_token` (not part of the spec's service list) makes
a POST of that service answer with a token instead of a service_request_id, as some back offices do.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DATATYPES", "JURISDICTION_ID", "SERVICES"]

JURISDICTION_ID = "harwood-vale"
DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")


def _attribute(
    code: str,
    datatype: str,
    description: str,
    order: int,
    *,
    required: bool = False,
    variable: bool = True,
    datatype_description: str = "",
    values: list[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    return {
        "variable": variable,
        "code": code,
        "datatype": datatype,
        "required": required,
        "datatype_description": datatype_description,
        "order": order,
        "description": description,
        "values": [{"key": k, "name": n} for k, n in values or []],
    }


SERVICES: list[dict[str, Any]] = [
    {
        "service_code": "pothole",
        "service_name": "Pothole",
        "description": "A pothole or a damaged road surface.",
        "metadata": True,
        "type": "realtime",
        "keywords": "road, pothole, surface",
        "group": "Roads",
        "answers_with_token": False,
        "attributes": [
            _attribute(
                "safety", "text", "Only the road is damaged: this report is not for emergencies.", 1, variable=False
            ),
            _attribute(
                "depth_cm",
                "number",
                "About how deep is it, in centimetres?",
                2,
                required=True,
                datatype_description="a number of centimetres",
            ),
            _attribute("landmark", "string", "A landmark nearby (a shop, a lamp post number)", 3),
            _attribute(
                "noticed_at", "datetime", "When did you first notice it?", 4, datatype_description="a date and time"
            ),
            _attribute(
                "road_type",
                "singlevaluelist",
                "Where is it?",
                5,
                required=True,
                values=[
                    ("carriageway", "On the road"),
                    ("footway", "On the pavement"),
                    ("cycleway", "On a cycle lane"),
                ],
            ),
            _attribute(
                "hazards",
                "multivaluelist",
                "Is anything else wrong?",
                6,
                values=[
                    ("water", "It is full of water"),
                    ("kerb", "The kerb is broken"),
                    ("cover", "A drain cover is loose"),
                ],
            ),
            _attribute("details", "text", "Anything else the highways team should know", 7),
        ],
    },
    {
        "service_code": "fly-tipping",
        "service_name": "Fly-tipping",
        "description": "Rubbish dumped on public land.",
        "metadata": True,
        "type": "realtime",
        "keywords": "rubbish, dumped, waste, fly-tipping",
        "group": "Street cleaning",
        "answers_with_token": True,
        "attributes": [
            _attribute(
                "waste_type",
                "multivaluelist",
                "What has been dumped?",
                1,
                required=True,
                values=[
                    ("bags", "Black bags"),
                    ("furniture", "Furniture"),
                    ("building", "Building rubble"),
                    ("hazardous", "Chemicals, asbestos or needles"),
                ],
            ),
            _attribute(
                "amount",
                "singlevaluelist",
                "How much is there?",
                2,
                required=True,
                values=[("single", "A single item"), ("car_boot", "A car boot load"), ("van", "A van load or more")],
            ),
        ],
    },
    {
        "service_code": "street-light",
        "service_name": "Street light not working",
        "description": "A street light that is out, flickering or on during the day.",
        "metadata": True,
        "type": "realtime",
        "keywords": "street light, lamp, lighting",
        "group": "Street lighting",
        "answers_with_token": False,
        "attributes": [
            _attribute("column_number", "string", "The number on the lamp post, if you can see it", 1),
            _attribute(
                "fault",
                "singlevaluelist",
                "What is wrong with it?",
                2,
                required=True,
                values=[
                    ("out", "It is not working"),
                    ("flickering", "It is flickering"),
                    ("day", "It is on during the day"),
                ],
            ),
        ],
    },
    {
        "service_code": "graffiti",
        "service_name": "Graffiti",
        "description": "Graffiti on a public building, wall or sign.",
        "metadata": False,
        "type": "realtime",
        "keywords": "graffiti, paint, vandalism",
        "group": "Street cleaning",
        "answers_with_token": False,
        "attributes": [],
    },
]
