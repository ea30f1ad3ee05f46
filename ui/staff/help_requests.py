"""The staff console's "Help asked for": citizens at this kiosk who pressed Get help, oldest
first, each with "Mark as dealt with". Plain data in (app's HelpRow), a signal out."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Sequence
from typing import Any, Protocol

from PySide6.QtCore import SignalInstance

from ui.i18n import staff_tr
from ui.screens import Screen
from ui.widgets import button, label

__all__ = ["HelpRowLike", "add_help_requests", "deal_with_help", "help_text"]


class HelpRowLike(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def asked_at(self) -> float: ...

    @property
    def journey_title(self) -> str | None: ...

    @property
    def delivered(self) -> bool: ...


def help_text(row: HelpRowLike, now: float | None = None) -> str:
    now = time.time() if now is None else now
    minutes = max(0, int(now - row.asked_at) // 60)
    when = staff_tr("just now") if minutes < 1 else staff_tr("{n} min ago").format(n=minutes)
    at = time.strftime("%H:%M", time.localtime(row.asked_at))
    text = staff_tr("A citizen asked for help at {at} ({when})").format(at=at, when=when)
    if row.journey_title:
        text += staff_tr(", while using {service}").format(service=row.journey_title)
    reach = (
        staff_tr("staff elsewhere in the building have been told")
        if row.delivered
        else staff_tr("shown on this kiosk only")
    )
    return f"{text}; {reach}."


def add_help_requests(screen: Screen, rows: Sequence[HelpRowLike], dealt_with: SignalInstance) -> None:
    """The section on the console: a heading, then each open request with its button."""
    heading = staff_tr("Help asked for ({n})").format(n=len(rows))
    title = label(heading, "h2")
    title.setObjectName("help-requests")
    screen.add(title, heading)
    if not rows:
        screen.add(label(staff_tr("Nobody is waiting for help."), "hint"), staff_tr("Nobody is waiting for help."))
        return
    for row in rows:
        text = help_text(row)
        screen.add(label("!  " + text, "warning"), text)
        done = button(staff_tr("Mark as dealt with"), "secondary", name=staff_tr("Mark help request as dealt with"))
        done.setObjectName(f"help-done-{row.id}")
        done.clicked.connect(lambda _=False, i=row.id: dealt_with.emit(i))
        screen._row(done)


class _Controller(Protocol):
    """What deal_with_help needs of the staff controller."""

    @property
    def staff_id(self) -> str | None: ...

    @property
    def kiosk(self) -> Any: ...

    def show_console(self, notice: str = "") -> None: ...


def deal_with_help(controller: _Controller, request_id: str) -> None:
    """Staff marked a help request dealt with (audited with their id); the console shows it gone."""
    if controller.staff_id is None:
        return
    with contextlib.suppress(KeyError):
        controller.kiosk.help_dealt_with(request_id, controller.staff_id)
    controller.show_console(staff_tr("Help request marked as dealt with."))
