"""The database file: opening it (connection settings), the integrity check, moving a bad file
aside, the error classes, and the one way to write: `transaction()`.

A file that SQLite reports as corrupt (or not a database), or that fails `PRAGMA quick_check`, is
renamed (with its -wal, -shm and -journal) to `<name>.corrupt-<time>` in
the same directory: never deleted, because it may hold submissions not yet sent. A new file is
then created in its place. A busy or locked database is *not* corrupt and is never moved; nor is a
file this user may not read or write (a permission problem, reported with the fix, see
`permission_problem`).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("store")

SIDE_FILES = ("-wal", "-shm", "-journal")
CORRUPT_ERRORS = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}


class StoreError(RuntimeError):
    """Base class for problems with the local database."""


class StoreUnavailable(RuntimeError):
    """The database cannot be opened at all (read-only or missing directory, permissions)."""


class DatabaseUnavailable(StoreError, StoreUnavailable):
    """The database cannot be opened (read-only or missing directory, permissions)."""


class WriteFailed(StoreError):
    """A write could not be made because of the environment (disk full, read-only, I/O error,
    busy): it was rolled back, nothing was half-written. `errorname` is SQLite's, e.g. SQLITE_FULL."""

    def __init__(self, message: str, errorname: str) -> None:
        super().__init__(message)
        self.errorname = errorname


class SaveFailed(StoreError):
    """A submission could not be saved (disk full, read-only, locked). Nothing was written."""


class WrongMode(StoreError):
    """A training database opened as live, or the other way round."""


class SchemaTooNew(StoreError):
    """The database was written by a newer version of dcp-kiosk."""


class InvalidTransition(StoreError):
    """A staff action that the submission's state does not allow (e.g. discarding a delivered one)."""


# SQLite error names (and their extended forms, e.g. SQLITE_IOERR_WRITE) caused by the machine, not a bug.
ENVIRONMENT_ERRORS = (
    "SQLITE_FULL",
    "SQLITE_READONLY",
    "SQLITE_IOERR",
    "SQLITE_CANTOPEN",
    "SQLITE_BUSY",
    "SQLITE_LOCKED",
)


def environment_error(exc: BaseException) -> str | None:
    """SQLite's error name if `exc` is an environment problem (see ENVIRONMENT_ERRORS), else None."""
    name = str(getattr(exc, "sqlite_errorname", ""))
    return name if isinstance(exc, sqlite3.OperationalError) and name.startswith(ENVIRONMENT_ERRORS) else None


@contextmanager
def transaction(conn: sqlite3.Connection, *, durable: bool = True) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT: the write lock is taken up front, so no deadlock later.

    `durable=False` commits with synchronous=NORMAL (see local_store/store.py for when).
    An environment failure (see ENVIRONMENT_ERRORS) is raised as WriteFailed, rolled back."""
    if not durable:
        conn.execute("PRAGMA synchronous=NORMAL")
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    except sqlite3.OperationalError as exc:
        name = environment_error(exc)
        if name is None:
            raise
        raise WriteFailed(f"could not write to the database: {exc}", name) from exc
    finally:
        if not durable:
            conn.execute("PRAGMA synchronous=FULL")


@dataclass(frozen=True)
class MovedAside:
    """What was wrong with the old file and where it now is."""

    original: Path
    moved_to: Path
    problem: str
    files: tuple[Path, ...]


def connect(path: Path) -> sqlite3.Connection:
    """A connection with the kiosk's settings: WAL, durable commits, foreign keys, busy timeout,
    and secure_delete so that purged ciphertext is overwritten, not left in free pages."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=5.0)
    try:
        configure(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def configure(conn: sqlite3.Connection) -> None:
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout=5000")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA secure_delete=ON")


def quick_check(conn: sqlite3.Connection) -> str | None:
    """None if `PRAGMA quick_check` says ok, else its first few complaints."""
    rows = [str(r[0]) for r in conn.execute("PRAGMA quick_check(5)").fetchall()]
    return None if rows == ["ok"] else "; ".join(rows)


