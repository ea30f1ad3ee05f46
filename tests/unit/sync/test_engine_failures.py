"""What the drain does when something other than the portal goes wrong: a vault that cannot be
used at all, one record that does not open, a bug while sending, answers another sync has
already purged, a journey definition that is not the one its catalogue entry names."""

from __future__ import annotations

import base64
import copy
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from local_store.db import get_meta
from local_store.store import Store
from local_store.vault import KEYRING_SERVICE, key_name
from sync.client import Delivered, Permanent
from tests.memory_keyring import MemoryKeyring
from tests.unit.sync.test_engine import ANSWERS, JOURNEY, FakePortal, engine_for, queue


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "kiosk.sqlite3"


@pytest.fixture
def store(path: Path) -> Iterator[Store]:
    s = Store(path, training=True)
    yield s
    s.close()


@pytest.fixture
def portal() -> FakePortal:
    return FakePortal()


def reopened(store: Store) -> Store:
    """A new Store on the same file (as the sync thread or `sync --once` opens one)."""
    store.close()
    return Store(store.path, training=True)


@pytest.mark.parametrize("damage", ["removed", "replaced", "garbled"])
def test_a_vault_wide_failure_stops_the_pass_with_one_alert_and_every_row_stays_pending(
    store: Store, portal: FakePortal, memory_keyring: MemoryKeyring, damage: str
) -> None:
    queue(store, 4)
    slot = (KEYRING_SERVICE, key_name(store.install_id, int(get_meta(store.conn, "epoch") or 0)))  # the current key
    if damage == "removed":
        del memory_keyring.passwords[slot]
    elif damage == "replaced":
        memory_keyring.passwords[slot] = base64.b64encode(os.urandom(32)).decode()
    else:
        memory_keyring.passwords[slot] = "not a key"
    store = reopened(store)
    try:
        report = engine_for(store, portal).run_once()
        items = store.outbox.items()
        assert [(i.state, i.attempts) for i in items] == [("pending", 0)] * 4  # nothing burnt, nothing for staff
        assert portal.submitted == []
        assert report.last_error_class == "vault_unavailable" and report.needs_attention == 0
        vault_alerts = [a for a in store.alerts.list() if a.kind == "vault_unusable"]
        assert len(vault_alerts) == 1 and vault_alerts[0].count == 1
    finally:
        store.close()


def test_a_restored_key_delivers_the_queue_without_staff(
    store: Store, portal: FakePortal, memory_keyring: MemoryKeyring
) -> None:
    refs = queue(store, 3)
    slot = (KEYRING_SERVICE, key_name(store.install_id, int(get_meta(store.conn, "epoch") or 0)))  # the current key
    saved = memory_keyring.passwords.pop(slot)
    store = reopened(store)
    assert engine_for(store, portal).run_once().delivered == 0
    memory_keyring.passwords[slot] = saved
    store = reopened(store)
    try:
        report = engine_for(store, portal).run_once()
        assert report.delivered == 3 and portal.submitted == refs
    finally:
        store.close()


def test_one_unreadable_record_is_that_rows_fault_and_the_rest_are_sent(store: Store, portal: FakePortal) -> None:
    refs = queue(store, 3)
    first = store.outbox.items()[1]
    conn = sqlite3.connect(store.path)
    with conn:
        conn.execute("UPDATE submissions SET sealed = ? WHERE id = ?", (os.urandom(120), first.submission_id))
    conn.close()
    report = engine_for(store, portal).run_once()
    assert report.delivered == 2 and report.needs_attention == 1
    assert portal.submitted == [refs[0], refs[2]]
    assert store.outbox.item(first.submission_id).state == "needs_attention"


def test_a_bug_while_sending_gives_the_row_back(store: Store, portal: FakePortal) -> None:
    refs = queue(store, 3)

    def bug(p: dict[str, Any]) -> Delivered:
        if p["reference"] == refs[1]:
            raise RuntimeError("a bug in the client")
        return Delivered(p["reference"], "received")

    portal.outcome = bug
    engine = engine_for(store, portal)
    with pytest.raises(RuntimeError):
        engine.run_once(now=5000.0)
    states = {i.reference: i.state for i in store.outbox.items()}
    assert states == {refs[0]: "delivered", refs[1]: "pending", refs[2]: "pending"}  # none left in 'sending'
    portal.outcome = lambda p: Delivered(p["reference"], "received")
    report = engine.drain(now=5000.0)
    assert report.delivered >= 1 and store.outbox.item(store.outbox.items()[2].submission_id).state == "delivered"


def test_answers_purged_by_another_sync_are_not_sent_again(store: Store, portal: FakePortal) -> None:
    """Another sync (`sync --once` while the kiosk runs) requeues and delivers a row this pass has
    already claimed: this pass must not send it again with empty answers."""
    refs = queue(store, 3)
    other = Store(store.path, training=True)

    def meanwhile(p: dict[str, Any]) -> Delivered:
        if p["reference"] == refs[1]:  # rows 2 and 3 are claimed by now
            other.outbox.requeue_stuck()
            (third,) = [i for i in other.outbox.claim_due(5) if i.reference == refs[2]]
            other.outbox.mark_delivered(third.submission_id, "OTHER-SYNC")
        return Delivered(p["reference"], "received")

    portal.outcome = meanwhile
    sent: list[dict[str, Any]] = []
    submit = portal.submit
    portal.submit = lambda payload, key: (sent.append(payload), submit(payload, key))[1]  # type: ignore[method-assign]
    try:
        engine_for(store, portal).run_once()
    finally:
        other.close()
    assert all(p["answers"] for p in sent), "a submission was sent with no answers"
    assert refs[2] not in portal.submitted
    third = store.outbox.by_reference(refs[2])
    assert third is not None and (third.state, third.server_reference) == ("delivered", "OTHER-SYNC")


@pytest.mark.parametrize("field,value", [("id", "another-journey"), ("version", 2)])
def test_a_definition_that_is_not_its_catalogue_entry_is_not_cached(
    store: Store, portal: FakePortal, field: str, value: Any
) -> None:
    other = copy.deepcopy(JOURNEY)
    other[field] = value
    portal.journey = lambda journey_id, version: other  # type: ignore[method-assign]
    engine = engine_for(store, portal)
    with pytest.raises(Permanent) as refused:
        engine.refresh_catalogue()
    assert refused.value.error_class == "bad_catalogue" and field in refused.value.message
    assert store.cache.journey("missed-bin", 1) is None and store.cache.catalogue() is None
    assert ANSWERS  # (the queue's answers are untouched)
