"""The printed receipt: what it says (ReceiptContent), and printing it through QtPrintSupport.

A receipt carries no personal data. It is made from the service's name, the reference, the time it was
issued, the payment or appointment details and what happens next, and from nothing else: receipt_content
takes no answers, so a name, an email address or an address cannot reach the paper. Speech reads the same
content (ReceiptContent.reading_text), in the same order.

It prints on a receipt roll ("80mm": 80 mm wide, a page as tall as the content, 4 mm margins) or an office
printer ("a4"), to a PDF in training and in the tests. It is a QTextDocument made from HTML in which every
value is escaped, with the reference's QR code as an image resource, in the receipt's language's fonts and
direction (Urdu right to left). Printing never raises: print_receipt says what happened (PrintOutcome).
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QTextDocument, QTextOption
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from app import languages
from journeys.formatting import format_day, format_money, locale_for
from journeys.types.time import time_words
from ui import i18n
from ui.fonts import families
from ui.i18n import isolate, tr
from ui.qr import qr_image

__all__ = ["PAPERS", "PrintOutcome", "ReceiptContent", "ReceiptLine", "print_receipt", "receipt_content", "render_pdf"]

log = logging.getLogger("ui")

PAPERS: tuple[str, ...] = ("80mm", "a4")
LONDON = ZoneInfo("Europe/London")
QR_URL = QUrl("receipt://reference-qr")


@dataclass(frozen=True)
class ReceiptLine:
    """One detail of the receipt: a label and its value (``left_to_right``: a reference, an amount)."""

    label: str
    value: str
    left_to_right: bool = False


@dataclass(frozen=True)
class ReceiptContent:
    """Everything a receipt says, already in its language; no personal data."""

    service: str
    reference: str
    issued_at: str
    lines: tuple[ReceiptLine, ...]
    next_steps: str
    training: bool
    lang: str

    @property
    def right_to_left(self) -> bool:
        return languages.info(self.lang).right_to_left

    def heading(self) -> str:
        with _speaking(self.lang):
            return tr("Receipt")

    def blocks(self) -> list[tuple[str, str]]:
        """The receipt in reading order, as (kind, text): the one order of the paper and of speech.

        Each value is kept in its own direction inside right-to-left text: a reference or an amount left to
        right, free text (a journey's words, a place) by its first letter, line by line."""
        with _speaking(self.lang):
            found = [("notice", tr("Training receipt: nothing was sent to the council and no money was taken."))]
            found = found if self.training else []
            found += [("h1", tr("Receipt")), ("service", _keep(self.service, False))]
            found += [("label", tr("Reference")), ("reference", _keep(self.reference, True)), ("qr", "")]
            found += [("label", tr("Date")), ("value", _keep(self.issued_at, False))]
            for line in self.lines:
                found += [("label", line.label), ("value", _keep(line.value, line.left_to_right))]
            found += [("h2", tr("What happens next")), ("value", _keep(self.next_steps, False))]
            found.append(("footer", tr("Keep this receipt. Quote your reference if you contact us.")))
        return found

    def reading_text(self) -> str:
        """What speech reads: every word of the receipt, in reading order, one phrase a line."""
        return "\n".join(text for kind, text in self.blocks() if text and kind != "qr")


def _right_to_left_letters(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def _keep(value: str, left_to_right: bool) -> str:
    """A value in its own direction inside right-to-left text, line by line (nothing changes in a left-to-right one)."""
    return "\n".join(isolate(line, left_to_right=left_to_right) for line in value.split("\n"))


@contextmanager
def _speaking(lang: str) -> Iterator[None]:
    """tr() and isolate() in ``lang`` for a moment (the receipt's language, normally the display language)."""
    before = i18n.current()
    i18n.set_language(lang)
    try:
        yield
    finally:
        i18n.set_language(before)


# -- the content -------------------------------------------------------------------------------------


def _london(value: dt.datetime) -> dt.datetime:
    return value.astimezone(LONDON) if value.tzinfo else value


def _parse(value: Any) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def _day(value: dt.datetime, lang: str, width: str = "full") -> str:
    """As the screens write a day: "Tuesday 10 November 2026" (with its weekday), or "3 November 2026"."""
    from babel.dates import format_date

    if width == "full":
        return format_day(value.date(), lang)
    return str(format_date(value.date(), width, locale=locale_for(lang)))


def _time(value: dt.datetime, lang: str) -> str:
    """A time of day, kept whole inside right-to-left text ("9:30 AM": its digits would join the Urdu before it)."""
    return isolate(time_words(f"{value:%H:%M}", lang))  # as the screens write it: "9:30am", "midday"


def _date_and_time(value: dt.datetime, lang: str) -> str:
    value = _london(value)
    # Translators: when the receipt was issued, or an appointment with no end time: "3 November 2026, 2:05pm".
    return tr("{date}, {time}").format(date=_day(value, lang, "long"), time=_time(value, lang))


def _appointment_time(answer: dict[str, Any], lang: str) -> str:
    starts = _london(_parse(answer["starts_at"]))
    if not answer.get("ends_at"):
        return tr("{date}, {time}").format(date=_day(starts, lang), time=_time(starts, lang))
    ends = _london(_parse(answer["ends_at"]))
    # Translators: an appointment on a receipt: "Tuesday 10 November 2026, 9:30am to 10am".
    return tr("{date}, {start} to {end}").format(
        date=_day(starts, lang), start=_time(starts, lang), end=_time(ends, lang)
    )


def _payment_lines(payment: dict[str, Any], lang: str, other_ways_to_pay: str | None) -> list[ReceiptLine]:
    amount = format_money(int(payment["amount"]), lang)
    if payment.get("status") == "success":
        lines = [ReceiptLine(tr("Amount paid"), amount, left_to_right=True)]
        if payment.get("provider_id"):
            lines.append(ReceiptLine(tr("Payment reference"), str(payment["provider_id"]), left_to_right=True))
        return lines
    lines = [
        ReceiptLine(tr("Amount to pay"), amount, left_to_right=True),
        ReceiptLine(tr("Payment"), tr("Not paid yet")),
    ]
    if other_ways_to_pay:
        lines.append(ReceiptLine(tr("Ways to pay"), other_ways_to_pay))
    return lines


def _appointment_lines(appointment: dict[str, Any], lang: str) -> list[ReceiptLine]:
    if appointment.get("kind") == "booked":
        lines = [ReceiptLine(tr("Appointment"), _appointment_time(appointment, lang))]
        if appointment.get("location"):
            # Translators: where the appointment is (a label on the receipt, the address below it).
            lines.append(ReceiptLine(tr("Place"), str(appointment["location"])))
        lines.append(ReceiptLine(tr("Booking reference"), str(appointment["booking_reference"]), left_to_right=True))
        return lines
    return [ReceiptLine(tr("Appointment"), tr("Not booked yet. The council will contact you to confirm a time."))]


def receipt_content(
    *,
    service: str,
    reference: str,
    issued_at: dt.datetime,
    next_steps: str,
    lang: str,
    training: bool,
    payment: dict[str, Any] | None = None,
    appointment: dict[str, Any] | None = None,
    other_ways_to_pay: str | None = None,
) -> ReceiptContent:
    """The receipt of one request, in ``lang``: only what is named here reaches it (no answers, no name).

    ``payment`` is the submission's payment dict, ``appointment`` an appointment answer (booked or a request);
    times are shown in Europe/London time. Raises KeyError or ValueError for a payment or appointment that
    lacks what the contract says it has (an amount; a booking's start and reference)."""
    with _speaking(lang):
        lines: list[ReceiptLine] = []
        if payment is not None:
            lines += _payment_lines(payment, lang, other_ways_to_pay)
        if appointment is not None:
            lines += _appointment_lines(appointment, lang)
        return ReceiptContent(
            service=service,
            reference=reference,
            issued_at=_date_and_time(issued_at, lang),
            lines=tuple(lines),
            next_steps=next_steps,
            training=training,
            lang=lang,
        )


# -- the document --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Sizes:
    body_pt: float
    margin_mm: float
    qr_mm: float = 30.0


SIZES = {"80mm": _Sizes(body_pt=10, margin_mm=4), "a4": _Sizes(body_pt=12, margin_mm=20)}
ROLL_WIDTH_MM = 80.0


def _html(content: ReceiptContent, sizes: _Sizes, qr_px: int) -> str:
    """The receipt as HTML for QTextDocument: every value escaped, each block in the language's direction.

    Words with no right-to-left letter (a reference, an amount, a journey's English) are drawn in the Latin
    font even inside Urdu, so that their digits and punctuation do not come from the script's font (whose
    lines are taller) and a reference reads as one."""
    direction = "rtl" if content.right_to_left else "ltr"
    latin = ", ".join(f"'{f}'" for f in families(languages.info(languages.DEFAULT)) if "'" not in f)
    body = sizes.body_pt

    def em(n: float) -> str:  # Qt takes margins in CSS pixels (1/96 inch, scaled to the printer), not points
        return f"{round(n * body * 96 / 72)}px"

    style = {
        "h1": f"font-size:{body * 1.6:.1f}pt; font-weight:bold; margin-top:0; margin-bottom:{em(0.3)}",
        "service": f"font-size:{body * 1.15:.1f}pt; font-weight:bold; margin-top:0; margin-bottom:{em(0.4)}",
        "label": f"font-weight:bold; margin-top:{em(0.7)}; margin-bottom:0",
        "value": "margin-top:0; margin-bottom:0",
        "reference": f"font-size:{body * 1.5:.1f}pt; font-weight:bold; margin-top:0; margin-bottom:0",
        "h2": f"font-size:{body * 1.25:.1f}pt; font-weight:bold; margin-top:{em(1.2)}; margin-bottom:{em(0.3)}",
        "footer": f"margin-top:{em(0.6)}; margin-bottom:0",
    }

    def text(value: str) -> str:
        if not content.right_to_left or _right_to_left_letters(value):
            return html.escape(value, quote=True).replace("\n", "<br/>")
        # English inside Urdu (a word the catalogue has no Urdu for yet): its full stop stays at its end
        lines = [
            line if line.startswith((i18n.LRI, i18n.FSI)) else i18n.FSI + line + i18n.PDI for line in value.split("\n")
        ]
        shown = "<br/>".join(html.escape(line, quote=True) for line in lines)
        return f'<span style="font-family:{html.escape(latin)}">{shown}</span>'

    parts = [f'<html><body dir="{direction}">']
    for kind, words in content.blocks():
        if kind == "notice":
            parts.append(
                f'<table dir="{direction}" width="100%" border="1" cellspacing="0" cellpadding="{body * 0.5:.0f}" '
                f'style="border-style:solid; margin-bottom:{em(0.6)}"><tr><td dir="{direction}">'
                f"<b>{text(words)}</b></td></tr></table>"
            )
        elif kind == "qr":
            parts.append(
                f'<p align="center" style="margin-top:{em(0.5)}; margin-bottom:{em(0.2)}">'
                f'<img src="{QR_URL.toString()}" width="{qr_px}" height="{qr_px}"/></p>'
            )
        elif kind == "footer":
            parts.append(
                f'<hr style="margin-top:{em(0.8)}"/><p dir="{direction}" style="{style[kind]}">{text(words)}</p>'
            )
        else:
            tag = kind if kind in ("h1", "h2") else "p"
            parts.append(f'<{tag} dir="{direction}" style="{style[kind]}">{text(words)}</{tag}>')
    parts.append("</body></html>")
    return "".join(parts)


def _document(content: ReceiptContent, printer: QPrinter, sizes: _Sizes, width_px: float) -> QTextDocument:
    """The receipt laid out ``width_px`` wide in ``printer``'s pixels (fonts in points at its resolution)."""
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(printer)
    doc.setDocumentMargin(0)
    font = QFont()
    font.setFamilies(families(languages.info(content.lang)))
    font.setPointSizeF(sizes.body_pt)
    doc.setDefaultFont(font)
    option = QTextOption()
    option.setTextDirection(Qt.LayoutDirection.RightToLeft if content.right_to_left else Qt.LayoutDirection.LeftToRight)
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    doc.setDefaultTextOption(option)
    qr = qr_image(content.reference, scale=16)  # drawn about 30 mm wide: many device pixels a module, sharp
    doc.addResource(QTextDocument.ResourceType.ImageResource, QR_URL, qr)
    # An image's width in HTML is in pixels of 1/96 inch, scaled by Qt to the printer's resolution.
    doc.setHtml(_html(content, sizes, round(sizes.qr_mm / 25.4 * 96)))
    doc.setTextWidth(width_px)
    return doc


def _mm_to_px(mm: float, printer: QPrinter) -> float:
    return mm / 25.4 * printer.resolution()


def _print_on(content: ReceiptContent, printer: QPrinter, paper: str) -> None:
    """Lay the receipt out for ``paper`` and paint it on ``printer``. Raises ValueError for an unknown paper and
    RuntimeError when the printer cannot print."""
    if paper not in SIZES:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}, not {paper!r}")
    sizes = SIZES[paper]
    margins = QMarginsF(sizes.margin_mm, sizes.margin_mm, sizes.margin_mm, sizes.margin_mm)
    if paper == "80mm":
        width_mm = ROLL_WIDTH_MM
        doc = _document(content, printer, sizes, _mm_to_px(width_mm - 2 * sizes.margin_mm, printer))
        content_mm = doc.size().height() / printer.resolution() * 25.4
        page = QPageSize(
            QSizeF(width_mm, content_mm + 2 * sizes.margin_mm + 2),  # 2 mm to spare: nothing cut at the tear
            QPageSize.Unit.Millimeter,
            "Receipt roll 80 mm",
            QPageSize.SizeMatchPolicy.ExactMatch,
        )
    else:
        page = QPageSize(QPageSize.PageSizeId.A4)
        doc = _document(content, printer, sizes, _mm_to_px(210 - 2 * sizes.margin_mm, printer))
    layout = QPageLayout(page, QPageLayout.Orientation.Portrait, margins, QPageLayout.Unit.Millimeter)
    if not printer.setPageLayout(layout):  # a printer that has only its own paper: the receipt on that
        log.warning("the printer does not take a %s page; printing on its own paper", paper)
    area = printer.pageLayout().paintRectPixels(printer.resolution())
    doc.setTextWidth(area.width())
    doc.setPageSize(QSizeF(area.width(), area.height()))
    painter = QPainter()
    if not painter.begin(printer):
        raise RuntimeError("the printer could not be started")
    try:
        for n in range(doc.pageCount()):
            if n:
                printer.newPage()
            painter.save()
            painter.translate(0, -n * area.height())
            doc.drawContents(painter, QRectF(0, n * area.height(), area.width(), area.height()))
            painter.restore()
    finally:
        painter.end()
    if printer.printerState() == QPrinter.PrinterState.Error:
        raise RuntimeError("the printer reported an error")


def render_pdf(content: ReceiptContent, path: Path, *, paper: str = "80mm") -> None:
    """The receipt as a PDF file at ``path``. Raises ValueError (paper), OSError (the file cannot be made) or
    RuntimeError (not written)."""
    Path(path).open("wb").close()  # a folder that is not there or not writable: said plainly, before Qt tries
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setDocName(content.heading())
    printer.setCreator("dcp-kiosk")
    _print_on(content, printer, paper)
    if not Path(path).is_file():
        raise RuntimeError("the PDF was not written")


@dataclass(frozen=True)
class PrintOutcome:
    """Whether the receipt was printed, and where (a PDF's path, a printer's name), or why not.

    ``where`` is for the log and for staff, in English; the citizen is told in the screen's own words."""

    ok: bool
    where: str


def print_receipt(
    content: ReceiptContent,
    *,
    pdf_path: Path | None = None,
    printer_name: str | None = None,
    paper: str = "80mm",
) -> PrintOutcome:
    """Print the receipt: to ``pdf_path`` when given, else to the printer named (else the system's default).

    Never raises: no printer, a printer that fails or a PDF that cannot be written is PrintOutcome(False, why)."""
    try:
        if pdf_path is not None:
            render_pdf(content, pdf_path, paper=paper)
            return PrintOutcome(True, str(pdf_path))
        info = QPrinterInfo.printerInfo(printer_name) if printer_name else QPrinterInfo.defaultPrinter()
        if info.isNull():
            why = f"no printer called {printer_name}" if printer_name else "no printer is set up"
            log.warning("receipt not printed: %s", why)
            return PrintOutcome(False, why)
        printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
        printer.setDocName(content.heading())
        _print_on(content, printer, paper)
        log.info("receipt printed on %s", info.printerName())
        return PrintOutcome(True, info.printerName())
    except Exception as exc:  # a printer's or the file system's failure: said, never a traceback on screen
        why = f"{type(exc).__name__}: {exc}"
        log.warning("receipt not printed: %s", why)
        return PrintOutcome(False, why)
