"""Words in several languages: one string per language, or a list of words per language (English always)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["Localised", "LocalisedList", "languages_in"]


class Localised(BaseModel):
    """A string in several languages; English is always present."""

    model_config = ConfigDict(extra="allow", frozen=True)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        value = (self.model_extra or {}).get(lang)
        return value if isinstance(value, str) and value else self.en


class LocalisedList(BaseModel):
    """Words in several languages, a list per language; English is always present."""

    model_config = ConfigDict(extra="allow", frozen=True)
    en: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(min_length=1, max_length=30)

    @model_validator(mode="after")
    def _lists_of_words(self) -> LocalisedList:
        for lang, words in (self.model_extra or {}).items():
            if not (
                isinstance(words, list)
                and len(words) <= 30
                and all(isinstance(w, str) and 1 <= len(w) <= 40 for w in words)
            ):
                raise ValueError(f"{lang}: a list of at most 30 words of 1 to 40 characters")
        return self

    def get(self, lang: str) -> list[str]:
        words = (self.model_extra or {}).get(lang)
        return list(words) if words else list(self.en)


def languages_in(node: object) -> set[str]:
    """The languages that every piece of words in ``node`` (a journey, a page, a list of them) is written in.

    English always; another language only when no title, label, hint or option lacks it, so that a
    journey half translated is not called translated."""
    found: set[str] | None = None
    for value in _localised(node):
        have = {"en", *(lang for lang, words in (value.model_extra or {}).items() if words)}
        found = have if found is None else found & have
    return found if found is not None else {"en"}


def _localised(node: object) -> Iterator[Localised | LocalisedList]:
    if isinstance(node, Localised | LocalisedList):
        yield node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _localised(getattr(node, name))
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _localised(item)
    elif isinstance(node, dict):
        for item in node.values():
            yield from _localised(item)
