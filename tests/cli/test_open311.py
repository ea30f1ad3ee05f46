"""`dcp-kiosk open311 connect|disconnect|show|services|journey` against the reference Open311 server on loopback.

The api_key comes from standard input only, is tried on the server before anything is kept, and ends up in
the keyring and nowhere else: not in the kiosk's database, its log, or anything the commands print.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from app.config import load_config
from app.kiosk import Kiosk
from app.open311 import api_key_name
from journeys.models import parse_journey
from local_store import KEYRING_SERVICE
from reference_portal import db
from tests.conftest import Portal
from tests.helpers import seed_catalogue
from tests.memory_keyring import MemoryKeyring
from tests.open311_journeys import journeys

BASE = "/open311/v2"


def the_api_key(portal: Portal) -> str:
    return str(db.read_admin_file(portal.db)["open311_api_key"])


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data: Path, *argv: str, stdin: str = ""
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["open311", *argv, "--data-dir", str(data)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def kept(data: Path, memory_keyring: MemoryKeyring) -> tuple[dict[str, Any] | None, str | None]:
    """The endpoint in the kiosk's state, and the api_key in the keyring."""
    kiosk = Kiosk(load_config(data_dir=data))
    try:
        return kiosk.store.state.open311(), memory_keyring.passwords.get((KEYRING_SERVICE, api_key_name(kiosk.store)))
    finally:
        kiosk.close()


def files_containing(folder: Path, secret: str) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "kiosk"


def connect(capsys: Any, monkeypatch: Any, data: Path, portal: Portal, *extra: str) -> tuple[int, str, str]:
    url = portal.url + BASE
    return run(capsys, monkeypatch, data, "connect", "--url", url, *extra, stdin=the_api_key(portal) + "\n")


def test_connect_tries_the_key_and_keeps_it_only_in_the_keyring(
    portal: Portal, data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], memory_keyring
) -> None:
    key = the_api_key(portal)
    code, out, err = connect(capsys, monkeypatch, data, portal, "--jurisdiction", "harwood-vale")
    assert code == 0, err
    assert f"Open311 endpoint {portal.url + BASE} (json), jurisdiction harwood-vale" in out
    assert "services:" in out and "pothole" in out and "fly-tipping" in out and "graffiti" in out
    assert "the api_key was not refused" in out and "the api_key is in the keyring" in out
    endpoint, in_keyring = kept(data, memory_keyring)
    assert in_keyring == key
    assert endpoint is not None and endpoint["url"] == portal.url + BASE
    assert (endpoint["jurisdiction_id"], endpoint["format"]) == ("harwood-vale", "json")
    assert (data / "logs" / "dcp-kiosk.log").exists()
    assert files_containing(data, key) == []  # not the database, its WAL, the log
    assert key not in out + err


def test_portal_open311_key_prints_the_key_the_running_server_takes(
    portal: Portal, data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], memory_keyring
) -> None:
    """IT's path on a trial (docs/deployment.md): `portal open311-key` into `open311 connect`, nothing else known."""
    assert main(["portal", "open311-key", "--db", str(portal.db)]) == 0
    key = capsys.readouterr().out.strip()
    assert key == the_api_key(portal)
    assert main(["portal", "open311-key", "--db", str(portal.db)]) == 0
    assert capsys.readouterr().out.strip() == key  # made once, the same after
    code, out, err = run(capsys, monkeypatch, data, "connect", "--url", portal.url + BASE, stdin=key + "\n")
    assert code == 0, err
    assert "the api_key is in the keyring" in out and key not in out + err
    assert kept(data, memory_keyring)[1] == key


def test_connect_in_xml(
    portal: Portal, data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], memory_keyring
) -> None:
    code, out, err = connect(capsys, monkeypatch, data, portal, "--format", "xml")
    assert code == 0, err
    assert "(xml), jurisdiction (none)" in out and "pothole" in out
    assert kept(data, memory_keyring)[0]["format"] == "xml"  # type: ignore[index]


def test_a_services_address_is_taken_as_the_endpoint(
    portal: Portal, data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], memory_keyring
) -> None:
    url = portal.url + BASE + "/services.json"
    code, _, err = run(capsys, monkeypatch, data, "connect", "--url", url, stdin=the_api_key(portal))
    assert code == 0, err
    assert kept(data, memory_keyring)[0]["url"] == portal.url + BASE  # type: ignore[index]


