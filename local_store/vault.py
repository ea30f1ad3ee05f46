"""Encryption at rest: AES-256-GCM with one data key per epoch, each key only in the OS keyring.

A record is sealed with the key of the current epoch (its number is in `meta`); the blob names its
epoch. Keys never touch the database, so destroying an epoch's key in the keyring makes every copy
of its blobs unreadable, wherever SQLite left them (see local_store/shred.py for when that happens).
The submission id is the associated data, so a ciphertext moved to another row does not open.
With no usable keyring, or a key that does not open the data, the vault refuses to work: it never
falls back to plaintext. A key is never written to the database or a log.

Sealed layout, version 2: 0x02 | epoch (4, big-endian) | nonce (12) | ciphertext+tag; the header is
part of the associated data. Version 1 (databases from before epochs, read until their first
rotation): 0x01 | nonce(12) | data key wrapped with the epoch-0 key (32+16) | nonce(12) | ciphertext+tag.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from local_store.db import get_meta, transaction
from local_store.keys import (
    KEYRING_SERVICE,
    LEGACY_EPOCH,
    RecordUnreadable,
    VaultError,
    VaultUnavailable,
    key_name,
    load_key,
    store_key,
)

FORMAT_V1, FORMAT_V2 = 1, 2
EPOCH_CAPACITY = 64  # records sealed under one epoch before a new one starts (bounds a rotation's re-sealing)
_NONCE = 12
_WRAPPED = 32 + 16
_HEADER = 1 + 4
_KEY_CHECK = b"dcp-kiosk key check v1"


def seal_with(key: bytes, epoch: int, plaintext: bytes, associated: str) -> bytes:
    header = bytes([FORMAT_V2]) + epoch.to_bytes(4, "big")
    nonce = os.urandom(_NONCE)
    return header + nonce + AESGCM(key).encrypt(nonce, plaintext, header + associated.encode())


def epoch_of(sealed: bytes) -> int:
    """The epoch whose key opens this blob (0 for version 1). RecordUnreadable if not a sealed record."""
    if len(sealed) >= _HEADER + _NONCE + 16 and sealed[0] == FORMAT_V2:
        return int.from_bytes(sealed[1:_HEADER], "big")
    if len(sealed) >= 1 + 2 * _NONCE + _WRAPPED + 16 and sealed[0] == FORMAT_V1:
        return LEGACY_EPOCH
    raise RecordUnreadable("the data key does not open this record")


def open_with(key: bytes, sealed: bytes, associated: str) -> bytes:
    """Open a blob of either version with its epoch's key. RecordUnreadable if it does not open."""
    ad = associated.encode()
    try:
        if epoch_of(sealed) == LEGACY_EPOCH:
            n1, wrapped = sealed[1 : 1 + _NONCE], sealed[1 + _NONCE : 1 + _NONCE + _WRAPPED]
            rest = sealed[1 + _NONCE + _WRAPPED :]
            data_key = AESGCM(key).decrypt(n1, wrapped, b"dek:" + ad)
            return AESGCM(data_key).decrypt(rest[:_NONCE], rest[_NONCE:], ad)
        return AESGCM(key).decrypt(
            sealed[_HEADER : _HEADER + _NONCE], sealed[_HEADER + _NONCE :], sealed[:_HEADER] + ad
        )
    except (InvalidTag, ValueError):
        raise RecordUnreadable("the data key does not open this record") from None


def verify(key: bytes, check: bytes, install_id: str) -> None:
    """VaultUnavailable unless this key opens the database's key check."""
    try:
        ok = open_with(key, check, f"key-check:{install_id}") == _KEY_CHECK
    except VaultError:
        ok = False
    if not ok:
        raise VaultUnavailable("the data key in the keyring does not open this database")


def check_key(meta: Mapping[str, str], install_id: str) -> None:
    """VaultError unless the keyring holds the current epoch's key and it opens the key check
    (`meta` is the database's meta table). For `doctor`, which reads the file without a Store."""
    epoch = int(meta.get("epoch", LEGACY_EPOCH))
    key = load_key(install_id, epoch)
    if key is None:
        raise VaultUnavailable("the data key for this database is not in the keyring")
    verify(key, bytes.fromhex(meta["key_check"]), install_id)


