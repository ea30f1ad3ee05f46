"""The translation catalogues: extract the kiosk's words, merge them into each language, compile.

    python -m tools.catalogues extract   # app/locales/kiosk.pot from ui/ (tr, trn) and journeys/messages.py
    python -m tools.catalogues update    # merge the template into every app/locales/<code>.po
    python -m tools.catalogues compile   # each .po to a .mo beside it (make catalogues; the bundle)
    python -m tools.catalogues check     # every entry translated, with the placeholders of its English

A new entry reaches a language's file untranslated (msgstr ""): the kiosk shows it in English until a
translator fills it in, and `check` (and the tests) say which entries those are. Translators work on the
.po files with any gettext tool (Poedit, Weblate, Lokalize, msgmerge); a translation that has not been
reviewed by a native speaker keeps gettext's "fuzzy" flag.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from app import languages
from journeys.messages import MESSAGES

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = languages.LOCALES / "kiosk.pot"
SOURCES = ("ui",)
KEYWORDS = {"tr": None, "trn": (1, 2)}
PLACEHOLDER = re.compile(r"\{(\w*)\}")
# Languages whose words may be the same as the English (none yet: a Latin-script language may need it).
SAME_AS_ENGLISH: frozenset[str] = frozenset()
HEADER = (
    "Words of the dcp-kiosk screens.\n"
    "DRAFT: every translation marked fuzzy needs review by a native speaker before live use.\n"
    "Placeholders in {braces} must stay as they are; the English is in msgid, the core's message id in msgctxt."
)


def template() -> Catalog:
    """Every word the kiosk shows: the UI's literals, then the core's messages by id."""
    catalog = Catalog(project="dcp-kiosk", header_comment="# " + HEADER.replace("\n", "\n# "), fuzzy=False)
    for source in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / source, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("Translators:",)
        ):
            catalog.add(message, locations=[(f"{source}/{filename}", lineno)], auto_comments=comments, context=context)
    for message_id, default in MESSAGES.items():
        catalog.add(default, locations=[("journeys/messages.py", 0)], context=message_id)
    return catalog


def write(catalog: Catalog, path: Path) -> None:
    with path.open("wb") as f:
        write_po(f, catalog, width=0, include_lineno=False, omit_header=False)


def read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=path.stem if path.suffix == ".po" else None)


def update(pot: Catalog, path: Path) -> Catalog:
    """A language's catalogue with the template's entries: kept translations, new ones empty, old ones gone."""
    catalog = read(path) if path.exists() else Catalog(locale=path.stem, project="dcp-kiosk")
    catalog.update(pot, no_fuzzy_matching=True, update_header_comment=True)
    catalog.obsolete.clear()
    if path.stem == languages.DEFAULT:  # English is the source: its catalogue is the words as written
        for message in catalog:
            if message.id and not _strings(message.string):
                message.string = message.id
            message.flags.discard("fuzzy")
    return catalog


def problems(catalog: Catalog, pot: Catalog) -> list[str]:
    """What is missing or wrong in a language's catalogue against the template."""
    found: list[str] = []
    code = str(catalog.locale) if catalog.locale else "?"
    for message in pot:
        if not message.id:
            continue
        entry = catalog.get(message.id, message.context)
        where = f"{code}: {message.context + ' ' if message.context else ''}{_first(message.id)!r}"
        if entry is None or not _strings(entry.string):
            found.append(f"{where} is not translated")
            continue
        if (
            code != languages.DEFAULT
            and _strings(entry.string) == _strings(message.id)
            and re.search(r"[^\W\d_]", PLACEHOLDER.sub("", _first(message.id)))  # words, not only "£" or "{n}"
            and code not in SAME_AS_ENGLISH
        ):
            found.append(f"{where} is still the English")
            continue
        wanted = set(PLACEHOLDER.findall(" ".join(_strings(message.id))))
        for string in _strings(entry.string):
            got = set(PLACEHOLDER.findall(string))
            if got != wanted:
                found.append(f"{where}: placeholders {sorted(got)} but the English has {sorted(wanted)}")
    return found


def _strings(value: object) -> list[str]:
    if isinstance(value, tuple | list):
        return [v for v in value if v]
    return [value] if isinstance(value, str) and value else []


def _first(value: object) -> str:
    return value[0] if isinstance(value, tuple | list) else str(value)


def compile_all(codes: Iterable[str]) -> None:
    for code in codes:
        po = languages.catalogue_path(code)
        po.with_suffix(".mo").write_bytes(languages.compile_po(po))


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "extract":
        write(template(), TEMPLATE)
        return 0
    if command == "update":
        for code in languages.codes():  # a fresh template each time: update() takes its entries, not copies
            write(update(read(TEMPLATE), languages.catalogue_path(code)), languages.catalogue_path(code))
        return 0
    if command == "compile":  # every language, or those named
        compile_all(argv[1:] or languages.codes())
        return 0
    if command == "check":
        pot = template()
        found = [p for code in languages.codes() for p in problems(read(languages.catalogue_path(code)), pot)]
        for line in found:
            print(line)
        return 1 if found else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
