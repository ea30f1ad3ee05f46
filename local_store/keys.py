"""The data keys in the OS keyring: one 256-bit key per epoch, never in the database or a log.

Epoch n's key is `data-key:{install_id}:epoch:{n}`. Epoch 0 is the key of a database written
before epochs existed (`data-key:{install_id}`, the old key-encryption key), read until the first
rotation re-seals its records and deletes it. See local_store/shred.py for when keys are destroyed.
"""

from __future__ import annotations

import base64
import contextlib

KEYRING_SERVICE = "dcp-kiosk"
LEGACY_EPOCH = 0


class VaultError(RuntimeError):
    """The data key is missing, unusable or does not open the data. Staff must be told."""


class VaultUnavailable(VaultError):
    """The whole vault cannot be used: no keyring, no key, a damaged key, or a key that does not
    open this database. Nothing can be sealed or opened; no single record is at fault."""


class RecordUnreadable(VaultError):
    """This one record does not open (damaged or moved ciphertext, or its epoch's key destroyed)."""


def key_name(install_id: str, epoch: int = LEGACY_EPOCH) -> str:
    if epoch == LEGACY_EPOCH:
        return f"data-key:{install_id}"
    return f"data-key:{install_id}:epoch:{epoch}"


def _unusable(exc: Exception) -> VaultUnavailable:
    return VaultUnavailable(f"no usable keyring ({type(exc).__name__})")


def load_key(install_id: str, epoch: int = LEGACY_EPOCH) -> bytes | None:
    """The epoch's key from the keyring, None if it has none. VaultUnavailable if unusable."""
    import keyring  # on first use, not at start-up: the home screen needs no key

    try:
        stored = keyring.get_password(KEYRING_SERVICE, key_name(install_id, epoch))
    except Exception as exc:  # any backend failure (no backend, locked, D-Bus gone) means "no keyring"
        raise _unusable(exc) from None
    if stored is None:
        return None
    try:
        key = base64.b64decode(stored, validate=True)
    except ValueError:
        raise VaultUnavailable("the data key in the keyring is damaged") from None
    if len(key) != 32:
        raise VaultUnavailable("the data key in the keyring is damaged")
    return key


def store_key(install_id: str, epoch: int, key: bytes) -> None:
    """Put the epoch's key in the keyring (replacing a leftover of an epoch never committed)."""
    import keyring

    try:
        keyring.set_password(KEYRING_SERVICE, key_name(install_id, epoch), base64.b64encode(key).decode())
    except Exception as exc:
        raise _unusable(exc) from None


def delete_key(install_id: str, epoch: int) -> bool:
    """Delete the epoch's key. True once the keyring no longer holds it (also if it never did)."""
    import keyring

    with contextlib.suppress(Exception):  # some backends refuse to delete what is not there: look
        keyring.delete_password(KEYRING_SERVICE, key_name(install_id, epoch))
    try:
        return keyring.get_password(KEYRING_SERVICE, key_name(install_id, epoch)) is None
    except Exception:
        return False


__all__ = [
    "KEYRING_SERVICE",
    "LEGACY_EPOCH",
    "RecordUnreadable",
    "VaultError",
    "VaultUnavailable",
    "delete_key",
    "key_name",
    "load_key",
    "store_key",
]
