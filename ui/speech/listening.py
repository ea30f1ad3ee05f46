"""Private listening: whether speech may say personal data (headphones) or not (the open speaker).

PLACEHOLDER on main until the LISTEN branch lands: the configured mode only.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

__all__ = ["Listening"]


class Listening(QObject):
    changed = Signal(bool)
    plugged_in = Signal()

    def __init__(self, mode: str = "detect", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.mode = mode
        self._toggled: bool | None = None

    @property
    def private(self) -> bool:
        return self._toggled if self._toggled is not None else self.mode == "headphones"

    def toggle(self) -> bool:
        self._toggled = not self.private
        self.changed.emit(self._toggled)
        return self._toggled

    def reset(self) -> None:
        self._toggled = None

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def source(self) -> str:
        return self.mode
