"""Rotation: live records survive it, two Stores on one file never seal with a destroyed key, a keyring
that will not delete is reported and retried, a database from before epochs migrates, and the
portal's error message goes with the answers."""

from __future__ import annotations

import base64
import json
import os
import threading
from pathlib import Path

import keyring
import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from local_store import migrations
from local_store.db import connect, get_meta
from local_store.keys import KEYRING_SERVICE, key_name
from local_store.store import Store
from local_store.vault import EPOCH_CAPACITY, epoch_of
from tests.memory_keyring import MemoryKeyring
from tests.unit.local_store.shred_probe import files_of, keyring_keys, openable

CANARY = "Quote-CANARY-Bramley-4410"
ANSWERS = {"full-name": f"Ada {CANARY}", "postcode": "LS1 4AP"}
PLAIN_LEN = len(json.dumps(ANSWERS, sort_keys=True, ensure_ascii=False).encode())


def data_keys(passwords: dict[tuple[str, str], str]) -> list[str]:
    return sorted(name for service, name in passwords if service == KEYRING_SERVICE and name.startswith("data-key:"))


def deliver(store: Store, submission_id: str) -> None:
    item = store.outbox.claim_next()
    assert item is not None
    if item.submission_id != submission_id:
        store.outbox.release(item.submission_id)
        raise AssertionError("not the oldest")
    store.outbox.mark_delivered(submission_id, f"SRV-{submission_id[:8]}")


