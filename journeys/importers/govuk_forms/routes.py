"""GOV.UK Forms routing conditions as the kiosk's routes, and exit pages as information pages.

A routing condition sits on a page (``routing_page_id``) and reads a selection question's answer
(``check_page_id``, ``answer_value``): when it matches, the form goes to ``goto_page_id``, or to check
your answers (``skip_to_end``), or ends at an exit page (``exit_page_heading``, ``exit_page_markdown``). A
condition with no ``answer_value`` is a skip for everyone who reaches its page (the "secondary skip" at
the end of a branch). The kiosk's routes only go forward; a jump back is reported and left out.
"""

from __future__ import annotations

from typing import Any

from journeys.importers.govuk_forms import markdown
from journeys.importers.govuk_forms.blocks import Block, Page
from journeys.importers.govuk_forms.ids import Ids
from journeys.importers.govuk_forms.source import Reader, flag

CHECK_ANSWERS = "check-answers"


def always(question: str) -> dict[str, Any]:
    """A condition that always holds, for a route the form takes whatever the answers (the kiosk's need one)."""
    return {"any": [{"question": question, "answered": True}, {"question": question, "answered": False}]}


def _joined(guard: dict[str, Any] | None, when: dict[str, Any] | None) -> dict[str, Any] | None:
    if guard is None or when is None:
        return guard or when
    return {"all": [guard, when]}


