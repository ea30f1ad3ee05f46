"""Get help over real HTTP to the reference portal on loopback: the request reaches the portal
with the kiosk and site ids, exactly once (offline first, a lost answer), every exchange checked
against the contract; and the citizen is told staff in the building know only after the portal
accepted it."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from tests.conformance import check_request, check_response
from tests.helpers import enrolled_kiosk
from ui.app import start_sync
from ui.window import KioskWindow

pytestmark = pytest.mark.integration

HELP_PATH = "/api/v1/kiosks/kiosk-1/help-requests"


def listed(portal, token: str) -> list[dict]:
    response = httpx.get(portal.url + "/api/v1/help-requests", headers={"Authorization": f"Bearer {token}"})
    check_response(response)
    assert response.status_code == 200
    return response.json()["help_requests"]


def posts(portal) -> list[dict]:
    return [r for r in portal.requests() if r["method"] == "POST" and r["path"] == HELP_PATH]


def test_a_help_request_reaches_the_portal_once_with_the_kiosk_and_site(tmp_path: Path, portal) -> None:
    kiosk = enrolled_kiosk(tmp_path / "kiosk", portal)
    request_id = kiosk.ask_for_help("missed-bin")
    assert request_id is not None and not kiosk.help_reach(request_id).delivered
    with kiosk.sync_engine() as engine:
        engine.run_once()
        engine.run_once()  # a second pass sends nothing more
    assert kiosk.help_reach(request_id).delivered
    [seen] = listed(portal, portal.token("other-kiosk"))  # staff elsewhere in the building
    assert seen["help_request_id"] == request_id
    assert (seen["kiosk_id"], seen["site_id"], seen["journey_id"]) == ("kiosk-1", "site-1", "missed-bin")
    assert set(seen) == {"help_request_id", "kiosk_id", "site_id", "asked_at", "journey_id", "received_at"}
    assert [p["key"] for p in posts(portal)] == [request_id]
    kiosk.close()


def test_offline_then_online_delivers_it_once(tmp_path: Path, portal) -> None:
    kiosk = enrolled_kiosk(tmp_path / "kiosk", portal)
    request_id = kiosk.ask_for_help(None)
    assert request_id is not None
    portal.stop()  # the kiosk is offline
    with kiosk.sync_engine() as engine:
        report = engine.run_once()
        assert not report.online and not kiosk.help_reach(request_id).delivered
        portal.start()  # back, on the same port
        portal.set_faults(kind="lost_response", paths=[HELP_PATH], count=1)  # stored, but the answer is lost
        engine.run_once()
        assert not kiosk.help_reach(request_id).delivered and kiosk.help_reach(request_id).tried
        engine.run_once(now=time.time() + 120)  # its next try is due: the portal replays its first answer
        engine.run_once(now=time.time() + 240)
    assert kiosk.help_reach(request_id).delivered
    assert [r["help_request_id"] for r in listed(portal, portal.token("kiosk-2"))] == [request_id]
    assert [p["key"] for p in posts(portal)] == [request_id, request_id]  # sent twice, stored once
    kiosk.close()


def test_the_endpoint_follows_the_contract(portal) -> None:
    token = portal.token("kiosk-1")

    def check(response: httpx.Response) -> None:
        check_request(response.request)
        check_response(response)

    body = {
        "help_request_id": "019a6c1e-7d2a-7c3e-9a51-2f0e6f3b2a11",
        "kiosk_id": "kiosk-1",
        "site_id": "site-1",
        "asked_at": "2026-11-25T09:58:00+00:00",
        "journey_id": None,
    }
    with httpx.Client(
        base_url=portal.url + "/api/v1",
        headers={"Authorization": f"Bearer {token}"},
        event_hooks={"response": [check]},
    ) as api:
        key = {"Idempotency-Key": body["help_request_id"]}
        first = api.post("/kiosks/kiosk-1/help-requests", json=body, headers=key)
        assert first.status_code == 201 and first.json()["status"] == "received"
        again = api.post("/kiosks/kiosk-1/help-requests", json=body, headers=key)
        assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
        assert again.json() == first.json()
        changed = api.post("/kiosks/kiosk-1/help-requests", json=body | {"site_id": "site-2"}, headers=key)
        assert changed.status_code == 422 and changed.json()["type"] == "/problems/idempotency-key-reused"
        other = api.post("/kiosks/kiosk-2/help-requests", json=body, headers=key)
        assert other.status_code == 403  # this token belongs to kiosk-1
        assert len(api.get("/help-requests").json()["help_requests"]) == 1
        assert api.get("/help-requests", params={"site_id": "site-9"}).json() == {"help_requests": []}
    assert httpx.get(portal.url + "/api/v1/help-requests").status_code == 401


def test_the_citizen_is_told_the_building_knows_only_after_the_portal_accepted(
    qtbot: QtBot, tmp_path: Path, portal
) -> None:
    kiosk = enrolled_kiosk(tmp_path / "kiosk", portal)
    window = KioskWindow(kiosk)
    qtbot.addWidget(window)
    window.show()
    portal.set_faults(latency_ms=1500, paths=[HELP_PATH])  # the portal is slow to take it
    sync = start_sync(kiosk, window, 60_000)
    try:
        qtbot.waitUntil(lambda: window.online, timeout=20_000)
        window.findChild(QPushButton, "get-help").click()
        reach = window.help.card.findChild(QLabel, "help-reach")
        assert reach.text() == "Telling staff in the building…"  # not yet "told": the portal has not answered
        qtbot.waitUntil(lambda: reach.text() == "Staff in the building have been told.", timeout=20_000)
        [request] = kiosk.store.help.open()
        assert request.delivered_at is not None and len(posts(portal)) == 1
    finally:
        sync.stop()
        window.allow_close = True
        window.close()
        kiosk.close()


def test_a_request_the_portal_refuses_is_not_sent_again_and_does_not_hold_up_the_next(tmp_path: Path, portal) -> None:
    kiosk = enrolled_kiosk(tmp_path / "kiosk", portal)
    refused = kiosk.store.help.ask("Not a journey id!")  # the portal refuses it (422): a permanent answer
    later = kiosk.ask_for_help("missed-bin")
    assert later is not None
    with kiosk.sync_engine() as engine:
        engine.run_once()
        engine.run_once(now=time.time() + 3600)  # long after any backoff: the refused one is not sent again
    assert [r["help_request_id"] for r in listed(portal, portal.token("other-kiosk"))] == [later]
    assert [r["status"] for r in posts(portal)] == [422, 201]
    assert kiosk.help_reach(refused.id).refused and not kiosk.help_reach(later).refused
    assert kiosk.help_reach(later).delivered
    [alert] = [a for a in kiosk.store.alerts.list() if a.kind == "help_refused"]
    assert "Staff at this kiosk still see it" in alert.message
    assert len(kiosk.store.help.open()) == 2  # staff here still see both until they deal with them
    kiosk.close()
