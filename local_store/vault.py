"""Encryption at rest: AES-256-GCM with a data key kept in the OS keyring.

The submission id is the associated data, so a ciphertext moved to another row does not open.
With no usable keyring, the vault refuses to work: it never falls back to plaintext.
"""

from __future__ import annotations

import base64
import os

import keyring
import keyring.errors
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEYRING_SERVICE = "dcp-kiosk"


class VaultError(RuntimeError):
    """The data key is missing, unusable or does not open the data. Staff must be told."""


class Vault:
    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise VaultError("the data key must be 256 bits")
        self._aead = AESGCM(key)

    @classmethod
    def from_keyring(cls, install_id: str, *, create: bool) -> Vault:
        """Load (or, for a new database, create) the data key for this installation."""
        name = f"data-key:{install_id}"
        try:
            stored = keyring.get_password(KEYRING_SERVICE, name)
            if stored is None:
                if not create:
                    raise VaultError("the data key for this database is not in the keyring")
                key = AESGCM.generate_key(bit_length=256)
                keyring.set_password(KEYRING_SERVICE, name, base64.b64encode(key).decode())
                return cls(key)
        except keyring.errors.KeyringError as exc:
            raise VaultError(f"no usable keyring ({type(exc).__name__})") from None
        try:
            key = base64.b64decode(stored, validate=True)
        except ValueError:
            raise VaultError("the data key in the keyring is damaged") from None
        return cls(key)

    def seal(self, plaintext: bytes, associated: str) -> bytes:
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, plaintext, associated.encode())

    def open(self, sealed: bytes, associated: str) -> bytes:
        try:
            return self._aead.decrypt(sealed[:12], sealed[12:], associated.encode())
        except (InvalidTag, ValueError):
            raise VaultError("the data key does not open this record") from None
