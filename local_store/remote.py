"""What this kiosk has sent to a delivery target that has no idempotency key (Open311 GeoReport v2).

Before a report goes out, its row here is written durably: "this submission may now exist over there,
since then". A later attempt (a timeout, a lost answer, a crash mid-send) finds it and asks the server
first (reconcile) instead of posting again. A server that answers with a token instead of its id has the
token kept here, so the id is asked for later. Nothing personal: ids, times and the server's token.
The row goes when the submission is delivered, or when staff retry it after checking the server by hand.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

from local_store.db import transaction

__all__ = ["RemoteSend", "RemoteSends"]

MAX_TOKEN = 200


@dataclass(frozen=True)
class RemoteSend:
    submission_id: str
    target: str
    first_sent_at: float  # the first attempt may have reached the server from this moment on
    token: str | None  # the server answered with a token: the id is asked for through it


class RemoteSends:
    """The `remote_sends` table."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def get(self, submission_id: str) -> RemoteSend | None:
        row = self.conn.execute("SELECT * FROM remote_sends WHERE submission_id=?", (submission_id,)).fetchone()
        if row is None:
            return None
        return RemoteSend(row["submission_id"], row["target"], row["first_sent_at"], row["token"])

    def about_to_send(self, submission_id: str, target: str, now: float | None = None) -> RemoteSend:
        """Durably note, before the request goes out, that it may reach the server (kept from the first time)."""
        now = time.time() if now is None else now
        with transaction(self.conn) as c:  # durable: a crash after the POST must still find this
            c.execute(
                "INSERT INTO remote_sends (submission_id, target, first_sent_at) VALUES (?, ?, ?)"
                " ON CONFLICT(submission_id) DO NOTHING",
                (submission_id, target, now),
            )
        found = self.get(submission_id)
        assert found is not None
        return found

    def note_token(self, submission_id: str, token: str) -> None:
        with transaction(self.conn) as c:
            c.execute("UPDATE remote_sends SET token=? WHERE submission_id=?", (token[:MAX_TOKEN], submission_id))

    def forget(self, submission_id: str) -> None:
        """Staff checked the server by hand and it has no such report: the next attempt posts afresh."""
        with transaction(self.conn) as c:
            c.execute("DELETE FROM remote_sends WHERE submission_id=?", (submission_id,))
