"""Import the forms councils already publish into the kiosk's journey format.

One module per format, each with ``looks_like(data) -> bool`` and
``convert(data, *, journey_id: str | None = None) -> Imported``:

- ``xgov``: XGovFormBuilder (digital-form-builder) definitions, schema version 2;
- ``govuk_forms``: GOV.UK Forms form documents;
- ``defra``: DEFRA forms engine definitions, version 2;
- ``open311``: an Open311 GeoReport v2 service (its services.json entry and its definition), delivered to it.

``import_definition`` detects the format (or takes it), checks the input against the journey format's
own limits first, converts it, and validates the result with ``parse_journey``: a result that does not
validate is an error note, never an exception. Imports nothing of the kiosk outside ``journeys``.
"""

from __future__ import annotations

import importlib
from typing import Any

from journeys import limits
from journeys.importers.report import Imported, ImportFailed, Note
from journeys.models import JourneyFormatError, parse_journey

__all__ = ["DEFAULT_CATEGORY", "FORMATS", "ImportFailed", "Imported", "Note", "detect", "import_definition"]

# format name -> module in this package
FORMATS = {"xgov": "xgov", "govuk-forms": "govuk_forms", "defra": "defra", "open311": "open311"}


def _module(fmt: str) -> Any:
    return importlib.import_module(f"journeys.importers.{FORMATS[fmt]}")


def detect(data: Any) -> str | None:
    """Which format a definition is in, or None. DEFRA v2 is tried first (it looks most like XGov)."""
    for fmt in ("defra", "govuk-forms", "xgov", "open311"):
        try:
            if _module(fmt).looks_like(data):
                return fmt
        except ModuleNotFoundError:  # a format not built yet
            continue
    return None


def import_definition(
    data: Any, fmt: str | None = None, *, journey_id: str | None = None, category: str | None = None
) -> Imported:
    """The kiosk journey for a definition, with its notes; ImportFailed when it cannot be read at all.
    `category` puts it under one of the home screen's headings (default: DEFAULT_CATEGORY)."""
    try:
        limits.check_size(data)
    except limits.LimitExceeded as exc:
        raise ImportFailed("", f"the definition is beyond the limits: {exc}") from None
    fmt = fmt or detect(data)
    if fmt is None:
        raise ImportFailed(
            "", "not a definition in a format the kiosk imports (XGovFormBuilder, GOV.UK Forms, DEFRA, Open311)"
        )
    if fmt not in FORMATS:
        raise ImportFailed("", f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    imported: Imported = _module(fmt).convert(data, journey_id=journey_id)
    if imported.journey is not None:
        if category is not None:
            imported.journey["category"] = category
        try:
            parse_journey(imported.journey)
        except JourneyFormatError as exc:
            imported.notes.append(Note("", f"the journey made does not follow the kiosk's format: {exc}", "error"))
    return imported
