"""`dcp-kiosk journeys list | show | example | validate`, run through the real command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from journeys.flow import Flow
from journeys.models import parse_journey
from tests.helpers import make_kiosk, seed_catalogue

ROOT = Path(__file__).resolve().parents[3]
TRAINING = ROOT / "journeys" / "training"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A kiosk whose cache holds the training catalogue, as after a sync."""
    kiosk = make_kiosk(tmp_path)
    seed_catalogue(kiosk)
    kiosk.close()
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, _ = run(capsys, "journeys", "list", "--data-dir", str(data_dir), "--training")
    assert code == 0
    assert "missed-bin  " in out and "Report a missed bin collection" in out
    assert "Pay a parking fine" in out and "Pay a parking fine  (online only)" not in out  # offline: payment due
    code, out, _ = run(capsys, "journeys", "list", "--json", "--data-dir", str(data_dir), "--training")
    rows = json.loads(out)
    assert {r["id"] for r in rows} == {p.stem for p in TRAINING.glob("*.json")}


def test_list_with_nothing_cached_says_what_to_do(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "journeys", "list", "--data-dir", str(tmp_path), "--training")
    assert code == 0 and "dcp-kiosk sync --once" in out


def test_show(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, _ = run(capsys, "journeys", "show", "fly-tipping", "--data-dir", str(data_dir), "--training")
    assert code == 0
    assert "page hazard: This could be dangerous" in out
    assert 'only when (waste-types includes "asbestos" or waste-types includes "chemicals")' in out
    assert 'then, when want-updates is "no": go to check-answers' in out
    code, out, _ = run(capsys, "journeys", "show", "fly-tipping", "--json", "--data-dir", str(data_dir), "--training")
    assert parse_journey(json.loads(out)).id == "fly-tipping"  # the JSON form is itself a valid definition


def test_show_an_unknown_journey(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, _, err = run(capsys, "journeys", "show", "no-such", "--data-dir", str(data_dir), "--training")
    assert code == 1
    assert "no journey 'no-such'" in err and "missed-bin" in err


def test_example_is_a_valid_answers_file_for_submit(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    for path in sorted(TRAINING.glob("*.json")):
        code, out, _ = run(capsys, "journeys", "example", path.stem, "--data-dir", str(data_dir), "--training")
        assert code == 0
        flow = Flow(parse_journey(json.loads(path.read_text(encoding="utf-8"))))
        assert flow.check_all(json.loads(out))[1] == []


def test_example_then_submit(capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "journeys", "example", "council-tax-moving", "--data-dir", str(data_dir), "--training")
    answers = tmp_path / "answers.json"
    answers.write_text(out, encoding="utf-8")
    code, out, err = run(
        capsys,
        "submit",
        "--journey",
        "council-tax-moving",
        "--answers",
        str(answers),
        "--data-dir",
        str(data_dir),
        "--training",
    )
    assert code == 0, err
    assert out.strip()


def test_validate_the_training_catalogue_needs_no_data_dir(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "journeys", "validate", str(TRAINING))
    assert code == 0, err
    assert out.count("ok: ") == len(list(TRAINING.glob("*.json")))


def write(tmp_path: Path, name: str, body: Any) -> str:
    path = tmp_path / name
    path.write_text(body if isinstance(body, str) else json.dumps(body), encoding="utf-8")
    return str(path)


def test_validate_names_the_file_journey_page_and_field(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    definition = json.loads((TRAINING / "pothole.json").read_text(encoding="utf-8"))
    definition["pages"][2]["questions"][1]["max"] = 0
    good = str(TRAINING / "missed-bin.json")
    code, out, err = run(capsys, "journeys", "validate", good, write(tmp_path, "pothole.json", definition))
    assert code == 1
    assert "ok: " in out
    assert "pothole.json: journey pothole: page size, question depth: min is larger than max" in err


def test_validate_reports_json_syntax_with_line_and_column(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "journeys", "validate", write(tmp_path, "bad.json", '{\n  "id": "x",\n}'))
    assert code == 1
    assert "bad.json: not JSON" in err and "line 3" in err


def test_validate_a_missing_file_or_a_duplicate(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "journeys", "validate", str(tmp_path / "nope.json"))
    assert code == 1 and "nope.json: cannot read it" in err
    copy = write(tmp_path, "copy.json", (TRAINING / "missed-bin.json").read_text(encoding="utf-8"))
    code, _, err = run(capsys, "journeys", "validate", str(TRAINING / "missed-bin.json"), copy)
    assert code == 1 and "journey missed-bin version 1 is also in" in err
    code, _, err = run(capsys, "journeys", "validate", str(tmp_path / "empty-dir-does-not-exist"))
    assert code == 1
