"""Shared by the benchmarks: the tests' in-memory keyring, percentile helpers, and figure lines.

Each benchmark prints its own report and, for `make bench` (benchmarks/run_all.py), one line per
figure made by figure(): a JSON object with "figure", value, unit, and the baseline measured in the
same run (with what it is) and the ratio, when there is one.
"""

from __future__ import annotations

import json
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


def figure(
    name: str,
    value: float,
    unit: str,
    baseline: float | None = None,
    baseline_is: str | None = None,
    *,
    ratio: float | None = None,
) -> None:
    """One figure line for benchmarks/run_all.py; the ratio is value / baseline unless given."""
    if ratio is None and baseline:
        ratio = value / baseline
    line = {
        "figure": name,
        "value": round(value, 3),
        "unit": unit,
        "baseline": None if baseline is None else round(baseline, 3),
        "baseline_is": baseline_is,
        "ratio": None if ratio is None else round(ratio, 3),
    }
    print(json.dumps(line), flush=True)
