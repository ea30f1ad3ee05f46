"""How a page scrolls on a kiosk: by dragging it (kinetic), to whatever has focus, and with a
"More below" cue while there is more of the page under the bottom edge.

A kiosk's touchscreen often reaches Qt as a mouse, and Qt turns a touch that no widget takes into
a mouse press too, so one left-button flick gesture on the viewport serves both (QScroller allows
one gesture per widget). A tap presses what it lands on at once: the press is not held back (Qt's
press delay finds its target by screen position, which fails on some window systems and under
test), and when the finger moves far enough to drag, the control under it is let go, so it does
not click.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, Qt, Slot
from PySide6.QtWidgets import QAbstractButton, QFrame, QPushButton, QScrollArea, QScroller, QScrollerProperties, QWidget

from ui.i18n import tr

__all__ = ["FOCUS_MARGIN_PX", "MoreBelow", "PageScroll"]

SNAP_GAP_PX = 8  # the gap kept above a line the page stops at
FOCUS_MARGIN_PX = 48  # room left around a control scrolled into view, so its label shows too
FADE_PX = 40  # the fade at the bottom edge of a page that goes on
PAGE_OVERLAP = 0.2  # "More below" keeps a fifth of the screen in view, so the citizen keeps their place


class PageScroll(QScrollArea):
    """The scroll area of a page: kinetic dragging, a fade at the bottom edge, `reveal`, `page_down`."""

    def __init__(self) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        viewport = self.viewport()
        QScroller.grabGesture(viewport, QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        scroller = QScroller.scroller(viewport)
        props = scroller.scrollerProperties()
        off = QScrollerProperties.OvershootPolicy.OvershootAlwaysOff
        props.setScrollMetric(QScrollerProperties.ScrollMetric.HorizontalOvershootPolicy, off)
        props.setScrollMetric(QScrollerProperties.ScrollMetric.VerticalOvershootPolicy, off)
        props.setScrollMetric(QScrollerProperties.ScrollMetric.MousePressEventDelay, 0)
        scroller.setScrollerProperties(props)
        scroller.stateChanged.connect(self._scroller_state)
        self.fade = QWidget(viewport)  # drawn by the style sheet (role "fade"); never takes a press
        self.fade.setObjectName("fade")
        self.fade.setProperty("role", "fade")
        self.fade.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.fade.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.fade.hide()
        viewport.installEventFilter(self)

    @Slot(QScroller.State)
    def _scroller_state(self, state: QScroller.State) -> None:
        """A press that turned into a drag lets go of the control it landed on, which then does not click."""
        body = self.widget()
        if state == QScroller.State.Dragging and body is not None:
            for pressed in body.findChildren(QAbstractButton):
                if pressed.isDown():
                    pressed.setDown(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.viewport() and event.type() == QEvent.Type.Resize:
            self._place_fade()
        return False

    def _place_fade(self) -> None:
        viewport = self.viewport()
        self.fade.setGeometry(0, max(0, viewport.height() - FADE_PX), viewport.width(), FADE_PX)
        self.fade.raise_()

    def more_below(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.maximum() > 0 and bar.value() < bar.maximum()

    def show_fade(self, on: bool) -> None:
        self._place_fade()
        self.fade.setVisible(on)

    def reveal(self, widget: QWidget) -> None:
        """Scroll so that all of `widget` shows, with a margin (its top, if it is taller than the screen).

        QScrollArea.ensureWidgetVisible shows only the text cursor of a text box, not the box."""
        body = self.widget()
        if body is None:
            return
        for _ in range(2):  # a page just shown: lay it out, then again if "More below" came with it
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        bar = self.verticalScrollBar()
        view = self.viewport().height()
        top = widget.mapTo(body, QPoint(0, 0)).y()
        margin = min(FOCUS_MARGIN_PX, max(0, (view - widget.height()) // 2))
        value = max(bar.value(), top + widget.height() + margin - view)
        if value > bar.value():
            # Scrolling down: stop where a line of the page starts, never half way through a heading's words.
            starts = [child.y() - SNAP_GAP_PX for child in _lines(body) if value <= child.y() - SNAP_GAP_PX < top]
            if starts:
                value = min(starts)
        bar.setValue(min(value, top - margin))

    @Slot()
    def page_down(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + round(self.viewport().height() * (1 - PAGE_OVERLAP)))


def _lines(body: QWidget) -> list[QWidget]:
    """The page's own column: the widgets laid out directly in the body, top to bottom."""
    layout = body.layout()
    if layout is None:
        return []
    items = [layout.itemAt(i) for i in range(layout.count())]
    found = [item.widget() for item in items if item is not None]
    return [w for w in found if w is not None and not w.isHidden()]


class MoreBelow(QPushButton):
    """A bar under the page while more of it is below the bottom edge; a tap scrolls down a screenful.

    It keeps its room when hidden, so the page does not jump when it goes at the bottom, and it
    takes no focus: a tap on it leaves the citizen's place (and the on-screen keyboard) where it is,
    and from the keyboard, Tab already scrolls the page to each control."""

    def __init__(self, scroll: PageScroll) -> None:
        super().__init__("▼  " + tr("More below"))
        self.setObjectName("more-below")
        self.setProperty("role", "more-below")
        self.setAccessibleName(tr("More below"))
        self.setAccessibleDescription(tr("Scroll down to see more of this page"))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        self.page_scroll = scroll
        self.clicked.connect(scroll.page_down)
        bar = scroll.verticalScrollBar()
        bar.rangeChanged.connect(self.update_shown)
        bar.valueChanged.connect(self.update_shown)
        self.hide()

    @Slot()
    def update_shown(self) -> None:
        shown = self.page_scroll.more_below()
        self.setVisible(shown)
        self.page_scroll.show_fade(shown)
