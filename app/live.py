"""Calls to the portal made while a citizen waits (a payment, free times, a hold, a booking).

Unlike a submission, which waits in the outbox, these need the portal now. Each runs on a worker
thread with its own deadline (the client's), and every failure becomes one LiveUnavailable whose
``kind`` the screens turn into words: ``offline`` (no answer, or not a contract answer: try again or
do it another way), ``refused`` (the portal said no; nothing to retry), ``taken`` (the time has just
gone), ``expired`` (a hold lapsed). Its text is for the log and staff, never shown to a citizen.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

log = logging.getLogger("kiosk")

__all__ = ["LiveUnavailable", "calling"]


class LiveUnavailable(RuntimeError):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@contextlib.contextmanager
def calling(what: str) -> Iterator[None]:
    """Sort a portal failure into LiveUnavailable (the cause kept for whoever needs it); log its class only."""
    from sync.client import AuthFailed, Permanent, PortalError
    from sync.live import HoldExpired, SlotTaken

    try:
        yield
    except SlotTaken as exc:
        raise LiveUnavailable("taken", exc.message) from exc
    except HoldExpired as exc:
        raise LiveUnavailable("expired", exc.message) from exc
    except (AuthFailed, Permanent) as exc:
        log.warning("%s call refused: %s", what, exc.error_class)
        raise LiveUnavailable("refused", exc.message) from exc
    except PortalError as exc:  # Transient: unreachable, timeout, not a contract answer
        log.info("%s call failed: %s", what, exc.error_class)
        raise LiveUnavailable("offline", exc.message) from exc