def test_a_wrong_key_is_refused_and_nothing_is_kept(
    portal: Portal, data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], memory_keyring
) -> None:
    url = portal.url + BASE
    code, out, err = run(capsys, monkeypatch, data, "connect", "--url", url, stdin="not-the-key\n")
    assert code == 1 and out == ""
    assert "Open311 endpoint not set up" in err and "refused this api_key" in err
    assert "not-the-key" not in err
    assert kept(data, memory_keyring) == (None, None)
    assert memory_keyring.passwords == {}


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("ftp://127.0.0.1/open311/v2", "--url must be an address"),
        ("http://open311.example.org/open311/v2", "--url must use https://"),
        ("not an address", "--url must be an address"),
        ("https://127.0.0.1/open311/v2?api_key=x", "--url must be a plain address"),
    ],
)
def test_a_bad_url_is_refused_with_a_clear_message(
    url: str, said: str, data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], memory_keyring
) -> None:
    code, out, err = run(capsys, monkeypatch, data, "connect", "--url", url, stdin="some-key\n")
    assert code == 1 and out == ""
    assert said in err and "Traceback" not in err and "unexpected" not in err
    assert memory_keyring.passwords == {}


def test_an_address_that_is_not_an_open311_server_is_refused(
    portal: Portal, data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], memory_keyring
) -> None:
    for url in (portal.url + "/nothing/here", "http://127.0.0.1:9/open311/v2"):  # the portal itself; nobody
        code, out, err = run(capsys, monkeypatch, data, "connect", "--url", url, stdin=the_api_key(portal))
        assert code == 1 and out == ""
        assert f"could not use the Open311 server at {url}" in err, err
        assert "unexpected" not in err
    assert memory_keyring.passwords == {}


@pytest.mark.parametrize("stdin", ["", "\n", "two words\n"])
def test_no_key_on_standard_input_is_refused(
    stdin: str,
    portal: Portal,
    data: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    memory_keyring,
) -> None:
    code, out, err = run(capsys, monkeypatch, data, "connect", "--url", portal.url + BASE, stdin=stdin)
    assert code == 1 and out == ""
    assert "no api_key on standard input" in err
    assert memory_keyring.passwords == {}


