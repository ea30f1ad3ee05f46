"""A portal that numbers its own cases: the kiosk keeps the council's case number and its report
names what was delivered by submission id, never by comparing references."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.conftest import Portal
from tests.helpers import MISSED_BIN_RAW, synced_kiosk

pytestmark = pytest.mark.integration


def test_delivery_to_a_case_numbering_portal_keeps_its_case_numbers(tmp_path: Path, case_portal: Portal) -> None:
    kiosk, journey = synced_kiosk(tmp_path / "kiosk", case_portal)
    with kiosk.sync_engine() as engine:
        receipts = [kiosk.submit_raw(journey, MISSED_BIN_RAW) for _ in range(2)]
        report = engine.run_once()
        ids = [r.submission_id for r in receipts]  # type: ignore[union-attr]
        assert report.delivered_ids == ids
        assert report.delivered_references == ["CASE-000001", "CASE-000002"]
        items = [kiosk.store.outbox.item(i) for i in ids]
        assert [i.server_reference for i in items] == ["CASE-000001", "CASE-000002"]
        assert all(i.state == "delivered" and i.reference.startswith("TRN-") for i in items)
    kiosk.close()


def test_a_replayed_submission_gets_the_same_case_number(case_portal: Portal) -> None:
    from tests.integration.test_portal_contract import body

    token = case_portal.token("kiosk-1")
    with httpx.Client(base_url=case_portal.url + "/api/v1", headers={"Authorization": f"Bearer {token}"}) as api:
        first, second = body(), body()
        answers = [
            api.post("/submissions", json=b, headers={"Idempotency-Key": b["submission_id"]})
            for b in (first, second, first)
        ]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert [a.json()["reference"] for a in answers] == ["CASE-000001", "CASE-000002", "CASE-000001"]
    assert answers[2].headers.get("Idempotent-Replayed") == "true"
    assert len(case_portal.export()) == 2
