"""Staff sign-in under attack: attempts at once, and telling a known staff id from an unknown one.

Real SQLite files, one Store (one connection) per thread, as two screens or a screen and the CLI
would have. The lock check, the PIN check and the count are one write transaction, so attempts at
once cannot guess more PINs than the lock-out allows, and a right PIN is never let in while a wrong
one is locking the id. An unknown id does the same PIN-hash work, gets the same messages and locks
the same way as a known one.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app import staff_auth
from app.staff_auth import SignIn, StaffAuth
from local_store import Store

PIN = "482915"
WRONG_PIN = "000001"
LOCK_AFTER = 5


def at_once(path: Path, calls: list[Callable[[StaffAuth], SignIn]]) -> list[SignIn]:
    """Run each call in its own thread with its own Store on the same file, all released together."""
    results: list[Any] = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(i: int) -> None:
        store = Store(path, training=True)  # a connection belongs to its thread
        try:
            auth = StaffAuth(store, lockout_failures=LOCK_AFTER, lockout_s=300)
            barrier.wait()
            results[i] = calls[i](auth)
        except BaseException as exc:  # reported by the assertion below
            results[i] = exc
        finally:
            store.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert all(isinstance(r, SignIn) for r in results), results
    return results


def failures_audited(path: Path, staff_id: str) -> int:
    store = Store(path, training=True)
    try:
        return sum(
            1 for e in store.audit.entries() if e["action"] == "staff_sign_in_failed" and e["staff_id"] == staff_id
        )
    finally:
        store.close()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    p = tmp_path / "kiosk.sqlite3"
    store = Store(p, training=True)
    StaffAuth(store).add("amy", "Amy Khan", PIN)
    store.close()
    return p


def test_attempts_at_once_cannot_guess_more_pins_than_the_lock_out_allows(path: Path) -> None:
    guesses = [f"{100000 + i * 7919:06d}" for i in range(10)]
    results = at_once(path, [lambda a, g=g: a.sign_in("amy", g, now=1000.0) for g in guesses])
    assert not any(r.ok for r in results)
    assert failures_audited(path, "amy") == LOCK_AFTER, "each PIN checked is one failure, and only 5 are checked"
    assert sum(1 for r in results if r.locked_until is not None) == len(guesses) - LOCK_AFTER + 1


def test_a_right_pin_is_not_let_in_while_a_wrong_one_locks_the_id(path: Path) -> None:
    for round_ in range(4):
        store = Store(path, training=True)
        auth = StaffAuth(store, lockout_failures=LOCK_AFTER, lockout_s=300)
        auth.add("amy", "Amy Khan", PIN, replace=True)  # failures back to 0, not locked
        now = 1000.0 + round_ * 1000
        for _ in range(LOCK_AFTER - 1):
            assert not auth.sign_in("amy", WRONG_PIN, now=now).ok
        store.close()
        wrong, right = at_once(
            path, [lambda a, t=now: a.sign_in("amy", WRONG_PIN, now=t), lambda a, t=now: a.sign_in("amy", PIN, now=t)]
        )
        locked_by_wrong = wrong.locked_until is not None
        assert not (right.ok and locked_by_wrong), f"round {round_}: signed in while the id was being locked"
        assert right.ok or locked_by_wrong


def _outcomes(auth: StaffAuth, staff_id: str, count: int, now: float) -> list[tuple[bool, str, float | None]]:
    return [
        (r.ok, r.message, r.locked_until) for r in (auth.sign_in(staff_id, WRONG_PIN, now=now) for _ in range(count))
    ]


def test_an_unknown_id_gets_the_same_messages_and_the_same_lock_out_as_a_known_one(path: Path) -> None:
    store = Store(path, training=True)
    auth = StaffAuth(store, lockout_failures=LOCK_AFTER, lockout_s=300)
    known = _outcomes(auth, "amy", LOCK_AFTER + 2, now=5000.0)
    unknown = _outcomes(auth, "nobody", LOCK_AFTER + 2, now=5000.0)
    assert known == unknown
    assert known[LOCK_AFTER - 1][2] == 5300.0 and "locked" in known[-1][1]
    later = auth.sign_in("nobody", WRONG_PIN, now=5301.0)
    assert later.message == auth.sign_in("amy", WRONG_PIN, now=5301.0).message == staff_auth.WRONG
    assert all("nobody" not in str(e) for e in store.audit.entries()), "what was typed as an id is never kept"
    store.close()


def test_every_path_does_one_pin_hash_of_the_same_cost(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[int, int, int]] = []
    real = hashlib.scrypt

    def counting(password: bytes, *, salt: bytes, n: int, r: int, p: int, dklen: int = 64, **kw: Any) -> bytes:
        calls.append((n, r, p))
        return real(password, salt=salt, n=n, r=r, p=p, dklen=dklen, **kw)

    monkeypatch.setattr(staff_auth.hashlib, "scrypt", counting)
    store = Store(path, training=True)
    auth = StaffAuth(store, lockout_failures=2, lockout_s=300)
    paths = {
        "right PIN": ("amy", PIN),
        "wrong PIN": ("amy", WRONG_PIN),
        "unknown id": ("nobody", PIN),
        "empty id": ("", PIN),
        "locking PIN": ("amy", WRONG_PIN),
        "locked id": ("amy", PIN),
        "locked unknown id": ("nobody", PIN),
        "very long id": ("x" * 10_000, PIN),
    }
    auth.sign_in("nobody", WRONG_PIN, now=1.0)
    for name, (staff_id, pin) in paths.items():
        calls.clear()
        auth.sign_in(staff_id, pin, now=1.0)
        assert calls == [(staff_auth.SCRYPT_N, staff_auth.SCRYPT_R, staff_auth.SCRYPT_P)], name
    store.close()


def _guess_in_a_process(path: str, pin: str, barrier: Any, results: Any) -> None:
    store = Store(Path(path), training=True)
    try:
        auth = StaffAuth(store, lockout_failures=3, lockout_s=300)
        barrier.wait(timeout=60)
        results.put(auth.sign_in("amy", pin, now=1000.0).locked_until is not None)
    finally:
        store.close()


def test_processes_at_once_cannot_guess_more_pins_than_the_lock_out_allows(path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    guesses = [f"{200000 + i * 7919:06d}" for i in range(6)]
    barrier, results = context.Barrier(len(guesses)), context.Queue()
    processes = [context.Process(target=_guess_in_a_process, args=(str(path), g, barrier, results)) for g in guesses]
    for p in processes:
        p.start()
    for p in processes:
        p.join(timeout=120)
    assert [p.exitcode for p in processes] == [0] * len(guesses)
    locked = [results.get(timeout=10) for _ in guesses]
    assert failures_audited(path, "amy") == 3
    assert locked.count(True) == len(guesses) - 3 + 1
