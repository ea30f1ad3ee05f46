"""FlowLayout: widgets left to right, onto a new line when the next does not fit (as words wrap).

Every item on a line gets the line's height, so a row of buttons looks like one row; the last
item can be kept at the far end of its line (the banner's Start again). Right to left, it mirrors.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget

__all__ = ["FlowLayout"]


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, *, spacing: int = 8, last_at_end: bool = False) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self.last_at_end = last_at_end
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._lay_out(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._lay_out(rect, apply=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        """As wide as the widest item (everything else can wrap), as high as the items need at that width."""
        visible = [i for i in self._items if not i.isEmpty()]
        width = max((i.sizeHint().width() for i in visible), default=0)
        return QSize(width, self.heightForWidth(width))

    def _lines(self, width: int) -> list[list[QLayoutItem]]:
        lines: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in self._items:
            if item.isEmpty():
                continue
            w = item.sizeHint().width()
            if lines[-1] and used + self._gap + w > width:
                lines.append([])
                used = 0
            used += (self._gap if lines[-1] else 0) + w
            lines[-1].append(item)
        return [line for line in lines if line]

    def _lay_out(self, rect: QRect, *, apply: bool) -> int:
        y = rect.y()
        lines = self._lines(rect.width())
        parent = self.parentWidget()
        mirrored = parent is not None and parent.layoutDirection() == Qt.LayoutDirection.RightToLeft
        last = lines[-1][-1] if lines and self.last_at_end else None
        for line in lines:
            height = max(i.sizeHint().height() for i in line)
            x = rect.x()
            for item in line:
                w = item.sizeHint().width()
                left = rect.right() + 1 - w if item is last else x
                if mirrored:
                    left = rect.x() + rect.right() + 1 - left - w
                if apply:
                    item.setGeometry(QRect(QPoint(left, y), QSize(w, height)))
                x += w + self._gap
            y += height + self._gap
        return y - self._gap - rect.y() if lines else 0