def test_pending_records_survive_rotations_and_are_delivered_afterwards(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    db = tmp_path / "kiosk.sqlite3"
    store = Store(db, training=True)
    saved = [store.outbox.submit("missed-bin", 1, dict(ANSWERS, n=i)) for i in range(2 * EPOCH_CAPACITY + 10)]
    assert len(data_keys(memory_keyring.passwords)) == 3  # a full epoch starts the next one
    delivered: list[str] = []
    for i, s in enumerate(saved):
        if i % 3 == 0:  # every third: the others stay pending across many rotations
            deliver(store, s.submission_id)
            delivered.append(s.submission_id)
        else:
            item = store.outbox.claim_next()
            assert item is not None and item.submission_id == s.submission_id
            store.outbox.mark_retry(s.submission_id, "server", "HTTP 503", next_attempt_at=1e12)
    keys = keyring_keys(memory_keyring.passwords)
    assert openable(db, keys, PLAIN_LEN + 8, delivered) == []
    assert len(data_keys(memory_keyring.passwords)) <= 3
    assert [a.kind for a in store.alerts.list()] == []
    with store.transaction() as c:
        c.execute("UPDATE outbox SET next_attempt_at=0 WHERE state='pending'")
    for i, s in enumerate(saved):
        if i % 3:
            item = store.outbox.claim_next()
            assert item is not None and item.submission_id == s.submission_id
            assert store.outbox.answers(s.submission_id) == dict(ANSWERS, n=i)
            store.outbox.mark_delivered(s.submission_id, "SRV")
    assert store.outbox.counts().by_state["delivered"] == len(saved)
    assert openable(db, keyring_keys(memory_keyring.passwords), PLAIN_LEN + 8, [s.submission_id for s in saved]) == []
    store.close()


def test_two_stores_on_one_file_one_submitting_while_the_other_rotates(tmp_path: Path) -> None:
    db = tmp_path / "kiosk.sqlite3"
    Store(db, training=True).close()
    submitted: list[str] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def kiosk() -> None:  # the UI thread's store: submits, and reads back what it saved
        store = Store(db, training=True)
        try:
            for i in range(300):
                saved = store.outbox.submit("missed-bin", 1, dict(ANSWERS, n=i))
                submitted.append(saved.submission_id)
                store.outbox.answers(saved.submission_id)
        except BaseException as exc:
            errors.append(exc)
        finally:
            done.set()
            store.close()

    def sync() -> None:  # the sync thread's store: delivers every other one (each delivery rotates)
        store = Store(db, training=True)
        try:
            while not done.is_set() or store.outbox.counts().waiting:
                item = store.outbox.claim_next()
                if item is None:
                    continue
                answers = store.outbox.answers(item.submission_id)
                assert answers is not None and answers["full-name"] == ANSWERS["full-name"]
                if answers["n"] % 2:
                    store.outbox.mark_needs_attention(item.submission_id, "validation", "refused")
                else:
                    store.outbox.mark_delivered(item.submission_id, "SRV")
        except BaseException as exc:
            errors.append(exc)
            done.set()
        finally:
            store.close()

    threads = [threading.Thread(target=kiosk), threading.Thread(target=sync)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    store = Store(db, training=True)
    assert store.outbox.counts().by_state == {
        "pending": 0, "sending": 0, "delivered": 150, "needs_attention": 150, "discarded": 0
    }  # fmt: skip
    for item in store.outbox.items("needs_attention"):
        assert store.outbox.answers(item.submission_id)["n"] % 2 == 1  # type: ignore[index]
    assert [a.kind for a in store.alerts.list()] == []
    store.close()


class StuckDeleteKeyring(MemoryKeyring):
    def __init__(self) -> None:
        super().__init__()
        self.refuse = True

    def delete_password(self, service: str, username: str) -> None:
        if self.refuse:
            raise keyring.errors.PasswordDeleteError("locked")
        super().delete_password(service, username)


def test_a_keyring_that_will_not_delete_is_reported_and_retried(tmp_path: Path) -> None:
    backend = StuckDeleteKeyring()
    keyring.set_keyring(backend)
    db = tmp_path / "kiosk.sqlite3"
    store = Store(db, training=True)
    first, waiting = (store.outbox.submit("missed-bin", 1, ANSWERS) for _ in range(2))
    deliver(store, first.submission_id)
    [alert] = store.alerts.list()
    assert alert.kind == "shred_incomplete" and "would not delete 1 old key" in alert.message
    assert len(data_keys(backend.passwords)) == 2  # the old key is still there, and known
    assert store.outbox.answers(waiting.submission_id) == ANSWERS  # nothing was lost

    backend.refuse = False
    store.close()
    store = Store(db, training=True)  # the next start (or the next delivery) deletes the leftover
    assert len(data_keys(backend.passwords)) == 1
    assert openable(db, keyring_keys(backend.passwords), PLAIN_LEN, [first.submission_id]) == []
    assert store.outbox.answers(waiting.submission_id) == ANSWERS
    store.close()


def legacy_seal(kek: bytes, plaintext: bytes, associated: str) -> bytes:
    """A record as the kiosk sealed it before epochs (version 1: its own data key, wrapped)."""
    ad = associated.encode()
    data_key = AESGCM.generate_key(bit_length=256)
    n1, n2 = os.urandom(12), os.urandom(12)
    wrapped = AESGCM(kek).encrypt(n1, data_key, b"dek:" + ad)
    return b"\x01" + n1 + wrapped + n2 + AESGCM(data_key).encrypt(n2, plaintext, ad)


def test_a_database_from_before_epochs_migrates(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    db = tmp_path / "kiosk.sqlite3"
    import sqlite_utils

    conn = connect(db)
    migrations.migrations.apply(sqlite_utils.Database(conn), stop_before="m005_epoch_keys")
    install_id, kek = "01a20000-0000-7000-8000-000000000001", AESGCM.generate_key(bit_length=256)
    memory_keyring.passwords[(KEYRING_SERVICE, key_name(install_id))] = base64.b64encode(kek).decode()
    check = legacy_seal(kek, b"dcp-kiosk key check v1", f"key-check:{install_id}").hex()
    plain = json.dumps(ANSWERS, sort_keys=True).encode()
    with conn:
        conn.executemany(
            "INSERT INTO meta VALUES (?, ?)", [("install_id", install_id), ("mode", "training"), ("key_check", check)]
        )
        for sid, state, sealed in (
            ("s-wait", "pending", legacy_seal(kek, plain, "s-wait")),
            ("s-done", "delivered", None),
        ):
            conn.execute(
                "INSERT INTO submissions VALUES (?, ?, 'missed-bin', 1, 1.0, NULL, ?)", (sid, f"R-{sid}", sealed)
            )
            conn.execute("INSERT INTO outbox (submission_id, state, created_at, updated_at, next_attempt_at)"
                         " VALUES (?, ?, 1.0, 1.0, 0)", (sid, state))  # fmt: skip
    # the delivered one's answers, purged by the old code, still in the WAL under the old key:
    conn.execute("UPDATE submissions SET sealed=? WHERE id='s-done'", (legacy_seal(kek, plain, "s-done"),))
    conn.execute("UPDATE submissions SET sealed=NULL WHERE id='s-done'")  # its own commit: the copy stays
    assert openable(db, keyring_keys(memory_keyring.passwords), PLAIN_LEN, ["s-done"])

    store = Store(db, training=True)  # the first start migrates and rotates
    conn.close()
    assert data_keys(memory_keyring.passwords) == [key_name(install_id, 1)]  # the old key is gone
    assert get_meta(store.conn, "epoch") == "1"
    sealed = store.conn.execute("SELECT sealed FROM submissions WHERE id='s-wait'").fetchone()[0]
    assert sealed[0] == 2 and epoch_of(sealed) == 1
    assert store.outbox.answers("s-wait") == ANSWERS
    assert openable(db, keyring_keys(memory_keyring.passwords), PLAIN_LEN, ["s-done"]) == []
    saved = store.outbox.submit("missed-bin", 1, ANSWERS)
    assert (
        epoch_of(store.conn.execute("SELECT sealed FROM submissions WHERE id=?", (saved.submission_id,)).fetchone()[0])
        == 1
    )
    store.close()


@pytest.mark.parametrize("finish", ["discard", "deliver"])
def test_a_portal_message_quoting_an_answer_goes_with_the_answers(tmp_path: Path, finish: str) -> None:
    db = tmp_path / "kiosk.sqlite3"
    store = Store(db, training=True)
    saved = store.outbox.submit("missed-bin", 1, ANSWERS)
    assert store.outbox.claim_next() is not None
    message = f"full-name: '{CANARY}' is not a name we accept"
    store.outbox.mark_needs_attention(saved.submission_id, "validation", message)
    assert store.outbox.item(saved.submission_id).last_error_message == message  # staff see it meanwhile
    if finish == "discard":
        store.outbox.discard(saved.submission_id, staff_id="S1", reason="a test entry")
    else:
        store.outbox.staff_retry(saved.submission_id, staff_id="S1")
        deliver(store, saved.submission_id)
    assert store.outbox.item(saved.submission_id).last_error_message is None
    for f in files_of(db):
        assert CANARY.encode() not in f.read_bytes(), f"the message is still in {f.name}"
    store.close()


class NoNewKeysKeyring(MemoryKeyring):
    def __init__(self) -> None:
        super().__init__()
        self.locked = False

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.locked:
            raise keyring.errors.PasswordSetError("locked")
        super().set_password(service, username, password)


def test_a_keyring_that_takes_no_new_key_still_lets_citizens_submit(tmp_path: Path) -> None:
    backend = NoNewKeysKeyring()
    keyring.set_keyring(backend)
    store = Store(tmp_path / "kiosk.sqlite3", training=True)
    first = store.outbox.submit("missed-bin", 1, ANSWERS)
    backend.locked = True
    deliver(store, first.submission_id)  # the rotation cannot start a new epoch ...
    assert [a.kind for a in store.alerts.list()] == ["shred_incomplete"]
    later = store.outbox.submit("missed-bin", 1, ANSWERS)  # ... yet the current key still seals
    assert store.outbox.answers(later.submission_id) == ANSWERS
    backend.locked = False
    store.outbox.discard(later.submission_id, staff_id="S1", reason="a test entry")  # the next purge finishes it
    assert len(data_keys(backend.passwords)) == 1
    assert openable(store.path, keyring_keys(backend.passwords), PLAIN_LEN, [first.submission_id]) == []
    store.close()
