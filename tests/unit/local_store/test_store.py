"""Store on real SQLite files: every state change, migrations, retention, discard, audit, alerts."""

from __future__ import annotations

import sqlite3
import time
import uuid
from pathlib import Path

import pytest

from local_store import (
    STATES,
    InvalidTransition,
    SchemaTooNew,
    Store,
    WrongMode,
    new_reference,
    uuid7,
)
from local_store.migrations import migrations

ANSWERS = {"full-name": "Ada Lovelace", "postcode": "LS1 4AP"}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "kiosk.sqlite3", training=True)
    yield s
    s.close()


def state_of(store: Store, submission_id: str) -> str:
    return store.outbox.item(submission_id).state


# -- opening and migrations ------------------------------------------------------------------


def test_new_database_has_every_migration_and_wal(store: Store) -> None:
    applied = [m.name for m in migrations.applied(store.db)]
    assert applied == [m.name for m in migrations._migrations]
    assert applied[0].startswith("m001_")
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL between transactions
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000


def test_migrating_a_database_written_by_the_first_schema_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    s = Store(path, training=True)
    saved = s.outbox.submit("missed-bin", 1, ANSWERS)
    s.close()
    # Undo m002 and m003 by hand, as if the file was written by the walking skeleton.
    conn = sqlite3.connect(path)
    conn.executescript(
        """DROP TABLE alerts;
           ALTER TABLE audit DROP COLUMN kiosk; ALTER TABLE audit DROP COLUMN staff_id;
           ALTER TABLE audit DROP COLUMN detail; DROP INDEX outbox_finished;
           DROP INDEX outbox_queue; CREATE INDEX outbox_due ON outbox(state, next_attempt_at, created_at);
           DELETE FROM _sqlite_migrations WHERE name LIKE 'm002_%' OR name LIKE 'm003_%';"""
    )
    conn.close()
    s = Store(path, training=True)
    assert s.outbox.item(saved.submission_id).state == "pending"
    assert s.outbox.answers(saved.submission_id) == ANSWERS
    assert s.alerts.list() == []
    assert {"kiosk", "staff_id", "detail"} <= set(s.audit.entries()[-1])
    indexes = {r[0] for r in s.conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "outbox_queue" in indexes and "outbox_due" not in indexes
    s.close()


def test_a_database_from_a_newer_kiosk_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    Store(path, training=True).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('dcp-kiosk', 'm999_future', 'x')"
    )
    conn.commit()
    conn.close()
    with pytest.raises(SchemaTooNew, match=r"newer dcp-kiosk .*m999_future.*upgrade"):
        Store(path, training=True)


