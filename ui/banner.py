"""The banner at the top of every screen: the citizen's controls (Listen, text size, contrast, language,
Get help, Start again), who we are and the connection, with room for the staff bar under them.

The controls come first and the text size button is as large at every text size as at the
largest, so a citizen pressing it again and again finds it where it was; the other controls and
the words grow with the text and wrap onto a new line rather than being cut off.
It takes plain data and emits signals; the window decides what they do.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QVBoxLayout,
    QWidget,
)

from app.languages import DEFAULT as DEFAULT_LANGUAGE
from journeys.formatting import format_percent
from ui.flow import FlowLayout
from ui.i18n import current, isolate, tr
from ui.theme import BASE_PX, TEXT_SCALES
from ui.widgets import button, label

__all__ = ["Banner", "SteadyButton"]


def _text_size_label(percent: int) -> str:
    # "100%" in its own order: after Urdu letters its digits would be Arabic numbers and the % sign
    # would come loose from them (the bidi algorithm, W2 and W5)
    return tr("Text size {percent}").format(percent=isolate(format_percent(percent, current())))


def _listen_label(on: bool | None) -> str:
    """The Listen button's words: audio mode off, on, or (None) asked for when the kiosk cannot speak."""
    if on is None:
        return tr("Speech not working")
    return tr("Stop listening") if on else tr("Listen to this screen")


SHAPING_SLACK_PX = 4


class SteadyButton(QPushButton):
    """A button whose size is the size it needs for the largest of `texts` at the largest text size."""

    def __init__(self, texts: list[str]) -> None:
        super().__init__()
        self.texts = texts
        self._hint: tuple[object, QSize] | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAutoDefault(True)
        self.setProperty("role", "secondary")

    def sizeHint(self) -> QSize:
        """Worked out once for these words in this font and style: a joined script's advances can come out a
        pixel apart from one call to the next, and a hint that moves after layout would cut the words."""
        key = (tuple(self.texts), self.font().key(), id(self.style()), self.styleSheet())
        if self._hint is None or self._hint[0] != key:
            self._hint = (key, self._measure())
        return self._hint[1]

    def _measure(self) -> QSize:
        font = QFont(self.font())
        font.setPixelSize(round(BASE_PX * max(TEXT_SCALES)))
        bold = QFont(font)
        bold.setBold(True)  # the focused look may be bold: as wide as either, and a little room for the
        # shaping of joined scripts (Urdu measured a pixel or two wider once laid out)
        widths = [QFontMetrics(f).horizontalAdvance(t) for f in (font, bold) for t in self.texts or [""]]
        words = QSize(max(widths) + SHAPING_SLACK_PX, max(QFontMetrics(f).height() for f in (font, bold)))
        option = QStyleOptionButton()
        self.initStyleOption(option)
        return self.style().sizeFromContents(QStyle.ContentsType.CT_PushButton, option, words, self)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()


