"""Calls to the portal while a citizen waits, off the UI thread: each on its own QThread.

`LiveCalls.start(call, done)` runs `call(client)` with a fresh portal client on a worker thread and
calls `done(result)` back on the UI thread, where `result` is the call's value or the LiveUnavailable
it raised. A call whose screen has gone (the citizen moved on, or the session was wiped) is dropped
when it returns: `forget()` says so. With no enrolment there is no client: `done` gets
LiveUnavailable("offline") at once, as for a kiosk that cannot reach the portal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from app.kiosk import Kiosk
from app.live import LiveUnavailable

log = logging.getLogger("ui")

__all__ = ["LiveCalls"]


class _Call(QThread):
    result = Signal(int, int, object)  # (key, generation, value or LiveUnavailable)

    def __init__(self, call: Callable[[Any], Any], client: Any, key: int, generation: int) -> None:
        super().__init__()
        self.call, self.client, self.key, self.generation = call, client, key, generation

    def run(self) -> None:
        try:
            value: Any = self.call(self.client)
        except LiveUnavailable as exc:
            value = exc
        except Exception as exc:  # a bug in a call must not take the kiosk down: the citizen is told it failed
            log.exception("live call failed: %s", type(exc).__name__)
            value = LiveUnavailable("offline", type(exc).__name__)
        finally:
            self.client.close()
        self.result.emit(self.key, self.generation, value)


class LiveCalls(QObject):
    def __init__(self, kiosk: Kiosk, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kiosk = kiosk
        self.generation = 0
        self._threads: list[_Call] = []
        self._done: dict[int, Callable[[Any], None]] = {}
        self._next = 0

    def start(self, call: Callable[[Any], Any], done: Callable[[Any], None]) -> None:
        client = self.kiosk.case_client()
        if client is None:
            done(LiveUnavailable("offline", "this kiosk is not enrolled"))
            return
        self._next += 1
        self._done[self._next] = done
        thread = _Call(call, client, self._next, self.generation)
        thread.result.connect(self._returned)  # a slot of this object: queued onto the UI thread
        thread.finished.connect(self._reap)
        self._threads.append(thread)
        thread.start()

    @Slot(int, int, object)
    def _returned(self, key: int, generation: int, value: Any) -> None:
        done = self._done.pop(key, None)
        if done is not None and generation == self.generation:
            done(value)

    def forget(self) -> None:
        """Calls under way now return to nobody (their screen has gone)."""
        self.generation += 1

    @Slot()
    def _reap(self) -> None:
        for thread in [t for t in self._threads if t.isFinished()]:
            self._threads.remove(thread)
            thread.deleteLater()

    def wait(self) -> None:
        """Let every call under way finish (window shutdown, tests); each is bounded by the client's deadline."""
        for thread in list(self._threads):
            thread.wait()
