"""XGov content components (Para, Html, InsetText, Details, FlashCard, List) as kiosk content blocks."""

from __future__ import annotations

from typing import Any

from journeys.importers.xgov.context import Context
from journeys.importers.xgov.text import languages, localised, paragraphs

CONTENT_TYPES = ("Para", "Html", "InsetText", "Details", "FlashCard", "List")


def join(parts: list[dict[str, str]], sep: str) -> dict[str, str]:
    """Localised strings joined in every language any of them has (English where one lacks it)."""
    langs = ["en", *sorted({lang for part in parts for lang in part} - {"en"})]
    return {lang: sep.join(part.get(lang, part["en"]) for part in parts) for lang in langs}


def html_texts(ctx: Context, value: Any, where: str) -> list[dict[str, str]]:
    """The paragraphs of an HTML string (or localised object), each a Localised; a note for what is lost."""
    raw = languages(value)
    if raw is None:
        return []
    per_lang = {lang: paragraphs(text) for lang, text in raw.items()}
    lost = set().union(*(p.lost for p in per_lang.values()))
    if "scripts or form controls" in lost:
        ctx.note(
            where,
            "scripts, styles and form controls in this HTML are left out: the kiosk shows only its words",
            "left_out",
        )
        lost.discard("scripts or form controls")
    if lost:
        ctx.note(
            where,
            f"shown as plain paragraphs: the formatting of {', '.join(sorted(lost))} is lost (a link shows its address)",
        )
    texts = {lang: p.texts for lang, p in per_lang.items() if p.texts}
    if "en" not in texts:
        return []
    counts = {len(t) for t in texts.values()}
    if len(counts) == 1:
        return [{lang: t[i] for lang, t in texts.items()} for i in range(len(texts["en"]))]
    return [{lang: "\n\n".join(t) for lang, t in texts.items()}]


def _items(ctx: Context, component: dict[str, Any], where: str) -> list[dict[str, str]]:
    """A FlashCard's or List component's list items as lines: the item's words, then its description."""
    name = component.get("list")
    lst = ctx.lists.get(name) if isinstance(name, str) else None
    if lst is None:
        ctx.note(where, f"the list {name!r} it shows is not in the definition's lists; nothing is shown", "error")
        return []
    lines = []
    for item in lst.get("items") or []:
        if not isinstance(item, dict):
            continue
        text = localised(item.get("text"))
        if text is None:
            continue
        description = localised(item.get("description"))
        lines.append(join([text, description], ": ") if description else text)
        if isinstance(item.get("condition"), str) and item["condition"]:
            ctx.note(
                where,
                f"the item {text['en']!r} has a condition ({item['condition']}); the kiosk shows it always",
                "changed",
            )
    return lines


def content_blocks(ctx: Context, component: dict[str, Any], where: str) -> list[dict[str, Any]]:
    """The kiosk content blocks for one XGov content component (empty, with a note, when it has no words)."""
    kind = component["type"]
    options: dict[str, Any] = component["options"] if isinstance(component.get("options"), dict) else {}
    if isinstance(options.get("condition"), str) and options["condition"]:
        ctx.note(
            where,
            f"this content is shown in the definition only when {options['condition']!r} holds; the kiosk shows it always",
            "changed",
        )
    if kind == "Details":
        summary = localised(component.get("title"))
        texts = html_texts(ctx, component.get("content"), where)
        if summary is None or not texts:
            ctx.note(where, "a Details component needs a title and content; it is left out", "error")
            return []
        return [{"type": "details", "summary": summary, "text": join(texts, "\n\n")}]
    if kind in ("FlashCard", "List"):
        lines = _items(ctx, component, where)
        if kind == "FlashCard":
            ctx.note(where, "the cards are shown as paragraphs, one a card")
        else:
            lines = [join([{"en": "• "}, line], "") for line in lines]
        title = localised(component.get("title"))
        if title is not None and kind == "List" and options.get("hideTitle") is not True:
            lines.insert(0, title)
        return [{"type": "paragraph", "text": line} for line in lines]
    texts = html_texts(ctx, component.get("content"), where)
    if not texts:
        ctx.note(where, "this content component has no words; it is left out", "info")
        return []
    block = "inset" if kind == "InsetText" else "paragraph"
    if block == "inset":
        return [{"type": "inset", "text": join(texts, "\n\n")}]
    return [{"type": "paragraph", "text": text} for text in texts]
