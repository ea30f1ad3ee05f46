"""QR codes for the screens and the receipt, made with segno.

Error correction M at least (segno raises it further where that costs no extra size), the standard quiet
zone of 4 modules, and every module an exact square of pixels: the code is drawn one pixel per module and
then scaled by a whole number with nearest-neighbour sampling, so a phone's camera sees sharp edges.
"""

from __future__ import annotations

import segno
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap

__all__ = ["MAX_TEXT", "QUIET_ZONE", "qr_image", "qr_pixmap"]

MAX_TEXT = 1000  # characters: a hand-off URL or a reference is far shorter; a QR this dense is hard to scan
QUIET_ZONE = 4  # modules of light colour around the code (ISO/IEC 18004)


def _modules(text: str) -> list[list[bool]]:
    """The code's modules with the quiet zone, row by row (True: dark)."""
    if not text:
        raise ValueError("a QR code needs some text to encode")
    if len(text) > MAX_TEXT:
        raise ValueError(f"a QR code holds at most {MAX_TEXT} characters here, not {len(text)}")
    code = segno.make_qr(text, error="m", boost_error=True)
    return [[bool(m) for m in row] for row in code.matrix_iter(scale=1, border=QUIET_ZONE)]


def _draw(rows: list[list[bool]], scale: int, dark: str, light: str) -> QImage:
    n = len(rows)
    image = QImage(n, n, QImage.Format.Format_RGB32)
    image.fill(QColor(light))
    ink = QColor(dark).rgb()
    for y, row in enumerate(rows):
        for x, is_dark in enumerate(row):
            if is_dark:
                image.setPixel(x, y, ink)
    if scale == 1:
        return image
    return image.scaled(
        n * scale, n * scale, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.FastTransformation
    )


def qr_image(text: str, *, scale: int, dark: str = "#000000", light: str = "#ffffff") -> QImage:
    """``text`` as a QR code, each module ``scale`` x ``scale`` pixels, quiet zone included.

    Raises ValueError for empty text, text longer than MAX_TEXT characters, or a scale below 1."""
    if scale < 1:
        raise ValueError(f"a QR code's scale must be 1 or more, not {scale}")
    return _draw(_modules(text), scale, dark, light)


def qr_pixmap(text: str, size_px: int, dark: str = "#000000", light: str = "#ffffff") -> QPixmap:
    """``text`` as a QR code ``size_px`` pixels square: the largest whole-number scale that fits, centred on the
    light colour (which only widens the quiet zone). A code with more modules than ``size_px`` is drawn one
    pixel per module, so larger than asked: a module is never smaller than a pixel."""
    rows = _modules(text)
    code = _draw(rows, max(1, size_px // len(rows)), dark, light)
    if code.width() >= size_px:
        return QPixmap.fromImage(code)
    canvas = QImage(size_px, size_px, QImage.Format.Format_RGB32)
    canvas.fill(QColor(light))
    offset = (size_px - code.width()) // 2
    painter = QPainter(canvas)
    painter.drawImage(offset, offset, code)
    painter.end()
    return QPixmap.fromImage(canvas)
