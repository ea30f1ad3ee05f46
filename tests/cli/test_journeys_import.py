"""`dcp-kiosk journeys import`: a form definition in, a kiosk journey out (or a report of why not), and
`--publish` to a running reference portal's catalogue, over real HTTP.

The definitions are small ones of this file's own (an XGovFormBuilder form and a GOV.UK Forms document).
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.cli import journeys as journeys_cli
from app.cli import main
from journeys.models import parse_journey
from reference_portal import db
from tests.conftest import ROOT, Portal

XGOV: dict[str, Any] = {
    "startPage": "/name",
    "name": "Request a bulky collection",
    "pages": [
        {
            "path": "/name",
            "title": "Your name",
            "components": [{"type": "TextField", "name": "fullName", "title": "Full name", "options": {}}],
            "next": [{"path": "/items"}],
        },
        {
            "path": "/items",
            "title": "Items",
            "components": [
                {"type": "NumberField", "name": "count", "title": "How many items?", "options": {}},
                {
                    "type": "FileUploadField",
                    "name": "photo",
                    "title": "A photo of the items",
                    "options": {"required": False},
                },
            ],
            "next": [],
        },
    ],
    "lists": [],
    "sections": [],
    "conditions": [],
}

GOVUK: dict[str, Any] = {
    "form_id": "7",
    "name": "Report a broken street light",
    "start_page": 1,
    "language": "en",
    "what_happens_next_markdown": "We look at reports within 5 working days.",
    "steps": [
        {
            "id": 1,
            "position": 1,
            "next_step_id": 2,
            "type": "question_page",
            "data": {
                "question_text": "Is the light out completely?",
                "answer_type": "selection",
                "is_optional": False,
                "answer_settings": {"only_one_option": "true", "selection_options": [{"name": "Yes"}, {"name": "No"}]},
            },
            "routing_conditions": [],
        },
        {
            "id": 2,
            "position": 2,
            "next_step_id": None,
            "type": "question_page",
            "data": {"question_text": "Where is the light?", "answer_type": "text", "is_optional": False},
            "routing_conditions": [],
        },
    ],
}


def broken_xgov() -> dict[str, Any]:
    d = copy.deepcopy(XGOV)
    d["pages"][0]["components"][0]["type"] = "NoSuchField"  # an error note: the journey is not usable
    return d


def write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["journeys", "import", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- the journey and the report ------------------------------------------------------------------


def test_an_xgov_form_becomes_a_journey_on_stdout_with_the_report_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, str(write(tmp_path / "bulky.json", XGOV)))
    assert code == 0
    journey = parse_journey(json.loads(out))  # stdout is the journey and nothing else
    assert journey.id == "request-a-bulky-collection"
    assert [p.id for p in journey.pages] == ["name", "items"]
    assert "xgov definition -> journey request-a-bulky-collection v1, 2 pages" in err
    assert "left out (1):\n  - page /items, component photo (FileUploadField): the kiosk cannot take files" in err
    assert "errors" not in err


def test_an_import_goes_under_other_services_or_the_category_the_council_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = str(write(tmp_path / "bulky.json", XGOV))
    code, out, _ = run(capsys, source)
    assert code == 0 and json.loads(out)["category"] == "other-services"
    code, out, _ = run(capsys, source, "--category", "bins-and-recycling")
    assert code == 0 and json.loads(out)["category"] == "bins-and-recycling"
    code, out, err = run(capsys, source, "--category", "Bins & recycling")  # not an identifier: refused, named
    assert code == 1 and out == "" and "category" in err


def test_the_format_is_detected_or_taken_as_given(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "light.json", GOVUK)
    code, out, err = run(capsys, str(path))
    assert code == 0
    assert "govuk-forms definition -> journey report-a-broken-street-light v1" in err
    assert parse_journey(json.loads(out)).id == "report-a-broken-street-light"
    code, out, err = run(capsys, "--format", "govuk-forms", "--id", "street-light", str(path))
    assert code == 0
    assert parse_journey(json.loads(out)).id == "street-light"
    code, out, err = run(capsys, "--format", "xgov", str(path))  # the wrong format: nothing usable
    assert code == 1
    assert out == ""
    assert "errors (1):" in err
    assert "the journey is not usable" in err


def test_an_unusable_journey_exits_1_with_its_errors_first_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "journey.json"
    code, out, err = run(capsys, "--out", str(out_file), str(write(tmp_path / "broken.json", broken_xgov())))
    assert code == 1
    assert out == ""
    assert not out_file.exists()
    assert err.index("errors (1):") < err.index("left out (1):")
    assert "page /name, component fullName (NoSuchField)" in err
    assert f"({out_file} is left as it was)" in err


def test_out_is_written_when_usable_and_left_untouched_when_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "journey.json"
    code, out, _ = run(capsys, "--out", str(out_file), str(write(tmp_path / "bulky.json", XGOV)))
    assert code == 0
    assert out == ""  # the journey went to the file
    written = out_file.read_text(encoding="utf-8")
    assert parse_journey(json.loads(written)).id == "request-a-bulky-collection"
    code, _, _ = run(capsys, "--out", str(out_file), str(write(tmp_path / "broken.json", broken_xgov())))
    assert code == 1
    assert out_file.read_text(encoding="utf-8") == written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.json", "bulky.json", "journey.json"]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ('{"startPage": "/a",\n  "pages": [1, 2\n', "not JSON: Expecting ',' delimiter at line 3, column 1"),
        ("[" * 100_000, "nested too deeply to read"),
        ('{"hello": "world"}', "not a definition in a format the kiosk imports"),
        ("[1, 2, 3]", "not a definition in a format the kiosk imports"),
        ('"just a string"', "not a definition in a format the kiosk imports"),
        ("\udcff", "cannot read it"),
    ],
)
def test_a_file_that_is_not_a_definition_is_named_never_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, words: str
) -> None:
    path = tmp_path / "input.json"
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    code, out, err = run(capsys, str(path))
    assert code == 1
    assert out == ""
    assert words in err
    assert str(path) in err
    assert "Traceback" not in err


def test_a_missing_file_and_a_file_beyond_the_size_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(capsys, str(tmp_path / "nowhere.json"))
    assert code == 1
    assert "nowhere.json: cannot read it" in err
    monkeypatch.setattr(journeys_cli, "MAX_IMPORT_BYTES", 100)
    code, _, err = run(capsys, str(write(tmp_path / "bulky.json", XGOV)))
    assert code == 1
    assert "more than the 100 a definition may be" in err


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(write(tmp_path / "bulky.json", XGOV))
    code, out, err = run(capsys, "--publish", path)
    assert code == 2
    assert out == ""
    assert "--publish needs --db PORTAL_DB" in err
    with pytest.raises(SystemExit) as exited:
        main(["journeys", "import", "--format", "typeform", path])
    assert exited.value.code == 2
    with pytest.raises(SystemExit) as exited:
        main(["journeys", "import"])
    assert exited.value.code == 2


def test_as_a_process_stdout_is_the_journey_and_the_exit_code_says_usable(tmp_path: Path) -> None:
    def process(path: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "app", "journeys", "import", str(path)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )

    good = process(write(tmp_path / "bulky.json", XGOV))
    assert good.returncode == 0, good.stderr
    assert parse_journey(json.loads(good.stdout)).id == "request-a-bulky-collection"
    assert "left out (1)" in good.stderr
    bad = process(write(tmp_path / "broken.json", broken_xgov()))
    assert bad.returncode == 1
    assert bad.stdout == ""
    assert "NoSuchField" in bad.stderr


# -- --publish: to a running reference portal -----------------------------------------------------


def catalogue(portal: Portal, token: str, etag: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}", **({"If-None-Match": etag} if etag else {})}
    return httpx.get(portal.url + "/api/v1/catalogue", headers=headers, timeout=10)


def test_publish_adds_the_journey_to_the_portals_catalogue_and_a_restart_keeps_it(
    tmp_path: Path, portal: Portal, capsys: pytest.CaptureFixture[str]
) -> None:
    token = portal.token()
    before = catalogue(portal, token)
    etag = before.headers["ETag"]
    assert "request-a-bulky-collection" not in [e["id"] for e in before.json()["journeys"]]
    code, out, err = run(capsys, "--publish", "--db", str(portal.db), str(write(tmp_path / "bulky.json", XGOV)))
    assert code == 0, err
    assert "published: journey request-a-bulky-collection v1 added to the catalogue" in err
    assert parse_journey(json.loads(out)).id == "request-a-bulky-collection"

    after = catalogue(portal, token, etag)  # the kiosk's conditional sync sees a change
    assert after.status_code == 200
    assert after.headers["ETag"] != etag
    entries = {e["id"]: e for e in after.json()["journeys"]}
    assert entries["request-a-bulky-collection"]["version"] == 1
    assert len(entries) == len(before.json()["journeys"]) + 1
    served = portal.get("/api/v1/journeys/request-a-bulky-collection/1", token)
    assert served.status_code == 200
    assert parse_journey(served.json()) == parse_journey(json.loads(out))

    code, _, err = run(capsys, "--publish", "--db", str(portal.db), str(tmp_path / "bulky.json"))
    assert code == 0  # the same again is harmless
    assert "is already in the catalogue" in err
    assert catalogue(portal, token).headers["ETag"] == after.headers["ETag"]

    portal.stop()
    portal.start()
    again = catalogue(portal, token, after.headers["ETag"])
    assert again.status_code == 304  # the same catalogue after a restart
    assert portal.get("/api/v1/journeys/request-a-bulky-collection/1", token).status_code == 200


def test_publish_refuses_another_definition_under_a_version_already_served(
    tmp_path: Path, portal: Portal, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "bulky.json", XGOV)
    assert run(capsys, "--publish", "--db", str(portal.db), str(path))[0] == 0
    changed = copy.deepcopy(XGOV)
    changed["pages"][0]["components"][0]["title"] = "Your full name"
    code, out, err = run(capsys, "--publish", "--db", str(portal.db), str(write(tmp_path / "changed.json", changed)))
    assert code == 1
    assert json.loads(out)["id"] == "request-a-bulky-collection"  # made, but not published
    assert "the portal refused the journey: HTTP 409" in err
    assert "publish it as version 2" in err
    token = portal.token()
    served = portal.get("/api/v1/journeys/request-a-bulky-collection/1", token).json()
    assert served["pages"][0]["questions"][0]["label"]["en"] == "Full name"  # the first kept


def test_a_new_version_takes_the_older_ones_place_in_the_catalogue_and_the_older_is_still_served(
    portal: Portal,
) -> None:
    token = portal.token()
    secret = db.read_admin_file(portal.db)["admin_secret"]
    journey = json.loads(portal.get("/api/v1/journeys/missed-bin/1", token).text)
    journey["version"] = 2
    journey["title"] = {"en": "Report a missed bin (new)"}
    put = httpx.put(portal.url + "/admin/journeys", json=journey, headers={"X-Admin-Secret": secret}, timeout=10)
    assert put.status_code == 201, put.text
    assert put.json()["status"] == "published"
    listed = [e for e in catalogue(portal, token).json()["journeys"] if e["id"] == "missed-bin"]
    assert [(e["version"], e["title"]["en"]) for e in listed] == [(2, "Report a missed bin (new)")]
    assert portal.get("/api/v1/journeys/missed-bin/1", token).status_code == 200
    assert portal.get("/api/v1/journeys/missed-bin/2", token).status_code == 200
    published = httpx.get(portal.url + "/admin/journeys", headers={"X-Admin-Secret": secret}, timeout=10).json()
    assert [(p["journey_id"], p["version"]) for p in published["published"]] == [("missed-bin", 2)]


@pytest.mark.parametrize(
    ("body", "secret", "status", "words"),
    [
        (b'{"id": "x"}', "right", 422, "journey x:"),
        (b"not json", "right", 400, "the body is not JSON"),
        (b"{}", "wrong", 401, "the admin secret is missing or wrong"),
        (b"{}", None, 401, "the admin secret is missing or wrong"),
        (b" " * (4 * 1024 * 1024 + 1), "right", 413, "a definition is at most"),
    ],
)
def test_the_admin_endpoint_refuses_what_is_not_a_journey_or_not_from_the_admin(
    portal: Portal, body: bytes, secret: str | None, status: int, words: str
) -> None:
    real = db.read_admin_file(portal.db)["admin_secret"]
    headers = {} if secret is None else {"X-Admin-Secret": real if secret == "right" else "not-it"}
    response = httpx.put(portal.url + "/admin/journeys", content=body, headers=headers, timeout=10)
    assert response.status_code == status
    assert words in response.json()["detail"]
    assert db.export_submissions(portal.db) == []


def test_a_journey_that_breaks_the_format_is_refused_naming_the_page(portal: Portal) -> None:
    token = portal.token()
    journey = json.loads(portal.get("/api/v1/journeys/missed-bin/1", token).text)
    journey["version"] = 3
    journey["pages"][1]["show_when"] = {"question": "no-such-question", "answered": True}
    secret = db.read_admin_file(portal.db)["admin_secret"]
    response = httpx.put(portal.url + "/admin/journeys", json=journey, headers={"X-Admin-Secret": secret}, timeout=10)
    assert response.status_code == 422
    assert f"page {journey['pages'][1]['id']}" in response.json()["detail"]
    assert [e["version"] for e in catalogue(portal, token).json()["journeys"] if e["id"] == "missed-bin"] == [1]


def test_publish_with_no_running_portal_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "bulky.json", XGOV)
    code, out, err = run(capsys, "--publish", "--db", str(tmp_path / "portal.sqlite3"), str(path))
    assert code == 1
    assert "no running portal for" in err
    assert json.loads(out)["id"] == "request-a-bulky-collection"  # the journey itself was made
