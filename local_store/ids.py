"""The ids a submission gets when it is saved: its UUIDv7 (the idempotency key) and its reference."""

from __future__ import annotations

import os
import secrets
import time
import uuid

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def uuid7() -> str:
    """A time-ordered UUID (RFC 9562 version 7): 48-bit Unix milliseconds, then random bits."""
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80 | rand & ((1 << 80) - 1)
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
    return str(uuid.UUID(int=value))


def new_reference(training: bool) -> str:
    """A reference a person can read out and type: no 0/O or 1/I confusion (Crockford)."""
    chars = "".join(secrets.choice(_CROCKFORD[2:]) for _ in range(8))
    return f"{'TRN' if training else 'DCP'}-{chars[:4]}-{chars[4:]}"


__all__ = ["new_reference", "uuid7"]
