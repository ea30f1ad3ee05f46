"""Staff PINs, sign-in and lock-out, staff corrections: real SQLite files, no network, no Qt."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from app.kiosk import CaseStatus, fetch_case_status
from app.staff_auth import WRONG, PinRejected, StaffAuth, check_pin_rules, hash_pin, verify_pin
from local_store import InvalidTransition, Store
from local_store.migrations import migrations
from local_store.staff import StaffExists, correct_answers
from sync.client import PortalClient

PIN = "482915"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "kiosk.sqlite3", training=True)
    yield s
    s.close()


@pytest.fixture
def auth(store: Store) -> StaffAuth:
    a = StaffAuth(store, lockout_failures=5, lockout_s=300)
    a.add("amy", "Amy Khan", PIN)
    return a


def actions(store: Store) -> list[tuple[str, str | None]]:
    return [(e["action"], e["staff_id"]) for e in store.audit.entries() if e["action"].startswith("staff_")]


def test_the_staff_table_is_a_numbered_migration(store: Store) -> None:
    assert "m004_staff" in [m.name for m in migrations._migrations]
    assert store.conn.execute("SELECT count(*) FROM staff").fetchone()[0] == 0


def test_pins_are_salted_scrypt_hashes_never_the_pin(store: Store, auth: StaffAuth) -> None:
    stored = auth.table.get("amy")
    assert stored is not None and stored.pin_hash.startswith("scrypt$16384$8$1$")
    assert PIN not in stored.pin_hash
    assert hash_pin(PIN) != hash_pin(PIN)  # a fresh salt each time
    assert verify_pin(PIN, stored.pin_hash) and not verify_pin("482916", stored.pin_hash)
    assert not verify_pin(PIN, "garbage") and not verify_pin(PIN, "bcrypt$1$2$3$00$00")
    store.close()  # checkpoints the WAL into the file
    raw = b"".join(p.read_bytes() for p in Path(store.path).parent.glob("kiosk.sqlite3*"))
    assert b"scrypt$" in raw and PIN.encode() not in raw


@pytest.mark.parametrize("pin", ["", "12345", "1234567890123", "12a456", "111111", "123456", "987654", "٤٨٢٩١٥"])
def test_weak_or_malformed_pins_are_refused(pin: str) -> None:
    with pytest.raises(PinRejected):
        check_pin_rules(pin)


def test_adding_an_existing_id_needs_replace_and_resets_the_lock(auth: StaffAuth) -> None:
    with pytest.raises(StaffExists):
        auth.add("amy", "Amy", "730192")
    for _ in range(5):
        auth.sign_in("amy", "000001", now=1000.0)
    assert auth.table.get("amy").locked(1001.0)  # type: ignore[union-attr]
    auth.add("amy", "Amy K", "730192", replace=True)
    record = auth.table.get("amy")
    assert record is not None and not record.locked(1001.0) and record.name == "Amy K"
    assert auth.sign_in("amy", "730192").ok


def test_sign_in_works_offline_and_is_audited(store: Store, auth: StaffAuth) -> None:
    result = auth.sign_in(" amy ", PIN)
    assert result.ok and result.staff_id == "amy" and result.name == "Amy Khan"
    auth.sign_out("amy")
    assert actions(store)[-2:] == [("staff_sign_in", "amy"), ("staff_sign_out", "amy")]


def test_wrong_pin_and_unknown_id_get_the_same_answer(store: Store, auth: StaffAuth) -> None:
    assert auth.sign_in("amy", "000001").message == WRONG
    assert auth.sign_in("nobody", PIN).message == WRONG
    failed = [e for e in store.audit.entries() if e["action"] == "staff_sign_in_failed"]
    assert [(e["staff_id"], e["detail"]) for e in failed] == [("amy", "failure 1"), (None, "unknown staff id")]
    assert all(PIN not in str(e) and "000001" not in str(e) for e in store.audit.entries())


def test_five_failures_lock_the_id_for_the_configured_time(store: Store) -> None:
    auth = StaffAuth(store, lockout_failures=5, lockout_s=120)
    auth.add("amy", "Amy", PIN)
    auth.add("bob", "Bob", "730192")
    for i in range(4):
        assert auth.sign_in("amy", "000001", now=1000.0 + i).locked_until is None
    fifth = auth.sign_in("amy", "000001", now=1004.0)
    assert not fifth.ok and fifth.locked_until == 1124.0 and "locked for 2 minutes" in fifth.message
    right_but_locked = auth.sign_in("amy", PIN, now=1100.0)
    assert not right_but_locked.ok and "locked" in right_but_locked.message
    assert auth.sign_in("bob", "730192", now=1100.0).ok  # only that id is locked
    assert auth.sign_in("amy", PIN, now=1125.0).ok  # the time has passed
    assert ("staff_locked_out", "amy") in actions(store) and ("staff_sign_in_refused", "amy") in actions(store)


def test_the_lock_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    store = Store(path, training=True)
    auth = StaffAuth(store, lockout_failures=2, lockout_s=600)
    auth.add("amy", "Amy", PIN)
    auth.sign_in("amy", "000001")
    auth.sign_in("amy", "000001")
    store.close()
    again = Store(path, training=True)
    assert not StaffAuth(again, lockout_failures=2, lockout_s=600).sign_in("amy", PIN).ok
    again.close()


def test_remove(auth: StaffAuth) -> None:
    assert auth.remove("amy") and not auth.remove("amy")
    assert not auth.sign_in("amy", PIN).ok


def test_a_correction_reseals_the_answers_and_audits_only_which_changed(store: Store) -> None:
    saved = store.outbox.submit("missed-bin", 1, {"bin-type": "purple", "full-name": "Ada Lovelace"})
    with pytest.raises(InvalidTransition):
        correct_answers(store, saved.submission_id, {"bin-type": "general"}, staff_id="amy")
    store.outbox.mark_needs_attention(saved.submission_id, "invalid_answers", "Bin type: not one of the options")
    changed = correct_answers(
        store, saved.submission_id, {"bin-type": "recycling", "full-name": "Ada Lovelace"}, staff_id="amy"
    )
    assert changed == ["bin-type"]
    assert store.outbox.answers(saved.submission_id) == {"bin-type": "recycling", "full-name": "Ada Lovelace"}
    item = store.outbox.item(saved.submission_id)
    assert item.state == "pending"
    entry = store.audit.entries()[-1]
    assert (entry["action"], entry["staff_id"], entry["detail"]) == ("staff_correct", "amy", "changed: bin-type")
    assert "recycling" not in str(store.audit.entries()) and "Ada" not in str(store.audit.entries())


def _client(handler) -> PortalClient:  # type: ignore[no-untyped-def]
    return PortalClient("http://portal.invalid", "t", transport=httpx.MockTransport(handler))


def test_case_status_answers_for_found_missing_and_unreachable() -> None:
    found = fetch_case_status(
        _client(
            lambda r: httpx.Response(200, json={"reference": "DCP-AAAA-BBBB", "status": "received", "received_at": "x"})
        ),
        "DCP-AAAA-BBBB",
    )
    assert found == CaseStatus("found", "DCP-AAAA-BBBB", "received", "x")
    missing = fetch_case_status(
        _client(
            lambda r: httpx.Response(
                404, json={"status": 404, "title": "Not found"}, headers={"Content-Type": "application/problem+json"}
            )
        ),
        "DCP-AAAA-BBBB",
    )
    assert missing.kind == "not_found"

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route", request=request)

    assert fetch_case_status(_client(down), "X").kind == "unavailable"
    assert fetch_case_status(None, "X").kind == "unavailable"
