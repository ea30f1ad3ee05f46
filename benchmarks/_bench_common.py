"""Shared by the benchmarks: the tests' in-memory keyring and percentile helpers."""

from __future__ import annotations

import statistics

import keyring

from tests.memory_keyring import MemoryKeyring

# Parsed answers to the missed-bin training journey, as the outbox holds them.
ANSWERS = {
    "bin-type": "recycling",
    "collection-date": "2026-11-03",
    "postcode": "LS1 4AP",
    "address-line": "12 Park Row",
    "full-name": "Ada Lovelace",
    "email": None,
}


def use_memory_keyring() -> None:
    keyring.set_keyring(MemoryKeyring())


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (0-100) of `values`, by the inclusive method."""
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]
