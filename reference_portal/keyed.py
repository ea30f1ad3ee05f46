"""The start of every keyed POST of the reference portal: an Idempotency-Key header and a JSON body."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

__all__ = ["keyed_json"]


async def keyed_json(
    request: Request, idempotency_key: str | None, problem: Callable[..., JSONResponse]
) -> Any | JSONResponse:
    """The request's JSON body, or the 400 problem to answer: no key, a key too long, a body that is not JSON."""
    if not idempotency_key or len(idempotency_key) > 255:
        return problem(400, "Bad request", "an Idempotency-Key header (1 to 255 characters) is required")
    try:
        return json.loads(await request.body())
    except ValueError:
        return problem(400, "Bad request", "the body is not JSON")
