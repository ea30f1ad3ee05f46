"""`dcp-kiosk portal phone`: a trainer plays the citizen's phone for the payment the demo kiosk shows."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from app.cli import main
from tests.conformance import admin, kiosk_client

pytestmark = pytest.mark.integration


def test_the_phone_pays_the_newest_waiting_payment_and_only_once(
    portal: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    client = kiosk_client(portal)
    try:
        assert main(["portal", "phone", "pay", "--db", str(portal.db)]) == 1  # nothing waiting yet: said, not a crash
        assert "no payment is waiting for a phone" in capsys.readouterr().err
        made = client.create_payment(
            amount=3500,
            reference="TRN-AAAA-BBBB",
            description="Fine",
            submission_id="s1",
            idempotency_key=str(uuid.uuid4()),
        )
        assert main(["portal", "phone", "pay", "--db", str(portal.db)]) == 0
        assert client.payment(made.payment_id).status == "success"
        assert main(["portal", "phone", "decline", "--db", str(portal.db)]) == 1  # its link is used: nothing waits
    finally:
        client.close()
    assert [p["state"]["status"] for p in admin(portal, "GET", "/admin/payments")["payments"]] == ["success"]
