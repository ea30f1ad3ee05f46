"""The address pack the portal serves (GET /api/v1/packs/gazetteer), named with its hash in the catalogue.

A council builds its pack with `dcp-kiosk gazetteer import` and gives it to the portal. The portal
reads the file once at start, so the bytes it serves are always the ones whose size and SHA-256 the
catalogue states; the version is the start of the hash, so a new pack is a new version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Header, Response
from fastapi.responses import JSONResponse

MAX_PACK_BYTES = 256 * 1024 * 1024  # as the journey format's catalogue allows

__all__ = ["ServedPack", "add_pack_routes", "load_pack"]


@dataclass(frozen=True)
class ServedPack:
    data: bytes
    sha256: str
    version: str

    def entry(self) -> dict[str, Any]:
        """The catalogue's `packs.gazetteer`."""
        return {"version": self.version, "sha256": self.sha256, "size": len(self.data)}


def load_pack(path: Path) -> ServedPack:
    """Read a pack file to serve; ValueError says why it cannot be (missing, empty, too large)."""
    try:
        size = path.stat().st_size
        if size > MAX_PACK_BYTES:
            raise ValueError(f"{path} is {size} bytes, more than the {MAX_PACK_BYTES} a pack may be")
        data = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read the address pack {path}: {exc.strerror or exc}") from None
    if not data:
        raise ValueError(f"the address pack {path} is empty")
    sha256 = hashlib.sha256(data).hexdigest()
    return ServedPack(data, sha256, "g" + sha256[:16])


def add_pack_routes(
    api: FastAPI,
    pack: ServedPack | None,
    kiosk_for: Callable[[str | None], str | JSONResponse],
    problem: Callable[..., JSONResponse],
) -> None:
    @api.get("/api/v1/packs/gazetteer")
    def get_gazetteer(authorization: str | None = Header(default=None)) -> Response:
        who = kiosk_for(authorization)
        if isinstance(who, JSONResponse):
            return who
        if pack is None:
            return problem(404, "Not found", "this portal serves no address pack")
        return Response(
            pack.data,
            media_type="application/vnd.sqlite3",
            headers={"ETag": f'"{pack.sha256}"', "X-Pack-Version": pack.version, "Cache-Control": "no-cache"},
        )
