"""Vault and every key problem: no keyring, no key, a damaged key, a wrong key. Never plaintext."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import keyring
import pytest
from keyring.backends.fail import Keyring as NoKeyring

from app.kiosk import Kiosk, SubmitFailed
from journeys.models import parse_journey
from local_store.db import get_meta
from local_store.keys import RecordUnreadable
from local_store.store import Store
from local_store.vault import KEYRING_SERVICE, VaultError, key_name, open_with, seal_with
from tests.helpers import make_kiosk
from tests.memory_keyring import MemoryKeyring

CANARY = "CANARY-Zebedee-7781"
ANSWERS = {"full-name": CANARY}
TRAINING_JOURNEY = Path(__file__).resolve().parents[3] / "journeys" / "training" / "missed-bin.json"


def count_rows(store: Store) -> tuple[int, int]:
    s = store.conn.execute("SELECT count(*) FROM submissions").fetchone()[0]
    o = store.conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
    return s, o


KEY = bytes(range(32))


def current_key_name(store: Store) -> tuple[str, str]:
    return KEYRING_SERVICE, key_name(store.install_id, int(get_meta(store.conn, "epoch") or 0))


def test_seal_and_open_round_trip_naming_the_epoch() -> None:
    a = seal_with(KEY, 7, b"hello", "id-1")
    b = seal_with(KEY, 7, b"hello", "id-1")
    assert a != b and a[0] == 2 and a[1:5] == (7).to_bytes(4, "big") and b"hello" not in a
    assert open_with(KEY, a, "id-1") == b"hello"


def test_a_record_moved_to_another_row_does_not_open() -> None:
    sealed = seal_with(KEY, 1, b"hello", "id-1")
    with pytest.raises(RecordUnreadable):
        open_with(KEY, sealed, "id-2")


def test_a_tampered_or_truncated_record_or_a_changed_epoch_does_not_open() -> None:
    sealed = bytearray(seal_with(KEY, 1, b"hello", "id-1"))
    sealed[-1] ^= 1
    good = seal_with(KEY, 1, b"hello", "id-1")
    other_epoch = good[:4] + b"\x02" + good[5:]
    for bad in (bytes(sealed), b"", b"\x01short", b"\x02short", b"\x03" + good[1:], other_epoch):
        with pytest.raises(RecordUnreadable):
            open_with(KEY, bad, "id-1")


def test_another_key_does_not_open_and_no_key_is_in_repr(tmp_path: Path) -> None:
    sealed = seal_with(KEY, 1, b"hello", "id-1")
    with pytest.raises(VaultError, match="does not open"):
        open_with(bytes(32), sealed, "id-1")
    store = Store(tmp_path / "kiosk.sqlite3", training=True)
    store.outbox.submit("j", 1, ANSWERS)
    assert "keys hidden" in repr(store.vault())
    store.close()


def test_first_submit_makes_one_key_in_the_keyring(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    store = Store(tmp_path / "kiosk.sqlite3", training=True)
    other = Store(store.path, training=True)  # the sync thread's store, opened before any submit
    assert memory_keyring.passwords == {}  # opening alone makes no key
    saved = store.outbox.submit("j", 1, ANSWERS)
    assert list(memory_keyring.passwords) == [(KEYRING_SERVICE, key_name(store.install_id, 1))]
    assert other.outbox.answers(saved.submission_id) == ANSWERS
    assert get_meta(store.conn, "key_check") is not None
    store.close()
    other.close()


def test_no_keyring_refuses_to_store_and_alerts_staff(tmp_path: Path) -> None:
    store = Store(tmp_path / "kiosk.sqlite3", training=True)
    keyring.set_keyring(NoKeyring())
    with pytest.raises(VaultError, match="no usable keyring"):
        store.outbox.submit("j", 1, ANSWERS)
    assert count_rows(store) == (0, 0)
    [alert] = store.alerts.list()
    assert alert.kind == "vault_unusable" and "Nothing was stored unencrypted" in alert.message
    with pytest.raises(VaultError):
        store.outbox.submit("j", 1, ANSWERS)
    assert store.alerts.list()[0].count == 2 and count_rows(store) == (0, 0)
    store.close()


def test_a_lost_key_refuses_to_store_or_read(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    path = tmp_path / "kiosk.sqlite3"
    store = Store(path, training=True)
    saved = store.outbox.submit("j", 1, ANSWERS)
    store.close()
    memory_keyring.passwords.clear()  # e.g. the kiosk's keyring was reset
    store = Store(path, training=True)
    with pytest.raises(VaultError, match="not in the keyring"):
        store.outbox.submit("j", 1, ANSWERS)
    with pytest.raises(VaultError):
        store.outbox.answers(saved.submission_id)
    assert count_rows(store) == (1, 1)
    assert memory_keyring.passwords == {}  # a new key was NOT made for a database that has data
    assert [a.kind for a in store.alerts.list()] == ["vault_unusable"]
    store.close()


def test_a_wrong_key_refuses_to_store_or_read(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    path = tmp_path / "kiosk.sqlite3"
    store = Store(path, training=True)
    saved = store.outbox.submit("j", 1, ANSWERS)
    name = current_key_name(store)
    store.close()
    memory_keyring.passwords[name] = base64.b64encode(bytes(32)).decode()
    store = Store(path, training=True)
    with pytest.raises(VaultError, match="does not open this database"):
        store.outbox.submit("j", 1, ANSWERS)
    with pytest.raises(VaultError):
        store.outbox.answers(saved.submission_id)
    assert count_rows(store) == (1, 1)
    assert store.alerts.list()[0].kind == "vault_unusable"
    store.close()


def test_a_damaged_key_is_refused(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    store = Store(tmp_path / "kiosk.sqlite3", training=True)
    store.outbox.submit("j", 1, ANSWERS)
    name = current_key_name(store)
    store.close()
    for damaged in ("not base64!", base64.b64encode(b"too short").decode()):
        memory_keyring.passwords[name] = damaged
        again = Store(store.path, training=True)
        with pytest.raises(VaultError, match="damaged"):
            again.outbox.submit("j", 1, ANSWERS)
        again.close()


def test_a_keyring_that_will_not_store_the_new_key(tmp_path: Path) -> None:
    class ReadOnlyKeyring(MemoryKeyring):
        def set_password(self, service: str, username: str, password: str) -> None:
            raise keyring.errors.PasswordSetError("locked")

    keyring.set_keyring(ReadOnlyKeyring())
    store = Store(tmp_path / "kiosk.sqlite3", training=True)
    with pytest.raises(VaultError, match="no usable keyring"):
        store.outbox.submit("j", 1, ANSWERS)
    assert count_rows(store) == (0, 0) and get_meta(store.conn, "key_check") is None
    store.close()


def test_kiosk_turns_a_key_problem_into_the_staff_message(tmp_path: Path) -> None:
    kiosk: Kiosk = make_kiosk(tmp_path)
    keyring.set_keyring(NoKeyring())

    journey = parse_journey(json.loads(TRAINING_JOURNEY.read_text(encoding="utf-8")))
    with pytest.raises(SubmitFailed, match=r"^We could not save this\. Please ask a member of staff\.$"):
        kiosk.submit(journey, ANSWERS)
    assert [a.kind for a in kiosk.status().alerts] == ["vault_unusable"]
    kiosk.close()
