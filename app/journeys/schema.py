"""The journey format (version 1): journeys are data that the portal serves and the kiosk renders.

A definition is strict JSON validated with pydantic. A bad definition is rejected with a message
that names the journey, the page and the field (see :func:`parse_journey`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

SCHEMA_VERSION = 1

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{0,63}$")]

QuestionType = Literal[
    "text",
    "long_text",
    "number",
    "email",
    "phone",
    "postcode",
    "date",
    "radios",
    "yes_no",
]


class Localised(BaseModel):
    """A string in several languages; English is always present."""

    model_config = ConfigDict(extra="allow", frozen=True)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        value = (self.model_extra or {}).get(lang)
        return value if isinstance(value, str) and value else self.en


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    value: Identifier
    label: Localised


class Question(_Strict):
    id: Identifier
    type: QuestionType
    label: Localised
    hint: Localised | None = None
    required: bool = True
    options: list[Option] = Field(default_factory=list)
    max_length: int | None = Field(default=None, ge=1, le=10_000)
    reuse: Identifier | None = None

    @model_validator(mode="after")
    def _options_match_type(self) -> Question:
        if self.type == "radios" and len(self.options) < 2:
            raise ValueError("a radios question needs at least two options")
        if self.type != "radios" and self.options:
            raise ValueError(f"a {self.type} question takes no options")
        return self


class Page(_Strict):
    id: Identifier
    title: Localised | None = None
    questions: list[Question] = Field(min_length=1)


class Journey(_Strict):
    schema_version: Literal[1] = 1
    id: Identifier
    version: int = Field(ge=1)
    title: Localised
    summary: Localised
    category: Identifier
    requires_online: bool = False
    pages: list[Page] = Field(min_length=1)
    declaration: Localised | None = None
    confirmation: Localised

    @field_validator("pages")
    @classmethod
    def _unique_ids(cls, pages: list[Page]) -> list[Page]:
        seen_pages: set[str] = set()
        seen_questions: set[str] = set()
        for page in pages:
            if page.id in seen_pages:
                raise ValueError(f"page id {page.id!r} is used twice")
            seen_pages.add(page.id)
            for q in page.questions:
                if q.id in seen_questions:
                    raise ValueError(f"question id {q.id!r} is used twice")
                seen_questions.add(q.id)
        return pages

    def questions(self) -> list[Question]:
        return [q for page in self.pages for q in page.questions]


class CatalogueEntry(_Strict):
    id: Identifier
    version: int = Field(ge=1)
    title: Localised
    summary: Localised
    category: Identifier
    requires_online: bool = False


class Catalogue(_Strict):
    schema_version: Literal[1] = 1
    journeys: list[CatalogueEntry]


class JourneyFormatError(ValueError):
    """A journey definition that does not follow the format; the message names where."""


def _where(definition: Any, loc: tuple[int | str, ...]) -> str:
    """Turn a pydantic error location into 'page P, question Q, field F'."""
    parts: list[str] = []
    node: Any = definition
    i = 0
    while i < len(loc):
        key = loc[i]
        if key in ("pages", "questions") and i + 1 < len(loc) and isinstance(loc[i + 1], int):
            idx = int(loc[i + 1])
            try:
                node = node[key][idx]
                label = node.get("id", f"#{idx + 1}") if isinstance(node, dict) else f"#{idx + 1}"
            except (KeyError, IndexError, TypeError):
                label = f"#{idx + 1}"
            parts.append(f"{key[:-1]} {label!s}")
            i += 2
            continue
        parts.append(f"field {key}")
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            node = None
        i += 1
    return ", ".join(parts)


def parse_journey(definition: Any) -> Journey:
    """Validate one definition; raise JourneyFormatError naming the journey, page and field."""
    journey_id = definition.get("id", "<no id>") if isinstance(definition, dict) else "<not an object>"
    try:
        return Journey.model_validate(definition)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            where = _where(definition, tuple(err["loc"]))
            problems.append(f"{where}: {err['msg']}" if where else err["msg"])
        raise JourneyFormatError(f"journey {journey_id}: " + "; ".join(problems)) from None


def parse_catalogue(data: Any) -> Catalogue:
    try:
        return Catalogue.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise JourneyFormatError(f"catalogue: {'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from None
