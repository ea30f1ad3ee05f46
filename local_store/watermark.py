"""The high-water mark of acknowledged submissions, kept beside the database where damage to the
database cannot silently roll it back.

A flipped byte in the WAL makes SQLite stop replaying at that frame: every later commit is gone,
the file passes its integrity check, and submissions whose references a citizen was shown vanish
without a word. A database emptied or deleted is opened as a fresh start. Neither can be seen from
inside the database, so after every submit commit the number of submissions ever saved (rows of
`submissions` are never deleted, so that is the highest rowid) and the install id are written to
`<db>.watermark`, overwritten in place and fsync'd. At every open the database is compared with
it: fewer submissions than the mark, or another install id where the mark counted some, means
acknowledged submissions are missing, and staff are alerted.

Why a side file: it is written after the commit, so it can lag (a crash between the two) but never
lead the database; it shares no pages or journal with the database; and writing 256 bytes in place
is one small fsync. The keyring would survive the disk better but is far too slow to write per
submit. Training databases (reset at will) and a database just moved aside (that has its own
alert) are not compared. A mark that cannot be read is rewritten, with a log line.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("store")

SUFFIX = ".watermark"
RECORD = 256
ALERT_KIND = "submissions_missing"


@dataclass(frozen=True)
class Missing:
    """Submissions the mark counted that the database does not hold."""

    count: int
    last_at: float
    replaced: bool  # the database itself is another one (emptied, deleted, replaced)
    path: Path

    def message(self) -> str:
        when = time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(self.last_at)) if self.last_at else "unknown"
        how = "was emptied or replaced" if self.replaced else "was rolled back (damaged)"
        return (
            f"{self.count} submissions whose references were given are missing from the database; "
            f"the last was at {when}. The database {self.path} {how}. Do not delete any file in the "
            "data directory; contact IT (see the recovery guide, docs/recovery.md)."
        )


def _read(path: Path) -> dict[str, object] | None:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.error("the watermark %s cannot be read (%s): it is rewritten", path, exc.strerror)
        return {}
    try:
        value = json.loads(raw.decode("ascii").strip())
    except ValueError:
        value = None
    if not isinstance(value, dict) or not isinstance(value.get("saved"), int):
        log.error("the watermark %s is damaged: it is rewritten", path)
        return {}
    return value


class Watermark:
    """The mark of one live database (a no-op for training ones)."""

    def __init__(self, db_path: Path, conn: sqlite3.Connection, install_id: str, *, enabled: bool) -> None:
        self.db_path = db_path
        self.path = db_path.with_name(db_path.name + SUFFIX)
        self.conn = conn
        self.install_id = install_id
        self.enabled = enabled
        self._fd: int | None = None
        self._stale = False

    def _saved(self) -> int:
        return int(self.conn.execute("SELECT coalesce(max(rowid), 0) FROM submissions").fetchone()[0])

    def missing(self, *, moved_aside: bool) -> Missing | None:
        """Compare the database with the mark (at open). Read the mark first: another Store may be
        submitting, and its mark is always written after its commit."""
        if not self.enabled:
            return None
        mark = _read(self.path)
        held = self._saved()
        if mark is None or not mark:
            self._stale = True
            return None
        counted = int(mark["saved"])  # type: ignore[call-overload]
        last_at = float(mark.get("last_at") or 0)  # type: ignore[arg-type]
        same = mark.get("install_id") == self.install_id
        self._stale = not same or counted != held
        if moved_aside or (same and held >= counted) or (not same and counted == 0):
            return None
        lost = Missing(counted - held if same else counted, last_at, not same, self.db_path)
        log.error("%s", lost.message())
        return lost

    def settle(self) -> None:
        """After the comparison (and its alert): the mark follows the database from now on."""
        if self._stale:
            self.saved()

    def saved(self, now: float | None = None) -> None:
        """After a commit that added submissions: write the mark in place and fsync it.
        Never raises: the submission is already safe in the database."""
        if not self.enabled:
            return
        now = time.time() if now is None else now
        record = json.dumps({"v": 1, "install_id": self.install_id, "saved": self._saved(), "last_at": now})
        try:
            if self._fd is None:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
            os.lseek(self._fd, 0, os.SEEK_SET)
            os.write(self._fd, record.ljust(RECORD - 1).encode("ascii") + b"\n")
            os.fsync(self._fd)
            self._stale = False
        except OSError as exc:
            log.error("could not write the watermark %s: %s", self.path, exc.strerror)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


__all__ = ["ALERT_KIND", "Missing", "Watermark"]
