"""The parts of an XGov definition around its pages: fees, the declaration, the confirmation page, the name."""

from __future__ import annotations

from typing import Any

from journeys.importers.xgov.conditions import Conditions
from journeys.importers.xgov.content import html_texts, join
from journeys.importers.xgov.context import Context, Refused
from journeys.importers.xgov.text import localised

FEE_NOTE = {"en": "The council will tell you how to pay after it receives your request. Nothing is paid at this kiosk."}
CONFIRMATION = {"en": "Keep your reference. The council will contact you if it needs anything else."}

# Top-level keys that are about the web service (its keys, analytics, outputs), not the questions.
_WEB_ONLY = (
    "outputs",
    "feedback",
    "phaseBanner",
    "analytics",
    "payApiKey",
    "paymentReferenceFormat",
    "feeOptions",
    "authentication",
    "jwtKey",
    "exitOptions",
    "toggle",
    "toggleRedirect",
    "magicLinkConfig",
    "allowedDomains",
    "invalidDomainRedirect",
    "webhookHmacSharedKey",
    "fileUploadHmacSharedKey",
    "fullStartPage",
    "retryTimeoutSeconds",
    "confirmationSessionTimeout",
    "returnTo",
    "showFilenamesOnSummaryPage",
    "serviceName",
    "metadata",
)
KNOWN = (
    "name",
    "startPage",
    "pages",
    "sections",
    "conditions",
    "lists",
    "fees",
    "declaration",
    "version",
    "specialPages",
    "skipSummary",
    *_WEB_ONLY,
)


def web_only(ctx: Context) -> None:
    """One note for the settings of the web service the kiosk does not use, and one for keys it does not know."""
    present = [key for key in _WEB_ONLY if key in ctx.data]
    if present:
        ctx.note("", f"settings of the web service are not used on the kiosk: {', '.join(present)}")
    unknown = sorted(str(key) for key in ctx.data if key not in KNOWN)
    if unknown:
        ctx.note("", f"keys that are not in the XGovFormBuilder schema are left out: {', '.join(unknown[:10])}")
    if ctx.data.get("skipSummary") is True:
        ctx.note(
            "", "the definition skips the summary page; the kiosk always shows check answers before sending", "changed"
        )


def fee(ctx: Context, conditions: Conditions) -> dict[str, Any] | None:
    """The kiosk fee (billed later) for the definition's fees, or None; a note for what cannot be shown."""
    raw = ctx.data.get("fees")
    if not raw:
        return None
    if not isinstance(raw, list):
        ctx.note("fees", "the fees are not a list; none are kept", "error")
        return None
    fees = []
    for n, item in enumerate(raw, 1):
        where = f"fee {n}"
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("description"), str)
            or not item["description"].strip()
        ):
            ctx.note(where, "a fee needs a description and an amount; it is left out", "error")
            continue
        amount = item.get("amount")
        if isinstance(amount, bool) or not isinstance(amount, int | float) or not 0 <= amount <= 10_000_000:
            ctx.note(where, "a fee needs an amount in pence (0 to 10,000,000); it is left out", "error")
            continue
        fees.append((where, item, round(amount)))
    if not fees:
        return None
    ctx.note(
        "fees",
        "the definition takes payment online before sending; the kiosk shows the cost on check answers "
        "and the council bills it later (nothing is paid at the kiosk)",
        "changed",
    )
    plain = [f for f in fees if not f[1].get("condition") and not f[1].get("multiplier")]
    special = [f for f in fees if f not in plain]
    if not special or (len(special) == 1 and not (special[0][1].get("condition") and plain)):
        base, extra = plain, special
    else:  # the kiosk has one cost, with one condition: the first fee is kept
        base, extra = [], fees[:1]
        for where, item, _ in fees[1:]:
            ctx.note(
                where, f"the kiosk shows one cost; {item['description']!r} is not shown on check answers", "left_out"
            )
    out: dict[str, Any] = {
        "label": {"en": " and ".join(item["description"].strip() for _, item, _ in base + extra)},
        "amount_pence": sum(amount for _, _, amount in base),
        "note": FEE_NOTE,
    }
    for where, item, amount in extra:
        _conditional(ctx, conditions, out, where, item, amount)
    return out


