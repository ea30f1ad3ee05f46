"""QR codes made by ui/qr.py read back, with a decoder written apart from the encoder, to the exact text."""

from __future__ import annotations

import secrets

import pytest
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from tests.qr_decode import decode_one_qr
from ui.qr import MAX_TEXT, QUIET_ZONE, qr_image, qr_pixmap

# A portal's hand-off link as the payment screen shows it: the portal's own address and a long random token.
HAND_OFF = "https://digital-customer-portal.leeds.gov.uk/pay/" + secrets.token_urlsafe(32) + "?lang=ur&kiosk=K-0042"
REFERENCE = "TRN-4K7M-QX9P"


@pytest.mark.parametrize("text", [HAND_OFF, REFERENCE, "DCP-ABCD-EFGH"])
def test_a_code_reads_back_to_the_exact_text(qtbot: QtBot, text: str) -> None:
    assert decode_one_qr(qr_image(text, scale=6)) == text


def test_the_payment_screens_pixmap_reads_back_at_its_size_in_the_kiosk_colours(qtbot: QtBot) -> None:
    pixmap = qr_pixmap(HAND_OFF, 320, "#0b0c0c", "#ffffff")
    assert (pixmap.width(), pixmap.height()) == (320, 320)
    assert decode_one_qr(pixmap.toImage()) == HAND_OFF


def colours(image: QImage) -> set[int]:
    return {image.pixel(x, y) for y in range(image.height()) for x in range(image.width())}


def test_every_module_is_a_sharp_square_inside_a_quiet_zone_of_four(qtbot: QtBot) -> None:
    scale = 7
    image = qr_image(REFERENCE, scale=scale, dark="#0b0c0c", light="#ffffff")
    dark, light = QColor("#0b0c0c").rgb(), QColor("#ffffff").rgb()
    assert colours(image) == {dark, light}  # nearest neighbour: no grey edges a camera would blur on
    side = image.width()
    assert side % scale == 0 and side == image.height()
    quiet = QUIET_ZONE * scale
    border = [(x, y) for y in range(side) for x in range(side) if min(x, y, side - 1 - x, side - 1 - y) < quiet]
    assert {image.pixel(x, y) for x, y in border} == {light}
    # each module is one colour throughout its square
    for my in range(side // scale):
        for mx in range(side // scale):
            square = {image.pixel(mx * scale + dx, my * scale + dy) for dy in range(scale) for dx in range(scale)}
            assert len(square) == 1
    # the finder pattern's corner starts right after the quiet zone
    assert image.pixel(quiet, quiet) == dark and image.pixel(quiet - 1, quiet - 1) == light


def test_error_correction_is_m_or_better(qtbot: QtBot) -> None:
    import zxingcpp

    for text in (HAND_OFF, REFERENCE):
        image = qr_image(text, scale=4).convertToFormat(QImage.Format.Format_Grayscale8)
        (found,) = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        assert found.ec_level in ("M", "Q", "H")


def test_a_pixmap_smaller_than_the_code_keeps_one_pixel_a_module(qtbot: QtBot) -> None:
    pixmap = qr_pixmap(HAND_OFF, 20)
    assert pixmap.width() > 20  # never a module smaller than a pixel
    assert decode_one_qr(pixmap.toImage().scaled(pixmap.width() * 4, pixmap.height() * 4)) == HAND_OFF


def test_the_longest_text_is_encoded_and_one_more_is_refused_by_name(qtbot: QtBot) -> None:
    longest = "https://portal.example/pay/" + "x" * (MAX_TEXT - 27)
    assert len(longest) == MAX_TEXT
    assert decode_one_qr(qr_image(longest, scale=3)) == longest
    with pytest.raises(ValueError, match="at most 1000 characters here, not 1001"):
        qr_image(longest + "y", scale=3)
    with pytest.raises(ValueError, match="at most 1000 characters"):
        qr_pixmap(longest + "y", 300)


@pytest.mark.parametrize(("text", "scale"), [("", 4), (REFERENCE, 0)])
def test_no_text_or_no_scale_is_a_value_error(qtbot: QtBot, text: str, scale: int) -> None:
    with pytest.raises(ValueError):
        qr_image(text, scale=scale)
