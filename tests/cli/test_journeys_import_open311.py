"""`dcp-kiosk journeys import --format open311`: an Open311 service (bundle or bare definition) in, a journey
delivered to Open311 out, with the report on standard error; detection, --id, and what is not a service."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from journeys.models import parse_journey
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data" / "importers" / "open311"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["journeys", "import", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_bundle_is_detected_and_becomes_a_journey_delivered_to_open311(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(DATA / "pothole.json"))
    assert code == 0
    journey = parse_journey(json.loads(out))
    assert journey.id == "pothole" and journey.delivery is not None and journey.delivery.target == "open311"
    assert "open311 definition -> journey pothole v1, 9 pages" in err
    assert "changed (2):\n  - attribute depth_cm: number: the kiosk takes whole numbers only" in err
    assert "errors" not in err


def test_format_open311_takes_a_bare_definition_with_the_id_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = json.loads((DATA / "street-light.json").read_text(encoding="utf-8"))
    path = write(tmp_path / "definition.json", bundle["definition"])
    code, out, err = run(capsys, "--format", "open311", "--id", "lamp-fault", "--category", "roads", str(path))
    assert code == 0
    journey = parse_journey(json.loads(out))
    assert (journey.id, journey.category, journey.title.en) == ("lamp-fault", "roads", "Report a problem: Street light")
    assert "a service definition alone" in err


def test_another_format_read_as_open311_is_not_usable_and_nothing_is_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    form = json.loads((ROOT / "tests/data/importers/xgov/skip-permit.json").read_text(encoding="utf-8"))
    code, out, err = run(capsys, "--format", "open311", str(write(tmp_path / "form.json", form)))
    assert code == 1 and out == ""
    assert "errors (1):" in err and "an Open311 import is" in err


def test_what_is_no_format_names_open311_among_those_the_kiosk_imports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, str(write(tmp_path / "x.json", {"service": "pothole"})))
    assert code == 1 and out == ""
    assert "(XGovFormBuilder, GOV.UK Forms, DEFRA, Open311)" in err


def test_the_help_names_the_format(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["journeys", "--help"], ["journeys", "import", "--help"]):
        with pytest.raises(SystemExit) as exited:
            main(argv)
        assert exited.value.code == 0
    said = " ".join(capsys.readouterr().out.split())
    assert "(XGovFormBuilder, GOV.UK Forms, DEFRA, Open311)" in said
    assert "--format {defra,govuk-forms,open311,xgov}" in said
