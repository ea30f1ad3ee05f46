"""Staff PINs and sign-in. Qt-free, works offline: everything is in the kiosk's database.

PINs are stored as salted scrypt hashes (hashlib, RFC 7914: N=2**14, r=8, p=1, 16-byte salt),
in the form `scrypt$N$r$p$salt$hash`, so the cost can be raised later and old hashes still check.
After `staff_lockout_failures` wrong PINs in a row (default 5) the id is locked for
`staff_lockout_s` seconds. An unknown id costs the same hash as a known one and gets the same
answer, so the screen does not tell anyone which ids exist.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import logging
import os
import time
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
        now = time.time() if now is None else now
        staff_id = (staff_id or "").strip()
        record = self.table.get(staff_id) if staff_id else None
        if record is not None and record.locked(now):
            self.table.record_locked_attempt(record.staff_id, now)
            minutes = max(1, round(((record.locked_until or now) - now) / 60))
            return SignIn(
                False,
                f"This staff id is locked after too many wrong PINs. Try again in {minutes} minutes, or ask IT.",
                locked_until=record.locked_until,
            )
        good = verify_pin(pin or "", record.pin_hash if record else _DUMMY) and record is not None
        if record is None or not good:
            locked = self.table.record_failure(
                record.staff_id if record else staff_id,
                lock_after=self.lockout_failures,
                lock_seconds=self.lockout_s,
                now=now,
            )
            log.info("staff sign-in refused")
            if locked:
                minutes = max(1, round(self.lockout_s / 60))
                return SignIn(
                    False,
                    f"Too many wrong PINs: this staff id is locked for {minutes} minutes.",
                    locked_until=now + self.lockout_s,
                )
            return SignIn(False, WRONG)
        self.table.record_success(record.staff_id, now)
        log.info("staff signed in")
        return SignIn(True, "", record.staff_id, record.name)

    def sign_out(self, staff_id: str, reason: str = "signed out") -> None:
        self.table.audit("staff_sign_out", staff_id=staff_id, detail=reason)
        log.info("staff signed out")

    def audit(self, action: str, staff_id: str, subject: str | None = None, detail: str | None = None) -> None:
        self.table.audit(action, staff_id=staff_id, subject=subject, detail=detail)