class Router:
    """Adds the routes of every block's routing conditions, and makes the exit pages that go after blocks."""

    def __init__(self, blocks: list[Block], reader: Reader, page_ids: Ids, lost: set[str]) -> None:
        self.blocks = blocks
        self.r = reader
        self.page_ids = page_ids
        self.lost = lost
        self.index = {b.step.id: i for i, b in enumerate(blocks)}
        self.pages = {p["id"]: p for b in blocks for p in b.pages}
        self.exit_pages: dict[int, list[Page]] = {}

    def run(self) -> dict[int, list[Page]]:
        """Route every block; the exit pages to put after each block (by its index)."""
        for i, block in enumerate(self.blocks):
            cy_by_id = {str(c.get("id")): c for c in block.step.conditions_cy if isinstance(c, dict)}
            for n, cond in enumerate(block.step.conditions, 1):
                where = f"{block.step.where}, routing condition {n}"
                if not isinstance(cond, dict):
                    self.r.note(
                        where, f"a routing condition is an object, not a {type(cond).__name__}: left out", "error"
                    )
                    continue
                if cond.get("id") is not None:
                    where = f"{block.step.where}, routing condition {cond.get('id')}"
                cy = cy_by_id.get(str(cond.get("id"))) or {}
                self._condition(i, block, cond, cy, where)
        return self.exit_pages

    def _comparison(self, i: int, block: Block, cond: dict[str, Any], where: str) -> tuple[bool, dict[str, Any] | None]:
        """(usable, comparison): the comparison the condition makes, None for a skip for everyone."""
        check = cond.get("check_page_id")
        j = i if check is None else self.index.get(str(check))
        if j is None:
            self.r.note(
                where, f"check_page_id {check!r} is not a page of the form (or it was left out): left out", "error"
            )
            return False, None
        if j > i:
            self.r.note(where, f"it reads the answer of a later page ({self.blocks[j].step.where}): left out", "error")
            return False, None
        value = cond.get("answer_value")
        if value is None or value == "":
            return True, None
        choice = self.blocks[j].choice
        if choice is None:
            self.r.note(
                where, f"the page it reads ({self.blocks[j].step.where}) is not a selection question: left out", "error"
            )
            return False, None
        if not isinstance(value, str) or value not in choice.values:
            self.r.note(
                where, f"answer_value {value!r} is not an option of {self.blocks[j].step.where}: left out", "error"
            )
            return False, None
        op = "contains" if choice.kind == "checkboxes" else "equals"
        return True, {"question": choice.question, op: choice.values[value]}

    def _condition(self, i: int, block: Block, cond: dict[str, Any], cy: dict[str, Any], where: str) -> None:
        errors = cond.get("validation_errors")
        if isinstance(errors, list) and errors:
            names = [str(e["name"]) for e in errors if isinstance(e, dict) and isinstance(e.get("name"), str)]
            self.r.note(where, "GOV.UK Forms marked this route as broken: " + (", ".join(names) or "no reason given"))
        usable, when = self._comparison(i, block, cond, where)
        if not usable:
            return
        if isinstance(cond.get("exit_page_markdown"), str):
            self._exit_page(i, block, cond, cy, when, where)
            return
        goto = cond.get("goto_page_id")
        skip = flag(cond.get("skip_to_end"), where, "skip_to_end", self.r)
        if goto is None and skip:
            target = CHECK_ANSWERS
        elif goto is None:
            self.r.note(where, "it has neither goto_page_id nor skip_to_end: left out", "error")
            return
        else:
            k = self.index.get(str(goto))
            if k is None:
                self.r.note(
                    where, f"goto_page_id {goto!r} is not a page of the form (or it was left out): left out", "error"
                )
                return
            if k <= i:
                self.r.note(
                    where,
                    f"it goes back to {self.blocks[k].step.where}; the kiosk's routes only go forward, so this "
                    "route is left out and the citizen goes on to the next page",
                    "left_out",
                )
                return
            target = self.blocks[k].first
        if when is None:
            self.r.note(
                where,
                "a skip for everyone who reaches this page (no answer_value, the end of a branch): kept as a route "
                "that always holds",
            )
        for page_id, guard in block.exits:
            self._route(page_id, _joined(guard, when), target, where)

    def _route(self, page_id: str, when: dict[str, Any] | None, target: str, where: str) -> None:
        if when is None:
            question = self._question_at(page_id)
            if question is None:
                self.r.note(
                    where,
                    "there is no question on or before this page for the kiosk's route to read: left out",
                    "error",
                )
                return
            when = always(question)
        self.pages[page_id].setdefault("routes", []).append({"when": when, "goto": target})

    def _question_at(self, page_id: str) -> str | None:
        """The last question asked on or before a page (what a route that always holds can read)."""
        last = None
        for block in self.blocks:
            for page in block.pages:
                for q in page.get("questions", []):
                    last = q["id"]
                if page["id"] == page_id:
                    return last
        return last

    def _exit_page(
        self, i: int, block: Block, cond: dict[str, Any], cy: dict[str, Any], when: dict[str, Any] | None, where: str
    ) -> None:
        """The form ends here on this answer: an information page, shown on that answer, then check answers."""
        heading = self.r.loc(cond.get("exit_page_heading"), cy.get("exit_page_heading"), where, "exit_page_heading")
        if heading is None:
            heading = self.r.words(
                "You do not need to go on with this form", "Does dim angen i chi barhau â’r ffurflen hon"
            )
        body = self.r.loc(cond.get("exit_page_markdown"), cy.get("exit_page_markdown"), where, "exit_page_markdown")
        content = [
            {"type": "paragraph", "text": {"en": en, **({"cy": w} if w else {})}}
            for en, w in (markdown.blocks(body["en"], body.get("cy"), self.lost) if body else [])
        ]
        content.append(
            {
                "type": "inset",
                "text": self.r.words(
                    "You do not need to send this form. You can leave it now, or go on to check your answers and "
                    "send them.",
                    "Does dim angen i chi anfon y ffurflen hon. Gallwch ei gadael nawr, neu fynd ymlaen i wirio "
                    "eich atebion a’u hanfon.",
                ),
            }
        )
        page: Page = {"id": self.page_ids.take(f"{block.pages[0]['id']}-exit"), "title": heading, "content": content}
        if when is not None:
            page["show_when"] = when
        question = self._question_at(block.pages[-1]["id"])
        if when is None and question is None:
            self.r.note(
                where, "there is no question on or before this page for the kiosk's route to read: left out", "error"
            )
            return
        page["routes"] = [{"when": when or always(question or ""), "goto": CHECK_ANSWERS}]
        self.exit_pages.setdefault(i, []).append(page)
        self.r.note(
            where,
            "an exit page: GOV.UK Forms ends the form here on this answer; the kiosk shows the exit page, says the "
            "form need not be sent, and goes on to check answers (the citizen can leave or send what they gave)",
            "changed",
        )