def is_corruption(exc: sqlite3.DatabaseError) -> bool:
    name = getattr(exc, "sqlite_errorname", "")
    if name in CORRUPT_ERRORS:
        return True
    text = str(exc)
    return "malformed" in text or "not a database" in text


def move_aside(path: Path, problem: str, now: float | None = None) -> MovedAside:
    """Rename the file and its side files to `<name>.corrupt-<UTC time>[-n]`. Never deletes."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() if now is None else now))
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while any(Path(str(target) + s).exists() for s in ("", *SIDE_FILES)):
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    moved: list[Path] = []
    try:
        for suffix in ("", *SIDE_FILES):
            src = Path(str(path) + suffix)
            if src.exists():
                dst = Path(str(target) + suffix)
                os.rename(src, dst)
                moved.append(dst)
    except OSError as exc:
        raise StoreUnavailable(
            f"the database {path} is damaged ({problem}) and could not be moved aside: {exc.strerror}"
        ) from None
    log.error("database %s was damaged (%s); moved aside to %s", path, problem, target)
    return MovedAside(path, target, problem, tuple(moved))


def permission_problem(path: Path) -> str | None:
    """A message naming the file and the fix if this user may not read and write the database (or
    one of its side files), else None. A permission problem is not damage: the file is left as it is."""
    # Asked with os.access, never by opening the file: closing a descriptor of a file drops every POSIX lock
    # this process holds on it, those of another SQLite connection here too (the UI's, while the sync thread
    # opens its own Store). A process that then opens the database sees no reader, resets the shared memory
    # index under that connection, and the database is damaged.
    for suffix in ("", *SIDE_FILES):
        candidate = Path(str(path) + suffix)
        if not candidate.exists():
            continue
        if not os.access(candidate, os.R_OK | os.W_OK):
            return (
                f"the database file {candidate} exists but this user ({_user()}) may not read and write it "
                "(permission denied). It is not damaged and was left as it is. Give the kiosk's user access, "
                f"e.g. `chown {_user()} {candidate}` and `chmod 600 {candidate}`, then start the kiosk again"
            )
    return None


def _user() -> str:
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError):
        return os.environ.get("USERNAME") or "the kiosk's user"


def _problem(exc: sqlite3.DatabaseError) -> str:
    return f"{getattr(exc, 'sqlite_errorname', 'error')}: {exc}"


def open_checked(path: Path) -> tuple[sqlite3.Connection, MovedAside | None]:
    """Open the database, check it, and if it is damaged move it aside and start a new one.

    The damaged file is renamed while the checking connection is still open, so that closing
    that connection (which may checkpoint and delete the WAL by name) cannot remove the moved WAL.
    """
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise StoreUnavailable(f"the data directory {path.parent} is not writable")
    denied = permission_problem(path)
    if denied is not None:
        raise StoreUnavailable(denied)
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=5.0)
        configure(conn)
        problem = quick_check(conn)
    except sqlite3.DatabaseError as exc:
        if not is_corruption(exc):
            if conn is not None:
                conn.close()
            raise StoreUnavailable(f"cannot open the database {path}: {exc}") from None
        problem = _problem(exc)
    if problem is None and conn is not None:
        return conn, None
    try:
        moved = move_aside(path, problem or "unknown")
    finally:
        if conn is not None:
            conn.close()
    try:
        return connect(path), moved
    except sqlite3.DatabaseError as exc:
        raise StoreUnavailable(f"cannot create a new database at {path}: {exc}") from None


# -- the `meta` table: one value per key, for the parts of the store that keep a setting ------------


def get_meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
    return str(row["value"]) if row else None


def set_meta(conn: sqlite3.Connection, values: dict[str, str]) -> None:
    """Write several meta values in one durable transaction."""
    with transaction(conn) as c:
        c.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", values.items())
