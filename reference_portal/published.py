"""The catalogue the portal serves, and journeys published to it while it runs (PUT /admin/journeys).

A journey imported from a council's form (`dcp-kiosk journeys import --publish`) is added to the
catalogue without a restart: the portal validates it with the journey format as a real server would,
keeps it in its SQLite (so a restart keeps it too), and rebuilds the catalogue and its ETag, so a kiosk's
next sync sees the change and fetches the journey. A kiosk caches a journey by its id and version, so one
version never changes: publishing the same definition again is harmless, a different definition under a
version already served is refused (publish it as a new version). A new version takes the place of the
older one in the catalogue; the older one is still served, so submissions made with it still arrive.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Header, Request
from fastapi.responses import JSONResponse

from journeys.models import Journey, JourneyFormatError, parse_journey
from reference_portal import db

__all__ = ["MAX_DEFINITION_BYTES", "PublishConflict", "ServedCatalogue", "add_journey_admin_routes"]

MAX_DEFINITION_BYTES = 4 * 1024 * 1024  # a definition's JSON; the journey format's own limits are far below it

Key = tuple[str, int]


class PublishConflict(ValueError):
    """A different definition under a journey id and version the portal already serves."""


def entry(journey: Journey) -> dict[str, Any]:
    """A journey's line in the catalogue."""
    return {
        "id": journey.id,
        "version": journey.version,
        "title": journey.title.model_dump(),
        "summary": journey.summary.model_dump(),
        "category": journey.category,
        "requires_online": journey.requires_online,
        **({"keywords": journey.keywords.model_dump()} if journey.keywords else {}),  # words the home search matches
    }


class ServedCatalogue:
    """The journeys served (by id and version), the ones the catalogue lists, and the catalogue with its ETag."""

    def __init__(
        self, journeys: dict[Key, Journey], pack_entry: dict[str, Any] | None, body_hash: Callable[[Any], str]
    ) -> None:
        self.journeys = journeys  # every version served: the catalogue's, and older ones still accepted
        self._listed: list[Key] = list(journeys)
        self._pack_entry = pack_entry
        self._body_hash = body_hash
        self.current: tuple[dict[str, Any], str] = self._build()  # (catalogue, ETag), replaced as one

    def _build(self) -> tuple[dict[str, Any], str]:
        catalogue: dict[str, Any] = {
            "schema_version": 1,
            "journeys": [entry(self.journeys[key]) for key in self._listed],
        }
        if self._pack_entry is not None:
            catalogue["packs"] = {"gazetteer": self._pack_entry}
        return catalogue, '"' + self._body_hash(catalogue)[:16] + '"'

    def check(self, journey: Journey) -> bool:
        """True when publishing would change something, False when this very definition is served already;
        PublishConflict when another definition has its id and version."""
        served = self.journeys.get((journey.id, journey.version))
        if served is None:
            return True
        if served != journey:
            raise PublishConflict(
                f"version {journey.version} of journey {journey.id} is already served with another definition "
                f"(kiosks keep a version as they first fetched it): publish it as version {journey.version + 1}"
            )
        return False

    def publish(self, journey: Journey) -> None:
        """Serve the journey and list it in place of any other version of the same id."""
        key = (journey.id, journey.version)
        self.journeys[key] = journey
        at = next((i for i, k in enumerate(self._listed) if k[0] == journey.id), None)
        self._listed = [k for k in self._listed if k[0] != journey.id]
        self._listed.insert(len(self._listed) if at is None else at, key)
        self.current = self._build()

    def restore(self, conn: sqlite3.Connection) -> None:
        """Serve again the journeys published before a restart (in the order they were published).

        One that no longer validates, or that the portal's own folder now serves differently, is skipped:
        the folder is the portal's configuration and wins."""
        rows = conn.execute("SELECT definition FROM published_journeys ORDER BY published_at, rowid").fetchall()
        for row in rows:
            try:
                journey = parse_journey(json.loads(row["definition"]))
                if self.check(journey):
                    self.publish(journey)
            except (ValueError, PublishConflict):
                continue


def add_journey_admin_routes(
    api: FastAPI,
    served: ServedCatalogue,
    conn: sqlite3.Connection,
    lock: threading.Lock,
    admin_ok: Callable[[str | None], JSONResponse | None],
    problem: Callable[..., JSONResponse],
) -> None:
    """PUT /admin/journeys (publish one definition) and GET /admin/journeys (what was published)."""

    @api.put("/admin/journeys")
    async def put_journey(request: Request, x_admin_secret: str | None = Header(default=None)) -> JSONResponse:
        if refused := admin_ok(x_admin_secret):
            return refused
        raw = await request.body()
        if len(raw) > MAX_DEFINITION_BYTES:
            return problem(413, "Too large", f"a definition is at most {MAX_DEFINITION_BYTES} bytes")
        try:
            journey = parse_journey(json.loads(raw))
        except ValueError as exc:
            if isinstance(exc, JourneyFormatError):
                return problem(422, "Not a journey the kiosk can offer", str(exc), type_="/problems/invalid-journey")
            return problem(400, "Bad request", "the body is not JSON")
        with lock:
            try:
                changed = served.check(journey)
            except PublishConflict as exc:
                return problem(409, "Version already served", str(exc), type_="/problems/journey-version-in-use")
            if changed:
                definition = json.dumps(journey.model_dump(mode="json", exclude_none=True), ensure_ascii=False)
                with db.transaction(conn):
                    conn.execute(
                        "INSERT INTO published_journeys VALUES (?, ?, ?, ?)",
                        (journey.id, journey.version, definition, dt.datetime.now(dt.UTC).isoformat()),
                    )
                served.publish(journey)
            etag = served.current[1]
        body = {
            "id": journey.id,
            "version": journey.version,
            "status": "published" if changed else "unchanged",
            "catalogue_etag": etag,
        }
        return JSONResponse(body, status_code=201 if changed else 200)

    @api.get("/admin/journeys")
    def get_journeys(x_admin_secret: str | None = Header(default=None)) -> JSONResponse:
        if refused := admin_ok(x_admin_secret):
            return refused
        with lock:
            rows = conn.execute(
                "SELECT journey_id, version, published_at FROM published_journeys ORDER BY published_at, rowid"
            ).fetchall()
        return JSONResponse({"published": [dict(r) for r in rows], "catalogue_etag": served.current[1]})
