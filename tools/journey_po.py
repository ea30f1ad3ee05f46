"""A journey's words as a gettext catalogue, for translators, and their translation back into the journey.

    python -m tools.journey_po export JOURNEY.json LANG > JOURNEY.LANG.po
    python -m tools.journey_po apply JOURNEY.json JOURNEY.LANG.po     # writes the journey back, in place

Journey text is localised in the journey itself (``{"en": ..., "ur": ...}``); this is only the bridge
to the translators' tools, so that a journey is translated with the same .po tooling as the kiosk's
own words. Each entry's msgctxt is where the words live in the journey (a JSON pointer), its msgid the
English; a list of search words is one word per line. Entries are exported fuzzy (a draft needing
review by a native speaker) unless the journey already has a reviewed translation.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

Pointer = str


def localised(node: Any, pointer: Pointer = "") -> Iterator[tuple[Pointer, dict[str, Any]]]:
    """Every localised value in a journey document: a dict with an "en" string or list of strings."""
    if isinstance(node, dict):
        english = node.get("en")
        if isinstance(english, str) or (isinstance(english, list) and all(isinstance(w, str) for w in english)):
            yield pointer, node
            return
        for key, value in node.items():
            yield from localised(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from localised(value, f"{pointer}/{i}")


def _as_text(value: Any) -> str:
    return "\n".join(value) if isinstance(value, list) else str(value)


def export(document: dict[str, Any], lang: str) -> Catalog:
    catalog = Catalog(locale=lang, project=f"journey {document.get('id', '?')}", fuzzy=False)
    for pointer, node in localised(document):
        english = node["en"]
        existing = node.get(lang)
        flags = ("fuzzy",)
        comments = ["one search word per line"] if isinstance(english, list) else []
        catalog.add(
            _as_text(english),
            _as_text(existing) if existing else "",
            context=pointer,
            flags=flags,
            auto_comments=comments,
        )
    return catalog


def apply(document: dict[str, Any], catalog: Catalog, lang: str) -> tuple[int, list[str]]:
    """Put a catalogue's translations into the journey; (how many, what did not fit)."""
    nodes = dict(localised(document))
    done, problems = 0, []
    for message in catalog:
        if not message.id or not message.string:
            continue
        node = nodes.get(str(message.context))
        if node is None:
            problems.append(f"{message.context}: not in this journey")
            continue
        if _as_text(node["en"]) != message.id:
            problems.append(f"{message.context}: the English has changed since the export")
            continue
        node[lang] = (
            [w.strip() for w in str(message.string).split("\n") if w.strip()]
            if isinstance(node["en"], list)
            else str(message.string)
        )
        done += 1
    return done, problems


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "export":
        document = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
        write_po(sys.stdout.buffer, export(document, argv[2]), width=0, omit_header=False)
        return 0
    if len(argv) == 3 and argv[0] == "apply":
        path = Path(argv[1])
        document = json.loads(path.read_text(encoding="utf-8"))
        with open(argv[2], "rb") as f:
            catalog = read_po(f)
        lang = str(catalog.locale) if catalog.locale else Path(argv[2]).suffixes[-2].lstrip(".")
        done, problems = apply(document, catalog, lang)
        path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        for line in problems:
            print(line, file=sys.stderr)
        print(f"{done} entries in {lang} written to {path}", file=sys.stderr)
        return 1 if problems else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
