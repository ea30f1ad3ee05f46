"""Read a QR code back, as a phone would: zxing-cpp (a decoder written apart from segno, the encoder)."""

from __future__ import annotations

from pathlib import Path

import zxingcpp
from PySide6.QtGui import QImage


def decode_qr(image: QImage | Path) -> list[str]:
    """The text of every QR code found in ``image`` (a QImage, or a PNG file), in the order found."""
    if isinstance(image, Path):
        loaded = QImage(str(image))
        if loaded.isNull():
            raise ValueError(f"{image} is not an image Qt can read")
        image = loaded
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    return [b.text for b in zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormat.QRCode)]


def decode_one_qr(image: QImage | Path) -> str:
    """The text of the one QR code in ``image``; AssertionError when there is none or more than one."""
    found = decode_qr(image)
    assert len(found) == 1, f"expected one QR code, found {len(found)}: {found!r}"
    return found[0]
