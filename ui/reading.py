"""What speech says for a screen: phrases in reading order, each marked when it is personal data.

A screen gives its content as `Spoken` phrases (`Screen.reading()`); speech reads them in order and,
on the open speaker, replaces a private one (an answer, the reference) with a notice to use headphones.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Spoken"]


class Spoken(NamedTuple):
    text: str
    private: bool = False  # personal data: spoken only through headphones
    spell: bool = False  # a reference: said character by character ("D C P, 7 K Q 4")
