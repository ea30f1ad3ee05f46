"""The banner at the top of every screen: who we are, the connection, and the citizen's controls
(text size, contrast, language, Start again), with room for the staff bar under them.

It takes plain data and emits signals; the window decides what they do.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.i18n import tr
from ui.widgets import button, label

__all__ = ["Banner"]


class Banner(QFrame):
    next_text_size = Signal()
    high_contrast = Signal(bool)
    choose_language = Signal()
    start_again = Signal()
    get_help = Signal()  # a citizen asks for a member of staff (ui/help.py)

    def __init__(self, training: bool, staff_bar: QWidget) -> None:
        super().__init__()
        self.setProperty("role", "banner")
        self.setObjectName("banner")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 8, 24, 8)
        outer.setSpacing(8)
        top = QHBoxLayout()
        self.title = label(tr("Council services"), "h2")
        self.title.setObjectName("banner-title")  # a long press here is the staff sign-in gesture
        top.addWidget(self.title)
        if training:
            notice = QLabel(tr("TRAINING: nothing is sent to the council"))
            notice.setProperty("role", "training")
            notice.setObjectName("training-banner")
            notice.setWordWrap(True)
            top.addWidget(notice)
        top.addStretch(1)
        self.connection = label(tr("Checking connection…"))
        self.connection.setObjectName("connection")
        top.addWidget(self.connection)
        outer.addLayout(top)
        controls = QHBoxLayout()
        self.text_size_button = button("", "secondary")
        self.text_size_button.setObjectName("text-size")
        self.text_size_button.clicked.connect(self.next_text_size.emit)
        self.contrast_button = button(tr("High contrast"), "secondary")
        self.contrast_button.setObjectName("contrast")
        self.contrast_button.setCheckable(True)
        self.contrast_button.toggled.connect(self.high_contrast.emit)
        self.language_button = button(tr("Language"), "secondary")
        self.language_button.setObjectName("language")
        self.language_button.clicked.connect(self.choose_language.emit)
        start_again = button(tr("Start again"), "secondary")
        start_again.setObjectName("start-again-top")
        start_again.setAccessibleDescription(tr("Clear everything and go back to the start"))
        start_again.clicked.connect(self.start_again.emit)
        for b in (self.text_size_button, self.contrast_button, self.language_button):
            controls.addWidget(b)
        controls.addStretch(1)
        self.help_button = button(tr("Get help"), "secondary")
        self.help_button.setObjectName("get-help")
        self.help_button.setAccessibleDescription(tr("Ask for a member of staff to come and help you"))
        self.help_button.clicked.connect(self.get_help.emit)
        controls.addWidget(self.help_button)
        controls.addWidget(start_again)
        outer.addLayout(controls)
        outer.addWidget(staff_bar)  # "Assisted by NAME", Staff console, Sign out: only when signed in

    def show_settings(self, percent: int, high_contrast: bool) -> None:
        """Say the text size and contrast on their buttons (a screen reader hears the state too)."""
        self.text_size_button.setText(tr("Text size {p}%").format(p=percent))
        self.text_size_button.setAccessibleName(tr("Text size {p}%, press to change").format(p=percent))
        self.contrast_button.setAccessibleName(tr("High contrast") + (tr(", on") if high_contrast else tr(", off")))
        if self.contrast_button.isChecked() != high_contrast:  # set from code: no signal back
            blocked = self.contrast_button.blockSignals(True)
            self.contrast_button.setChecked(high_contrast)
            self.contrast_button.blockSignals(blocked)

    def set_connection(self, text: str) -> None:
        self.connection.setText(text)
        self.connection.setAccessibleName(text)