def _conditional(
    ctx: Context, conditions: Conditions, out: dict[str, Any], where: str, item: dict[str, Any], amount: int
) -> None:
    """A fee's condition (``when``) and multiplier (``each_extra``: the amount for each, counted by a number)."""
    if item.get("multiplier"):
        try:
            info = ctx.find_field(str(item["multiplier"]))
        except Refused as exc:
            ctx.note(where, f"its multiplier cannot be kept: {exc}", "error")
            info = None
        if info is not None and info.kiosk_type != "number":
            ctx.note(where, f"its multiplier {item['multiplier']!r} is not a number field; it is not kept", "error")
        elif info is not None and amount >= 1:
            out["each_extra"] = {"question": info.qid, "included": 0, "amount_pence": amount}
        if "each_extra" not in out:
            out["amount_pence"] += amount
    else:
        out["amount_pence"] += amount
    if item.get("condition"):
        try:
            out["when"] = conditions.named(str(item["condition"]))
        except Refused as exc:
            ctx.note(where, f"its condition cannot be kept, so the cost is always shown: {exc}", "error")
    if isinstance(item.get("prefix"), str):
        ctx.note(where, "the payment reference prefix is not used: the kiosk's reference is the request's")


def declaration(ctx: Context) -> dict[str, str] | None:
    texts = html_texts(ctx, ctx.data.get("declaration"), "declaration")
    return join(texts, "\n\n") if texts else None


def confirmation(ctx: Context) -> dict[str, str]:
    """What happens next: the confirmation page's next steps and content, else words that claim nothing."""
    special = ctx.data.get("specialPages")
    page = special.get("confirmationPage") if isinstance(special, dict) else None
    if not isinstance(page, dict):
        return CONFIRMATION
    parts: list[dict[str, str]] = []
    custom: dict[str, Any] = page["customText"] if isinstance(page.get("customText"), dict) else {}
    for key in ("nextSteps",):
        words = localised(custom.get(key)) if isinstance(custom.get(key), str | dict) else None
        if words:
            parts.append(words)
    if custom.get("paymentSkipped") not in (None, False):
        ctx.note(
            "confirmation page", "the words for a payment not made are not used: the fee's note says how it is paid"
        )
    if any(key in custom for key in ("title", "referenceTitle", "referenceContent", "hidePanel")):
        ctx.note("confirmation page", "its title and reference panel are the kiosk's own (it shows the reference)")
    for n, component in enumerate(page.get("components") or [], 1):
        if isinstance(component, dict) and component.get("type") in ("Para", "Html", "InsetText", "Details"):
            parts.extend(html_texts(ctx, component.get("content"), f"confirmation page, component #{n}"))
        else:
            ctx.note(
                f"confirmation page, component #{n}",
                "only words (Para, Html, InsetText, Details) are kept here",
                "left_out",
            )
    return join(parts, "\n\n") if parts else CONFIRMATION


def title(ctx: Context, start: dict[str, Any] | None) -> dict[str, str]:
    words = localised(ctx.data.get("name"))
    if words is None and start is not None:
        words = localised(start.get("title"))
    if words is None:
        ctx.note("", "the definition has no name: the journey is called 'Imported form'", "changed")
        words = {"en": "Imported form"}
    return words


def summary(pages: list[dict[str, Any]], name: dict[str, str]) -> dict[str, str]:
    """The first paragraph of the first page, cut at its first sentence; else the journey's name."""
    for block in pages[0].get("content", []) if pages else []:
        if block["type"] in ("paragraph", "inset"):
            return {lang: _sentence(text) for lang, text in block["text"].items()}
    return name


def _sentence(text: str) -> str:
    end = text.find(". ")
    cut = text[: end + 1] if 0 < end < 300 else text
    return cut if len(cut) <= 300 else cut[:297].rstrip() + "..."
