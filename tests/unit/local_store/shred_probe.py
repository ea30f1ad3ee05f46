"""An attacker's probe: with every key left in the keyring, try to open every blob-sized region of
the database, its WAL and any journal as the sealed record of a given submission id.

Self-contained (it does not use local_store.vault), so it judges the code rather than trusting it:
it knows both sealed layouts, version 1 (envelope: a data key wrapped with the keyring key in the
blob) and version 2 (epoch key: 0x02 | epoch(4) | nonce(12) | ciphertext+tag).
"""

from __future__ import annotations

import base64
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

V1_OVERHEAD = 1 + 12 + 48 + 12 + 16
V2_HEADER = 1 + 4
V2_OVERHEAD = V2_HEADER + 12 + 16


def keyring_keys(passwords: dict[object, str]) -> list[bytes]:
    """Every value in the keyring that could be an AES-256 key (raw, or base64 of 32 bytes)."""
    keys: list[bytes] = []
    for value in passwords.values():
        for candidate in (value.encode(), _b64(value)):
            if candidate is not None and len(candidate) == 32:
                keys.append(candidate)
    return keys


def _b64(value: str) -> bytes | None:
    try:
        return base64.b64decode(value, validate=True)
    except ValueError:
        return None


def _open_v1(key: AESGCM, region: bytes, ad: bytes) -> bytes | None:
    try:
        data_key = key.decrypt(region[1:13], region[13:61], b"dek:" + ad)
        return AESGCM(data_key).decrypt(region[61:73], region[73:], ad)
    except (InvalidTag, ValueError):
        return None


def _open_v2(key: AESGCM, region: bytes, ad: bytes) -> bytes | None:
    try:
        return key.decrypt(region[5:17], region[17:], region[:V2_HEADER] + ad)
    except (InvalidTag, ValueError):
        return None


def files_of(db: Path) -> list[Path]:
    return sorted(p for p in db.parent.iterdir() if p.name.startswith(db.name))


def openable(db: Path, keys: list[bytes], plaintext_len: int, submission_ids: list[str]) -> list[str]:
    """Where (file, offset, id) a region opens. Empty when nothing on disk opens with these keys."""
    ciphers = [AESGCM(k) for k in keys]
    found: list[str] = []
    for f in files_of(db):
        data = f.read_bytes()
        for offset in range(len(data)):
            marker = data[offset]
            if marker == 1:
                region, opener = data[offset : offset + V1_OVERHEAD + plaintext_len], _open_v1
            elif marker == 2:
                region, opener = data[offset : offset + V2_OVERHEAD + plaintext_len], _open_v2
            else:
                continue  # no sealed record starts with any other byte
            for sid in submission_ids:
                for cipher in ciphers:
                    if opener(cipher, region, sid.encode()) is not None:
                        found.append(f"{f.name} at {offset}: {sid}")
    return found
