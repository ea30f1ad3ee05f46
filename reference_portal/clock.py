"""The reference portal's notion of now for payments and appointments, with an admin offset.

Tests and demos move it forward (PUT /admin/clock) to see a payment expire after 90 minutes or a
hold lapse after five, without sleeping. Only payments and appointments read it: the health
check and heartbeats keep the real clock, so a kiosk's clock-skew check is not disturbed.
"""

from __future__ import annotations

import datetime as dt
import math
import threading

__all__ = ["Clock", "ClockError", "is_date_time", "iso"]

MAX_OFFSET_S = 400 * 86_400.0  # a little over a year ahead is enough for any test


class ClockError(ValueError):
    """An offset that does not make sense; the message says why."""


class Clock:
    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    @property
    def offset_s(self) -> float:
        with self._lock:
            return self._offset

    def set_offset(self, value: object) -> None:
        """Move now to the real time plus `value` seconds (0 goes back to the real time)."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ClockError("offset_s must be a number of seconds")
        offset = float(value)
        if not math.isfinite(offset) or not 0.0 <= offset <= MAX_OFFSET_S:
            raise ClockError(f"offset_s must be between 0 and {MAX_OFFSET_S:.0f} seconds (ahead of the real time)")
        with self._lock:
            self._offset = offset

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + dt.timedelta(seconds=self.offset_s)

    def snapshot(self) -> dict[str, object]:
        return {"offset_s": self.offset_s, "now": self.now().isoformat()}


def iso(when: dt.datetime) -> str:
    """One fixed form (UTC, milliseconds), so that stored times also compare as strings."""
    return when.astimezone(dt.UTC).isoformat(timespec="milliseconds")


def is_date_time(value: object) -> bool:
    """Whether `value` is an ISO 8601 date and time with a UTC offset."""
    if not isinstance(value, str) or len(value) > 64:
        return False
    try:
        return dt.datetime.fromisoformat(value).utcoffset() is not None
    except ValueError:
        return False
