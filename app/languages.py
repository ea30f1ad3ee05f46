"""The kiosk's languages: one gettext catalogue per language, and what CLDR says about each.

A language is one file, ``app/locales/<code>.po`` (standard gettext, edited with any .po tool). Its
name in its own script, its direction and its plural rules come from CLDR through Babel, so the file
holds nothing but the translations. The build compiles each .po to a .mo beside it (``make
catalogues``; the bundle carries the .mo files). A .mo that is missing or older than its .po (a checkout
where someone has just edited the .po) is compiled in memory from the .po, so the kiosk never shows a
stale translation.

Three kinds of entry share the catalogue:
- the kiosk's own words (``tr("Continue")``): msgid is the English text;
- the core's messages (journeys/messages.py): msgctxt is the message id, msgid its English default;
- plurals (``trn("{n} second", "{n} seconds", n)``), with the language's plural forms.

Every entry a translator has not had reviewed by a native speaker carries gettext's ``fuzzy`` flag
("needs review"); the kiosk still uses it (the catalogues are compiled with fuzzy entries), and
``drafts()`` counts them so the doctor can say so.
"""

from __future__ import annotations

import gettext
import io
import logging
import sys
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from journeys import messages

__all__ = [
    "DEFAULT",
    "LOCALES",
    "SCRIPT_FONTS",
    "Language",
    "catalogue_path",
    "codes",
    "compile_po",
    "drafts",
    "forget",
    "info",
    "name_in",
    "translations",
]

log = logging.getLogger("app.languages")

LOCALES = Path(__file__).with_name("locales")
DEFAULT = "en"

# The fonts a script is drawn with, best first (all Noto: fonts-noto-core, and bundled by the spec).
# Urdu readers expect Nastaliq, but Debian 12's Noto Nastaliq Urdu (2020) comes out of Qt's shaping with
# letters cut off above and below the line and some joins wrong ("ایک مسئلہ" unreadable in a heading), so
# Urdu is drawn in Naskh, which is correct and compact at 200%; Nastaliq stays as the fallback.
SCRIPT_FONTS: dict[str, tuple[str, ...]] = {
    "Arab": ("Noto Naskh Arabic", "Noto Nastaliq Urdu"),
    "Gujr": ("Noto Sans Gujarati",),
    "Guru": ("Noto Sans Gurmukhi",),
}


@dataclass(frozen=True)
class Language:
    """One language of the kiosk, as CLDR describes it."""

    code: str  # the catalogue's name: "ur"
    name: str  # in its own script, as a button shows it: "اردو", "Polski"
    english_name: str  # for staff and IT: "Urdu"
    right_to_left: bool
    script: str  # ISO 15924: "Arab", "Gujr", "Guru", "Latn"

    @property
    def fonts(self) -> tuple[str, ...]:
        return SCRIPT_FONTS.get(self.script, ())


def catalogue_path(code: str) -> Path:
    return LOCALES / f"{code}.po"


def codes() -> list[str]:
    """Every language with a catalogue: English first, then the others by code."""
    found = {p.stem for pattern in ("*.po", "*.mo") for p in LOCALES.glob(pattern)}  # the bundle has only .mo
    return [DEFAULT, *sorted(found - {DEFAULT})]


@lru_cache(maxsize=64)
def info(code: str) -> Language:
    """What CLDR knows of a language; an unknown code is named by its code and read left to right."""
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return Language(code, code, code, False, "Latn")
    likely: Any = get_global("likely_subtags").get(str(locale), "")
    parts = str(likely).split("_")
    script = locale.script or (parts[1] if len(parts) > 2 else "Latn")
    own = locale.get_display_name(locale) or code
    if code == DEFAULT:
        own = "English"  # not "English (United Kingdom)": the button names the language
    return Language(
        code=code,
        name=own[:1].upper() + own[1:],  # "polski" starts a button: "Polski"
        english_name=locale.get_display_name("en") or code,
        right_to_left=locale.character_order == "right-to-left",
        script=script,
    )


@lru_cache(maxsize=256)
def name_in(code: str, display: str) -> str:
    """A language's name in another language, as that language's voice can say it: Urdu is "Urdu" in
    English and "اردو" in Urdu (CLDR); its own name where CLDR has none."""
    from babel import Locale, UnknownLocaleError

    try:
        found = Locale.parse(code.replace("-", "_")).get_display_name(Locale.parse(display.replace("-", "_")))
    except (UnknownLocaleError, ValueError, TypeError):
        found = None
    if not found:
        return info(code).name
    if code == DEFAULT and display == DEFAULT:
        found = "English"
    return found[:1].upper() + found[1:]


_lock = threading.Lock()
_loaded: dict[str, gettext.NullTranslations] = {}


def translations(code: str) -> gettext.NullTranslations:
    """The compiled catalogue of a language (English words where it has no entry, or no catalogue)."""
    with _lock:
        found = _loaded.get(code)
        if found is None:
            found = _load(code)
            _loaded[code] = found
        return found


def forget() -> None:
    """Drop the loaded catalogues (tests that write a catalogue, and `make catalogues` in a running kiosk)."""
    with _lock:
        _loaded.clear()


def _load(code: str) -> gettext.NullTranslations:
    po = catalogue_path(code)
    mo = po.with_suffix(".mo")
    try:
        frozen = getattr(sys, "frozen", False)  # the bundle: its .mo files are the build's, whatever the times
        if mo.exists() and (frozen or not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
            return read_compiled(mo)
        if po.exists():
            log.warning("the %s catalogue is not compiled (run `make catalogues`): reading %s", code, po.name)
            return gettext.GNUTranslations(io.BytesIO(compile_po(po)))
    except (OSError, ValueError, UnicodeError) as exc:  # a damaged file: English, and say which
        log.error("the %s catalogue cannot be read (%s): English is shown instead", code, type(exc).__name__)
    return gettext.NullTranslations()


def read_compiled(mo: Path) -> gettext.GNUTranslations:
    with mo.open("rb") as f:
        return gettext.GNUTranslations(f)


def compile_po(po: Path) -> bytes:
    """A .po file compiled to .mo bytes, fuzzy (draft) entries included."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        catalog = read_po(f, locale=po.stem)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=True)
    return out.getvalue()


def message_template(code: str, message_id: str, english: str) -> str | None:
    """The template of one of the core's messages in a language (msgctxt = its id), or None: English."""
    if not english:
        return None
    found = translations(code).pgettext(message_id, english)
    return None if found == english else found


messages.use_catalogues(message_template)


def drafts(code: str) -> tuple[int, int]:
    """(entries marked fuzzy, all entries) of a catalogue: how much awaits a native speaker's review."""
    from babel.messages.pofile import read_po

    if not catalogue_path(code).exists():  # the bundle carries only the compiled catalogue
        return 0, 0
    with catalogue_path(code).open("rb") as f:
        catalog = read_po(f, locale=code)
    entries = [m for m in catalog if m.id]
    return sum(1 for m in entries if m.fuzzy), len(entries)
