"""The kiosk's screens. Each takes plain data, shows it, and emits signals: no I/O here.

Every screen can give its content as plain text in reading order (`reading_text`), which is
what speech output will read.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from journeys.flow import FieldError, SummaryRow
from journeys.models import CatalogueEntry, ContentBlock, Journey, Page, Question


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


class Tile(QPushButton):
    """A large button whose words wrap, however large the text: a title line and a summary.

    QPushButton does not wrap its text, so the words are labels in the button's own layout, and
    the button's height follows their height at its width.
    """

    def __init__(self, title: str, summary: str) -> None:
        super().__init__()
        self.setAccessibleName(title)
        self.setAccessibleDescription(summary)
        self.setAutoDefault(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setProperty("role", "tile")
        box = QVBoxLayout(self)
        box.setContentsMargins(20, 12, 20, 12)
        box.setSpacing(4)
        self.lines: list[QLabel] = []
        for text, role in ((title, "tile-title"), (summary, "tile-summary")):
            line = label(text, role)
            line.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            box.addWidget(line)
            self.lines.append(line)
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)
        policy.setVerticalPolicy(QSizePolicy.Policy.Minimum)
        self.setSizePolicy(policy)

    def hasHeightForWidth(self) -> bool:
        return True

    def set_summary(self, summary: str) -> None:
        self.lines[1].setText(summary)
        self.setAccessibleDescription(summary)

    def _set_focused(self, focused: bool) -> None:
        # A style sheet cannot colour a child by its parent's :focus, so the tile carries a property.
        self.setProperty("focused", "true" if focused else "false")
        for child in self.findChildren(QLabel):
            child.style().unpolish(child)
            child.style().polish(child)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._set_focused(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self._set_focused(False)

    def heightForWidth(self, width: int) -> int:
        layout = self.layout()
        return layout.totalHeightForWidth(width) if layout is not None else super().heightForWidth(width)

    def sizeHint(self) -> QSize:
        width = max(self.width(), 400)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.heightForWidth(max(self.width(), 200)))


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

    def _row(self, *widgets: QWidget) -> None:
        """Buttons side by side at their natural width; the layout mirrors right to left."""
        row = QHBoxLayout()
        for w in widgets:
            row.addWidget(w)
        row.addStretch(1)
        self.column.addLayout(row)

    def _back_link(self, signal: Any) -> QPushButton:
        back = button(tr("Back"), "link")
        back.setObjectName("back")
        back.clicked.connect(signal.emit)
        self._row(back)
        return back


def category_name(category: str) -> str:
    """'bins-and-recycling' -> 'Bins and recycling'."""
    words = category.replace("-", " ").strip()
    return words[:1].upper() + words[1:]


class HomeScreen(Screen):
    """The catalogue as large tiles grouped by category, with a search box."""

    chosen = Signal(str, int)

    def __init__(self, entries: list[CatalogueEntry], lang: str = "en", online: bool = True) -> None:
        super().__init__("home")
        heading = tr("What would you like to do?")
        self.add(label(heading, "h1"), heading)
        self.tiles: list[QPushButton] = []
        self.search: QLineEdit | None = None
        if not entries:
            text = tr("Services are not available on this kiosk yet. Please ask a member of staff.")
            self.add(label(text), text)
            self.column.addStretch(1)
            return
        search_label = label(tr("Search for a service"), "h2")
        self.add(search_label)
        search = QLineEdit()
        search.setObjectName("search")
        search.setAccessibleName(tr("Search for a service"))
        search.setAccessibleDescription(tr("Type a word, like bin or council tax"))
        search.setInputMethodHints(Qt.InputMethodHint.ImhNoPredictiveText)
        search.textChanged.connect(self._filter)
        search_label.setBuddy(search)
        self.add(search)
        self.search = search
        self.no_match = label(tr("No services match your search. Try another word."), "hint")
        self.no_match.setObjectName("no-match")
        self.no_match.hide()
        self.add(self.no_match)
        self._headings: dict[str, QLabel] = {}
        self._tile_category: dict[QPushButton, str] = {}
        self._tile_text: dict[QPushButton, str] = {}
        self._needs_connection: dict[Tile, str] = {}  # tiles of journeys that need a connection
        by_category: dict[str, list[CatalogueEntry]] = {}
        for entry in entries:
            by_category.setdefault(entry.category, []).append(entry)
        for category, items in by_category.items():
            heading_label = label(tr(category_name(category)), "h2")
            self.add(heading_label, category_name(category))
            self._headings[category] = heading_label
            for entry in items:
                title, summary = entry.title.get(lang), entry.summary.get(lang)
                t = Tile(title, summary)
                if entry.requires_online:
                    self._needs_connection[t] = summary
                t.setObjectName(f"tile-{entry.id}")
                t.clicked.connect(lambda _=False, e=entry: self.chosen.emit(e.id, e.version))
                self.add(t, f"{title}. {summary}")
                self.tiles.append(t)
                self._tile_category[t] = category
                self._tile_text[t] = f"{title} {summary} {category_name(category)}".casefold()
        self.column.addStretch(1)
        self.set_online(online)

    def set_online(self, online: bool) -> None:
        """Say on the tiles of online-only journeys whether they can be used now (no rebuild)."""
        for t, summary in self._needs_connection.items():
            t.set_summary(summary if online else tr("Needs a connection: not available right now"))

    def _filter(self, text: str) -> None:
        words = text.casefold().split()
        shown_categories = set()
        for tile in self.tiles:
            visible = all(w in self._tile_text[tile] for w in words)
            tile.setVisible(visible)
            if visible:
                shown_categories.add(self._tile_category[tile])
        for category, heading in self._headings.items():
            heading.setVisible(category in shown_categories)
        self.no_match.setVisible(not shown_categories)

    def visible_tiles(self) -> list[QPushButton]:
        return [t for t in self.tiles if not t.isHidden()]

    def first_focus(self) -> QWidget | None:
        return self.tiles[0] if self.tiles else None


class StartScreen(Screen):
    """A GOV.UK start page: what the service does, what you need, other ways to do it."""

    begin = Signal()
    back = Signal()

    def __init__(self, journey: Journey, lang: str = "en") -> None:
        super().__init__("start")
        self.back_button = self._back_link(self.back)
        title = journey.title.get(lang)
        self.add(label(title, "h1"), title)
        self.add(label(journey.summary.get(lang)), journey.summary.get(lang))
        start = journey.start
        if start is not None and start.you_need:
            need = tr("You will need")
            self.add(label(need, "h2"), need)
            for item in start.you_need:
                self.add(label("•  " + item.get(lang)), item.get(lang))
        if start is not None and start.time_to_complete:
            self.add(label(start.time_to_complete.get(lang), "hint"), start.time_to_complete.get(lang))
        self.start_button = button(tr("Start now"))
        self.start_button.setObjectName("start-now")
        self.start_button.clicked.connect(self.begin.emit)
        self._row(self.start_button)
        self._reading.append(tr("Start now"))
        if start is not None and start.other_ways:
            other = tr("Other ways to do this")
            self.add(label(other, "h2"), other)
            self.add(label(start.other_ways.get(lang)), start.other_ways.get(lang))
        self.column.addStretch(1)

    def first_focus(self) -> QWidget | None:
        return self.start_button


class QuestionScreen(Screen):
    """One page: heading, content, hint, the inputs, Back and Continue; errors on top."""

    continued = Signal(dict)
    back = Signal()

    def __init__(
        self,
        page: Page,
        raw: dict[str, Any],
        errors: list[FieldError],
        lang: str = "en",
        prefilled: set[str] | None = None,
    ) -> None:
        super().__init__(f"page-{page.id}")
        self.page = page
        self.inputs: dict[str, Any] = {}
        self.error_summary: QFrame | None = None
        by_id = {e.question_id: str(e.message) for e in errors}
        self.back_button = self._back_link(self.back)
        if errors:
            self.error_summary = self._summary(errors)
        single = len(page.questions) == 1 and page.title is None
        if page.title and not single:
            text = page.title.get(lang)
            self.add(label(text, "h1"), text)
        for block in page.content:
            self._content(block, lang)
        for q in page.questions:
            self._question(q, raw.get(q.id), by_id.get(q.id), lang, heading=single)
            if prefilled and q.id in prefilled:
                note = tr("We have filled this in from your last request. Change it if you need to.")
                self.add(label(note, "hint"), note)
        cont = button(tr("Continue"))
        cont.setObjectName("continue")
        cont.setDefault(True)
        cont.clicked.connect(self._continue)
        self._row(cont)
        self.continue_button = cont
        self._reading.append(tr("Continue"))
        self.column.addStretch(1)

    def _content(self, block: ContentBlock, lang: str) -> None:
        text = block.text.get(lang)
        if block.type == "details":
            summary = block.summary.get(lang) if block.summary else text
            toggle = button("▸  " + summary, "link", name=summary)
            toggle.setCheckable(True)
            toggle.setObjectName("details")
            body = label(text, "inset")
            body.hide()
            toggle.toggled.connect(body.setVisible)
            toggle.toggled.connect(lambda on, t=toggle, s=summary: t.setText(("▾  " if on else "▸  ") + s))
            self.add(toggle, summary)
            self.add(body)
        elif block.type == "warning":
            self.add(label("!  " + text, "warning"), tr("Warning") + ": " + text)
        else:
            self.add(label(text, "inset" if block.type == "inset" else ""), text)

    def _summary(self, errors: list[FieldError]) -> QFrame:
        frame = QFrame()
        frame.setProperty("role", "error-summary")
        frame.setObjectName("error-summary")
        frame.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        frame.setAccessibleName(tr("There is a problem"))
        frame.setAccessibleDescription("; ".join(str(e.message) for e in errors))
        box = QVBoxLayout(frame)
        box.addWidget(label(tr("There is a problem"), "h1"))
        self._reading.append(tr("There is a problem"))
        for err in errors:
            link = button(str(err.message), "error-link")
            link.setObjectName(f"error-link-{err.question_id}")
            link.clicked.connect(lambda _=False, qid=err.question_id: self._focus_field(qid))
            box.addWidget(link)
            self._reading.append(str(err.message))
        self.add(frame)
        return frame

    def _focus_field(self, question_id: str) -> None:
        widget = self.inputs.get(question_id)
        target = next(iter(widget.values())) if isinstance(widget, dict) else widget
        if isinstance(target, list):
            target = target[0]
        if isinstance(target, QWidget):
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _text_box(self, name: str, accessible: str, value: Any, error: bool, *, hint: str | None = None) -> QLineEdit:
        edit = QLineEdit("" if value is None else str(value))
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        if hint:
            edit.setAccessibleDescription(hint)
        if error:
            edit.setProperty("error", "true")
        edit.returnPressed.connect(self._continue)
        return edit

    def _question(self, q: Question, raw: Any, error: str | None, lang: str, *, heading: bool) -> None:
        text = q.label.get(lang) + ("" if q.required else tr(" (optional)"))
        title = label(text, "h1" if heading else "h2")
        self.add(title, text)
        hint = q.hint.get(lang) if q.hint else None
        if hint:
            self.add(label(hint, "hint"), hint)
        if error:
            self.add(label(tr("Error") + ": " + error, "error"), error)
        accessible = q.label.get(lang)
        if q.type in ("radios", "yes_no", "select", "checkboxes"):
            options = (
                [(o.value, o.label.get(lang), o.hint.get(lang) if o.hint else None) for o in q.options]
                if q.type != "yes_no"
                else [("yes", tr("Yes"), None), ("no", tr("No"), None)]
            )
            chosen = set(raw) if isinstance(raw, list) else {raw}
            boxes: list[QAbstractButton] = []
            group = QButtonGroup(self)
            group.setExclusive(q.type != "checkboxes")
            for value, option_text, option_hint in options:
                box: QAbstractButton = QCheckBox(option_text) if q.type == "checkboxes" else QRadioButton(option_text)
                box.setProperty("value", value)
                box.setAccessibleName(option_text)
                box.setAccessibleDescription(option_hint or accessible)
                box.setObjectName(f"{q.id}-{value}")
                box.setChecked(value in chosen)
                group.addButton(box)
                self.add(box, option_text)
                if option_hint:
                    self.add(label(option_hint, "hint"), option_hint)
                boxes.append(box)
            self.inputs[q.id] = boxes
        elif q.type == "date":
            parts = raw if isinstance(raw, dict) else {}
            row = QHBoxLayout()
            dates: dict[str, QLineEdit] = {}
            for part, name, chars in (("day", tr("Day"), 2), ("month", tr("Month"), 2), ("year", tr("Year"), 4)):
                col = QVBoxLayout()
                edit = self._text_box(f"{q.id}-{part}", f"{accessible}: {name}", parts.get(part), bool(error))
                edit.setMaxLength(chars)
                edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("0" * (chars + 2)) + 24)
                edit.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
                col.addWidget(label(name, buddy=edit))
                col.addWidget(edit)
                row.addLayout(col)
                dates[part] = edit
            row.addStretch(1)
            self.column.addLayout(row)
            self.inputs[q.id] = dates
        elif q.type == "address":
            parts = raw if isinstance(raw, dict) else {}
            lines: dict[str, QLineEdit] = {}
            for part, name in (
                ("line1", tr("Address line 1")),
                ("line2", tr("Address line 2 (optional)")),
                ("town", tr("Town or city")),
                ("postcode", tr("Postcode")),
            ):
                edit = self._text_box(f"{q.id}-{part}", f"{accessible}: {name}", parts.get(part), bool(error))
                self.add(label(name, buddy=edit))
                self.add(edit)
                lines[part] = edit
            self.inputs[q.id] = lines
        elif q.type == "long_text":
            area = QPlainTextEdit("" if raw is None else str(raw))
            area.setTabChangesFocus(True)
            area.setObjectName(q.id)
            area.setAccessibleName(accessible)
            if hint:
                area.setAccessibleDescription(hint)
            if error:
                area.setProperty("error", "true")
            area.setMinimumHeight(area.fontMetrics().lineSpacing() * 5)
            title.setBuddy(area)
            self.add(area)
            self.inputs[q.id] = area
        else:
            edit = self._text_box(q.id, accessible, raw, bool(error), hint=hint)
            hints = {
                "email": Qt.InputMethodHint.ImhEmailCharactersOnly,
                "number": Qt.InputMethodHint.ImhFormattedNumbersOnly,
                "money": Qt.InputMethodHint.ImhFormattedNumbersOnly,
                "phone": Qt.InputMethodHint.ImhDialableCharactersOnly,
                "postcode": Qt.InputMethodHint.ImhPreferUppercase | Qt.InputMethodHint.ImhNoPredictiveText,
            }
            edit.setInputMethodHints(hints.get(q.type, Qt.InputMethodHint.ImhNone))
            title.setBuddy(edit)
            if q.type == "money":
                row = QHBoxLayout()
                row.addWidget(label("£"))
                row.addWidget(edit, 1)
                self.column.addLayout(row)
            else:
                self.add(edit)
            self.inputs[q.id] = edit

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for qid, widget in self.inputs.items():
            if isinstance(widget, list):
                checked = [b.property("value") for b in widget if b.isChecked()]
                out[qid] = checked if isinstance(widget[0], QCheckBox) else (checked[0] if checked else None)
            elif isinstance(widget, dict):
                out[qid] = {part: edit.text() for part, edit in widget.items()}
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
            checked = [w for w in first if w.isChecked()]
            return checked[0] if checked else first[0]
        if isinstance(first, dict):
            return next(iter(first.values()))
        return first if isinstance(first, QWidget) else self.continue_button


class CheckAnswersScreen(Screen):
    """Every answer on the route with a Change button, the declaration, and Accept and send."""

    change = Signal(str)
    submit = Signal()
    back = Signal()

    def __init__(self, title: str, rows: list[SummaryRow], declaration: str | None) -> None:
        super().__init__("check-answers")
        self.back_button = self._back_link(self.back)
        heading = tr("Check your answers before sending")
        self.add(label(heading, "h1"), heading)
        self.add(label(title, "hint"), title)
        self.change_buttons: list[QPushButton] = []
        for row in rows:
            question = label(row.label, "h2")
            self.add(question)
            self.add(label(row.answer))
            change = button(tr("Change"), "secondary", name=tr("Change") + ": " + row.label)
            change.setObjectName(f"change-{row.question_id}")
            change.clicked.connect(lambda _=False, pid=row.page_id: self.change.emit(pid))
            self._row(change)
            self.change_buttons.append(change)
            self._reading.append(f"{row.label}: {row.answer}")
        if declaration:
            self.add(label(tr("Now send your request"), "h1"), tr("Now send your request"))
            self.add(label(declaration), declaration)
        send = button(tr("Accept and send"))
        send.setObjectName("send")
        send.clicked.connect(self.submit.emit)
        self.send_button = send
        self._row(send)
        self._reading.append(tr("Accept and send"))
        self.column.addStretch(1)

    def first_focus(self) -> QWidget | None:
        return self.change_buttons[0] if self.change_buttons else self.send_button


class ConfirmationScreen(Screen):
    """The reference, whether it has been sent, and what happens next."""

    finished = Signal()
    another = Signal()

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
        ref.setAccessibleName(tr("Your reference is") + " " + " ".join(reference))
        box.addWidget(ref)
        self.add(panel, f"{done}. {tr('Your reference is')} {reference}")
        self.banner = label("", "h2")
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
        keep = tr("Write down your reference or take a photo of this screen.")
        self.add(label(keep), keep)
        another = button(tr("Do something else"), "secondary")
        another.setObjectName("another")
        another.setAccessibleDescription(tr("Start another request. Your name and address are filled in for you."))
        another.clicked.connect(self.another.emit)
        finish = button(tr("Finish"))
        finish.setObjectName("finish")
        finish.setAccessibleDescription(tr("Clear the screen for the next person"))
        finish.clicked.connect(self.finished.emit)
        self.finish_button = finish
        self._row(finish, another)
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


class MessageScreen(Screen):
    """A plain message with one way on: a journey that needs a connection, or a problem.

    Never a traceback: what happened, in plain words, and what happened to the answers.
    """

    finished = Signal()

    def __init__(self, object_name: str, heading: str, message: str, action: str) -> None:
        super().__init__(object_name)
        self.add(label(heading, "h1"), heading)
        self.add(label(message), message)
        home = button(action)
        home.setObjectName("start-again")
        home.clicked.connect(self.finished.emit)
        self.home_button = home
        self._row(home)
        self._reading.append(action)
        self.column.addStretch(1)

    def first_focus(self) -> QWidget | None:
        return self.home_button


def problem_screen(message: str) -> MessageScreen:
    return MessageScreen("problem", tr("Sorry, there is a problem with the service"), message, tr("Start again"))


LANGUAGE_NAMES = {"en": "English", "cy": "Cymraeg", "ur": "اردو", "pl": "Polski", "pa": "ਪੰਜਾਬੀ", "gu": "ગુજરાતી"}
RIGHT_TO_LEFT = {"ur", "ar", "fa", "he"}


class LanguageScreen(Screen):
    """Choose the language of the screens and the journeys."""

    chosen = Signal(str)
    back = Signal()

    def __init__(self, languages: list[str], current: str) -> None:
        super().__init__("language")
        self.back_button = self._back_link(self.back)
        heading = tr("Choose a language")
        self.add(label(heading, "h1"), heading)
        self.buttons: list[QPushButton] = []
        for code in languages:
            name = LANGUAGE_NAMES.get(code, code)
            b = button(name, "secondary" if code != current else "", name=name)
            b.setObjectName(f"language-{code}")
            b.clicked.connect(lambda _=False, c=code: self.chosen.emit(c))
            self._row(b)
            self.buttons.append(b)
            self._reading.append(name)
        if len(languages) == 1:
            only = tr("The services on this kiosk are in English only at the moment. A member of staff can help.")
            self.add(label(only), only)
        self.column.addStretch(1)

    def first_focus(self) -> QWidget | None:
        return self.buttons[0] if self.buttons else self.back_button


class IdleWarning(QFrame):
    """'Do you need more time?' with a countdown, over the current screen (WCAG 2.2.1)."""

    more_time = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("idle-warning")
        self.setProperty("role", "dialog")
        self.setAccessibleName(tr("Do you need more time?"))
        box = QVBoxLayout(self)
        box.setContentsMargins(48, 48, 48, 48)
        box.setSpacing(24)
        heading = label(tr("Do you need more time?"), "h1")
        box.addWidget(heading)
        self.countdown = label("")
        self.countdown.setObjectName("idle-countdown")
        box.addWidget(self.countdown)
        self.button = button(tr("I need more time"))
        self.button.setObjectName("more-time")
        self.button.clicked.connect(self.more_time.emit)
        box.addWidget(self.button)
        self.hide()

    def show_seconds(self, seconds: int) -> None:
        text = tr("For your privacy, this screen will be cleared in {n} seconds.").format(n=seconds)
        self.countdown.setText(text)
        self.countdown.setAccessibleName(text)
