"""`dcp-kiosk sync --once` and `dcp-kiosk status` against the reference portal on loopback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from tests.helpers import MISSED_BIN_RAW, enrolled_kiosk, synced_kiosk

pytestmark = pytest.mark.integration


def run(capsys: pytest.CaptureFixture[str], argv: list[str], code: int = 0) -> str:
    capsys.readouterr()
    assert main(argv) == code
    return capsys.readouterr().out


def test_status_and_sync_once_tell_staff_and_it_what_they_need(tmp_path: Path, portal, capsys) -> None:
    data = tmp_path / "kiosk"
    kiosk, journey = synced_kiosk(data, portal)
    for _ in range(2):
        assert not isinstance(kiosk.submit_raw(journey, MISSED_BIN_RAW), list)
    args = ["--training", "--data-dir", str(data)]

    waiting = json.loads(run(capsys, ["status", "--json", *args]))
    assert waiting["waiting"] == 2 and waiting["oldest_pending_age_s"] >= 0
    assert waiting["catalogue_version"] and '"' not in waiting["catalogue_version"]  # the ETag, without its quotes
    assert waiting["last_sync_at"] is None

    report = json.loads(run(capsys, ["sync", "--once", "--json", *args]))
    assert report["online"] and report["delivered"] == 2 and report["heartbeat_sent"]
    assert len(portal.export()) == 2

    status = json.loads(run(capsys, ["status", "--json", *args]))
    assert status["waiting"] == 0 and status["oldest_pending_age_s"] is None
    assert status["by_state"]["delivered"] == 2
    assert status["last_sync_at"] and status["last_heartbeat_at"] and status["clock_skew_s"] is not None
    assert status["last_error_class"] is None and status["sync_stopped"] is None

    text = run(capsys, ["status", *args])
    assert "catalogue version: " + status["catalogue_version"] in text
    assert "oldest waiting: -" in text and "last heartbeat: " in text and "clock skew: " in text
    kiosk.close()


def test_a_revoked_kiosk_says_so_and_sync_fails(tmp_path: Path, portal, capsys) -> None:
    data = tmp_path / "kiosk"
    kiosk = enrolled_kiosk(data, portal)
    kiosk.close()
    portal.revoke("kiosk-1")
    args = ["--training", "--data-dir", str(data)]
    capsys.readouterr()
    assert main(["sync", "--once", *args]) == 1
    assert "re-enrol" in capsys.readouterr().err
    status = json.loads(run(capsys, ["status", "--json", *args]))
    assert "HTTP 403" in status["sync_stopped"]
    assert any(a["kind"] == "re_enrol" for a in status["alerts"])
    assert "SYNC STOPPED" in run(capsys, ["status", *args])


def test_sync_once_offline_is_not_an_error(tmp_path: Path, portal, capsys) -> None:
    data = tmp_path / "kiosk"
    enrolled_kiosk(data, portal).close()
    portal.set_faults(kind="captive")  # the building's Wi-Fi wants a sign-in
    report = json.loads(run(capsys, ["sync", "--once", "--json", "--training", "--data-dir", str(data)]))
    assert report["online"] is False and report["last_error_class"] == "not_contract"
    status = json.loads(run(capsys, ["status", "--json", "--training", "--data-dir", str(data)]))
    assert status["last_error_class"] == "not_contract" and status["last_sync_at"] is None


def test_a_pass_that_only_gets_503_is_not_a_sync_and_a_good_pass_is(tmp_path: Path, portal, capsys) -> None:
    data = tmp_path / "kiosk"
    kiosk, journey = synced_kiosk(data, portal)
    args = ["--training", "--data-dir", str(data)]

    def submit_and_sync() -> dict[str, object]:
        assert not isinstance(kiosk.submit_raw(journey, MISSED_BIN_RAW), list)
        report: dict[str, object] = json.loads(run(capsys, ["sync", "--once", "--json", *args]))
        return report

    def last_sync() -> float | None:
        value: float | None = json.loads(run(capsys, ["status", "--json", *args]))["last_sync_at"]
        return value

    portal.set_faults(kind="http_503")  # every call, the health check too
    assert submit_and_sync()["last_error_class"] == "http_503"
    assert last_sync() is None and "last sync: never" in run(capsys, ["status", *args])

    portal.clear_faults()
    assert submit_and_sync()["delivered"] == 2
    good = last_sync()
    assert good is not None

    portal.set_faults(kind="http_503", paths=["/api/v1/submissions"])  # the portal is up but refuses deliveries
    report = submit_and_sync()
    assert report["online"] and report["last_error_class"] == "http_503" and report["delivered"] == 0
    assert last_sync() == good  # still the good pass, not "now"
    kiosk.close()


def test_sync_once_gives_up_on_a_dripping_portal_at_the_deadline(tmp_path: Path, monkeypatch, capsys) -> None:
    """One byte every 0.4 s never trips a per-read timeout; the request's total deadline does."""
    import threading

    import sync.http
    from tests.helpers import make_kiosk
    from tests.reliability.misbehaving_server import Fault, misbehaving

    monkeypatch.setattr(sync.http, "REQUEST_DEADLINE", 2.0)
    data = tmp_path / "kiosk"
    kiosk = make_kiosk(data)
    with misbehaving(tmp_path, fault=Fault("drip", delay=0.4)) as server:
        kiosk.enrol(server.url, "kiosk-1", "site-1", "tok")
        saved = kiosk.store.outbox.submit("missed-bin", 1, MISSED_BIN_RAW)
        codes: list[int] = []
        child = threading.Thread(
            target=lambda: codes.append(main(["sync", "--once", "--json", "--training", "--data-dir", str(data)])),
            daemon=True,
        )
        child.start()
        child.join(timeout=20)
        assert not child.is_alive(), "sync --once is still waiting on the dripping portal"
    report = json.loads(capsys.readouterr().out)
    assert codes == [0] and report["last_error_class"] == "timeout" and report["delivered"] == 0
    assert kiosk.store.outbox.item(saved.submission_id).state == "pending"
    kiosk.close()
