"""A healthy database that this user may not read or write is a permission problem, not damage:
a clear DatabaseUnavailable naming the file and the fix, and the file is never moved aside.

Tests run as root, who may read anything, so the open happens in a child process that drops to
the `nobody` user first (everything it needs is imported before it drops privileges)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from local_store import Store
from tests.conftest import ROOT

NOBODY = 65534

CHILD = """
import os, sys
from pathlib import Path
import app.cli, app.cli.sync, app.kiosk, app.logs, app.status
app.cli.build_parser()
from local_store import DatabaseUnavailable, Store
os.setgroups([]); os.setgid({uid}); os.setuid({uid})
try:
    Store(Path(sys.argv[1]), training=True).close()
    print("opened")
except DatabaseUnavailable as exc:
    print("unavailable:", exc)
sys.exit(app.cli.main(["status", "--training", "--data-dir", str(Path(sys.argv[1]).parent)]))
"""


def as_nobody(db: Path) -> subprocess.CompletedProcess[str]:
    if os.geteuid() != 0:
        pytest.skip("dropping to another user needs root")
    env = os.environ | {v: str(db.parent) for v in ("HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")}
    return subprocess.run(
        [sys.executable, "-c", CHILD.format(uid=NOBODY), str(db)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip


def test_a_healthy_file_this_user_cannot_read_is_refused_clearly_and_never_moved(tmp_path: Path) -> None:
    data = tmp_path / "kiosk"
    data.mkdir()
    db = data / "kiosk.sqlite3"
    store = Store(db, training=True)
    store.outbox.submit("j", 1, {"n": 1})
    store.close()
    db.chmod(0o600)  # owned by root
    for p in (tmp_path, data):
        p.chmod(0o777)  # the directory is usable by nobody; only the file is not
    for parent in tmp_path.parents:
        if parent.stat().st_mode & 0o001 == 0:
            parent.chmod(parent.stat().st_mode | 0o001)  # let nobody reach it (pytest's base is 0700)
    before = sorted(p.name for p in data.glob("kiosk.sqlite3*"))
    done = as_nobody(db)
    assert "Traceback" not in done.stderr, done.stderr
    first, *_ = done.stdout.splitlines()
    assert first.startswith("unavailable:"), done.stdout + done.stderr
    assert str(db) in first and "permission" in first and "chown" in first and "not damaged" in first
    assert done.returncode == 1 and str(db) in done.stderr and "chown" in done.stderr
    assert sorted(p.name for p in data.glob("kiosk.sqlite3*")) == before  # nothing moved aside, nothing new
    again = Store(db, training=True)  # and as its owner it opens as it was
    assert again.outbox.counts().waiting == 1 and again.alerts.list() == []
    again.close()
