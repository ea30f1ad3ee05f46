"""Address: building and street, an optional second line, town or city, and a postcode.

An address chosen from the council's gazetteer (the address lookup) also carries its UPRN, the
Unique Property Reference Number the council's systems file it under: ``{"line1", "line2", "town",
"postcode", "uprn"}``. A typed address has no UPRN. ``outside_area`` on the question limits it to the
council's own area; the kiosk checks that against its address pack, as the core has no gazetteer.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from journeys.messages import Message, msg
from journeys.types.base import AnswerError, AnswerType
from journeys.types.postcode import parse_postcode

if TYPE_CHECKING:
    from journeys.models import Question

ADDRESS_PARTS = ("line1", "line2", "town", "postcode")
ADDRESS_LINE_MAX = 100
SHAPE_LINE_MAX = 200
_UPRN = re.compile(r"^[0-9]{1,12}$")


class Address(AnswerType):
    name = "address"
    default_name = "name.address"
    default_subject = "subject.address"
    shape = "the answer must be an address (line1, line2, town, postcode)"
    coded = frozenset({"postcode", "uprn"})
    fields = frozenset({"outside_area"})

    def parse(self, raw: Any, q: Question, today: dt.date) -> dict[str, str]:
        if isinstance(raw, str):  # one line per part, or comma separated, from a script
            pieces = [p.strip() for p in re.split(r"[\n,]", raw) if p.strip()]
            if len(pieces) < 3:
                raise self.error("address.lines", q)
            raw = {"line1": pieces[0], "line2": ", ".join(pieces[1:-2]), "town": pieces[-2], "postcode": pieces[-1]}
        if not isinstance(raw, dict):
            raise self.error("answer.enter", q)
        if str(raw.get("search") or "").strip() and not str(raw.get("line1") or "").strip():
            raise AnswerError(msg("address.choose"))  # the lookup: something typed, no address chosen from its list
        parts = {k: re.sub(r"\s+", " ", str(raw.get(k) or "")).strip() for k in ADDRESS_PARTS}
        uprn = str(raw.get("uprn") or "").strip()
        if uprn and not _UPRN.match(uprn):
            uprn = ""  # not a property reference: the lines stand as typed, with no claim to be the gazetteer's
        # The gazetteer's own lines may be longer than a citizen would type (a flat, a building and a street).
        longest = SHAPE_LINE_MAX if uprn else ADDRESS_LINE_MAX
        problems: dict[str, Message] = {}  # every wrong box at once, so the citizen fixes them in one go
        for key, missing in (("line1", "address.line1"), ("town", "address.town"), ("postcode", "address.postcode")):
            if not parts[key]:
                problems[key] = msg(missing)
        for key, part in (
            ("line1", "address.part.line1"),
            ("line2", "address.part.line2"),
            ("town", "address.part.town"),
        ):
            if len(parts[key]) > longest:
                problems[key] = msg("address.too_long", part=msg(part), limit=longest)
        if parts["postcode"]:
            try:
                parts["postcode"] = parse_postcode(parts["postcode"])
            except AnswerError as exc:
                problems["postcode"] = exc.message
        if problems:
            found = tuple((key, problems[key]) for key in ADDRESS_PARTS if key in problems)
            raise AnswerError(found[0][1], parts=found)
        return {**parts, "uprn": uprn} if uprn else parts

    def display(self, value: Any, q: Question, lang: str = "en") -> str:
        return "\n".join(value[k] for k in ADDRESS_PARTS if value.get(k))

    def to_raw(self, value: Any, q: Question) -> dict[str, str]:
        return dict(value)

    def example(self, q: Question, today: dt.date) -> dict[str, str]:
        return {"line1": "12 Park Row", "line2": "", "town": "Leeds", "postcode": "LS1 4AP"}

    def check_shape(self, value: Any, q: Question) -> bool:
        return (
            isinstance(value, dict)
            and set(value) <= {*ADDRESS_PARTS, "uprn"}
            and all(isinstance(v, str) and len(v) <= SHAPE_LINE_MAX for v in value.values())
            and bool(value.get("line1"))
            and ("uprn" not in value or bool(_UPRN.match(value["uprn"])))
        )
