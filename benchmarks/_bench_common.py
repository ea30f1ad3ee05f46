"""Shared by the benchmarks: the tests' in-memory keyring and percentile helpers."""

from __future__ import annotations

import statistics

import keyring

from tests.memory_keyring import MemoryKeyring


def use_memory_keyring() -> None:
    keyring.set_keyring(MemoryKeyring())


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (0-100) of `values`, by the inclusive method."""
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]
