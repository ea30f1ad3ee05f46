"""The printed receipt, as paper: each kind rendered to PDF by Qt offscreen, then read back with poppler
(pdftotext for its words and where they stand, pdftoppm for the picture) and its QR code decoded."""

from __future__ import annotations

import datetime as dt
import inspect
import re
import subprocess
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from tests.qr_decode import decode_one_qr
from ui import i18n, receipt
from ui.receipt import ReceiptContent, print_receipt, receipt_content, render_pdf

REFERENCE = "TRN-4K7M-QX9P"
ISSUED = dt.datetime(2026, 11, 3, 14, 5, tzinfo=dt.UTC)
NEXT = "We will collect your bin within 2 working days.\nYou do not need to do anything else."
WAYS = "Pay at the Merrion House counter, or online at https://www.leeds.gov.uk/parkingpenaltychargenoticepaymentsonlineservice"
PAID = {
    "method": "online",
    "amount": 2550,
    "status": "success",
    "payment_id": "pay_8d2f",
    "provider_id": "PAY-7H2K9QWE",
}
DUE = {"method": "later", "amount": 7000, "status": "due", "payment_id": None, "provider_id": None}
BOOKED = {
    "kind": "booked",
    "booking_reference": "BK-3RT8-M2",
    "slot_id": "slot-17",
    "starts_at": "2026-11-10T09:30:00+00:00",
    "ends_at": "2026-11-10T10:00:00+00:00",
    "location": "Housing Options, Merrion House, Leeds",
}
REQUEST = {"kind": "request", "days": ["mon", "wed"], "times": ["morning"]}

# What a citizen answered in the journey: none of it may reach the paper, and the receipt's API has no way in.
ANSWERS = {
    "full_name": "Margaret Oyelaran-Whitcombe",
    "email": "m.oyelaran@example.org",
    "pcn": "LS40719385",
    "address": "14 Quarry Mount Terrace, Leeds LS6 2JF",
}


def content(lang: str = "en", **kwargs: object) -> ReceiptContent:
    args: dict[str, object] = {
        "service": "Report a missed bin collection",
        "reference": REFERENCE,
        "issued_at": ISSUED,
        "next_steps": NEXT,
        "lang": lang,
        "training": True,
    }
    args.update(kwargs)
    return receipt_content(**args)  # type: ignore[arg-type]


@dataclass
class Paper:
    pdf: Path
    png: Path
    text: str  # the words as pdftotext reads them, in NFKC, whitespace made single spaces
    width_pt: float
    height_pt: float
    words: list[tuple[float, float, str]]  # (xMin, xMax, word) of every word, as the page places it

    def image(self) -> QImage:
        return QImage(str(self.png))


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=60).stdout


def printed(c: ReceiptContent, folder: Path, paper: str = "80mm", name: str = "receipt") -> Paper:
    pdf = folder / f"{name}-{paper}.pdf"
    render_pdf(c, pdf, paper=paper)
    run("pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(folder / f"{name}-{paper}"))
    # NFKC: the PDF's ligatures ("fi") and Arabic presentation forms back to the letters that were printed
    text = " ".join(unicodedata.normalize("NFKC", run("pdftotext", "-enc", "UTF-8", str(pdf), "-")).split())
    bbox = run("pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-")
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', bbox)
    assert page, bbox[:500]
    words = [
        (float(x0), float(x1), w)
        for x0, x1, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', bbox
        )
    ]
    return Paper(pdf, folder / f"{name}-{paper}.png", text, float(page[1]), float(page[2]), words)


def urdu() -> ReceiptContent:
    i18n.set_language("ur")
    return content("ur", service="گم شدہ کوڑا اٹھانے کی اطلاع", payment=PAID, appointment=BOOKED)


