"""Folding for matching: what the pack indexes and what a citizen types meet as the same tokens."""

from __future__ import annotations

import pytest

from local_store.gazetteer.normalise import ABBREVIATIONS, fold, is_postcode, postcode_key, tokens


@pytest.mark.parametrize(
    ("typed", "indexed"),
    [
        ("Marszalkowska", "Marszałkowska"),
        ("LODZ", "Łódź"),
        ("orsted", "Ørsted"),
        ("strasse", "Straße"),
        ("aeble", "Æble"),
        ("oeuvre", "Œuvre"),
        ("dakovo", "Đakovo"),
        ("istanbul", "İstanbul"),
        ("istanbul", "Istanbul"),
        ("kosciuszki", "Kościuszki"),
        ("bronte", "Brontë"),
        ("dvorak", "Dvořák"),
        ("Kings", "King's"),
        ("kings", "KING’S"),
        ("rose court", "Rose-Court"),
        ("st marys", "St. Mary's"),
    ],
)
def test_fold_meets(typed: str, indexed: str) -> None:
    assert fold(typed) == fold(indexed)


def test_fold_is_plain_lower_ascii_words() -> None:
    assert fold("  Flat 2,  ROSE  Court!  ") == "flat 2 rose court"
    assert fold("") == ""


@pytest.mark.parametrize("short", sorted(ABBREVIATIONS))
def test_abbreviations_both_ways(short: str) -> None:
    assert tokens(short) == tokens(ABBREVIATIONS[short]) == [ABBREVIATIONS[short]]


def test_street_words_in_context() -> None:
    assert tokens("14 Kings Rd") == tokens("14 King's Road") == ["14", "kings", "road"]
    assert tokens("Flt 2 Rose Ct") == tokens("Flat 2, Rose Court")
    assert tokens("Oak Gdns") == ["oak", "gardens"] and tokens("Mill Ln") == ["mill", "lane"]
    assert tokens("Church Hse") == ["church", "house"]
    assert tokens("Roadside") == ["roadside"]  # whole words only


@pytest.mark.parametrize("code", ["B7 3AX", "B17 9HT", "BB2 1LB", "BB10 4RC", "B1A 6NP", "BB1A 2DE"])
def test_postcodes_in_every_format_with_or_without_the_space(code: str) -> None:
    assert is_postcode(code) and is_postcode(code.replace(" ", "")) and is_postcode(code.lower())
    assert postcode_key(code) == postcode_key(code.replace(" ", "").lower()) == code.replace(" ", "").lower()


@pytest.mark.parametrize("text", ["BB2", "BB2 1", "BB2 1L", "14 Kings Road", "B7 3AXX", "BBB2 1LB", "", "9B 1AA"])
def test_not_whole_postcodes(text: str) -> None:
    assert not is_postcode(text)
