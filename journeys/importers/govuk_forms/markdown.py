"""GOV.UK Forms markdown (guidance, exit pages, what happens next) as the kiosk's plain words.

GOV.UK Forms allows paragraphs, headings (## and ###), bulleted and numbered lists and links. The kiosk
shows plain text: a heading becomes a paragraph of its own, a list item a line starting "•" (or its
number), a link its words followed by the address in brackets, bold and italics plain words. What was
lost is returned, so the import can say so.
"""

from __future__ import annotations

import re

_LINK = re.compile(r"\[([^\]\n]*)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\3(?![\w*])")
_TAG = re.compile(r"</?[a-zA-Z][^>\n]*>")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*(\d{1,3})[.)]\s+(.*)$")


def _inline(text: str, lost: set[str]) -> str:
    def link(match: re.Match[str]) -> str:
        lost.add("links")
        words, url = match.group(1).strip(), match.group(2).strip()
        return f"{words} ({url})" if words and url and words != url else (words or url)

    text = _LINK.sub(link, text)
    if _TAG.search(text):
        lost.add("HTML")
        text = _TAG.sub("", text)
    before = text
    text = _EMPHASIS.sub(lambda m: m.group(2) or m.group(4) or "", text)
    if text != before:
        lost.add("bold and italics")
    return re.sub(r"[ \t]+", " ", text).strip()


def paragraphs(markdown: str, lost: set[str]) -> list[str]:
    """The markdown's blocks as plain paragraphs (a list's items are the lines of one paragraph)."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", markdown.replace("\r\n", "\n")):
        lines: list[str] = []
        for line in block.split("\n"):
            if not line.strip():
                continue
            heading = _HEADING.match(line)
            bullet = _BULLET.match(line)
            numbered = _NUMBERED.match(line)
            if heading:
                lost.add("headings")
                if lines:
                    out.append("\n".join(lines))
                    lines = []
                text = _inline(heading.group(1), lost)
                if text:
                    out.append(text)
            elif bullet:
                lines.append("• " + _inline(bullet.group(1), lost))
            elif numbered:
                lines.append(f"{numbered.group(1)}. " + _inline(numbered.group(2), lost))
            elif lines and not lines[-1].startswith(("• ", *(f"{n}. " for n in range(1, 10)))):
                lines[-1] = lines[-1] + " " + _inline(line, lost)
            else:
                lines.append(_inline(line, lost))
        text = "\n".join(t for t in lines if t)
        if text:
            out.append(text)
    return out


def plain(markdown: str, lost: set[str]) -> str:
    """The markdown as one plain text, its paragraphs separated by a blank line."""
    return "\n\n".join(paragraphs(markdown, lost))


def blocks(en: str, cy: str | None, lost: set[str]) -> list[tuple[str, str | None]]:
    """Paragraphs in English with their Welsh: paired one by one when both have as many, else all in one."""
    en_parts = paragraphs(en, lost)
    cy_parts = paragraphs(cy, lost) if cy else []
    if not cy_parts:
        return [(p, None) for p in en_parts]
    if len(cy_parts) == len(en_parts):
        return list(zip(en_parts, cy_parts, strict=True))
    return [("\n\n".join(en_parts), "\n\n".join(cy_parts))] if en_parts else []
