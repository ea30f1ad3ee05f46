"""The three ways a call to a server fails, which the sync engine acts on, and what a delivery gives back.

Transient (try again later), Permanent (a person must look at it), AuthFailed (re-enrol).
"""

from __future__ import annotations

from dataclasses import dataclass


class PortalError(Exception):
    """Base class. `error_class` is a short name safe to log and show to staff."""

    def __init__(self, error_class: str, message: str) -> None:
        super().__init__(message)
        self.error_class = error_class
        self.message = message


class Transient(PortalError):
    def __init__(self, error_class: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(error_class, message)
        self.retry_after = retry_after


class Permanent(PortalError):
    def __init__(self, error_class: str, message: str, status: int, field_errors: list[dict[str, str]]) -> None:
        super().__init__(error_class, message)
        self.status = status
        self.field_errors = field_errors


class AuthFailed(PortalError):
    """401 (unknown token) or 403 (revoked): the kiosk must be re-enrolled; syncing stops."""

    def __init__(self, error_class: str, message: str, status: int = 401) -> None:
        super().__init__(error_class, message)
        self.status = status


class TokenUnavailable(Transient):
    """The device token cannot be read (no keyring, or it is locked): an environment problem that
    passes, not a refused token. Nothing is sent; syncing tries again each pass."""

    def __init__(self, message: str) -> None:
        super().__init__("keyring_unavailable", message)


@dataclass(frozen=True)
class Delivered:
    reference: str
    status: str


__all__ = ["AuthFailed", "Delivered", "Permanent", "PortalError", "TokenUnavailable", "Transient"]
