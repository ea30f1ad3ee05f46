"""The kiosk's screens. Each takes plain data, shows it, and emits signals: no I/O here.

Every screen can give its content as plain text in reading order (`reading_text`), which is
what speech output will read.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.journeys.engine import FieldError, SummaryRow
from app.journeys.schema import CatalogueEntry, Page, Question


def tr(text: str) -> str:
    return QCoreApplication.translate("kiosk", text)


def label(text: str, role: str = "", *, buddy: QWidget | None = None) -> QLabel:
    w = QLabel(text)
    w.setWordWrap(True)
    w.setTextFormat(Qt.TextFormat.PlainText)
    if role:
        w.setProperty("role", role)
    if role == "h1":
        w.setAccessibleName(text)
    if buddy is not None:
        w.setBuddy(buddy)
    return w


def button(text: str, role: str = "", name: str | None = None) -> QPushButton:
    b = QPushButton(text)
    b.setAccessibleName(name or text.replace("\n", " "))
    b.setAutoDefault(True)
    b.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    if role:
        b.setProperty("role", role)
    return b


class Screen(QWidget):
    """A scrolling page with a column of content."""

    def __init__(self, object_name: str) -> None:
        super().__init__()
        self.setObjectName(object_name)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("body")
        self.column = QVBoxLayout(body)
        self.column.setContentsMargins(48, 32, 48, 32)
        self.column.setSpacing(20)
        scroll.setWidget(body)
        outer.addWidget(scroll)
        self._reading: list[str] = []

    def add(self, widget: QWidget, reading: str | None = None) -> QWidget:
        self.column.addWidget(widget)
        if reading:
            self._reading.append(reading)
        return widget

    def reading_text(self) -> str:
        return "\n".join(self._reading)

    def first_focus(self) -> QWidget | None:
        return None


class HomeScreen(Screen):
    chosen = Signal(str, int)

    def __init__(self, entries: list[CatalogueEntry], lang: str = "en") -> None:
        super().__init__("home")
        heading = tr("What would you like to do?")
        self.add(label(heading, "h1"), heading)
        self.tiles: list[QPushButton] = []
        if not entries:
            text = tr("Services are not available on this kiosk yet. Please ask a member of staff.")
            self.add(label(text), text)
        grid = QGridLayout()
        grid.setSpacing(20)
        for i, entry in enumerate(entries):
            title, summary = entry.title.get(lang), entry.summary.get(lang)
            tile = button(f"{title}\n{summary}", "tile", name=title)
            tile.setAccessibleDescription(summary)
            tile.setObjectName(f"tile-{entry.id}")
            tile.clicked.connect(lambda _=False, e=entry: self.chosen.emit(e.id, e.version))
            grid.addWidget(tile, i // 2, i % 2)
            self.tiles.append(tile)
            self._reading.append(f"{title}. {summary}")
        self.column.addLayout(grid)
        self.column.addStretch(1)

    def first_focus(self) -> QWidget | None:
        return self.tiles[0] if self.tiles else None


class QuestionScreen(Screen):
    """One page of questions: heading, hint, the inputs, Back and Continue; errors on top."""

    continued = Signal(dict)
    back = Signal()

    def __init__(self, page: Page, raw: dict[str, Any], errors: list[FieldError], lang: str = "en") -> None:
        super().__init__(f"page-{page.id}")
        self.page = page
        self.inputs: dict[str, Any] = {}
        self.error_summary: QFrame | None = None
        by_id = {e.question_id: e.message for e in errors}
        back = button(tr("Back"), "link")
        back.setObjectName("back")
        back.clicked.connect(self.back.emit)
        self.add(back)
        self.back_button = back
        if errors:
            self.error_summary = self._summary(errors)
        single = len(page.questions) == 1
        if page.title and not single:
            text = page.title.get(lang)
            self.add(label(text, "h1"), text)
        for q in page.questions:
            self._question(q, raw.get(q.id), by_id.get(q.id), lang, heading=single)
        cont = button(tr("Continue"), name=tr("Continue"))
        cont.setObjectName("continue")
        cont.setDefault(True)
        cont.clicked.connect(self._continue)
        row = QHBoxLayout()
        row.addWidget(cont)
        row.addStretch(1)
        self.column.addLayout(row)
        self.continue_button = cont
        self._reading.append(tr("Continue"))
        self.column.addStretch(1)

    def _summary(self, errors: list[FieldError]) -> QFrame:
        frame = QFrame()
        frame.setProperty("role", "error-summary")
        frame.setObjectName("error-summary")
        frame.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        frame.setAccessibleName(tr("There is a problem"))
        box = QVBoxLayout(frame)
        box.addWidget(label(tr("There is a problem"), "h1"))
        self._reading.append(tr("There is a problem"))
        for err in errors:
            link = button(err.message, "error-link")
            link.setObjectName(f"error-link-{err.question_id}")
            link.clicked.connect(lambda _=False, qid=err.question_id: self._focus_field(qid))
            box.addWidget(link)
            self._reading.append(err.message)
        self.add(frame)
        return frame

    def _focus_field(self, question_id: str) -> None:
        widget = self.inputs.get(question_id)
        target = widget[0] if isinstance(widget, list) else widget
        if isinstance(target, QWidget):
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _question(self, q: Question, raw: Any, error: str | None, lang: str, *, heading: bool) -> None:
        text = q.label.get(lang) + ("" if q.required else tr(" (optional)"))
        title = label(text, "h1" if heading else "")
        self.add(title, text)
        if q.hint:
            self.add(label(q.hint.get(lang), "hint"), q.hint.get(lang))
        if error:
            self.add(label(error, "error"), error)
        accessible = q.label.get(lang)
        if q.type in ("radios", "yes_no"):
            group = QButtonGroup(self)
            options = (
                [(o.value, o.label.get(lang)) for o in q.options]
                if q.type == "radios"
                else [("yes", tr("Yes")), ("no", tr("No"))]
            )
            radios = []
            for value, text in options:
                rb = QRadioButton(text)
                rb.setProperty("value", value)
                rb.setAccessibleName(text)
                rb.setObjectName(f"{q.id}-{value}")
                rb.setChecked(raw == value)
                group.addButton(rb)
                self.add(rb, text)
                radios.append(rb)
            self.inputs[q.id] = radios
        elif q.type == "date":
            row = QHBoxLayout()
            boxes = []
            parts = raw if isinstance(raw, dict) else {}
            for part, name, width in (("day", tr("Day"), 3), ("month", tr("Month"), 3), ("year", tr("Year"), 5)):
                col = QVBoxLayout()
                box = QLineEdit(str(parts.get(part, "")))
                box.setObjectName(f"{q.id}-{part}")
                box.setAccessibleName(f"{accessible}: {name}")
                box.setMaxLength(4 if part == "year" else 2)
                box.setFixedWidth(width * 40)
                box.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
                box.returnPressed.connect(self._continue)
                if error:
                    box.setProperty("error", "true")
                col.addWidget(label(name, buddy=box))
                col.addWidget(box)
                row.addLayout(col)
                boxes.append(box)
            row.addStretch(1)
            self.column.addLayout(row)
            self.inputs[q.id] = boxes
        else:
            edit: QLineEdit | QPlainTextEdit
            if q.type == "long_text":
                area = QPlainTextEdit(str(raw or ""))
                area.setTabChangesFocus(True)
                edit = area
            else:
                line = QLineEdit(str(raw or ""))
                hints = {
                    "email": Qt.InputMethodHint.ImhEmailCharactersOnly,
                    "number": Qt.InputMethodHint.ImhFormattedNumbersOnly,
                    "phone": Qt.InputMethodHint.ImhDialableCharactersOnly,
                    "postcode": Qt.InputMethodHint.ImhPreferUppercase | Qt.InputMethodHint.ImhNoPredictiveText,
                }
                line.setInputMethodHints(hints.get(q.type, Qt.InputMethodHint.ImhNone))
                line.returnPressed.connect(self._continue)
                edit = line
            edit.setObjectName(q.id)
            edit.setAccessibleName(accessible)
            if q.hint:
                edit.setAccessibleDescription(q.hint.get(lang))
            if error:
                edit.setProperty("error", "true")
            title.setBuddy(edit)
            self.add(edit)
            self.inputs[q.id] = edit

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for qid, widget in self.inputs.items():
            if isinstance(widget, list) and widget and isinstance(widget[0], QRadioButton):
                checked = [rb for rb in widget if rb.isChecked()]
                out[qid] = checked[0].property("value") if checked else None
            elif isinstance(widget, list):
                out[qid] = dict(zip(("day", "month", "year"), (w.text() for w in widget), strict=True))
            elif isinstance(widget, QPlainTextEdit):
                out[qid] = widget.toPlainText()
            else:
                out[qid] = widget.text()
        return out

    def _continue(self) -> None:
        self.continued.emit(self.values())

    def first_focus(self) -> QWidget | None:
        if self.error_summary is not None:
            return self.error_summary
        first = next(iter(self.inputs.values()), None)
        if isinstance(first, list):
            checked = [w for w in first if isinstance(w, QAbstractButton) and w.isChecked()]
            return checked[0] if checked else first[0]
        return first if isinstance(first, QWidget) else self.continue_button


class CheckAnswersScreen(Screen):
    change = Signal(str)
    submit = Signal()
    back = Signal()

    def __init__(self, title: str, rows: list[SummaryRow], declaration: str | None) -> None:
        super().__init__("check-answers")
        back = button(tr("Back"), "link")
        back.setObjectName("back")
        back.clicked.connect(self.back.emit)
        self.add(back)
        heading = tr("Check your answers before sending")
        self.add(label(heading, "h1"), heading)
        self.add(label(title, "hint"), title)
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(16)
        self.change_buttons: list[QPushButton] = []
        for i, row in enumerate(rows):
            q = label(row.label)
            q.setStyleSheet("font-weight: bold;")
            grid.addWidget(q, i, 0)
            grid.addWidget(label(row.answer), i, 1)
            change = button(tr("Change"), "secondary", name=tr("Change") + " " + row.label)
            change.setObjectName(f"change-{row.question_id}")
            change.clicked.connect(lambda _=False, pid=row.page_id: self.change.emit(pid))
            grid.addWidget(change, i, 2)
            self.change_buttons.append(change)
            self._reading.append(f"{row.label}: {row.answer}")
        grid.setColumnStretch(1, 1)
        self.column.addLayout(grid)
        if declaration:
            self.add(label(tr("Now send your request"), "h1"), tr("Now send your request"))
            self.add(label(declaration), declaration)
        send = button(tr("Accept and send"))
        send.setObjectName("send")
        send.clicked.connect(self.submit.emit)
        self.send_button = send
        row_box = QHBoxLayout()
        row_box.addWidget(send)
        row_box.addStretch(1)
        self.column.addLayout(row_box)
        self._reading.append(tr("Accept and send"))
        self.column.addStretch(1)

    def first_focus(self) -> QWidget | None:
        return self.change_buttons[0] if self.change_buttons else self.send_button


class ConfirmationScreen(Screen):
    finished = Signal()

    def __init__(self, title: str, reference: str, what_next: str, online: bool, training: bool = False) -> None:
        super().__init__("confirmation")
        panel = QFrame()
        panel.setProperty("role", "panel")
        box = QVBoxLayout(panel)
        box.setContentsMargins(32, 32, 32, 32)
        done = tr("Request saved")
        box.addWidget(label(done, "h1"))
        box.addWidget(label(tr("Your reference is")))
        ref = label(reference, "reference")
        ref.setObjectName("reference")
        ref.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        box.addWidget(ref)
        self.add(panel, f"{done}. {tr('Your reference is')} {reference}")
        self.banner = label("", "hint")
        self.banner.setObjectName("sent-banner")
        self.add(self.banner)
        self.reference = reference
        self.training = training
        self.sent = False
        self.set_online(online)
        self.add(label(title, "hint"), title)
        heading = tr("What happens next")
        self.add(label(heading, "h1"), heading)
        self.add(label(what_next), what_next)
        self.add(label(tr("Write down your reference or take a photo of this screen.")))
        finish = button(tr("Finish"))
        finish.setObjectName("finish")
        finish.clicked.connect(self.finished.emit)
        self.finish_button = finish
        row = QHBoxLayout()
        row.addWidget(finish)
        row.addStretch(1)
        self.column.addLayout(row)
        self.column.addStretch(1)

    def _banner_text(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setAccessibleName(text)

    def set_online(self, online: bool) -> None:
        """Say honestly where the request is: sent, being sent, or waiting for the connection."""
        if self.sent:
            return
        if online:
            self._banner_text(
                tr("Saved. It is being sent to the training portal now.")
                if self.training
                else tr("Saved. It is being sent to the council now.")
            )
        else:
            self._banner_text(
                tr("Saved. It will be sent when the connection is back. Your reference is {reference}.").format(
                    reference=self.reference
                )
            )

    def set_sent(self) -> None:
        self.sent = True
        self._banner_text(
            tr("Sent to the training portal. Nothing goes to the council in training mode.")
            if self.training
            else tr("Sent to the council.")
        )

    def reading_text(self) -> str:
        return super().reading_text() + "\n" + self.banner.text()

    def first_focus(self) -> QWidget | None:
        return self.finish_button


class ProblemScreen(Screen):
    """Never a traceback: what went wrong, in plain words, and what happened to the answers."""

    finished = Signal()

    def __init__(self, message: str) -> None:
        super().__init__("problem")
        heading = tr("Sorry, there is a problem with the service")
        self.add(label(heading, "h1"), heading)
        self.add(label(message), message)
        home = button(tr("Start again"))
        home.setObjectName("start-again")
        home.clicked.connect(self.finished.emit)
        self.home_button = home
        self.add(home)
        self.column.addStretch(1)

    def first_focus(self) -> QWidget | None:
        return self.home_button