def test_training_and_live_data_never_mix(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    Store(path, training=True).close()
    with pytest.raises(WrongMode, match="holds training data"):
        Store(path, training=False)


def test_install_id_is_kept_across_opens(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    first = Store(path, training=False)
    install_id = first.install_id
    first.close()
    again = Store(path, training=False)
    assert again.install_id == install_id
    again.close()


# -- ids and references ----------------------------------------------------------------------


def test_uuid7_is_version_7_and_time_ordered() -> None:
    ids = [uuid7() for _ in range(50)]
    assert all(uuid.UUID(i).version == 7 for i in ids)
    assert all(uuid.UUID(i).variant == uuid.RFC_4122 for i in ids)
    assert len(set(ids)) == 50
    ms = [uuid.UUID(i).int >> 80 for i in ids]
    assert ms == sorted(ms) and abs(ms[0] - time.time() * 1000) < 5000


def test_references_avoid_confusable_characters() -> None:
    for _ in range(200):
        ref = new_reference(False)
        assert ref.startswith("DCP-") and len(ref) == 13
        assert not set(ref[4:].replace("-", "")) & set("01OIL")
    assert new_reference(True).startswith("TRN-")


# -- the outbox states -----------------------------------------------------------------------


def test_submit_writes_submission_outbox_and_audit_together(store: Store) -> None:
    saved = store.outbox.submit("missed-bin", 1, ANSWERS, assisted_by="staff-7", now=1000.0)
    item = store.outbox.item(saved.submission_id)
    assert (item.state, item.attempts, item.reference) == ("pending", 0, saved.reference)
    assert item.assisted_by == "staff-7" and item.next_attempt_at == 1000.0
    assert store.outbox.answers(saved.submission_id) == ANSWERS
    entry = store.audit.entries()[-1]
    assert entry["action"] == "submit" and entry["subject"] == saved.submission_id
    assert entry["actor"] == "citizen" and entry["staff_id"] == "staff-7" and entry["kiosk"] == store.install_id
    assert entry["detail"] == "missed-bin v1"


def test_claim_takes_the_oldest_due_row_once(store: Store) -> None:
    a = store.outbox.submit("j", 1, {"n": 1}, now=10.0)
    b = store.outbox.submit("j", 1, {"n": 2}, now=20.0)
    later = store.outbox.submit("j", 1, {"n": 3}, now=30.0)
    store.outbox.mark_retry(later.submission_id, "server", "HTTP 503", next_attempt_at=1e12)  # not due
    first = store.outbox.claim_next(now=100.0)
    assert first is not None and first.submission_id == a.submission_id
    assert (first.state, first.attempts) == ("sending", 1)
    second = store.outbox.claim_next(now=100.0)
    assert second is not None and second.submission_id == b.submission_id
    assert store.outbox.claim_next(now=100.0) is None
    assert store.outbox.counts().by_state["sending"] == 2


def test_two_connections_never_claim_the_same_row(store: Store, tmp_path: Path) -> None:
    for n in range(20):
        store.outbox.submit("j", 1, {"n": n})
    other = Store(store.path, training=True)
    claimed: list[str] = []
    while True:
        got = [s.outbox.claim_next() for s in (store, other)]
        claimed += [i.submission_id for i in got if i is not None]
        if all(i is None for i in got):
            break
    other.close()
    assert len(claimed) == 20 and len(set(claimed)) == 20


def test_retry_then_delivered(store: Store) -> None:
    saved = store.outbox.submit("j", 1, ANSWERS, now=1.0)
    store.outbox.claim_next(now=2.0)
    store.outbox.mark_retry(saved.submission_id, "server", "HTTP 503", next_attempt_at=50.0, now=3.0)
    item = store.outbox.item(saved.submission_id)
    assert (item.state, item.last_error_class, item.next_attempt_at) == ("pending", "server", 50.0)
    assert store.outbox.claim_next(now=10.0) is None
    assert store.outbox.next_due_at() == 50.0
    assert store.outbox.claim_next(now=60.0) is not None
    store.outbox.mark_delivered(saved.submission_id, "SRV-1", now=61.0)
    item = store.outbox.item(saved.submission_id)
    assert (item.state, item.server_reference, item.attempts, item.last_error_class) == ("delivered", "SRV-1", 2, None)
    assert store.outbox.answers(saved.submission_id) is None  # retention 0: destroyed with the delivery
    assert store.audit.entries()[-1]["action"] == "delivered"


def test_needs_attention_then_staff_retry(store: Store) -> None:
    saved = store.outbox.submit("j", 1, ANSWERS)
    store.outbox.claim_next()
    store.outbox.mark_needs_attention(saved.submission_id, "validation", "postcode: not a postcode")
    item = store.outbox.item(saved.submission_id)
    assert (item.state, item.last_error_class) == ("needs_attention", "validation")
    assert store.outbox.claim_next() is None  # one bad row never blocks: it is out of the queue
    store.outbox.staff_retry(saved.submission_id, staff_id="S042")
    assert state_of(store, saved.submission_id) == "pending"
    entry = store.audit.entries()[-1]
    assert (entry["action"], entry["actor"], entry["staff_id"]) == ("staff_retry", "staff", "S042")
    with pytest.raises(InvalidTransition):
        store.outbox.staff_retry(saved.submission_id, staff_id="S042")


def test_release_puts_a_claimed_row_back_untouched(store: Store) -> None:
    saved = store.outbox.submit("j", 1, ANSWERS)
    store.outbox.claim_next()
    store.outbox.release(saved.submission_id)
    assert state_of(store, saved.submission_id) == "pending"


def test_requeue_stuck_after_a_crash(store: Store) -> None:
    saved = [store.outbox.submit("j", 1, {"n": n}) for n in range(3)]
    store.outbox.claim_next()
    store.outbox.claim_next()
    assert store.outbox.requeue_stuck() == 2
    assert [state_of(store, s.submission_id) for s in saved] == ["pending"] * 3
    assert store.audit.entries()[-1]["action"] == "requeue_stuck"
    assert store.outbox.requeue_stuck() == 0


def test_finished_rows_never_move_back(store: Store) -> None:
    saved = store.outbox.submit("j", 1, ANSWERS)
    store.outbox.claim_next()
    store.outbox.mark_delivered(saved.submission_id, "SRV-1")
    store.outbox.mark_retry(saved.submission_id, "server", "late", next_attempt_at=0)
    store.outbox.mark_needs_attention(saved.submission_id, "validation", "late")
    store.outbox.mark_delivered(saved.submission_id, "SRV-2")
    item = store.outbox.item(saved.submission_id)
    assert (item.state, item.server_reference) == ("delivered", "SRV-1")


def test_error_messages_are_capped(store: Store) -> None:
    saved = store.outbox.submit("j", 1, ANSWERS)
    store.outbox.mark_retry(saved.submission_id, "server", "x" * 5000, next_attempt_at=0)
    assert len(store.outbox.item(saved.submission_id).last_error_message or "") == 500


def test_counts_and_items_by_state(store: Store) -> None:
    a = store.outbox.submit("j", 1, {"n": 1}, now=5.0)
    store.outbox.submit("j", 1, {"n": 2}, now=6.0)
    store.outbox.claim_next(now=7.0)
    store.outbox.mark_delivered(a.submission_id, "SRV", now=8.0)
    counts = store.outbox.counts()
    assert set(counts.by_state) == set(STATES)
    assert counts.by_state["delivered"] == 1 and counts.waiting == 1 and counts.oldest_pending_at == 6.0
    assert [i.state for i in store.outbox.items()] == ["delivered", "pending"]
    assert len(store.outbox.items("pending")) == 1


# -- discard ---------------------------------------------------------------------------------


def test_staff_discard_destroys_the_data_and_keeps_an_audit_entry(store: Store) -> None:
    saved = store.outbox.submit("j", 1, ANSWERS)
    store.outbox.claim_next()
    store.outbox.mark_needs_attention(saved.submission_id, "gone", "journey retired")
    store.outbox.discard(saved.submission_id, staff_id="S042", reason="  journey withdrawn,\n citizen phoned  ")
    assert state_of(store, saved.submission_id) == "discarded"
    assert store.outbox.answers(saved.submission_id) is None
    entry = store.audit.entries()[-1]
    assert entry["action"] == "discard" and entry["actor"] == "staff" and entry["staff_id"] == "S042"
    assert entry["detail"] == "journey withdrawn, citizen phoned"
    assert store.outbox.claim_next() is None


def test_discard_is_refused_without_a_reason_or_staff_id_or_in_the_wrong_state(store: Store) -> None:
    saved = store.outbox.submit("j", 1, ANSWERS)
    with pytest.raises(ValueError, match="reason"):
        store.outbox.discard(saved.submission_id, staff_id="S1", reason="   ")
    with pytest.raises(ValueError, match="staff id"):
        store.outbox.discard(saved.submission_id, staff_id="", reason="duplicate")
    with pytest.raises(ValueError, match="at most 200"):
        store.outbox.discard(saved.submission_id, staff_id="S1", reason="x" * 201)
    store.outbox.claim_next()
    with pytest.raises(InvalidTransition, match="sending"):
        store.outbox.discard(saved.submission_id, staff_id="S1", reason="duplicate")
    store.outbox.mark_delivered(saved.submission_id, "SRV")
    with pytest.raises(InvalidTransition, match="delivered"):
        store.outbox.discard(saved.submission_id, staff_id="S1", reason="duplicate")
    with pytest.raises(KeyError):
        store.outbox.discard("no-such-id", staff_id="S1", reason="duplicate")
    assert store.audit.entries()[-1]["action"] == "delivered"


# -- retention -------------------------------------------------------------------------------


def test_retention_keeps_data_for_the_period_then_destroys_it(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    store = Store(path, training=True, retention_days=2)
    day = 86400.0
    saved = store.outbox.submit("j", 1, ANSWERS, now=0.0)
    store.outbox.claim_next(now=1.0)
    store.outbox.mark_delivered(saved.submission_id, "SRV", now=10.0)
    assert store.outbox.answers(saved.submission_id) == ANSWERS
    assert store.retention.purge_expired(now=10.0 + day) == 0
    assert store.outbox.answers(saved.submission_id) == ANSWERS
    assert store.retention.purge_expired(now=10.0 + 2 * day) == 1
    assert store.outbox.answers(saved.submission_id) is None
    item = store.outbox.item(saved.submission_id)
    assert (item.reference, item.journey_id, item.journey_version, item.state) == (saved.reference, "j", 1, "delivered")
    assert store.audit.entries()[-1]["action"] == "purge"
    store.close()


def test_retention_setting_is_shared_by_every_store_on_the_file(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    main = Store(path, training=True, retention_days=30)
    sync = Store(path, training=True)  # the sync thread's store does not pass the setting
    assert sync.retention.days() == 30
    saved = main.outbox.submit("j", 1, ANSWERS)
    sync.outbox.claim_next()
    sync.outbox.mark_delivered(saved.submission_id, "SRV")
    assert main.outbox.answers(saved.submission_id) == ANSWERS
    main.close()
    sync.close()
    with pytest.raises(ValueError):
        Store(path, training=True, retention_days=-1)


def test_pending_submissions_are_never_purged(tmp_path: Path) -> None:
    store = Store(tmp_path / "kiosk.sqlite3", training=True)
    saved = store.outbox.submit("j", 1, ANSWERS, now=0.0)
    assert store.retention.purge_expired(now=1e10) == 0
    assert store.outbox.answers(saved.submission_id) == ANSWERS
    store.close()


# -- alerts ----------------------------------------------------------------------------------


def test_alerts_are_raised_once_per_kind_counted_and_acknowledged(store: Store) -> None:
    assert store.alerts.list() == []
    store.alerts.raise_alert("vault_unusable", "first", now=1.0)
    store.alerts.raise_alert("vault_unusable", "second", now=2.0)
    store.alerts.raise_alert("save_failed", "disk", now=3.0)
    alerts = store.alerts.list()
    assert [(a.kind, a.count, a.message, a.raised_at, a.last_at) for a in alerts] == [
        ("vault_unusable", 2, "second", 1.0, 2.0),
        ("save_failed", 1, "disk", 3.0, 3.0),
    ]
    store.alerts.acknowledge(alerts[0].id, staff_id="S9")
    assert [a.kind for a in store.alerts.list()] == ["save_failed"]
    done = store.alerts.list(include_acknowledged=True)[0]
    assert done.acknowledged_by == "S9" and done.acknowledged_at is not None
    assert store.audit.entries()[-1]["action"] == "alert_acknowledged"
    with pytest.raises(KeyError):
        store.alerts.acknowledge(alerts[0].id, staff_id="S9")
    store.alerts.raise_alert("vault_unusable", "again")
    assert len(store.alerts.list()) == 2  # a new alert after the old one was dealt with


# -- cache and meta --------------------------------------------------------------------------


def test_catalogue_cache_keeps_body_and_etag(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    store = Store(path, training=True)
    store.cache.put_catalogue({"journeys": [{"id": "x"}]}, etag='"v1"')
    store.close()
    store = Store(path, training=True)  # offline start: it is still there
    assert store.cache.catalogue() == ({"journeys": [{"id": "x"}]}, '"v1"')
    assert store.cache.journey("missing", 1) is None
    store.cache.put_journey("missing", 1, {"id": "missing"})
    assert store.cache.journey("missing", 1) == {"id": "missing"}
    assert store.cache.journey("missing", 2) is None
    store.close()