def test_the_key_cannot_be_given_as_an_argument(
    portal: Portal, data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        run(capsys, monkeypatch, data, "connect", "--url", portal.url + BASE, "--api-key", "x")
    assert exited.value.code == 2


def test_show_says_the_endpoint_and_never_the_key(
    portal: Portal, data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, monkeypatch, data, "show")
    assert code == 0 and "no Open311 endpoint is set up" in out
    code, out, _ = run(capsys, monkeypatch, data, "show", "--json")
    assert code == 0 and json.loads(out) is None
    assert connect(capsys, monkeypatch, data, portal, "--jurisdiction", "harwood-vale")[0] == 0
    key = the_api_key(portal)
    code, out, _ = run(capsys, monkeypatch, data, "show")
    assert code == 0 and out.strip() == f"{portal.url + BASE} (json), jurisdiction harwood-vale"
    code, shown, _ = run(capsys, monkeypatch, data, "show", "--json")
    assert code == 0
    assert json.loads(shown) == {"url": portal.url + BASE, "jurisdiction_id": "harwood-vale", "format": "json"}
    assert key not in out + shown


def test_services_lists_the_endpoints_services(
    portal: Portal, data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, monkeypatch, data, "services")
    assert code == 1 and out == "" and "no Open311 endpoint is set up" in err
    assert connect(capsys, monkeypatch, data, portal)[0] == 0
    code, out, err = run(capsys, monkeypatch, data, "services")
    assert code == 0, err
    lines = {line.split(":", 1)[0]: line for line in out.splitlines()}
    assert {"pothole", "fly-tipping", "street-light", "graffiti"} <= set(lines)
    assert "(has attributes); no journey of this kiosk" in lines["pothole"]
    code, out, _ = run(capsys, monkeypatch, data, "services", "--json")
    rows = {row["service_code"]: row for row in json.loads(out)}
    assert code == 0 and rows["pothole"]["metadata"] is True and rows["pothole"]["journeys"] == []
    assert set(rows["pothole"]) == {"service_code", "service_name", "metadata", "journeys"}
    assert the_api_key(portal) not in out


def test_services_names_the_journeys_that_deliver_to_each_once_a_catalogue_is_cached(
    portal: Portal, data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert connect(capsys, monkeypatch, data, portal)[0] == 0
    kiosk = Kiosk(load_config(data_dir=data))
    try:
        seed_catalogue(kiosk, journeys())
    finally:
        kiosk.close()
    code, out, err = run(capsys, monkeypatch, data, "services", "--json")
    assert code == 0, err
    rows = {row["service_code"]: row["journeys"] for row in json.loads(out)}
    assert rows["pothole"] == ["pothole-report v1"]
    assert rows["fly-tipping"] == ["fly-tipping-report v1"]
    assert rows["graffiti"] == ["graffiti-report v1"]
    assert rows["street-light"] == []
    code, out, _ = run(capsys, monkeypatch, data, "services")
    assert code == 0 and "pothole: " in out and "; pothole-report v1" in out


def test_services_when_the_server_is_gone_is_a_clear_failure(
    portal: Portal, data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert connect(capsys, monkeypatch, data, portal)[0] == 0
    portal.stop()
    code, out, err = run(capsys, monkeypatch, data, "services")
    assert code == 1 and out == ""
    assert "could not list the services" in err and "unexpected" not in err


def test_journey_prints_a_usable_journey(
    portal: Portal, data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, monkeypatch, data, "journey", "pothole")
    assert code == 1 and out == "" and "no Open311 endpoint is set up" in err
    assert connect(capsys, monkeypatch, data, portal)[0] == 0
    code, out, err = run(capsys, monkeypatch, data, "journey", "pothole")
    assert code == 0, err
    journey = parse_journey(json.loads(out))
    assert journey.delivery is not None and journey.delivery.open311 is not None
    assert journey.delivery.open311.service_code == "pothole"
    assert {"depth_cm", "road_type"} <= set(journey.delivery.open311.attributes)
    assert "Open311 service pothole" in err
    code, out, err = run(
        capsys, monkeypatch, data, "journey", "graffiti", "--id", "graffiti-here", "--category", "streets"
    )
    assert code == 0, err
    graffiti = parse_journey(json.loads(out))
    assert (graffiti.id, graffiti.category) == ("graffiti-here", "streets")


def test_journey_out_writes_the_file(
    portal: Portal,
    data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert connect(capsys, monkeypatch, data, portal)[0] == 0
    out_file = tmp_path / "pothole.json"
    code, out, err = run(capsys, monkeypatch, data, "journey", "pothole", "--out", str(out_file))
    assert code == 0, err
    assert out == ""
    written = parse_journey(json.loads(out_file.read_text(encoding="utf-8")))
    assert written.delivery is not None and written.delivery.target == "open311"
    code, _, err = run(capsys, monkeypatch, data, "journey", "pothole", "--out", str(tmp_path / "no" / "x.json"))
    assert code == 1 and "cannot write" in err


def test_journey_of_an_unknown_service_fails(
    portal: Portal, data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert connect(capsys, monkeypatch, data, portal)[0] == 0
    code, out, err = run(capsys, monkeypatch, data, "journey", "no-such-service")
    assert code == 1 and out == ""
    assert "lists no service 'no-such-service'" in err and "open311 services" in err


def test_journey_publish_needs_a_database(
    portal: Portal, data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, monkeypatch, data, "journey", "pothole", "--publish")
    assert code == 2 and "--publish needs --db" in err


def test_disconnect_forgets_the_endpoint_and_the_key(
    portal: Portal, data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], memory_keyring
) -> None:
    code, out, _ = run(capsys, monkeypatch, data, "disconnect")
    assert code == 0 and "no Open311 endpoint was set up" in out
    assert connect(capsys, monkeypatch, data, portal)[0] == 0
    assert kept(data, memory_keyring)[1] is not None
    code, out, _ = run(capsys, monkeypatch, data, "disconnect")
    assert code == 0 and "the Open311 endpoint and its api_key were removed" in out
    assert kept(data, memory_keyring) == (None, None)
    code, out, _ = run(capsys, monkeypatch, data, "show", "--json")
    assert json.loads(out) is None
