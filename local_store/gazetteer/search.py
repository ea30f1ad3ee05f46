"""How a typed text becomes an FTS5 query over the pack's tokens, with small typos forgiven.

Each token the citizen typed must match (AND); the last one as a prefix (the citizen is still typing it)
unless the text ends with a space. A word that is not in the pack's vocabulary is replaced by the close
words that are: one edit, or two for words of 6 letters or more, two letters swapped counting as one (the
optimal string alignment distance, by ``rapidfuzz``): "Kngs" -> "kings", "Raod" -> "road",
"Marszalkowsak" -> "marszalkowska". Words with digits (numbers, postcodes) are never guessed at.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from local_store.gazetteer.normalise import tokens

__all__ = ["MAX_QUERY_CHARS", "MAX_TOKENS", "Query", "Vocabulary", "plan"]

MAX_QUERY_CHARS = 200  # a longer text is cut: no address is longer
MAX_TOKENS = 8  # and no address needs more words than this to be found
CLOSE = 4  # close words tried per misspelt word
_HOUSE_NUMBER = re.compile(r"^[0-9]+[a-z]?$")  # "14", "14a"; not a postcode's inward part ("1lb")
_PART_POSTCODE = re.compile(r"^[a-z]{1,2}[0-9][0-9a-z]? ?[0-9][a-z]?$")  # "bb2 1", "bb2 1l", "b1a 6"


@dataclass(frozen=True)
class Query:
    """An FTS5 MATCH expression, and the typed house number (for exact-first ordering), if any."""

    match: str
    number: str


class Vocabulary:
    """The pack's own words (from fts5vocab), sorted, for membership, prefixes and close matches."""

    def __init__(self, terms: list[str]) -> None:
        self.terms = sorted(terms)
        self.known = set(self.terms)
        self.words = [t for t in self.terms if t.isalpha()]  # what a typo may be corrected to

    def has_prefix(self, prefix: str) -> bool:
        i = bisect.bisect_left(self.terms, prefix)
        return i < len(self.terms) and self.terms[i].startswith(prefix)

    def close(self, word: str) -> list[str]:
        most = 1 if len(word) < 6 else 2
        found = process.extract(word, self.words, scorer=OSA.distance, score_cutoff=most, limit=CLOSE)
        return [term for term, _score, _index in found]

    def close_prefixes(self, prefix: str) -> list[str]:
        """Beginnings of pack words within one edit of a half-typed word ("marszalkow" for "marszlkow")."""
        n = len(prefix)
        heads = sorted({w[:size] for w in self.words for size in (n - 1, n, n + 1) if len(w) >= size})
        found = process.extract(prefix, heads, scorer=OSA.distance, score_cutoff=1, limit=CLOSE)
        return [head for head, _score, _index in found if len(head) >= 3]


def _quote(term: str) -> str:
    return '"' + term.replace('"', "") + '"'


def plan(text: str, vocabulary: Vocabulary) -> list[Query]:
    """The queries for a typed text, tightest first; none when it cannot match anything (too short, a
    number the pack does not have, a word with nothing close to it).

    The tight query joins neighbouring words into one, as the pack also indexes each name whole ("rose
    court" -> "rosecourt"), so the building or street named so comes before "Rose Cottage, Chapel Court"."""
    text = text[:MAX_QUERY_CHARS]
    words = list(dict.fromkeys(tokens(text)))[:MAX_TOKENS]
    if sum(len(w) for w in words) < 2:
        return []
    still_typing = not text[-1:].isspace()
    folded = " ".join(words)
    if _PART_POSTCODE.match(folded) and " " in folded:  # a postcode being typed: its compact form's prefix
        compact = folded.replace(" ", "")
        return [Query(_quote(compact) + "*", "")] if vocabulary.has_prefix(compact) else []
    loose = _loose(words, still_typing, vocabulary)
    if loose is None:
        return []
    joined = _joined(words, still_typing, vocabulary)
    return [joined, loose] if joined and joined.match != loose.match else [loose]


def _joined(words: list[str], still_typing: bool, vocabulary: Vocabulary) -> Query | None:
    """Runs of two or more words as the one token the pack has for a whole name, or None."""
    groups: list[str] = []
    run: list[str] = []
    for i, word in enumerate([*words, ""]):
        if word.isalpha():
            run.append(word)
            continue
        if len(run) >= 2:
            token = "".join(run)
            last = still_typing and i == len(words)
            if not (vocabulary.has_prefix(token) if last else token in vocabulary.known):
                return None
            groups.append(_quote(token) + ("*" if last else ""))
        else:
            groups.extend(_quote(w) + ("*" if still_typing and i == len(words) else "") for w in run)
        run = []
        if word:
            groups.append(_quote(word) + ("*" if still_typing and i == len(words) - 1 else ""))
    if len(groups) == len(words):
        return None  # nothing joined
    number = next((w for w in words if _HOUSE_NUMBER.match(w)), "")
    return Query(match=" AND ".join(groups), number=number)


def _loose(words: list[str], still_typing: bool, vocabulary: Vocabulary) -> Query | None:
    """Every word on its own, misspelt ones replaced by the close words the pack has."""
    groups: list[str] = []
    for i, word in enumerate(words):
        last = still_typing and i == len(words) - 1
        if last and vocabulary.has_prefix(word):
            groups.append(_quote(word) + "*")
        elif not last and word in vocabulary.known:
            groups.append(_quote(word))
        elif any(ch.isdigit() for ch in word) or len(word) < 3:
            return None  # a number, a postcode part or a short word that the pack does not have
        else:
            options = [_quote(w) for w in vocabulary.close(word)]
            if last and not options:
                options = [_quote(p) + "*" for p in vocabulary.close_prefixes(word)]
            if not options:
                return None
            groups.append(options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")")
    number = next((w for w in words if _HOUSE_NUMBER.match(w)), "")
    return Query(match=" AND ".join(groups), number=number)
