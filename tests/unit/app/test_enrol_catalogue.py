"""Enrolment reads the portal's catalogue through the journey format: a wrong shape is a plain refusal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app import enrolment
from app.config import load_config
from app.enrolment import EnrolError, enrol


class _Portal:
    """A portal client that accepts the token and answers the catalogue with ``body``."""

    body: Any = None

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def catalogue(self, etag: object) -> tuple[Any, None]:
        return self.body, None

    def close(self) -> None:
        pass


@pytest.mark.parametrize("body", [{"journeys": 5}, {"journeys": "five"}, {"journeys": [5]}, [1, 2], "x", 7])
def test_a_catalogue_of_the_wrong_shape_refuses_enrolment_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memory_keyring: object, body: Any
) -> None:
    monkeypatch.setattr(_Portal, "body", body)
    monkeypatch.setattr(enrolment, "PortalClient", _Portal)
    config = load_config(data_dir=tmp_path / "kiosk")
    with pytest.raises(EnrolError) as info:
        enrol(config, "https://portal.example.gov.uk", "kiosk-1", "central-library", "t" * 40)
    assert "catalogue" in str(info.value) and "journey format" in str(info.value)
