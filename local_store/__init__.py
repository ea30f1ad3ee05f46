"""The kiosk's local database (SQLite): open a `Store` and use its parts.

    store = Store(path, training=False)
    saved = store.outbox.submit("missed-bin", 1, answers)
    state = store.state.read()          # enrolment, last sync, clock skew, a stop on the token
    store.cache.catalogue()             # (catalogue, etag) or None

Imports nothing of the kiosk's other packages.
"""

from local_store.alerts import Alert
from local_store.db import (
    DatabaseUnavailable,
    InvalidTransition,
    SaveFailed,
    SchemaTooNew,
    StoreError,
    WriteFailed,
    WrongMode,
)
from local_store.help import HelpRequest
from local_store.outbox import STATES, OutboxCounts, OutboxItem, Saved, new_reference, uuid7
from local_store.staff import StaffExists, StaffRecord, correct_answers
from local_store.state import AuthStop, Enrolment, KioskState
from local_store.steps import Booking, PaymentRecord
from local_store.store import Store
from local_store.vault import KEYRING_SERVICE, RecordUnreadable, VaultError, VaultUnavailable

__all__ = [
    "KEYRING_SERVICE",
    "STATES",
    "Alert",
    "AuthStop",
    "Booking",
    "DatabaseUnavailable",
    "Enrolment",
    "HelpRequest",
    "InvalidTransition",
    "KioskState",
    "OutboxCounts",
    "OutboxItem",
    "PaymentRecord",
    "RecordUnreadable",
    "SaveFailed",
    "Saved",
    "SchemaTooNew",
    "StaffExists",
    "StaffRecord",
    "Store",
    "StoreError",
    "VaultError",
    "VaultUnavailable",
    "WriteFailed",
    "WrongMode",
    "correct_answers",
    "new_reference",
    "uuid7",
]