CASES: dict[str, tuple[Callable[[], ReceiptContent], list[str]]] = {
    "paid": (lambda: content(payment=PAID), ["Amount paid", "£25.50", "Payment reference", "PAY-7H2K9QWE"]),
    "due": (
        lambda: content(payment=DUE, other_ways_to_pay=WAYS),
        ["Amount to pay", "£70.00", "Payment", "Not paid yet", "Ways to pay", "Merrion House counter"],
    ),
    "booked": (
        lambda: content(appointment=BOOKED),
        [
            "Appointment",
            "Tuesday 10 November 2026, 9:30am to 10am",
            "Housing Options, Merrion House, Leeds",
            "BK-3RT8-M2",
        ],
    ),
    "request": (
        lambda: content(appointment=REQUEST),
        ["Appointment", "Not booked yet. The council will contact you to confirm a time."],
    ),
    "urdu": (urdu, ["£25.50", "PAY-7H2K9QWE", "BK-3RT8-M2"]),
}


@pytest.mark.parametrize("paper", ["80mm", "a4"])
@pytest.mark.parametrize("case", list(CASES))
def test_each_receipt_says_what_was_done_and_its_qr_code_is_the_reference(
    qtbot: QtBot, tmp_path: Path, case: str, paper: str
) -> None:
    make, expected = CASES[case]
    page = printed(make(), tmp_path, paper)
    assert REFERENCE in page.text
    for words in expected:
        assert words in page.text, f"{words!r} not on the {case} receipt: {page.text}"
    assert decode_one_qr(page.png) == REFERENCE
    for personal in ANSWERS.values():
        assert personal not in page.text
        for part in personal.replace(",", " ").split():
            if len(part) > 3 and part not in ("Leeds",):  # "Leeds" is the council's own address on a booking
                assert part not in page.text, f"{part!r} of the citizen's answers is on the receipt"


def test_the_urdu_receipt_is_in_urdu_and_right_to_left_with_values_in_their_own_order(
    qtbot: QtBot, tmp_path: Path
) -> None:
    c = urdu()
    what_next = i18n.tr("What happens next")
    assert what_next != "What happens next"  # a word the catalogue has in Urdu, so the test sees Urdu on paper
    page = printed(c, tmp_path)
    assert what_next in page.text
    margin_pt = 4 / 25.4 * 72
    right_edge = page.width_pt - margin_pt
    for value in (REFERENCE, "PAY-7H2K9QWE", "£25.50"):
        (x0, x1) = next((x0, x1) for x0, x1, w in page.words if w == value)  # one word: its order kept
        assert x1 == pytest.approx(right_edge, abs=2), f"{value} is not at the start (the right) of its line"
    english = printed(content(payment=PAID), tmp_path, name="english")
    x0 = next(x0 for x0, _, w in english.words if w == REFERENCE)
    assert x0 == pytest.approx(margin_pt, abs=2)


@pytest.mark.parametrize("paper", ["80mm", "a4"])
@pytest.mark.parametrize("lang", ["en", "ur"])
def test_nothing_is_drawn_beyond_the_margins(qtbot: QtBot, tmp_path: Path, paper: str, lang: str) -> None:
    """A word cut off at the edge would leave ink in the margin: a long link must wrap instead."""
    i18n.set_language(lang)
    page = printed(content(lang, payment=DUE, other_ways_to_pay=WAYS, appointment=BOOKED), tmp_path, paper)
    image = page.image()
    margin_px = int((4 if paper == "80mm" else 20) / 25.4 * 150) - 2
    white = QColor("#ffffff").rgb()
    for x in [*range(margin_px), *range(image.width() - margin_px, image.width())]:
        inked = [y for y in range(image.height()) if image.pixel(x, y) != white]
        assert not inked, f"ink in the margin at x={x}, y={inked[:3]}"
    assert max(x1 for _, x1, _ in page.words) <= page.width_pt - (4 if paper == "80mm" else 20) / 25.4 * 72 + 1


def test_the_roll_is_80_mm_wide_and_as_long_as_the_receipt_and_a4_is_a4(qtbot: QtBot, tmp_path: Path) -> None:
    short = printed(content(), tmp_path, name="short")
    long = printed(content(payment=DUE, other_ways_to_pay=WAYS, appointment=BOOKED), tmp_path, name="long")
    assert short.width_pt == pytest.approx(80 / 25.4 * 72, abs=1) == long.width_pt
    assert 60 / 25.4 * 72 < short.height_pt < long.height_pt < 297 / 25.4 * 72
    a4 = printed(content(payment=PAID), tmp_path, "a4")
    assert (a4.width_pt, a4.height_pt) == pytest.approx((595.3, 841.9), abs=1)
    assert re.search(r"^Pages:\s+1$", run("pdfinfo", str(a4.pdf)), re.M)