class Vault:
    """The keys of one Store's connection: each epoch's key is loaded once from the keyring and
    kept in memory; the current epoch is read from the database at every seal, inside the
    caller's write transaction, so a key another Store has just destroyed is never used."""

    def __init__(self, conn: sqlite3.Connection, install_id: str) -> None:
        self.conn = conn
        self.install_id = install_id
        self._keys: dict[int, bytes] = {}
        self._epoch: int | None = None

    def __repr__(self) -> str:
        return f"Vault(<{len(self._keys)} keys hidden>)"

    def current_epoch(self) -> int:
        value = get_meta(self.conn, "epoch")
        if value is None:
            raise VaultUnavailable("the data key for this database is not in the keyring")
        epoch = int(value)
        if epoch != self._epoch:  # another Store rotated: forget keys it destroyed
            alive = {r[0] for r in self.conn.execute("SELECT epoch FROM data_keys WHERE retired=0")}
            self._keys = {e: k for e, k in self._keys.items() if e in alive or e == epoch}
            self._epoch = epoch
        return epoch

    def key(self, epoch: int) -> bytes:
        """The epoch's key. VaultUnavailable for a problem with the current key (missing, damaged,
        fails the key check); RecordUnreadable when an older epoch's key is gone (destroyed)."""
        key = self._keys.get(epoch)
        if key is not None:
            return key
        current = self.current_epoch()
        key = load_key(self.install_id, epoch)
        if key is None and epoch != current:
            self.key(current)  # the vault itself is fine (or this raises VaultUnavailable) ...
            raise RecordUnreadable("the key of this record has been destroyed")  # ... this record is not
        if key is None:
            raise VaultUnavailable("the data key for this database is not in the keyring")
        if epoch == current:
            check = get_meta(self.conn, "key_check")
            if check is None:
                raise VaultUnavailable("the database has no key check")
            verify(key, bytes.fromhex(check), self.install_id)
        self._keys[epoch] = key
        return key

    def forget(self, epochs: list[int]) -> None:
        for epoch in epochs:
            self._keys.pop(epoch, None)

    def seal(self, c: sqlite3.Connection, plaintext: bytes, associated: str) -> tuple[bytes, int]:
        """Seal a new record under the current epoch; returns (blob, epoch). Call inside the write
        transaction that stores the blob (with its epoch). Starts a new epoch when the current one
        is full or is the old single key (epoch 0)."""
        row = c.execute(
            "UPDATE data_keys SET uses=uses+1 WHERE retired=0 AND dirty=0 AND epoch="
            "(SELECT CAST(value AS INTEGER) FROM meta WHERE key='epoch') RETURNING epoch, uses"
        ).fetchone()
        if row is not None and row[0] != LEGACY_EPOCH and row[1] <= EPOCH_CAPACITY:
            epoch = row[0]
        else:
            try:
                epoch = self.new_epoch(c, uses=1)
            except VaultUnavailable:  # the keyring takes no new key: the current one still seals safely
                current = c.execute(
                    "SELECT epoch FROM data_keys WHERE retired=0 AND epoch>0 AND epoch="
                    "(SELECT CAST(value AS INTEGER) FROM meta WHERE key='epoch')"
                ).fetchone()
                if current is None:
                    raise
                epoch = current[0]
        return self.seal_in(epoch, plaintext, associated), epoch

    def seal_in(self, epoch: int, plaintext: bytes, associated: str) -> bytes:
        return seal_with(self.key(epoch), epoch, plaintext, associated)

    def open(self, sealed: bytes, associated: str) -> bytes:
        """The plaintext. RecordUnreadable if this record does not open; VaultUnavailable if the
        vault cannot be used at all."""
        return open_with(self.key(epoch_of(sealed)), sealed, associated)

    def new_epoch(self, c: sqlite3.Connection, *, uses: int = 0) -> int:
        """Start the next epoch inside the caller's write transaction: its key goes into the
        keyring first (a leftover of an epoch never committed is overwritten), then `meta`."""
        row = c.execute("SELECT max(epoch) FROM data_keys").fetchone()
        epoch = max(row[0] or 0, int(get_meta(c, "epoch") or 0)) + 1
        key = AESGCM.generate_key(bit_length=256)
        store_key(self.install_id, epoch, key)
        c.execute("INSERT INTO data_keys (epoch, uses) VALUES (?, ?)", (epoch, uses))
        check = seal_with(key, epoch, _KEY_CHECK, f"key-check:{self.install_id}").hex()
        c.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [("epoch", str(epoch)), ("key_check", check)])
        self._keys[epoch] = key
        self._epoch = epoch
        return epoch


def open_vault(conn: sqlite3.Connection, install_id: str) -> Vault:
    """The vault for this database. VaultError if the keyring is unusable or its key is wrong.

    Raises WriteFailed if the database cannot be written (disk full, read-only). The first call on
    a new database starts epoch 1 (its key in the keyring, a key check in `meta`) under the write
    lock, so two Stores cannot make two keys."""
    vault = Vault(conn, install_id)
    if get_meta(conn, "epoch") is None:
        with transaction(conn) as c:
            if get_meta(c, "epoch") is None:
                has_data = c.execute("SELECT 1 FROM submissions WHERE sealed IS NOT NULL LIMIT 1")
                if has_data.fetchone() is not None:
                    raise VaultUnavailable("the data key for this database is not in the keyring")
                vault.new_epoch(c)
    vault.key(vault.current_epoch())
    return vault


__all__ = [
    "EPOCH_CAPACITY",
    "KEYRING_SERVICE",
    "RecordUnreadable",
    "Vault",
    "VaultError",
    "VaultUnavailable",
    "check_key",
    "epoch_of",
    "key_name",
    "load_key",
    "open_vault",
    "open_with",
    "seal_with",
    "verify",
]
