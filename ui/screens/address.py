"""The address question's input: find the address in the council's gazetteer, or type it in four boxes.

With an address pack installed the window gives the page `context["addresses"]` (app/gazetteer.py's
`Addresses`). The page then shows one large search box ("Postcode, or house number and street"); as the
citizen types, the matching addresses appear below it in large type, best first, each a radio row (one
Tab stop for the list; the arrow keys move and choose; a tap anywhere on a row chooses it), under a
status line that speech announces when the list changes ("3 addresses found"). Continue with one chosen
gives `Address.lines()`: the four boxes' parts and the UPRN. "I can't find my address" switches to the
four boxes (line 1, line 2, town, postcode) as before, keeping a postcode typed in the search box; "Find
my address instead" switches back. With no pack there are only the four boxes.

The raw answers it gives back: a chosen address's lines (with "uprn"); nothing chosen, `{"search": what
was typed}` (empty: the question's usual required error; typed: the address type asks the citizen to
choose); the four boxes' parts, with an empty "manual" part when all four are empty, so that the
required error brings the citizen back to the boxes they chose. Back or Change to the page: a chosen
address shows checked in the list of its postcode; an address typed in the boxes comes back in them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QButtonGroup, QLineEdit, QWidget

from journeys.models import Question
from journeys.types.base import AnswerError
from journeys.types.postcode import parse_postcode
from ui.i18n import isolate, isolate_lines, tr, trn
from ui.screens.base import Screen
from ui.screens.inputs import Part, PartsInput, register
from ui.widgets import OptionRadio, button, label

if TYPE_CHECKING:
    from app.gazetteer import Addresses

__all__ = ["BOX_PARTS", "ROWS", "AddressInput", "as_postcode"]

BOX_PARTS = ("line1", "line2", "town", "postcode")
ROWS = 8  # the most addresses the list shows at once; more, and the status line says to narrow it
MIN_CHARS = 2  # fewer typed characters find nothing
UNUSED = " "  # the reading of a row that shows no address: hidden, so never read, but it keeps the row's place


def as_postcode(typed: str) -> str | None:
    """The typed words as a postcode ("bb21lb" -> "BB2 1LB"), or None when they do not read as one."""
    try:
        return parse_postcode(typed)
    except AnswerError:
        return None


def one_line(parts: dict[str, Any]) -> str:
    """An address answer on one line in postal order, as `Address.one_line()` writes it."""
    return ", ".join(str(parts[k]) for k in BOX_PARTS if parts.get(k))


def _manual(parts: dict[str, Any]) -> bool:
    """Whether a raw answer was typed in the four boxes (no UPRN), so that it comes back in them."""
    if parts.get("uprn") or "search" in parts:
        return False
    return "manual" in parts or any(str(parts.get(k) or "").strip() for k in BOX_PARTS)


def _set_shown(widget: QWidget, shown: bool) -> None:
    """Show or hide a widget; while the page is being built (no parent yet) only hide: a widget shown with
    no parent would open as a window of its own, and one never hidden shows with the page."""
    if not shown:
        widget.hide()
    elif widget.parentWidget() is not None:
        widget.show()


@register
class AddressInput(PartsInput):
    """The lookup (search box, status line, list of addresses) and the four boxes; one of them shows."""

    type_names = ("address",)
    shows_part_errors = True
    optional_parts = frozenset({"line2"})

    def build(self, question: Question, raw: Any, error: bool, lang: str) -> list[Part]:
        parts = raw if isinstance(raw, dict) else {}
        self.addresses: Addresses | None = self.context.get("addresses")
        self.manual = True
        self.box_widgets: list[QWidget] = []
        self.lookup_widgets: list[QWidget] = []
        boxes = self._boxes(question, parts, error, lang)
        if self.addresses is None:
            return boxes
        back = button(tr("Find my address instead"), "link")
        back.setObjectName(f"{question.id}-find")
        back.clicked.connect(lambda: self.set_manual(False))
        self.box_widgets.append(back)
        self.manual = _manual(parts)
        lookup = self._lookup(question, parts, error, lang)
        return [*lookup, *boxes, Part(back, tr("Find my address instead"))]

    # -- the four boxes ---------------------------------------------------------------------

    def _boxes(self, question: Question, parts: dict[str, Any], error: bool, lang: str) -> list[Part]:
        """Address lines, town and postcode, one labelled box each; a box's own error shows above it."""
        accessible = question.label.get(lang)
        self.edits: dict[str, QLineEdit] = {}
        out: list[Part] = []
        for part, name in (
            ("line1", tr("Address line 1")),
            ("line2", tr("Address line 2 (optional)")),
            ("town", tr("Town or city")),
            ("postcode", tr("Postcode")),
        ):
            problem = self.part_errors.get(part, "")
            given = None if parts.get("uprn") else parts.get(part)  # a chosen address shows in the list
            wrong = self._wrong(part, given, error)
            edit = self._line(f"{question.id}-{part}", f"{accessible}: {name}", given, wrong, problem=problem)
            heading = label(name, buddy=edit)
            out.append(Part(heading, name))
            self.box_widgets.append(heading)
            if problem:
                words = tr("Error") + ": " + problem
                shown = label(words, "error")
                out.append(Part(shown, words))
                self.box_widgets.append(shown)
            out.append(Part(edit))
            self.box_widgets.append(edit)
            self.edits[part] = edit
        return out

    # -- the lookup -------------------------------------------------------------------------

    def _lookup(self, question: Question, parts: dict[str, Any], error: bool, lang: str) -> list[Part]:
        name = tr("Postcode, or house number and street")
        sample = self.addresses.example() if self.addresses is not None else None  # one of the council's own
        postcode, street = (sample.postcode, sample.street_line) if sample else ("BB2 1LB", "14 King's Road")
        hint = tr("For example, {postcode} or {address}").format(postcode=isolate(postcode), address=isolate(street))
        typed = str(parts.get("search") or parts.get("postcode") or "") if not _manual(parts) else ""
        search = self._line(f"{question.id}-search", name, typed, error, hint=hint)
        search.setInputMethodHints(Qt.InputMethodHint.ImhNoPredictiveText)
        search.setMaxLength(100)
        self.search = search
        heading = label(name, "h2", buddy=search)
        example = label(hint, "hint")
        self.status = label("")
        self.status.setObjectName(f"{question.id}-status")
        self.group = QButtonGroup(self.owner)
        self.radios: list[OptionRadio] = []
        self.shown: list[dict[str, str]] = []  # the address answer of each row that shows, in order
        for i in range(ROWS):
            radio = OptionRadio(UNUSED)
            radio.setObjectName(f"{question.id}-address-{i + 1}")
            radio.setProperty("choices", question.id)  # speech says "2 of 8"
            self.group.addButton(radio)
            self.radios.append(radio)
        cant = button(tr("I can't find my address"), "link")
        cant.setObjectName(f"{question.id}-manual")
        cant.clicked.connect(lambda: self.set_manual(True))
        self.lookup_widgets = [heading, example, search, self.status, *self.radios, cant]
        chosen = parts if parts.get("uprn") else None
        answers, more = self._found(typed, chosen=chosen)
        self._fill(answers, typed, more=more, keep=chosen, live=False)
        out = [Part(heading, name), Part(example, hint), Part(search), Part(self.status, self.status.text() or UNUSED)]
        for radio in self.radios:  # an address the citizen may choose is theirs: said only through headphones
            out.append(Part(radio, radio.accessibleName() if radio in self._showing() else UNUSED, private=True))
        out.append(Part(cant, tr("I can't find my address")))
        self.timer = QTimer(self.owner)
        self.timer.setSingleShot(True)
        self.timer.setInterval(0)  # the search is fast: one search when the keys typed so far are in
        self.timer.timeout.connect(self.refresh)
        search.textChanged.connect(lambda _text: self.timer.start())
        return out

    def _found(self, typed: str, chosen: dict[str, Any] | None = None) -> tuple[list[dict[str, str]], bool]:
        """The address answers that match what is typed, best first, and whether there are more; a chosen
        address (Back, Change) is among them even when its postcode has more than the list shows."""
        if self.addresses is None or len(typed.strip()) < MIN_CHARS:
            return [], False
        found = self.addresses.find(typed, limit=ROWS)
        answers = [a.lines() for a in found.addresses]
        if chosen is not None and not any(a.get("uprn") == chosen["uprn"] for a in answers):
            mine = {k: str(chosen.get(k) or "") for k in (*BOX_PARTS, "uprn")}
            answers = [mine, *answers][:ROWS]
        return answers, found.more

    def refresh(self) -> None:
        """Search again for what is typed now; speech announces the status line when the list changed."""
        typed = self.search.text()
        before = (self.status.text(), [a.get("uprn") for a in self.shown])
        answers, more = self._found(typed)
        keep = self.chosen()
        self._fill(answers, typed, more=more, keep=keep)
        if (self.status.text(), [a.get("uprn") for a in self.shown]) != before and isinstance(self.owner, Screen):
            self.owner.announce(self.status.text())

    def _fill(
        self,
        answers: list[dict[str, Any]],
        typed: str,
        *,
        more: bool = False,
        keep: dict[str, Any] | None = None,
        live: bool = True,
    ) -> None:
        """The rows show these addresses (the rest hide), the status line says how many; `live`: the page
        shows already, and what speech reads for the rows changes with them (in place, in the same order)."""
        keep_uprn = (keep or {}).get("uprn") or None
        self.group.setExclusive(False)
        for radio in self.radios:
            radio.setChecked(False)
        self.shown = [{k: str(v) for k, v in a.items()} for a in answers]
        screen = self.owner if live and isinstance(self.owner, Screen) else None
        for i, radio in enumerate(self.radios):
            answer = self.shown[i] if i < len(self.shown) else None
            words = one_line(answer) if answer is not None else UNUSED
            radio.words.setText(isolate_lines(words))  # an address inside Urdu keeps its order
            radio.setAccessibleName(words)
            radio.setChecked(answer is not None and answer.get("uprn") == keep_uprn)
            radio.updateGeometry()
            if screen is not None:
                screen.set_reading(radio, words, private=True)
        self.group.setExclusive(True)
        status = self._status(len(self.shown), typed, more)
        self.status.setText(status)
        if screen is not None:
            screen.set_reading(self.status, status or UNUSED)
        self._show_mode()

    def _showing(self) -> list[OptionRadio]:
        """The rows that show an address."""
        return self.radios[: len(self.shown)]

    @staticmethod
    def _status(count: int, typed: str, more: bool) -> str:
        if len(typed.strip()) < MIN_CHARS:
            return ""
        if count == 0:
            return tr("No address matches. Check the postcode, or choose I can't find my address")
        if more:
            return tr("Showing the first {n}: add the house number to narrow it").format(n=count)
        return trn("{n} address found", "{n} addresses found", count).format(n=count)

    def chosen(self) -> dict[str, str] | None:
        """The address answer of the row that is checked, if one is."""
        for radio, answer in zip(self.radios, self.shown, strict=False):
            if radio.isChecked():
                return dict(answer)
        return None

    # -- switching between them -------------------------------------------------------------

    def set_manual(self, manual: bool) -> None:
        """Show the four boxes (True) or the lookup (False); focus goes to the first box of the one shown."""
        if manual and not self.edits["postcode"].text().strip():
            postcode = as_postcode(self.search.text())
            if postcode is not None:
                self.edits["postcode"].setText(postcode)
        self.manual = manual
        self._show_mode()
        self.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_mode(self) -> None:
        """The widgets of the lookup or of the boxes show, the others hide: rows with no address and an
        empty status line too."""
        lookup = not self.manual
        showing = set(self._showing())
        for widget in self.lookup_widgets:
            wanted = lookup
            if widget in self.radios:
                wanted = lookup and widget in showing
            elif widget is self.status:
                wanted = lookup and bool(self.status.text())
            _set_shown(widget, wanted)
        for widget in self.box_widgets:
            _set_shown(widget, self.manual)

    # -- the answer and focus ---------------------------------------------------------------

    def value(self) -> Any:
        if self.manual:
            parts = {part: edit.text() for part, edit in self.edits.items()}
            if self.addresses is not None and not any(v.strip() for v in parts.values()):
                parts["manual"] = ""  # still empty (the required error), and back in the boxes
            return parts
        return self.chosen() or {"search": self.search.text()}

    def focus_target(self) -> QWidget:
        return next(iter(self.edits.values())) if self.manual else self.search

    def focus_target_for(self, part: str | None) -> QWidget:
        return super().focus_target_for(part) if self.manual else self.search

    def first_focus(self) -> QWidget:
        if not self.manual:
            return next((r for r in self.radios if r.isChecked()), self.search)
        return self.focus_target()