def test_speech_reads_the_receipt_in_the_order_it_is_printed(qtbot: QtBot, tmp_path: Path) -> None:
    c = content(payment=PAID, appointment=BOOKED)
    lines = c.reading_text().split("\n")
    assert lines[0] == "Training receipt: nothing was sent to the council and no money was taken."
    assert lines[1:6] == ["Receipt", "Report a missed bin collection", "Reference", REFERENCE, "Date"]
    assert lines[-1] == "Keep this receipt. Quote your reference if you contact us."
    assert "What happens next" in lines and NEXT.split("\n")[0] in lines
    text = printed(c, tmp_path).text
    at = 0
    for line in lines:
        found = text.find(" ".join(line.split()), at)
        assert found >= 0, f"{line!r} is read but not printed where speech reads it"
        at = found + len(line)


def test_a_live_receipt_does_not_say_training(qtbot: QtBot, tmp_path: Path) -> None:
    page = printed(content(training=False, reference="DCP-4K7M-QX9P"), tmp_path)
    assert "Training" not in page.text and "DCP-4K7M-QX9P" in page.text
    assert "Training" in printed(content(), tmp_path, name="training").text


def test_the_receipt_takes_no_answers_and_reads_only_the_named_parts_of_a_payment(qtbot: QtBot, tmp_path: Path) -> None:
    named = set(inspect.signature(receipt_content).parameters)
    assert named == {
        "service", "reference", "issued_at", "next_steps", "lang", "training",
        "payment", "appointment", "other_ways_to_pay",
    }  # fmt: skip
    with pytest.raises(TypeError):
        content(answers=ANSWERS)
    smuggled = {**PAID, "email_address": ANSWERS["email"], "cardholder": ANSWERS["full_name"]}
    text = printed(content(payment=smuggled), tmp_path).text
    assert ANSWERS["email"] not in text and "Oyelaran" not in text and "PAY-7H2K9QWE" in text


def test_every_value_is_escaped_not_read_as_html(qtbot: QtBot, tmp_path: Path) -> None:
    page = printed(content(service="Bins <b>& </p><img src=x> recycling"), tmp_path)
    assert "Bins <b>& </p><img src=x> recycling" in page.text


def test_times_are_in_london_time_summer_and_winter(qtbot: QtBot) -> None:
    summer = {**BOOKED, "starts_at": "2026-07-01T08:30:00Z", "ends_at": "2026-07-01T09:00:00Z"}
    c = content(issued_at=dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC), appointment=summer)
    assert c.issued_at == "1 July 2026, 1pm"
    assert c.lines[0].value == "Wednesday 1 July 2026, 9:30am to 10am"  # as the screens write times
    assert content().issued_at == "3 November 2026, 2:05pm"


def test_with_no_printer_nothing_raises_and_it_says_so(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtPrintSupport import QPrinterInfo

    class NoDefault:  # a machine with no printer set up, whatever this one has
        defaultPrinter = staticmethod(QPrinterInfo)  # Qt's name
        printerInfo = staticmethod(QPrinterInfo.printerInfo)

    monkeypatch.setattr(receipt, "QPrinterInfo", NoDefault)
    assert print_receipt(content()) == receipt.PrintOutcome(False, "no printer is set up")
    outcome = print_receipt(content(), printer_name="Kiosk roll printer that is not there")
    assert outcome == receipt.PrintOutcome(False, "no printer called Kiosk roll printer that is not there")


def test_a_pdf_that_cannot_be_written_is_an_outcome_not_a_traceback(qtbot: QtBot, tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    outcome = print_receipt(content(), pdf_path=blocked / "receipt.pdf")
    assert not outcome.ok and outcome.where.startswith("NotADirectoryError: [Errno 20] Not a directory")
    good = print_receipt(content(), pdf_path=tmp_path / "ok.pdf", paper="a4")
    assert good == receipt.PrintOutcome(True, str(tmp_path / "ok.pdf")) and (tmp_path / "ok.pdf").stat().st_size > 0
    assert not print_receipt(content(), pdf_path=tmp_path / "x.pdf", paper="a5").ok
