"""Staff PINs and sign-in. Qt-free, works offline: everything is in the kiosk's database.

PINs are stored as salted scrypt hashes (hashlib, RFC 7914: N=2**14, r=8, p=1, 16-byte salt),
in the form `scrypt$N$r$p$salt$hash`, so the cost can be raised later and old hashes still check.
After `staff_lockout_failures` wrong PINs in a row (default 5) the id is locked for
`staff_lockout_s` seconds. The lock check, the PIN check and the count are one write transaction,
so sign-ins at once cannot guess more PINs than that. An unknown id costs the same hash as a known
one (a locked one too), gets the same answer and locks after as many tries, so the screen does not
tell anyone which ids exist.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import logging
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from local_store import Store
from local_store.staff import StaffRecord, StaffTable

log = logging.getLogger("kiosk")

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
PIN_MIN, PIN_MAX = 6, 12
WRONG = "The staff id or PIN is not right."


class PinRejected(ValueError):
    """A PIN that does not meet the rules; str() says which rule."""


def check_pin_rules(pin: str) -> str:
    """The PIN, if it is 6 to 12 digits and not a run like 111111 or 123456; else PinRejected."""
    pin = (pin or "").strip()
    if not pin.isdigit() or not PIN_MIN <= len(pin) <= PIN_MAX or not pin.isascii():
        raise PinRejected(f"a PIN must be {PIN_MIN} to {PIN_MAX} digits")
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(pin)}
    if len(steps) == 1 and steps <= {0, 1, 9}:
        raise PinRejected("a PIN must not be one digit repeated or a run such as 123456")
    return pin


def hash_pin(pin: str, *, salt: bytes | None = None, n: int = SCRYPT_N) -> str:
    salt = os.urandom(16) if salt is None else salt
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${n}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(
            pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=len(digest) // 2
        )
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(got.hex(), digest)


_DUMMY = hash_pin("000000", salt=b"\0" * 16)


class _Decoys:
    """Lock-out counters for staff ids that do not exist, so that they lock as a known id does.

    Kept in this process's memory under a keyed hash of what was typed (never the text itself), at most
    MAX entries (the oldest go first)."""

    MAX = 1_000

    def __init__(self) -> None:
        self._key = os.urandom(32)
        self._lock = threading.Lock()
        self._counts: OrderedDict[bytes, tuple[int, float | None]] = OrderedDict()

    def failure(
        self, where: tuple[object, str], now: float, *, lock_after: int, lock_seconds: float
    ) -> tuple[str, float | None]:
        """Count one wrong attempt: ("wrong" | "locked_now" | "locked", locked until)."""
        name = hmac.new(self._key, repr(where).encode("utf-8", "surrogatepass"), hashlib.sha256).digest()
        with self._lock:
            failures, locked_until = self._counts.pop(name, (0, None))
            if locked_until is not None and now < locked_until:
                self._counts[name] = (failures, locked_until)
                return "locked", locked_until
            failures += 1
            locked_until = now + lock_seconds if failures >= lock_after else None
            self._counts[name] = (0 if locked_until else failures, locked_until)
            while len(self._counts) > self.MAX:
                self._counts.popitem(last=False)
        return ("locked_now" if locked_until else "wrong"), locked_until


_DECOYS = _Decoys()


@dataclass(frozen=True)
class SignIn:
    ok: bool
    message: str
    staff_id: str | None = None
    name: str | None = None
    locked_until: float | None = None


class StaffAuth:
    def __init__(self, store: Store, *, lockout_failures: int = 5, lockout_s: int = 300) -> None:
        self.table = StaffTable(store)
        self.lockout_failures = lockout_failures
        self.lockout_s = lockout_s

    def add(self, staff_id: str, name: str | None, pin: str, *, replace: bool = False) -> None:
        pin = check_pin_rules(pin)
        self.table.add(staff_id, name or staff_id, hash_pin(pin), replace=replace)
        log.info("staff id added or changed")

    def remove(self, staff_id: str) -> bool:
        return self.table.remove(staff_id)

    def all(self) -> list[StaffRecord]:
        return self.table.all()

    def sign_in(self, staff_id: str, pin: str, now: float | None = None) -> SignIn:
        """Check a staff id and PIN. The lock check, the PIN check and the count are one write transaction
        (StaffTable.attempt); an unknown id does the same PIN-hash work, gets the same words and locks the
        same way (in this process's memory: a table of ids that exist nowhere is not worth keeping)."""
        now = time.time() if now is None else now
        staff_id = (staff_id or "").strip()

        def check(record: StaffRecord | None) -> bool:
            return verify_pin(pin or "", record.pin_hash if record else _DUMMY) and record is not None

        attempt = self.table.attempt(
            staff_id, check, lock_after=self.lockout_failures, lock_seconds=self.lockout_s, now=now
        )
        outcome: str = attempt.outcome
        locked_until = attempt.locked_until
        if outcome == "unknown":
            outcome, locked_until = _DECOYS.failure(
                (self.table.store.path, staff_id), now, lock_after=self.lockout_failures, lock_seconds=self.lockout_s
            )
        if outcome == "ok" and attempt.record is not None:
            log.info("staff signed in")
            return SignIn(True, "", attempt.record.staff_id, attempt.record.name)
        log.info("staff sign-in refused")
        if outcome == "locked":
            minutes = max(1, round(((locked_until or now) - now) / 60))
            return SignIn(
                False,
                f"This staff id is locked after too many wrong PINs. Try again in {minutes} minutes, or ask IT.",
                locked_until=locked_until,
            )
        if outcome == "locked_now":
            minutes = max(1, round(self.lockout_s / 60))
            return SignIn(
                False, f"Too many wrong PINs: this staff id is locked for {minutes} minutes.", locked_until=locked_until
            )
        return SignIn(False, WRONG)

    def sign_out(self, staff_id: str, reason: str = "signed out") -> None:
        self.table.audit("staff_sign_out", staff_id=staff_id, detail=reason)
        log.info("staff signed out")

    def audit(self, action: str, staff_id: str, subject: str | None = None, detail: str | None = None) -> None:
        self.table.audit(action, staff_id=staff_id, subject=subject, detail=detail)
