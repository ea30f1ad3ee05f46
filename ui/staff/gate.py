"""The only way to the staff screens: Ctrl+Alt+S or a long press on the banner title, then a staff id and PIN."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QWidget

from ui.i18n import staff_tr
from ui.screens import Screen
from ui.widgets import button, label

__all__ = ["LONG_PRESS_MS", "SIGN_IN_KEYS", "AssistedBar", "SignInGate", "SignInScreen"]

SIGN_IN_KEYS = "Ctrl+Alt+S"
LONG_PRESS_MS = 1500


class SignInScreen(Screen):
    """Staff id and PIN. The only way to the staff screens."""

    submitted = Signal(str, str)
    cancelled = Signal()

    def __init__(self, message: str = "") -> None:
        super().__init__("staff-sign-in")
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # staff words are English, whatever the citizen chose
        heading = staff_tr("Staff sign in")
        self.add(label(heading, "h1"), heading)
        hint = staff_tr("For council and library staff. If you are not staff, press Cancel.")
        self.add(label(hint, "hint"), hint)
        self.error = label(message, "error")
        self.error.setObjectName("sign-in-error")
        self.error.setVisible(bool(message))
        self.add(self.error)
        self.set_reading(self.error, message)  # read while it shows, before the boxes
        self.staff_id = QLineEdit()
        self.staff_id.setObjectName("staff-id")
        self.staff_id.setAccessibleName(staff_tr("Staff id"))
        self.staff_id.setInputMethodHints(Qt.InputMethodHint.ImhNoPredictiveText)
        self.add(label(staff_tr("Staff id"), "h2", buddy=self.staff_id), staff_tr("Staff id"))
        self.add(self.staff_id)
        self.pin = QLineEdit()
        self.pin.setObjectName("staff-pin")
        self.pin.setAccessibleName(staff_tr("PIN"))
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly | Qt.InputMethodHint.ImhSensitiveData)
        self.pin.setMaxLength(12)
        self.add(label(staff_tr("PIN"), "h2", buddy=self.pin), staff_tr("PIN"))
        self.add(self.pin)
        self.staff_id.returnPressed.connect(self.pin.setFocus)
        self.pin.returnPressed.connect(self._submit)
        self.sign_in_button = button(staff_tr("Sign in"))
        self.sign_in_button.setObjectName("sign-in")
        self.sign_in_button.clicked.connect(self._submit)
        cancel = button(staff_tr("Cancel"), "secondary")
        cancel.setObjectName("sign-in-cancel")
        cancel.clicked.connect(self.cancelled.emit)
        self._row(self.sign_in_button, cancel)
        self.add_reading(staff_tr("Sign in"), staff_tr("Cancel"))
        self.column.addStretch(1)

    def _submit(self) -> None:
        pin = self.pin.text()
        self.pin.clear()
        self.submitted.emit(self.staff_id.text(), pin)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setAccessibleName(message)
        self.set_reading(self.error, message)
        self.error.show()
        self.announce(message)  # said first; the PIN box that takes focus is said after it
        self.pin.setFocus(Qt.FocusReason.OtherFocusReason)

    def first_focus(self) -> QWidget | None:
        return self.pin if self.staff_id.text() else self.staff_id


class SignInGate(QObject):
    """The two ways to the sign-in screen: Ctrl+Alt+S anywhere in the window, a long press on the title.

    A short tap does nothing; `pressing` and `remaining_ms` say whether a long press is under way.
    """

    requested = Signal()

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._press = QTimer(self)
        self._press.setSingleShot(True)
        self._press.setInterval(LONG_PRESS_MS)
        self._press.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse timer may run 5% late
        self._press.timeout.connect(self.requested.emit)
        self.shortcut = QShortcut(QKeySequence(SIGN_IN_KEYS), window)
        self.shortcut.setObjectName("staff-sign-in-shortcut")
        self.shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.shortcut.activated.connect(self.requested.emit)

    def watch(self, title: QWidget) -> None:
        """A press held on this widget for LONG_PRESS_MS opens the sign-in screen."""
        title.installEventFilter(self)

    @property
    def pressing(self) -> bool:
        return self._press.isActive()

    def remaining_ms(self) -> int:
        """How long the press must still be held (-1 when no press is under way)."""
        return self._press.remainingTime()

    def cancel(self) -> None:
        self._press.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            self._press.start()
        elif kind in (QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel, QEvent.Type.Leave):
            self._press.stop()
        return False


class AssistedBar(QFrame):
    """'Assisted by NAME', Staff console and Sign out: in the banner, only while staff are signed in."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("staff-bar")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.assisted = QLabel()
        self.assisted.setObjectName("assisted-by")
        self.assisted.setWordWrap(True)
        self.assisted.setTextFormat(Qt.TextFormat.PlainText)
        row.addWidget(self.assisted, 1)
        self.console_button = button(staff_tr("Staff console"), "secondary")
        self.console_button.setObjectName("staff-console-button")
        self.sign_out_button = button(staff_tr("Sign out"), "secondary")
        self.sign_out_button.setObjectName("staff-sign-out")
        self.sign_out_button.setAccessibleDescription(staff_tr("Sign out and clear the citizen's session"))
        row.addWidget(self.console_button)
        row.addWidget(self.sign_out_button)
        self.hide()

    def show_assisted(self, text: str) -> None:
        self.assisted.setText(text)
        self.assisted.setAccessibleName(text)
        self.show()

    def clear(self) -> None:
        self.hide()
        self.assisted.clear()
