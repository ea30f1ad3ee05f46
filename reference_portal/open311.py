"""The reference Open311 GeoReport v2 server, under /open311/v2/ on the reference portal.

A stand-in for the street-report endpoints councils already run (FixMyStreet and back offices),
for tests and training: the training services (reference_portal/open311_services.py), in JSON and
in XML as the spec requires, requests stored in the portal's SQLite (table open311_requests).

- `GET services.{json|xml}`, `GET services/{code}.{json|xml}` (the definition).
- `POST requests.{json|xml}`, form-encoded: api_key (required, 403 when missing or wrong),
  jurisdiction_id (optional; when given it must be "harwood-vale", else 404), service_code, one of
  lat+long / address_string / address_id, the contact fields, description, media_url,
  attribute[code] and attribute[code][] (multivaluelist). Checked against the definition (400 with
  an error list). Attributes the definition does not name are kept as given (strings), so a client
  can send its own submission id as an attribute and find the request again through GET requests.
  A service with `answers_with_token` answers [{"token"}] instead of [{"service_request_id"}].
- `GET tokens/{token}.{json|xml}`: a token's request gets its service_request_id at the first GET
  of tokens/ or of requests after the POST (so GET requests never lists a request without an id).
- `GET requests.{json|xml}` (service_request_id, service_code, status: comma lists; start_date,
  end_date: W3C datetimes on requested_datetime; with no dates every request, newest first, at most
  1000) and `GET requests/{id}.{json|xml}`. Each request carries `attributes`: an object of code ->
  value (a list for a multivaluelist), in XML <attributes><attribute><code/><value/> (or
  <values><value/>...</values>)</attribute></attributes>. Contact fields are never returned.

Errors are Open311 error lists, [{"code": 400, "description": "..."}] or <errors><error>. The
api_key is compared, never stored, logged or echoed.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import re
import secrets
import sqlite3
import threading
import xml.etree.ElementTree as ET
from typing import Any, cast
from urllib.parse import parse_qsl

from fastapi import FastAPI, Header, Request, Response
from fastapi.responses import JSONResponse

from reference_portal import db
from reference_portal.clock import is_date_time, iso
from reference_portal.open311_services import JURISDICTION_ID, SERVICES

__all__ = ["add_open311_routes"]

PREFIX = "/open311/v2"
MAX_BODY = 256 * 1024
MAX_LIST = 1000
LIST_FIELDS = ("service_code", "service_name", "description", "metadata", "type", "keywords", "group")
CONTACT = ("email", "device_id", "account_id", "first_name", "last_name", "phone")
ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
XML_ITEMS = {"attributes": "attribute", "values": "value", "keywords": "keyword"}
BY_CODE = {s["service_code"]: s for s in SERVICES}


class Open311Error(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


def _split(name: str) -> tuple[str, str]:
    stem, _, fmt = name.rpartition(".")
    if fmt not in ("json", "xml") or not stem:
        raise Open311Error(404, "the format must be .json or .xml")
    return stem, fmt


def _xml_value(parent: ET.Element, tag: str, value: Any) -> None:
    el = ET.SubElement(parent, tag)
    if value is None:
        return
    if isinstance(value, bool):
        el.text = "true" if value else "false"
    elif isinstance(value, dict):
        for k, v in value.items():
            _xml_value(el, k, v)
    elif isinstance(value, list):
        for v in value:
            _xml_value(el, XML_ITEMS.get(tag, "item"), v)
    else:
        el.text = str(value)


def _xml_attributes(attributes: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"code": c, "values" if isinstance(v, list) else "value": v} for c, v in attributes.items()]


def render(fmt: str, items: list[dict[str, Any]], root: str, item: str, status: int = 200) -> Response:
    if fmt == "json":
        return JSONResponse(items, status_code=status)
    top = ET.Element(root)
    for entry in items:
        if root == "service_requests" and isinstance(entry.get("attributes"), dict):
            entry = entry | {"attributes": _xml_attributes(entry["attributes"])}
        if root == "service_definition":  # one definition, not a list of them
            for k, v in entry.items():
                _xml_value(top, k, v)
        else:
            _xml_value(top, item, entry)
    body = ET.tostring(top, encoding="utf-8", xml_declaration=True)
    return Response(body, status_code=status, media_type="text/xml; charset=utf-8")


def error(fmt: str, code: int, description: str) -> Response:
    return render(fmt, [{"code": code, "description": description}], "errors", "error", status=code)


def _when(value: str, name: str) -> str:
    if not is_date_time(value):
        raise Open311Error(400, f"{name} must be a W3C date and time with its offset, e.g. 2024-05-01T09:00:00Z")
    return iso(dt.datetime.fromisoformat(value))


def _is_date(value: str) -> bool:
    """A W3C complete date (YYYY-MM-DD), which the W3C date and time profile also allows."""
    try:
        return len(value) == 10 and dt.date.fromisoformat(value) is not None
    except ValueError:
        return False


def _check_attribute(spec: dict[str, Any], values: list[str]) -> Any:
    """The value to keep for one attribute of the definition, or Open311Error."""
    code, datatype = spec["code"], spec["datatype"]
    values = [v for v in values if v.strip()]
    if not values:
        if spec["required"]:
            raise Open311Error(400, f"attribute[{code}] is required: {spec['description']}")
        return None
    if datatype != "multivaluelist" and len(values) > 1:
        raise Open311Error(400, f"attribute[{code}] takes one value")
    keys = {v["key"] for v in spec["values"]}
    if datatype == "multivaluelist":
        unknown = [v for v in values if v not in keys]
        if unknown:
            raise Open311Error(400, f"attribute[{code}]: {unknown[0]!r} is not one of {', '.join(sorted(keys))}")
        return values
    value = values[0]
    if datatype == "singlevaluelist" and value not in keys:
        raise Open311Error(400, f"attribute[{code}]: {value!r} is not one of {', '.join(sorted(keys))}")
    if datatype == "number":
        try:
            float(value)
        except ValueError:
            raise Open311Error(400, f"attribute[{code}] must be a number, not {value!r}") from None
    if datatype == "datetime" and not (is_date_time(value) or _is_date(value)):
        raise Open311Error(
            400, f"attribute[{code}] must be a W3C date, or date and time with its offset, not {value!r}"
        )
    return value


def parse_request(fields: dict[str, list[str]]) -> dict[str, Any]:
    """A POST's fields (after the api_key) checked against the service definition: the row to store."""

    def one(name: str) -> str | None:
        got = [v for v in fields.get(name, []) if v.strip()]
        return got[0].strip() if got else None

    jurisdiction = one("jurisdiction_id")
    if jurisdiction is not None and jurisdiction != JURISDICTION_ID:
        raise Open311Error(404, f"no jurisdiction {jurisdiction!r} here (this server is {JURISDICTION_ID!r})")
    code = one("service_code")
    if code is None:
        raise Open311Error(400, "service_code is required")
    service = BY_CODE.get(code)
    if service is None:
        raise Open311Error(400, f"no service {code!r} (GET services.json lists them)")
    lat, long = one("lat"), one("long")
    if (lat is None) != (long is None):
        raise Open311Error(400, "lat and long go together")
    if lat is not None and long is not None:
        try:
            la, lo = float(lat), float(long)
        except ValueError:
            raise Open311Error(400, "lat and long must be numbers (WGS84 degrees)") from None
        if not (-90 <= la <= 90 and -180 <= lo <= 180):
            raise Open311Error(400, "lat and long are out of range")
    address, address_id = one("address_string"), one("address_id")
    if lat is None and address is None and address_id is None:
        raise Open311Error(400, "a location is required: lat and long, address_string or address_id")
    given: dict[str, list[str]] = {}
    for name, values in fields.items():
        if m := ATTRIBUTE.match(name):
            given.setdefault(m.group(1), []).extend(values)
    attributes: dict[str, Any] = {}
    for spec in sorted(service["attributes"], key=lambda a: a["order"]):
        if not spec["variable"]:
            given.pop(spec["code"], None)
            continue
        value = _check_attribute(spec, given.pop(spec["code"], []))
        if value is not None:
            attributes[spec["code"]] = value
    for extra, values in given.items():  # not in the definition: kept as given (e.g. a client's own id)
        attributes[extra] = values[0] if len(values) == 1 else values
    return {
        "service": service,
        "description": one("description") or "",
        "lat": float(lat) if lat is not None else None,
        "long": float(long) if long is not None else None,
        "address_string": address,
        "address_id": address_id,
        "contact": {k: one(k) for k in CONTACT if one(k) is not None},
        "media_url": one("media_url"),
        "attributes": attributes,
    }


