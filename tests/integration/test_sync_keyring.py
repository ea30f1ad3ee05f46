"""A locked or missing keyring is not a refused token: against the reference portal, the kiosk's
own sync engine (token read from the keyring) pauses with an alert for IT, keeps every row
pending, and carries on by itself when the keyring is back. A token the portal refuses (revoked)
still stops syncing until re-enrolment."""

from __future__ import annotations

from pathlib import Path

import keyring
import keyring.errors
import pytest

from tests.helpers import MISSED_BIN_RAW, synced_kiosk
from tests.memory_keyring import MemoryKeyring

pytestmark = pytest.mark.integration


class LockableKeyring(MemoryKeyring):
    locked = False

    def get_password(self, service: str, username: str) -> str | None:
        if self.locked:
            raise keyring.errors.KeyringLocked("the collection is locked")
        return super().get_password(service, username)


def test_a_locked_keyring_pauses_sending_and_it_recovers_by_itself(tmp_path: Path, portal) -> None:
    backend = LockableKeyring()
    keyring.set_keyring(backend)
    kiosk, journey = synced_kiosk(tmp_path / "kiosk", portal)
    for _ in range(3):
        assert not isinstance(kiosk.submit_raw(journey, MISSED_BIN_RAW), list)
    backend.locked = True
    engine = kiosk.sync_engine()  # built while the keyring is locked, as at a kiosk's start
    try:
        report = engine.run_once()
        assert not report.auth_failed and report.last_error_class == "keyring_unavailable"
        assert kiosk.store.state.auth_stop() is None  # not a refused token: no re-enrolment asked for
        assert [i.state for i in kiosk.store.outbox.items()] == ["pending"] * 3
        assert [a.kind for a in kiosk.store.alerts.list()] == ["keyring_unavailable"]
        assert portal.export() == []
        engine.run_once()  # still locked: tried again, still waiting
        backend.locked = False
        report = engine.run_once()  # the same engine, no restart
        assert report.delivered == 3 and not report.auth_failed
    finally:
        engine.close()
    assert len(portal.export()) == 3
    kiosk.close()


def test_a_revoked_token_still_stops_until_re_enrolment(tmp_path: Path, portal) -> None:
    kiosk, journey = synced_kiosk(tmp_path / "kiosk", portal)
    assert not isinstance(kiosk.submit_raw(journey, MISSED_BIN_RAW), list)
    portal.revoke()
    with kiosk.sync_engine() as engine:
        report = engine.run_once()
    assert report.auth_failed and kiosk.store.state.auth_stop() is not None
    assert kiosk.store.outbox.items()[0].state == "pending"
    kiosk.close()
