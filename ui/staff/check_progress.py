"""Check progress, for citizens and staff: a reference in, the case's status out, in plain words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QLineEdit, QWidget

from app.kiosk import CaseStatus, normalise_reference
from journeys.formatting import format_date
from ui.i18n import tr
from ui.screens import Screen
from ui.widgets import button, label

__all__ = ["CaseChecks", "CaseStatusThread", "CheckProgressScreen", "case_text"]


class CheckProgressScreen(Screen):
    """A reference in, the case's status out (from the portal, on a worker thread)."""

    check = Signal(str)
    back = Signal()

    def __init__(self) -> None:
        super().__init__("check-progress")
        self.back_button = self._back_link(self.back)
        heading = tr("Check the progress of a request")
        self.add(label(heading, "h1"), heading)
        self.reference = QLineEdit()
        self.reference.setObjectName("case-reference")
        self.reference.setAccessibleName(tr("Your reference"))
        self.reference.setAccessibleDescription(tr("For example, DCP-AB2C-D3EF"))
        self.reference.setMaxLength(40)
        self.reference.setInputMethodHints(
            Qt.InputMethodHint.ImhPreferUppercase | Qt.InputMethodHint.ImhNoPredictiveText
        )
        self.reference.returnPressed.connect(self._check)
        self.add(label(tr("Your reference"), "h2", buddy=self.reference), tr("Your reference"))
        self.add(label(tr("For example, DCP-AB2C-D3EF"), "hint"), tr("For example, DCP-AB2C-D3EF"))
        self.add(self.reference)
        self.check_button = button(tr("Check"))
        self.check_button.setObjectName("check")
        self.check_button.clicked.connect(self._check)
        self._row(self.check_button)
        self.add_reading(tr("Check"), widget=self.check_button)
        self.result = label("", "h2")
        self.result.setObjectName("case-result")
        self.add(self.result)
        self.set_reading(self.result, "")  # its place: the words come with the answer
        self.column.addStretch(1)

    def _check(self) -> None:
        self.check.emit(self.reference.text())

    def set_result(self, text: str) -> None:
        self.result.setText(text)
        self.result.setAccessibleName(text)
        typed = normalise_reference(self.reference.text())
        private = len(typed) >= 3 and typed in text.upper()  # it names the citizen's reference
        self.set_reading(self.result, text, private=private)
        self.announce(text, private=private)  # the answer comes while the citizen waits: said when it comes
        self.page_scroll.reveal(self.result)  # and shown: at 200% text it is below the fold

    def first_focus(self) -> QWidget | None:
        return self.reference


def case_text(case: CaseStatus, training: bool = False, lang: str = "en", service: str = "") -> str:
    """The case's status in words; `service`: the name of the service, when this kiosk sent it."""
    reference = tr("{reference} ({service})").format(reference=case.reference, service=service) if service else None
    shown = replace(case, reference=reference) if reference else case
    return _case_words(shown, training, lang)


def _case_words(case: CaseStatus, training: bool, lang: str) -> str:
    if case.kind == "found":
        received = tr("received by the training portal") if training else tr("received by the council")
        # an Open311 report: received, and then open or closed (GeoReport v2 has no other states)
        status = (
            received
            if case.status in ("open", "closed")
            else {"received": received}.get(case.status or "", case.status or "")
        )
        when = ""
        if case.received_at:
            try:
                when = " " + tr("on {date}").format(
                    date=format_date(dt.datetime.fromisoformat(case.received_at).date(), lang)
                )
            except ValueError:
                when = ""
        said = tr("{reference}: {status}{when}.").format(reference=case.reference, status=status, when=when)
        if case.status == "open":
            return said + " " + tr("It is still open.")
        if case.status == "closed":
            return said + " " + tr("It has been closed.")
        return said
    if case.kind == "waiting_here":
        if case.status == "needs_attention":
            return tr(
                "{reference} is saved on this kiosk. A member of staff needs to check it before it is sent."
            ).format(reference=case.reference)
        return tr(
            "{reference} is saved on this kiosk and will be sent to the council when the connection is back."
        ).format(reference=case.reference)
    if case.kind == "not_found":
        return tr("We could not find {reference}. Check the reference and try again.").format(reference=case.reference)
    return tr("We cannot check this right now. Please try again later, or ask a member of staff.")


class CaseStatusThread(QThread):
    """Asks the portal for a case's status off the UI thread (the UI never waits on the network)."""

    result = Signal(object)  # CaseStatus

    def __init__(self, fetch: Callable[[], CaseStatus]) -> None:
        super().__init__()
        self.fetch = fetch

    def run(self) -> None:
        self.result.emit(self.fetch())


class CaseChecks(QObject):
    """The status checks under way, each on its own thread; `result` brings each CaseStatus back."""

    result = Signal(object)  # CaseStatus, on the UI thread

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._threads: list[CaseStatusThread] = []

    def start(self, fetch: Callable[[], CaseStatus]) -> None:
        thread = CaseStatusThread(fetch)
        thread.result.connect(self.result)
        thread.finished.connect(self._reap)
        self._threads.append(thread)
        thread.start()

    @Slot()
    def _reap(self) -> None:
        for thread in [t for t in self._threads if t.isFinished()]:
            self._threads.remove(thread)
            thread.deleteLater()

    def wait(self) -> None:
        """Let every running check finish (window shutdown, tests)."""
        for thread in list(self._threads):
            thread.wait()