class Banner(QFrame):
    next_text_size = Signal()
    high_contrast = Signal(bool)
    choose_language = Signal()
    start_again = Signal()
    get_help = Signal()  # a citizen asks for a member of staff (ui/help.py)
    listen = Signal()  # audio mode on or off (ui/speech/)

    def __init__(self, training: bool, staff_bar: QWidget) -> None:
        super().__init__()
        self.setProperty("role", "banner")
        self.setObjectName("banner")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 8, 24, 8)
        outer.setSpacing(8)
        self.controls = FlowLayout(spacing=8, last_at_end=True)
        outer.addLayout(self.controls)
        top = QHBoxLayout()
        self.title = label("", "h2")
        self.title.setObjectName("banner-title")  # a long press here is the staff sign-in gesture
        self.title.setWordWrap(False)  # a short name on one line: the notice and connection beside it wrap instead
        top.addWidget(self.title, 0, Qt.AlignmentFlag.AlignTop)
        self.training_notice: QLabel | None = None
        if training:
            notice = QLabel()
            self.training_notice = notice
            notice.setProperty("role", "training")
            notice.setObjectName("training-banner")
            notice.setWordWrap(True)
            top.addWidget(notice, 2, Qt.AlignmentFlag.AlignTop)
        self.connection = label("")
        self.connection.setObjectName("connection")
        self.connection.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.connection, 1)
        outer.addLayout(top)
        self.text_size_button = SteadyButton([])
        self.text_size_button.setObjectName("text-size")
        self.text_size_button.clicked.connect(self.next_text_size.emit)
        self.contrast_button = button("", "secondary")
        self.contrast_button.setObjectName("contrast")
        self.contrast_button.setCheckable(True)
        self.contrast_button.toggled.connect(self.high_contrast.emit)
        self.language_button = button("", "secondary")
        self.language_button.setObjectName("language")
        self.language_button.clicked.connect(self.choose_language.emit)
        start_again = button("", "secondary")
        self.start_again_button = start_again
        start_again.setObjectName("start-again-top")
        start_again.clicked.connect(self.start_again.emit)
        self.help_button = button("", "secondary")
        self.help_button.setObjectName("get-help")
        self.help_button.clicked.connect(self.get_help.emit)
        # As steady as the text size button before it, so that one stays where it is at every text size.
        self.listen_button = SteadyButton([])
        self.listen_button.setObjectName("listen")
        self.listen_button.clicked.connect(self.listen.emit)
        self.listening: bool | None = False
        controls = (self.listen_button, self.text_size_button, self.contrast_button, self.language_button)
        for b in (*controls, self.help_button, start_again):
            b.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)  # as high as the row
            self.controls.addWidget(b)  # Start again last: it stays at the far end
        outer.addWidget(staff_bar)  # "Assisted by NAME", Staff console, Sign out: only when signed in
        self.connection_text = ""
        self.percent, self.contrast_on = 100, False
        self.retranslate()

    def retranslate(self) -> None:
        """Every word of the banner in the display language (the banner lives as long as the window)."""
        self.title.setText(tr("Council services"))
        if self.training_notice is not None:
            self.training_notice.setText(tr("TRAINING: nothing is sent to the council"))
        if not self.connection_text:  # the window says the connection again in the new language when it knows it
            self.connection.setText(tr("Checking connection…"))
            self.connection.setAccessibleName(self.connection.text())
        self.text_size_button.texts = [_text_size_label(round(s * 100)) for s in TEXT_SCALES]
        self.listen_button.texts = [_listen_label(state) for state in (False, True, None)]
        self.listen_button.setAccessibleDescription(
            tr("The kiosk reads the screen aloud. On the number pad, 2 and 8 move, 5 chooses, 0 tells you the keys.")
        )
        self.show_listening(self.listening)
        words = tr("Language")
        if current() != DEFAULT_LANGUAGE:  # whoever helps the citizen can always find the way back to English
            words = f"{words} · {isolate('Language')}"
        self.language_button.setText(words)
        self.language_button.setAccessibleName(words)
        for b, words, description in (
            (self.start_again_button, tr("Start again"), tr("Clear everything and go back to the start")),
            (self.help_button, tr("Get help"), tr("Ask for a member of staff to come and help you")),
        ):
            b.setText(words)
            b.setAccessibleName(words)
            b.setAccessibleDescription(description)
        self.show_settings(self.percent, self.contrast_on)
        for b in (self.text_size_button, self.listen_button, self.language_button):
            b.updateGeometry()

    def minimumSizeHint(self) -> QSize:
        """As high as the banner needs at its width now. A window knows no height for width: Qt's own minimum
        is the height when squeezed to its narrowest (every button and word on a line of its own), which at
        200% text made the window taller than the kiosk's screen."""
        least = super().minimumSizeHint()
        if self.width() <= least.width():
            return least
        return QSize(least.width(), self.heightForWidth(self.width()))

    def show_settings(self, percent: int, high_contrast: bool) -> None:
        """Say the text size and contrast on their buttons (a screen reader hears the state too)."""
        self.percent, self.contrast_on = percent, high_contrast
        self.contrast_button.setText(tr("High contrast"))
        self.text_size_button.setText(_text_size_label(percent))
        self.text_size_button.setAccessibleName(
            tr("Text size {percent}, press to change").format(percent=format_percent(percent, current()))
        )
        self.contrast_button.setAccessibleName(tr("High contrast") + (tr(", on") if high_contrast else tr(", off")))
        if self.contrast_button.isChecked() != high_contrast:  # set from code: no signal back
            blocked = self.contrast_button.blockSignals(True)
            self.contrast_button.setChecked(high_contrast)
            self.contrast_button.blockSignals(blocked)

    def show_listening(self, on: bool | None) -> None:
        """Audio mode on, off, or (None) asked for but the kiosk cannot speak."""
        self.listening = on
        self.listen_button.setText(_listen_label(on))

    def set_connection(self, text: str) -> None:
        self.connection_text = text
        self.connection.setText(text)
        self.connection.setAccessibleName(text)
