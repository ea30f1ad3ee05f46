"""Encryption at rest: envelope encryption with AES-256-GCM, the key-encryption key in the OS keyring.

Every record gets its own random 256-bit data key; the record is sealed with that key and the data
key is wrapped with the installation's key-encryption key (the "data key" held in the keyring).
The submission id is the associated data of both layers, so a ciphertext moved to another row
does not open. With no usable keyring, or a key that does not open the data, the vault refuses to
work: it never falls back to plaintext. The key itself is never written to the database or a log.

Sealed layout (version 1): 0x01 | nonce(12) | wrapped data key (32 + 16 tag) | nonce(12) | ciphertext+tag
"""

from __future__ import annotations

import base64
import os
import sqlite3

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from local_store.db import get_meta, transaction

KEYRING_SERVICE = "dcp-kiosk"
FORMAT_V1 = 1
_NONCE = 12
_WRAPPED = 32 + 16
_KEY_CHECK = b"dcp-kiosk key check v1"


class VaultError(RuntimeError):
    """The data key is missing, unusable or does not open the data. Staff must be told."""


class VaultUnavailable(VaultError):
    """The whole vault cannot be used: no keyring, no key, a damaged key, or a key that does not
    open this database. Nothing can be sealed or opened; no single record is at fault."""


class RecordUnreadable(VaultError):
    """This one record does not open with the vault's key (damaged or moved ciphertext)."""


def key_name(install_id: str) -> str:
    return f"data-key:{install_id}"


def load_key(install_id: str) -> bytes | None:
    """The installation's key from the keyring, None if it has none. VaultError if unusable."""
    import keyring  # on first use, not at start-up: the home screen needs no key

    try:
        stored = keyring.get_password(KEYRING_SERVICE, key_name(install_id))
    except Exception as exc:  # any backend failure (no backend, locked, D-Bus gone) means "no keyring"
        raise VaultUnavailable(f"no usable keyring ({type(exc).__name__})") from None
    if stored is None:
        return None
    try:
        key = base64.b64decode(stored, validate=True)
    except ValueError:
        raise VaultUnavailable("the data key in the keyring is damaged") from None
    if len(key) != 32:
        raise VaultUnavailable("the data key in the keyring is damaged")
    return key


def create_key(install_id: str) -> bytes:
    """Make a new 256-bit key and put it in the keyring. VaultError if the keyring will not take it."""
    import keyring

    key = AESGCM.generate_key(bit_length=256)
    try:
        keyring.set_password(KEYRING_SERVICE, key_name(install_id), base64.b64encode(key).decode())
    except Exception as exc:
        raise VaultUnavailable(f"no usable keyring ({type(exc).__name__})") from None
    return key


class Vault:
    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise VaultUnavailable("the data key must be 256 bits")
        self._kek = AESGCM(key)

    def __repr__(self) -> str:
        return "Vault(<key hidden>)"

    @classmethod
    def from_keyring(cls, install_id: str, *, create: bool) -> Vault:
        """Load (or, when `create`, make) the key for this installation."""
        key = load_key(install_id)
        if key is None:
            if not create:
                raise VaultUnavailable("the data key for this database is not in the keyring")
            key = create_key(install_id)
        return cls(key)

    def seal(self, plaintext: bytes, associated: str) -> bytes:
        ad = associated.encode()
        data_key = AESGCM.generate_key(bit_length=256)
        n1, n2 = os.urandom(_NONCE), os.urandom(_NONCE)
        wrapped = self._kek.encrypt(n1, data_key, b"dek:" + ad)
        return bytes([FORMAT_V1]) + n1 + wrapped + n2 + AESGCM(data_key).encrypt(n2, plaintext, ad)

    def open(self, sealed: bytes, associated: str) -> bytes:
        ad = associated.encode()
        try:
            if not sealed or sealed[0] != FORMAT_V1 or len(sealed) < 1 + 2 * _NONCE + _WRAPPED + 16:
                raise ValueError("unknown format")
            n1 = sealed[1 : 1 + _NONCE]
            wrapped = sealed[1 + _NONCE : 1 + _NONCE + _WRAPPED]
            rest = sealed[1 + _NONCE + _WRAPPED :]
            data_key = self._kek.decrypt(n1, wrapped, b"dek:" + ad)
            return AESGCM(data_key).decrypt(rest[:_NONCE], rest[_NONCE:], ad)
        except (InvalidTag, ValueError):
            raise RecordUnreadable("the data key does not open this record") from None

    def key_check(self, install_id: str) -> bytes:
        """A ciphertext that only this key opens: kept in the database to detect a wrong key."""
        return self.seal(_KEY_CHECK, f"key-check:{install_id}")

    def verify(self, check: bytes, install_id: str) -> None:
        """VaultError unless this key opens the database's key check."""
        try:
            ok = self.open(check, f"key-check:{install_id}") == _KEY_CHECK
        except VaultError:
            ok = False
        if not ok:
            raise VaultUnavailable("the data key in the keyring does not open this database")


def open_vault(conn: sqlite3.Connection, install_id: str) -> Vault:
    """The vault for this database. VaultError if the keyring is unusable or its key is wrong.

    Raises WriteFailed if the database cannot be written (disk full, read-only).
    The first call on a new database makes the key and stores a key check (a ciphertext only
    that key opens) in `meta`, under the write lock, so two Stores cannot make two keys."""
    check = get_meta(conn, "key_check")
    if check is None:
        with transaction(conn) as c:
            row = c.execute("SELECT value FROM meta WHERE key='key_check'").fetchone()
            if row is None:
                key = load_key(install_id)
                if key is None:
                    has_data = c.execute("SELECT 1 FROM submissions WHERE sealed IS NOT NULL LIMIT 1")
                    if has_data.fetchone() is not None:
                        raise VaultUnavailable("the data key for this database is not in the keyring")
                    key = create_key(install_id)
                check = Vault(key).key_check(install_id).hex()
                c.execute("INSERT INTO meta VALUES ('key_check', ?)", (check,))
            else:
                check = row["value"]
    key = load_key(install_id)
    if key is None:
        raise VaultUnavailable("the data key for this database is not in the keyring")
    vault = Vault(key)
    vault.verify(bytes.fromhex(check), install_id)
    return vault


__all__ = [
    "KEYRING_SERVICE",
    "RecordUnreadable",
    "Vault",
    "VaultError",
    "VaultUnavailable",
    "create_key",
    "key_name",
    "load_key",
    "open_vault",
]
