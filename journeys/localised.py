"""Words in several languages: one string per language, or a list of words per language (English always)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["Localised", "LocalisedList"]


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
