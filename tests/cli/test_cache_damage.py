"""A damaged catalogue cache row (not JSON, or JSON of the wrong shape) never stops submit, status
or delivery: the row is dropped, staff are told which key, and the next sync fetches it again."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from local_store import Store
from tests.helpers import MISSED_BIN_RAW, synced_kiosk

DAMAGE = {
    "catalogue": "{not json",
    "journey:missed-bin:1": "[1, 2, 3]",
}


def damage(db: Path, rows: dict[str, Any]) -> None:
    conn = sqlite3.connect(db)
    with conn:
        for key, body in rows.items():
            assert conn.execute("UPDATE cache SET body=? WHERE key=?", (body, key)).rowcount == 1, key
    conn.close()
    assert sqlite3.connect(db).execute("PRAGMA quick_check").fetchone()[0] == "ok"


def cli(data: Path, *argv: str) -> list[str]:
    return [*argv, "--training", "--data-dir", str(data)]


@pytest.mark.parametrize(
    "rows",
    [
        DAMAGE,
        {"catalogue": "42"},
        {"catalogue": json.dumps({"journeys": 7})},
        {"journey:missed-bin:1": b"\xff\xfe not utf-8"},
        {"catalogue": json.dumps({"schema_version": 1, "journeys": [{"id": 5}]})},
    ],
    ids=["not-json-and-a-list", "a-number", "journeys-a-number", "bytes", "not-the-journey-format"],
)
def test_a_damaged_cache_row_is_dropped_reported_and_fetched_again(
    tmp_path: Path, portal: Any, capsys: pytest.CaptureFixture[str], rows: dict[str, Any]
) -> None:
    data = tmp_path / "kiosk"
    kiosk, journey = synced_kiosk(data, portal)
    waiting = kiosk.submit_raw(journey, MISSED_BIN_RAW)
    assert not isinstance(waiting, list)
    db = kiosk.store.path
    kiosk.close()
    damage(db, rows)

    assert main(cli(data, "status")) == 0
    assert "Traceback" not in capsys.readouterr().err

    assert main(cli(data, "sync", "--once")) == 0
    assert "delivered 1" in capsys.readouterr().out
    assert [s["reference"] for s in portal.export()] == [waiting.reference]

    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(MISSED_BIN_RAW), encoding="utf-8")
    assert main(cli(data, "submit", "--journey", "missed-bin", "--answers", str(answers))) == 0
    assert capsys.readouterr().out.strip().startswith("TRN-")

    store = Store(db, training=True)
    for key in rows:
        body = store.conn.execute("SELECT body FROM cache WHERE key=?", (key,)).fetchone()[0]
        assert isinstance(json.loads(body), dict), key  # fetched again by the sync
    [alert] = [a for a in store.alerts.list() if a.kind == "cache_row_dropped"]
    assert alert.count == len(rows)  # once for each damaged row, not at every read
    assert any(f"cached copy of {key} was damaged" in alert.message for key in rows)
    assert main(cli(data, "status")) == 0
    out = capsys.readouterr().out
    assert "ALERT (cache_row_dropped" in out and "Ada" not in out and "Park Row" not in out
    store.close()
