"""The errors the screens and the command line must catch from the use cases, named here so that
ui never imports local_store or sync to catch them."""

from __future__ import annotations

from local_store import InvalidTransition, StoreError
from local_store.vault import VaultError

__all__ = ["InvalidTransition", "JourneyUnavailable", "StoreError", "VaultError"]


class JourneyUnavailable(LookupError):
    """The journey a submission was made with is not cached on this kiosk, so its answers cannot be
    checked or shown with their questions. str() says which journey."""
