"""Delivery to the portal: the httpx client of the v1 contract, the sync engine (the only writer of
sync state), and the heartbeat. Imports journeys and local_store only.

The names below are loaded on first use, so importing `sync` does not import httpx (slow to
import, and not needed before the home screen is painted).
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "SyncEngine": "sync.engine",
    "SyncReport": "sync.report",
    "backoff": "sync.engine",
    "PortalClient": "sync.client",
    "PortalError": "sync.client",
    "Transient": "sync.client",
    "Permanent": "sync.client",
    "AuthFailed": "sync.client",
    "Delivered": "sync.client",
    "PaymentInfo": "sync.live",
    "SlotInfo": "sync.live",
    "HoldInfo": "sync.live",
    "BookingInfo": "sync.live",
    "SlotTaken": "sync.live",
    "HoldExpired": "sync.live",
    "HoldBooked": "sync.live",
    "Conflict": "sync.live",
    "PaymentFinished": "sync.live",
    "heartbeat": "sync.heartbeat",
    "app_version": "sync.heartbeat",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'sync' has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
