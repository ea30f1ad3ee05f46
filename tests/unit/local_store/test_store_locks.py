"""Opening a second Store in a process never drops the locks of the first (the UI's, while the sync thread
opens its own): another process that then opens the database must still see it in use.

Closing any descriptor of a file drops every POSIX lock the process holds on it. A check that opened the
database or its -shm with os.open and closed it again released the first connection's locks; a `dcp-kiosk
sync --once` run by IT then took itself for the only user, checkpointed and deleted the WAL under the
running kiosk, and the kiosk's next writes went nowhere (found by the Open311 sync kill test).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from local_store import Store

OTHER_PROCESS = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("CREATE TABLE IF NOT EXISTS other (x)")
conn.execute("INSERT INTO other VALUES (1)")
conn.close()  # the last connection (as far as it can tell) checkpoints and deletes the WAL
"""


def test_a_second_store_in_the_process_keeps_the_first_ones_locks(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    first = Store(path, training=True)
    first.conn.execute("CREATE TABLE mine (x)")
    first.conn.execute("INSERT INTO mine VALUES ('before')")
    Store(path, training=True).close()  # the sync thread opens its own Store, and closes it
    subprocess.run([sys.executable, "-c", OTHER_PROCESS, str(path)], check=True, timeout=60)
    assert Path(str(path) + "-wal").exists(), "the other process deleted the WAL the kiosk is using"
    first.conn.execute("INSERT INTO mine VALUES ('after')")
    first.close()

    check = sqlite3.connect(path)
    try:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert [r[0] for r in check.execute("SELECT x FROM mine ORDER BY rowid")] == ["before", "after"]
        assert check.execute("SELECT count(*) FROM other").fetchone() == (1,)
    finally:
        check.close()