def _public(row: sqlite3.Row) -> dict[str, Any]:
    service = BY_CODE.get(row["service_code"], {})
    return {
        "service_request_id": row["service_request_id"],
        "status": row["status"],
        "status_notes": row["status_notes"],
        "service_name": service.get("service_name", row["service_code"]),
        "service_code": row["service_code"],
        "description": row["description"],
        "agency_responsible": "Harwood Vale Council",
        "service_notice": None,
        "requested_datetime": row["requested_datetime"],
        "updated_datetime": row["updated_datetime"],
        "expected_datetime": None,
        "address": row["address_string"],
        "address_id": row["address_id"],
        "zipcode": None,
        "lat": row["lat"],
        "long": row["long"],
        "media_url": row["media_url"],
        "attributes": json.loads(row["attributes"]),
    }


def add_open311_routes(
    api: FastAPI, conn: sqlite3.Connection, lock: threading.Lock, api_key: str, admin_ok: Any = None
) -> None:
    """The /open311/v2/ routes on the portal app; `api_key` is the one key a POST must carry. With `admin_ok`,
    the council's side too: PUT /admin/open311/requests/{id} sets a request's status and status_notes."""

    if admin_ok is not None:

        @api.put("/admin/open311/requests/{rid}")
        async def put_status(rid: str, request: Request, x_admin_secret: str | None = Header(default=None)) -> Response:
            if refused := admin_ok(x_admin_secret):
                return cast(Response, refused)
            try:
                body = json.loads(await request.body())
            except ValueError:
                body = None
            status, notes = (body.get("status"), body.get("status_notes")) if isinstance(body, dict) else (None, None)
            if status not in ("open", "closed") or not (
                notes is None or (isinstance(notes, str) and len(notes) <= 1000)
            ):
                return JSONResponse({"detail": "status must be open or closed; status_notes text"}, status_code=422)
            with lock, db.transaction(conn):
                changed = conn.execute(
                    "UPDATE open311_requests SET status=?, status_notes=?, updated_datetime=? WHERE service_request_id=?",
                    (status, notes, iso(dt.datetime.now(dt.UTC)), rid),
                ).rowcount
            if not changed:
                return JSONResponse({"detail": f"no service request {rid!r}"}, status_code=404)
            return JSONResponse({"service_request_id": rid, "status": status})

    def next_id() -> str:
        row = conn.execute(
            """INSERT INTO counters VALUES ('open311', 1)
               ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value"""
        ).fetchone()
        return f"HV-{int(row['value']):06d}"

    def assign_pending() -> None:
        """Give every request answered with a token its service_request_id (under the lock)."""
        with db.transaction(conn):
            for row in conn.execute("SELECT seq FROM open311_requests WHERE service_request_id IS NULL").fetchall():
                conn.execute("UPDATE open311_requests SET service_request_id=? WHERE seq=?", (next_id(), row["seq"]))

    @api.get(PREFIX + "/{name}")
    def get_list(name: str, request: Request) -> Response:
        fmt = "xml" if name.endswith(".xml") else "json"
        try:
            stem, fmt = _split(name)
            if stem == "services":
                items = [{k: s[k] for k in LIST_FIELDS} for s in SERVICES]
                return render(fmt, items, "services", "service")
            if stem == "requests":
                return render(fmt, find_requests(dict(request.query_params)), "service_requests", "request")
            raise Open311Error(404, f"no resource {stem!r}")
        except Open311Error as exc:
            return error(fmt, exc.code, exc.description)

    def find_requests(query: dict[str, str]) -> list[dict[str, Any]]:
        sql, args = "SELECT * FROM open311_requests WHERE service_request_id IS NOT NULL", []
        ids = [i.strip() for i in query.get("service_request_id", "").split(",") if i.strip()]
        if ids:  # as the spec says: with ids, the other filters are ignored
            sql += f" AND service_request_id IN ({','.join('?' * len(ids))})"
            args += ids
        else:
            for name in ("service_code", "status"):
                wanted = [v.strip() for v in query.get(name, "").split(",") if v.strip()]
                if wanted:
                    sql += f" AND {name} IN ({','.join('?' * len(wanted))})"
                    args += wanted
            if query.get("start_date"):
                sql += " AND requested_datetime >= ?"
                args.append(_when(query["start_date"], "start_date"))
            if query.get("end_date"):
                sql += " AND requested_datetime <= ?"
                args.append(_when(query["end_date"], "end_date"))
        with lock:
            assign_pending()
            rows = conn.execute(sql + f" ORDER BY seq DESC LIMIT {MAX_LIST}", args).fetchall()
        return [_public(r) for r in rows]

    @api.get(PREFIX + "/services/{name}")
    def get_definition(name: str) -> Response:
        fmt = "xml" if name.endswith(".xml") else "json"
        try:
            code, fmt = _split(name)
            service = BY_CODE.get(code)
            if service is None:
                raise Open311Error(404, f"no service {code!r}")
        except Open311Error as exc:
            return error(fmt, exc.code, exc.description)
        definition = {"service_code": code, "attributes": service["attributes"]}
        if fmt == "json":
            return JSONResponse(definition)
        return render(fmt, [definition], "service_definition", "")

    @api.get(PREFIX + "/requests/{name}")
    def get_request(name: str) -> Response:
        fmt = "xml" if name.endswith(".xml") else "json"
        try:
            rid, fmt = _split(name)
        except Open311Error as exc:
            return error(fmt, exc.code, exc.description)
        found = find_requests({"service_request_id": rid}) if "," not in rid else []
        if not found:
            return error(fmt, 404, f"no service request {rid!r}")
        return render(fmt, found, "service_requests", "request")

    @api.get(PREFIX + "/tokens/{name}")
    def get_token(name: str) -> Response:
        fmt = "xml" if name.endswith(".xml") else "json"
        try:
            token, fmt = _split(name)
        except Open311Error as exc:
            return error(fmt, exc.code, exc.description)
        with lock:
            assign_pending()
            row = conn.execute("SELECT service_request_id FROM open311_requests WHERE token=?", (token,)).fetchone()
        if row is None:
            return error(fmt, 404, f"no token {token!r}")
        return render(fmt, [{"service_request_id": row[0], "token": token}], "service_requests", "request")

    @api.post(PREFIX + "/{name}")
    async def post_request(name: str, request: Request) -> Response:
        fmt = "xml" if name.endswith(".xml") else "json"
        try:
            stem, fmt = _split(name)
            if stem != "requests":
                raise Open311Error(404, f"no resource {stem!r} to POST to")
            raw = await request.body()
            if len(raw) > MAX_BODY:
                raise Open311Error(400, f"the request is larger than {MAX_BODY} bytes")
            fields: dict[str, list[str]] = {}
            for k, v in parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True):
                fields.setdefault(k, []).append(v)
            given_key = (fields.pop("api_key", None) or [""])[0]
            if not given_key or not hmac.compare_digest(given_key.encode(), api_key.encode()):
                raise Open311Error(403, "a valid api_key is required")
            parsed = parse_request(fields)
        except Open311Error as exc:
            return error(fmt, exc.code, exc.description)
        service = parsed["service"]
        token = secrets.token_urlsafe(12) if service["answers_with_token"] else None
        now = iso(dt.datetime.now(dt.UTC))
        with lock, db.transaction(conn):
            rid = None if token else next_id()
            conn.execute(
                "INSERT INTO open311_requests (service_request_id, token, service_code, status, status_notes,"
                " description, lat, long, address_string, address_id, contact, media_url, attributes,"
                " requested_datetime, updated_datetime) VALUES (?, ?, ?, 'open', NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    rid,
                    token,
                    service["service_code"],
                    parsed["description"],
                    parsed["lat"],
                    parsed["long"],
                    parsed["address_string"],
                    parsed["address_id"],
                    json.dumps(parsed["contact"]),
                    parsed["media_url"],
                    json.dumps(parsed["attributes"]),
                    now,
                    now,
                ),
            )
        if token:
            return render(fmt, [{"token": token}], "service_requests", "request")
        notice = f"Thank you: {service['service_name'].lower()} reported to Harwood Vale Council."
        return render(fmt, [{"service_request_id": rid, "service_notice": notice}], "service_requests", "request")
