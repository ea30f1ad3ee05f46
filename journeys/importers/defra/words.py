"""Words of a DEFRA definition as kiosk words: localised strings, and Markdown or HTML as plain content blocks.

DEFRA's schema has plain strings; a definition may also give a text as ``{"en": ..., "cy": ...}`` (as its
XGovFormBuilder ancestor did), and then the Welsh is kept as the kiosk's ``cy``. Markdown and HTML become
paragraphs (lists as lines with bullets, links as "words (address)"); what formatting is lost is said in a note.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

from journeys.importers.defra.context import Context
from journeys.importers.report import Severity, kind

LANGUAGES = ("en", "cy")


def text(ctx: Context, value: Any, where: str, name: str, *, required: bool = False) -> dict[str, str] | None:
    """The localised string for a text field, or None (with an error note when it was required or is not words)."""
    if value is None or value == "":
        if required:
            ctx.error(where, f"{name} is missing: it needs words")
        return None
    if isinstance(value, str):
        if value.strip():
            return {"en": value.strip()}
        _missing(ctx, where, name, required)
        return None
    if isinstance(value, dict):
        words = {lang: value[lang].strip() for lang in LANGUAGES if isinstance(value.get(lang), str)}
        if not words.get("en"):
            ctx.error(where, f"{name} has no English (en) words")
            return None
        others = sorted(k for k in value if k not in LANGUAGES)
        if others:
            ctx.note(where, f"{name}: languages {', '.join(others)} are left out; the kiosk keeps English and Welsh")
        if words.get("cy"):
            ctx.languages.add("cy")
        else:
            words.pop("cy", None)
        return words
    ctx.error(where, f"{name} should be words, not {kind(value)}")
    return None


def _missing(ctx: Context, where: str, name: str, required: bool) -> None:
    if required:
        ctx.error(where, f"{name} is empty: it needs words")


def plain(value: dict[str, str] | None) -> str:
    return value["en"] if value else ""


# -- Markdown and HTML -> content blocks ------------------------------------------------------------

_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)[^)]*\)")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")


def markdown_paragraphs(source: str) -> tuple[list[str], set[str]]:
    """The paragraphs of a Markdown text, and what formatting was lost on the way."""
    lost: set[str] = set()
    paragraphs: list[str] = []
    for chunk in re.split(r"\n\s*\n", source.replace("\r\n", "\n")):
        lines = []
        for line in chunk.split("\n"):
            line = line.strip()
            if not line:
                continue
            if re.fullmatch(r"\|?[\s:|-]+\|?", line) and "-" in line and "|" in line:
                lost.add("a table")
                continue
            if line.startswith("|"):
                lost.add("a table")
                line = " ".join(cell.strip() for cell in line.strip("|").split("|"))
            if re.match(r"#{1,6}\s", line):
                lost.add("headings")
                line = line.lstrip("#").strip()
            bullet = re.match(r"([-*+]|\d+[.)])\s+(.*)", line)
            if bullet:
                line = ("• " if not bullet.group(1)[0].isdigit() else bullet.group(1) + " ") + bullet.group(2)
            if line.startswith(">"):
                lost.add("quotes")
                line = line.lstrip("> ").strip()
            if _IMAGE.search(line):
                lost.add("images")
                line = _IMAGE.sub("", line).strip()
            if _LINK.search(line):
                lost.add("links")
                line = _LINK.sub(r"\1 (\2)", line)
            if _EMPHASIS.search(line):
                lost.add("bold and italic")
                line = _EMPHASIS.sub(r"\2", line)
            if line:
                lines.append(line)
        if lines:
            paragraphs.append("\n".join(lines))
    return paragraphs, lost


_DROPPED = {"script", "style", "form", "input", "button", "select", "textarea", "iframe", "object", "embed"}
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "tr", "br", "section", "blockquote"}


class _HtmlText(HTMLParser):
    """Plain paragraphs out of HTML: scripts and forms dropped, list items as bullet lines, links as words (address)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.current: list[str] = []
        self.lost: set[str] = set()
        self.dropped: set[str] = set()
        self.skipping = 0
        self.href: list[str | None] = []

    def _flush(self) -> None:
        words = re.sub(r"[ \t]+", " ", "".join(self.current)).strip()
        words = "\n".join(line.strip() for line in words.split("\n") if line.strip())
        if words:
            self.paragraphs.append(words)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            self.dropped.add(tag)
            self.skipping += tag not in {"input", "embed"}
            return
        if tag == "img":
            self.lost.add("images")
        elif tag == "a":
            self.href.append(dict(attrs).get("href"))
        elif tag == "li":
            self.current.append("\n• ")
        elif tag in {"td", "th"}:
            self.lost.add("a table")
            self.current.append(" ")
        elif tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.lost.add("headings")
        elif tag in {"strong", "b", "em", "i"}:
            self.lost.add("bold and italic")
        if tag in _BLOCKS and tag != "br":
            self._flush()
        elif tag == "br":
            self.current.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            self.skipping = max(0, self.skipping - (tag not in {"input", "embed"}))
            return
        if tag == "a" and self.href:
            href = self.href.pop()
            if href and not href.startswith("#") and not self.skipping:
                self.lost.add("links")
                self.current.append(f" ({href})")
        if tag in _BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data.replace("\n", " "))

    def close(self) -> None:
        super().close()
        self._flush()


def html_paragraphs(source: str) -> tuple[list[str], set[str], set[str]]:
    """The paragraphs of an HTML text, the formatting lost, and the elements dropped (scripts, forms)."""
    parser = _HtmlText()
    parser.feed(source)
    parser.close()
    return [html.unescape(p) for p in parser.paragraphs], parser.lost, parser.dropped


def paragraphs(ctx: Context, value: Any, where: str, name: str, *, markup: str = "markdown") -> list[dict[str, str]]:
    """Localised paragraphs of a Markdown or HTML text (Welsh paired paragraph by paragraph, or kept whole)."""
    words = text(ctx, value, where, name)
    if words is None:
        return []
    split: dict[str, list[str]] = {}
    lost: set[str] = set()
    for lang, source in words.items():
        if markup == "html":
            found, gone, dropped = html_paragraphs(source)
            if dropped and lang == "en":
                ctx.note(
                    where,
                    f"{name}: HTML {', '.join(sorted(dropped))} left out (the kiosk shows words only, never scripts or forms)",
                    "left_out",
                )
        else:
            found, gone = markdown_paragraphs(source)
        split[lang] = found
        lost |= gone
    if lost:
        severity: Severity = "changed" if lost & {"images", "a table"} else "info"
        ctx.note(where, f"{name}: shown as plain paragraphs; lost: {', '.join(sorted(lost))}", severity)
    english = split.get("en", [])
    welsh = split.get("cy")
    if welsh is not None and len(welsh) != len(english):
        english, welsh = ["\n\n".join(english)] if english else [], ["\n\n".join(welsh)] if welsh else []
    blocks = []
    for i, en in enumerate(english):
        block = {"en": en}
        if welsh and i < len(welsh) and welsh[i]:
            block["cy"] = welsh[i]
        blocks.append(block)
    return blocks


def joined(parts: list[dict[str, str]]) -> dict[str, str] | None:
    """Several localised paragraphs as one (blank lines between); Welsh only when every part has it."""
    if not parts:
        return None
    out = {"en": "\n\n".join(p["en"] for p in parts)}
    if all("cy" in p for p in parts):
        out["cy"] = "\n\n".join(p["cy"] for p in parts)
    return out
