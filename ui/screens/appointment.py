"""The appointment question's input: free times by day, or, with no connection, the days and times that suit.

Online, the window fetches the portal's free slots first (app/appointments.py) and gives them to the
page as `context["slots"]`: each day is a heading and each slot a large radio row ("10:30am to 11am"),
all in one group (one Tab stop; the arrow keys move and choose; a tap anywhere on a row chooses it).
No calendar-only picker. Continue gives `{"kind": "slot", ...}`, which the window holds at the portal
before the page is answered. Offline, or when the portal cannot say, the page asks which weekdays and
times of day suit, and says plainly that nothing is booked yet.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtWidgets import QAbstractButton, QButtonGroup, QWidget

from journeys import formatting
from journeys.models import Question
from journeys.types.appointment import DAYS, TIMES
from journeys.types.time import time_words
from ui.i18n import tr
from ui.screens.inputs import AnswerInput, Part, register
from ui.widgets import OptionCheckBox, OptionRadio, label

__all__ = ["AppointmentInput"]


def _name(slot_id: str) -> str:
    return "slot-" + re.sub(r"[^A-Za-z0-9-]", "-", slot_id)[:80]


@register
class AppointmentInput(AnswerInput):
    type_names = ("appointment",)

    def build(self, question: Question, raw: Any, error: bool, lang: str) -> list[Part]:
        context = self.context
        days = context.get("slots")
        self.held = raw if isinstance(raw, dict) and raw.get("kind") == "held" else None
        self.radios: list[QAbstractButton] = []
        self.days: list[QAbstractButton] = []
        self.times: list[QAbstractButton] = []
        if days:
            return self._slots(question, days, lang)
        return self._request(question, raw, lang, unavailable=bool(context.get("unavailable")), none_free=days == [])

    def _slots(self, question: Question, days: list[Any], lang: str) -> list[Part]:
        out: list[Part] = []
        group = QButtonGroup(self.owner)
        chosen = self.held["slot_id"] if self.held else None
        if self.held:
            note = tr("This time is held for you while you finish. Choose another if it does not suit.")
            out.append(Part(label(note, "hint"), note))
        self.slot_of: dict[QAbstractButton, Any] = {}
        for day in days:
            heading = formatting.format_day(day.day, lang)
            out.append(Part(label(heading, "h2"), heading))
            for slot in day.slots:
                words = tr("{start} to {end}").format(
                    start=time_words(slot.starts_at[11:16], lang), end=time_words(slot.ends_at[11:16], lang)
                )
                radio = OptionRadio(words)
                radio.setObjectName(_name(slot.id))
                radio.setProperty("choices", question.id)
                radio.setAccessibleName(f"{heading}, {words}")
                radio.setAccessibleDescription(slot.location)
                radio.setChecked(slot.id == chosen)
                group.addButton(radio)
                self.slot_of[radio] = slot
                self.radios.append(radio)
                out.append(Part(radio, words))
        where = {s.location for d in days for s in d.slots}
        if len(where) == 1:
            place = tr("All these appointments are at {place}.").format(place=next(iter(where)))
            out.insert(0, Part(label(place), place))
        return out

    def _request(self, question: Question, raw: Any, lang: str, *, unavailable: bool, none_free: bool) -> list[Part]:
        if none_free:
            why = tr("There are no free times to book in the next two weeks.")
        elif unavailable:
            why = tr("The kiosk cannot get the free times from the council just now.")
        else:
            why = tr("This kiosk is offline, so it cannot book a time now.")
        words = (
            why
            + " "
            + tr(
                "Tell us which days and times suit you. Nothing is booked yet: the council will contact you "
                "by phone, text or email to confirm a time."
            )
        )
        out = [Part(label(words, "warning"), words)]
        ticked = raw if isinstance(raw, dict) and raw.get("kind") == "request" else {}
        ticked_days = str(ticked.get("days") or "").split()
        ticked_times = str(ticked.get("times") or "").split()
        from babel.dates import get_day_names

        names = get_day_names("wide", locale=formatting.locale_for(lang))
        heading = tr("Which days suit you?")
        out.append(Part(label(heading, "h2"), heading))
        for i, day in enumerate(DAYS):
            box = OptionCheckBox(str(names[i]))
            box.setObjectName(f"{question.id}-day-{day}")
            box.setProperty("value", day)
            box.setChecked(day in ticked_days)
            self.days.append(box)
            out.append(Part(box, box.accessibleName()))
        heading = tr("What times of day suit you?")
        out.append(Part(label(heading, "h2"), heading))
        for time, words in zip(TIMES, (tr("Mornings"), tr("Afternoons")), strict=True):
            box = OptionCheckBox(words)
            box.setObjectName(f"{question.id}-time-{time}")
            box.setProperty("value", time)
            box.setChecked(time in ticked_times)
            self.times.append(box)
            out.append(Part(box, words))
        return out

    def value(self) -> Any:
        if self.radios:
            chosen = next((r for r in self.radios if r.isChecked()), None)
            if chosen is None:
                return {}
            slot = self.slot_of[chosen]
            if self.held and self.held["slot_id"] == slot.id:
                return dict(self.held)  # the same time, still held
            return {
                "kind": "slot",
                "slot_id": slot.id,
                "starts_at": slot.starts_at,
                "ends_at": slot.ends_at,
                "location": slot.location,
            }
        return {
            "kind": "request",
            "days": " ".join(str(b.property("value")) for b in self.days if b.isChecked()),
            "times": " ".join(str(b.property("value")) for b in self.times if b.isChecked()),
        }

    def focus_target(self) -> QWidget:
        return (self.radios or self.days)[0]

    def first_focus(self) -> QWidget:
        return next((r for r in self.radios if r.isChecked()), self.focus_target())
