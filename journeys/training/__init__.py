"""The training catalogue: council journeys for training mode, demos, tests and the reference portal.

Loaded with importlib.resources, so it works the same from a checkout, a wheel and the frozen bundle.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

__all__ = ["definitions", "names"]


def names() -> list[str]:
    """The file names of the training journeys, sorted."""
    return sorted(p.name for p in resources.files(__name__).iterdir() if p.name.endswith(".json"))


def definitions() -> list[dict[str, Any]]:
    """Every training journey definition as parsed JSON (not yet validated), in file-name order."""
    folder = resources.files(__name__)
    return [json.loads(folder.joinpath(name).read_text(encoding="utf-8")) for name in names()]
