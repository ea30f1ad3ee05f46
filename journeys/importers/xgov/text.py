"""Words from an XGovFormBuilder definition: localised strings, HTML made plain, and kiosk identifiers.

XGov text is a string or an object of languages (``{"en": ..., "cy": ...}``); content is HTML. The kiosk
takes plain words in ``{"en": ..., "cy": ...}`` and content blocks, so tags are taken out here and what
is lost (links, tables, images, scripts) is said in a note by the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from typing import Any

# A language key the kiosk keeps: en, cy, and any other code of the same shape.
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
_ID_CHARS = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SPACES = re.compile(r"[ \t\r\f\v]+")

_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section"}
_DROPPED_TAGS = {"script", "style", "iframe", "form", "input", "button", "select", "textarea", "object", "embed"}


def plain(value: Any) -> str:
    """A string with its HTML taken out and its spaces tidied (what a title or a hint becomes)."""
    if not isinstance(value, str):
        return ""
    return " ".join(paragraphs(value).texts)


@dataclass
class Paragraphs:
    """HTML read as paragraphs of plain words, and what of its formatting was lost."""

    texts: list[str] = field(default_factory=list)
    lost: set[str] = field(default_factory=set)  # "links", "a table", "images", "headings", "lists", "scripts"


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out = Paragraphs()
        self._words: list[str] = []
        self._dropping = 0
        self._href: str | None = None
        self._link_words: list[str] = []

    def _flush(self) -> None:
        text = _SPACES.sub(" ", "".join(self._words)).strip()
        for line in (part.strip() for part in text.split("\n")):
            if line:
                self.out.texts.append(line)
        self._words = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED_TAGS:
            self._dropping += 1
            self.out.lost.add("scripts or form controls")
            return
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag == "li":
            self._words.append("• ")
            self.out.lost.add("lists")
        elif tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.out.lost.add("headings")
        elif tag in {"table", "td", "th"}:
            self.out.lost.add("a table")
            if tag in {"td", "th"}:
                self._words.append(" ")
        elif tag == "img":
            self.out.lost.add("images")
            alt = dict(attrs).get("alt")
            if alt:
                self._words.append(f"[{alt}]")
        elif tag == "a":
            self._href = dict(attrs).get("href") or ""
            self._link_words = []
            self.out.lost.add("links")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED_TAGS:
            self._dropping = max(0, self._dropping - 1)
            return
        if tag == "a" and self._href is not None:
            words = "".join(self._link_words).strip()
            href = self._href
            if (
                href.startswith(("http://", "https://", "mailto:", "tel:"))
                and href.split(":", 1)[-1].strip("/") != words
            ):
                self._words.append(f" ({href.removeprefix('mailto:').removeprefix('tel:')})")
            self._href = None
        if tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._dropping:
            return
        self._words.append(data)
        if self._href is not None:
            self._link_words.append(data)


def paragraphs(html: str) -> Paragraphs:
    """The paragraphs of plain words in an HTML (or plain) string."""
    reader = _Reader()
    try:
        reader.feed(html)
        reader.close()
    except Exception:  # pragma: no cover - HTMLParser is lenient; a failure here means "take the text as it is"
        return Paragraphs([unescape(html).strip()] if html.strip() else [])
    reader._flush()
    return reader.out


def languages(value: Any) -> dict[str, str] | None:
    """The languages of an XGov localised string, as raw strings (None when it is not one)."""
    if isinstance(value, str):
        return {"en": value} if value.strip() else None
    if isinstance(value, dict):
        found = {k: v for k, v in value.items() if isinstance(k, str) and _LANG.match(k) and isinstance(v, str)}
        found = {k: v for k, v in found.items() if v.strip()}
        if not found:
            return None
        if "en" not in found:
            found = {"en": next(iter(found.values())), **found}
        return found
    return None


def localised(value: Any) -> dict[str, str] | None:
    """A kiosk Localised (plain words) from an XGov title, hint or label; None when there are no words."""
    raw = languages(value)
    if raw is None:
        return None
    words = {lang: plain(text) for lang, text in raw.items()}
    words = {lang: text for lang, text in words.items() if text}
    if "en" not in words:
        return None
    return words


def english_missing(value: Any) -> bool:
    """Whether an XGov localised object has words but no English (the first language stands in)."""
    return (
        isinstance(value, dict)
        and bool(value)
        and "en" not in value
        and all(isinstance(k, str) and _LANG.match(k) and isinstance(v, str) for k, v in value.items())
        and languages(value) is not None
    )


def identifier(name: str, prefix: str) -> str:
    """A kiosk identifier (``^[a-z][a-z0-9-]{0,63}$``) from an XGov name or path: ``fullName`` -> ``full-name``."""
    words = _ID_CHARS.sub("-", _CAMEL.sub("-", name).lower()).strip("-")
    if not words or not words[0].isalpha():
        words = f"{prefix}-{words}".strip("-")
    return words[:64].rstrip("-")


class Ids:
    """Unique kiosk identifiers in one namespace (pages, questions, or the options of one question)."""

    def __init__(self, reserved: tuple[str, ...] = ()) -> None:
        self._used = set(reserved)

    def make(self, name: str, prefix: str) -> str:
        base = identifier(name, prefix)
        candidate, n = base, 2
        while candidate in self._used:
            suffix = f"-{n}"
            candidate = base[: 64 - len(suffix)].rstrip("-") + suffix
            n += 1
        self._used.add(candidate)
        return candidate
