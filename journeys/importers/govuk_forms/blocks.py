"""The shapes a GOV.UK Forms step is built into: the kiosk pages it became and the words every answer type uses.

Most steps become one kiosk page with one question. A name in parts is one page of several questions; an
address that may be in the UK or abroad asks where first (three pages); a selection with a "None of the
above" follow-up question gets a page for it, shown only when "None of the above" is chosen; a file
question becomes a page that says to bring the file to the counter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from journeys.importers.govuk_forms import markdown
from journeys.importers.govuk_forms.ids import Ids
from journeys.importers.govuk_forms.source import Loc, Reader, Step, flag

Page = dict[str, Any]

NONE_OF_THE_ABOVE = "none-of-the-above"
MAX_OPTIONS = 100  # journeys.limits.MAX_OPTIONS: the kiosk's most options in one question


@dataclass
class Choice:
    """A selection question as routing sees it: its id, kind and the kiosk value of each answer the form names."""

    question: str
    kind: str  # radios, select or checkboxes
    values: dict[str, str] = field(default_factory=dict)  # an option's name (English, Welsh) or value -> kiosk value
    none: str | None = None  # the value of "None of the above", when the form offers it


@dataclass
class Block:
    """The kiosk pages one step became, and the pages a citizen can leave the step from.

    ``exits`` are (page id, guard): a route of the step is put on each, joined with its guard (None: always),
    so that a route still applies when the step's last page is skipped (no "None of the above" follow-up).
    """

    step: Step
    pages: list[Page]
    exits: list[tuple[str, dict[str, Any] | None]]
    choice: Choice | None = None

    @property
    def first(self) -> str:
        return str(self.pages[0]["id"])


@dataclass
class Builder:
    """What building one journey's blocks shares: the notes, the identifiers taken, what formatting was lost."""

    reader: Reader
    page_ids: Ids = field(default_factory=Ids)
    question_ids: Ids = field(default_factory=Ids)
    lost: set[str] = field(default_factory=set)

    def words(self, en: str, cy: str) -> Loc:
        return self.reader.words(en, cy)


@dataclass
class Asking:
    """A step being built: its words and the helpers every answer type uses."""

    b: Builder
    step: Step
    label: Loc
    base: str
    where: str

    @property
    def r(self) -> Reader:
        return self.b.reader

    @property
    def optional(self) -> bool:
        return flag(self.step.data.get("is_optional"), self.step.where, "is_optional", self.r)

    @property
    def repeatable(self) -> bool:
        return flag(self.step.data.get("is_repeatable"), self.step.where, "is_repeatable", self.r)

    def hint(self) -> Loc | None:
        return self.step.text(self.r, "hint_text")

    def heading(self) -> Loc | None:
        return self.step.text(self.r, "page_heading")

    def content(self) -> list[dict[str, Any]]:
        """The page's guidance (markdown) as paragraphs."""
        guidance = self.step.text(self.r, "guidance_markdown")
        if guidance is None:
            return []
        return [
            {"type": "paragraph", "text": {"en": en, **({"cy": cy} if cy else {})}}
            for en, cy in markdown.blocks(guidance["en"], guidance.get("cy"), self.b.lost)
        ]

    def error_name(self) -> Loc | None:
        short = self.step.data.get("question_short_name")
        if not isinstance(short, str) or not short.strip():
            return None
        words = short.strip()
        keep = len(words) > 1 and words[1].isupper()  # "NHS number" keeps its capitals
        return {"en": words if keep else words[0].lower() + words[1:]}

    def question(self, qtype: str, *, label: Loc | None = None, suffix: str = "", **extra: Any) -> dict[str, Any]:
        q: dict[str, Any] = {
            "id": self.b.question_ids.take(f"{self.base}-{suffix}" if suffix else self.base),
            "type": qtype,
            "label": label or self.label,
        }
        hint = extra.pop("hint", None) if "hint" in extra else (self.hint() if label is None else None)
        if hint:
            q["hint"] = hint
        required = extra.pop("required", not self.optional)
        if not required:
            q["required"] = False
        if label is None and (name := self.error_name()):
            q["error_name"] = name
        q.update({k: v for k, v in extra.items() if v is not None})
        return q

    def page(self, questions: list[dict[str, Any]], *, suffix: str = "", title: Loc | None = None) -> Page:
        page: Page = {"id": self.b.page_ids.take(f"{self.base}-{suffix}" if suffix else self.base)}
        heading = title or self.heading() or (self.label if len(questions) != 1 else None)
        if heading:
            page["title"] = heading
        content = self.content() if not suffix else []
        if content:
            page["content"] = content
        if questions:
            page["questions"] = questions
        return page

    def single(self, qtype: str, **extra: Any) -> Block:
        page = self.page([self.question(qtype, **extra)])
        return Block(self.step, [page], [(page["id"], None)])

    def once(self) -> None:
        if self.repeatable:
            self.r.note(
                self.where,
                "the form lets people give more than one answer here (is_repeatable); the kiosk asks once",
                "changed",
            )

    def many_as_lines(self, qtype: str, max_length: int) -> Block:
        """A text question that may be repeated is asked once, as several lines: one answer a line."""
        if not self.repeatable:
            return self.single(qtype, max_length=max_length)
        self.r.note(
            self.where,
            "the form lets people give more than one answer here (is_repeatable); the kiosk asks for them all "
            "in one box of several lines, one a line",
            "changed",
        )
        lines = self.b.words("Put each one on a new line.", "Rhowch bob un ar linell newydd.")
        hint = self.hint()
        joined = {k: f"{hint[k]} {v}" if hint and k in hint else v for k, v in lines.items()} if hint else lines
        if hint and "cy" in hint and "cy" not in joined:
            joined["cy"] = hint["cy"]
        return self.single("long_text", max_length=4999, hint=joined)
