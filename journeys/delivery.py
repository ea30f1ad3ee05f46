"""Where a journey's submissions go, as data: the portal (the default) or an Open311 GeoReport v2 service.

A journey with `delivery: {"open311": {...}}` is still shown from the portal's catalogue and kept in the
kiosk's outbox like any other; only the delivery differs. The mapping says which answers become the
report's description, location, contact fields and attributes (`attribute[code]`), and, for a choice
whose option values are not the service's keys, which key each option sends.

The checks against the journey's own questions are here (delivery_problems), called by Journey's validator.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, model_validator

from journeys.types import answer_type

_IDENTIFIER = r"^[a-z][a-z0-9-]{0,63}$"
# Open311 codes and keys are the server's strings: any printable text without spaces at either end.
_CODE = r"^[^\s\x00-\x1f\x7f](?:[^\x00-\x1f\x7f]{0,98}[^\s\x00-\x1f\x7f])?$"
MAX_ATTRIBUTES = 100
MAX_DESCRIPTION_QUESTIONS = 20

# The type each contact field and the location must be answered by.
CONTACT_TYPES = {"first_name": ("text",), "last_name": ("text",), "email": ("email",), "phone": ("phone",)}
# The question types an attribute can be answered by (Open311 datatypes: string, number, datetime, text,
# singlevaluelist, multivaluelist): everything but a payment, an appointment or an address.
CHOICE_TYPES = frozenset({"radios", "select", "yes_no", "checkboxes"})
ATTRIBUTE_TYPES = CHOICE_TYPES | {"text", "long_text", "number", "money", "email", "phone", "postcode", "date", "time"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Open311Attribute(_Strict):
    """One `attribute[code]`: the question that answers it, and for a choice the key each option sends."""

    question: str = Field(pattern=_IDENTIFIER)
    time: str | None = Field(
        default=None, pattern=_IDENTIFIER, description="a datetime attribute: the time question beside the date"
    )
    values: dict[str, str] = Field(
        default_factory=dict,
        max_length=200,
        description="choice and checkboxes: option value -> the service's key, where they differ",
    )

    @model_validator(mode="after")
    def _keys(self) -> Open311Attribute:
        for value, key in self.values.items():
            if not re.fullmatch(_IDENTIFIER, value) or not re.fullmatch(_CODE, key):
                raise ValueError(f"values: {value!r} -> {key[:40]!r} is not an option value and a service key")
        return self


class Open311Contact(_Strict):
    first_name: str | None = Field(default=None, pattern=_IDENTIFIER)
    last_name: str | None = Field(default=None, pattern=_IDENTIFIER)
    email: str | None = Field(default=None, pattern=_IDENTIFIER)
    phone: str | None = Field(default=None, pattern=_IDENTIFIER)


class Open311Delivery(_Strict):
    service_code: str = Field(pattern=_CODE, description="the service's code in the endpoint's services list")
    description: list[str] = Field(
        default_factory=list,
        max_length=MAX_DESCRIPTION_QUESTIONS,
        description="the questions whose answers, in this order, make the report's description",
    )
    location: str | None = Field(
        default=None, pattern=_IDENTIFIER, description="an address question: lat/long and address_string"
    )
    contact: Open311Contact | None = None
    attributes: dict[str, str | Open311Attribute] = Field(
        default_factory=dict,
        max_length=MAX_ATTRIBUTES,
        description="attribute code -> the question (id) that answers it, or {question, time, values}",
    )

    @model_validator(mode="after")
    def _codes(self) -> Open311Delivery:
        for code in self.attributes:
            if not re.fullmatch(_CODE, code):
                raise ValueError(f"attributes: {code[:40]!r} is not an attribute code")
        for qid in self.description:
            if not re.fullmatch(_IDENTIFIER, qid):
                raise ValueError(f"description: {qid[:40]!r} is not a question id")
        return self

    def attribute(self, code: str) -> Open311Attribute:
        mapped = self.attributes[code]
        return Open311Attribute(question=mapped) if isinstance(mapped, str) else mapped


class Delivery(_Strict):
    """The journey's delivery target. Absent: the portal's POST /submissions."""

    open311: Open311Delivery | None = None

    @property
    def target(self) -> str:
        return "open311" if self.open311 is not None else "portal"


class _Question(Protocol):
    id: str
    type: str
    options: Any


def delivery_problems(delivery: Delivery | None, journey: Any, by_id: Mapping[str, _Question]) -> list[str]:
    """What is wrong with a journey's delivery given its questions and its other steps."""
    if delivery is None or delivery.open311 is None:
        return []
    o = delivery.open311
    problems: list[str] = []
    where = "field delivery.open311"

    def needs(qid: str, field: str, types: tuple[str, ...] | frozenset[str]) -> _Question | None:
        q = by_id.get(qid)
        if q is None:
            problems.append(f"{where}.{field}: there is no question {qid!r}")
        elif q.type not in types:
            problems.append(f"{where}.{field}: question {qid!r} is a {q.type} question, not {'/'.join(sorted(types))}")
            return None
        return q

    for qid in o.description:
        needs(qid, "description", ATTRIBUTE_TYPES | {"address"})
    if o.location is None:  # GeoReport v2: a request needs lat/long, address_string or address_id
        problems.append(f"{where}.location: an Open311 report needs a location: name the address question")
    else:
        needs(o.location, "location", ("address",))
    if o.contact is not None:
        for field, types in CONTACT_TYPES.items():
            qid = getattr(o.contact, field)
            if qid is not None:
                needs(qid, f"contact.{field}", types)
    for code in o.attributes:
        mapped = o.attribute(code)
        q = needs(mapped.question, f"attributes.{code}", ATTRIBUTE_TYPES)
        if mapped.time is not None:
            needs(mapped.time, f"attributes.{code}.time", ("time",))
            if q is not None and q.type != "date":
                problems.append(f"{where}.attributes.{code}: a time goes with a date question, not {q.type}")
        if mapped.values and q is not None:
            if q.type not in CHOICE_TYPES:
                problems.append(f"{where}.attributes.{code}: values are for a choice or checkboxes question")
            else:
                known = set(answer_type(q.type).option_values(q))  # type: ignore[arg-type]
                for value in mapped.values:
                    if value not in known:
                        problems.append(f"{where}.attributes.{code}: question {q.id!r} has no option {value!r}")
    # What Open311 cannot carry: a payment, a bill, an appointment, an emailed receipt are the portal's.
    for step in ("payment", "fee", "receipt_email"):
        if getattr(journey, step, None) is not None:
            problems.append(f"{where}: a journey delivered to Open311 cannot have {step} (the portal handles it)")
    if any(q.type == "appointment" for q in by_id.values()):
        problems.append(f"{where}: a journey delivered to Open311 cannot book an appointment")
    return problems


__all__ = ["Delivery", "Open311Attribute", "Open311Contact", "Open311Delivery", "delivery_problems"]
