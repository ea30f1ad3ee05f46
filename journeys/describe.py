"""A journey as plain text for content designers: pages in order, their questions, and the routing."""

from __future__ import annotations

from journeys import formatting
from journeys.models import Journey

__all__ = ["describe"]


def describe(journey: Journey) -> str:
    """A journey as plain text: pages in order, their questions, and when pages are skipped or jumped."""
    lines = [f"{journey.title.en}  ({journey.id} v{journey.version}, {journey.category})", journey.summary.en]
    if journey.requires_online:
        lines.append(
            "Needs the kiosk to be online" + (f": {journey.offline_message.en}" if journey.offline_message else "")
        )
    if journey.payment:
        amount = (
            formatting.format_money(journey.payment.amount_pence)
            if journey.payment.amount_pence
            else f"the answer to {journey.payment.amount_question}"
        )
        lines.append(f"Takes a payment: {journey.payment.description.en}, {amount}")
    for n, page in enumerate(journey.pages, 1):
        lines.append("")
        lines.append(f"{n}. page {page.id}" + (f": {page.title.en}" if page.title else ""))
        if page.show_when:
            lines.append(f"   only when {page.show_when.describe()}")
        for block in page.content:
            lines.append(f"   [{block.type}] {block.text.en}")
        for q in page.questions:
            extra = [] if q.required else ["optional"]
            if q.reuse:
                extra.append(f"reuse {q.reuse}")
            if q.options:
                extra.append("options " + ", ".join(o.value for o in q.options))
            suffix = f" ({'; '.join(extra)})" if extra else ""
            lines.append(f"   - {q.id} [{q.type}] {q.label.en}{suffix}")
        for route in page.routes:
            lines.append(f"   then, when {route.when.describe()}: go to {route.goto}")
    return "\n".join(lines)
