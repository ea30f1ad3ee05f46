"""The one status snapshot (app/status.py): the CLI, the staff console and the heartbeat see the
same figures, from the same KioskState and OutboxCounts."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from app.kiosk import Kiosk
from app.staff_console import StaffConsole
from local_store import Alert
from sync.heartbeat import heartbeat
from tests.helpers import make_kiosk, seed_catalogue

ANSWERS = {"bin-type": "recycling", "full-name": "Ada Lovelace"}


def busy_kiosk(tmp_path: Path) -> Kiosk:
    kiosk = make_kiosk(tmp_path)
    seed_catalogue(kiosk)
    kiosk.enrol("https://portal.example.gov.uk", "kiosk-7", "library-2", "token")
    store = kiosk.store
    for n in range(3):
        store.outbox.submit("missed-bin", 1, ANSWERS, now=1000.0 + n)
    [first, *_] = store.outbox.items()
    store.outbox.mark_needs_attention(first.submission_id, "invalid_answers", "no")
    store.state.record_pass(reached_portal=True, error_class="http_503", clock_skew_s=1.25, now=5000.0)
    store.alerts.raise_alert("save_failed", "the disk is full")
    return kiosk


def test_status_console_and_heartbeat_agree(tmp_path: Path) -> None:
    kiosk = busy_kiosk(tmp_path)
    status = kiosk.status()
    info = StaffConsole(kiosk).status()  # the same snapshot (its age is taken a moment later)
    assert info == dataclasses.replace(status, oldest_pending_age_s=info.oldest_pending_age_s)
    assert (status.kiosk_id, status.site_id) == ("kiosk-7", "library-2")
    assert status.portal_url == "https://portal.example.gov.uk"
    assert status.catalogue_version == "training" and status.catalogue_journeys > 0  # without the ETag's quotes
    assert status.waiting == 2 and status.by_state["needs_attention"] == 1 and status.last_sync_at == 5000.0
    assert [a.kind for a in status.alerts] == ["save_failed"] and isinstance(status.alerts[0], Alert)
    state, counts = kiosk.store.state.read(), kiosk.store.outbox.counts()
    beat = heartbeat(state, counts, tmp_path, now=2001.0)
    assert beat["outbox_depth"] == status.waiting and beat["needs_attention"] == status.by_state["needs_attention"]
    assert beat["oldest_pending_age_s"] == 1000.0  # the oldest waiting one was saved at 1001
    assert dt.datetime.fromisoformat(beat["last_sync_at"]).timestamp() == status.last_sync_at
    assert beat["clock_skew_s"] == status.clock_skew_s == 1.25
    kiosk.close()


def test_the_cli_json_keeps_its_keys(tmp_path: Path) -> None:
    kiosk = busy_kiosk(tmp_path)
    shown = kiosk.status().as_dict()
    assert set(shown) >= {
        "training", "enrolled", "kiosk_id", "portal_url", "by_state", "waiting", "oldest_pending_age_s",
        "last_sync_at", "last_error_class", "catalogue_journeys", "alerts", "catalogue_version",
        "clock_skew_s", "last_heartbeat_at", "sync_stopped",
    }  # fmt: skip
    assert shown["alerts"] == [
        {
            "id": 1,
            "kind": "save_failed",
            "message": "the disk is full",
            "raised_at": shown["alerts"][0]["raised_at"],
            "count": 1,
        }
    ]
    kiosk.close()
