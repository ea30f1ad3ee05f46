"""Load and validate a catalogue of 300 journeys, and route through the largest.

A council runs over 200 systems, so a kiosk may be offered a few hundred journeys. This builds
300 definitions (the training journeys copied under new ids, plus one synthetic journey of 400
pages with a condition on every page), then measures, in the same run:

1. validating all 300 (json.loads + parse_journey) against the baseline of json.loads alone;
2. next_page from the last page of the largest journey (the worst case: conditions see only the
   answers on the route so far, so the route up to the page is walked) against the baseline of
   taking the next page by position;
3. the whole route and the check-answers summary of the largest journey;
4. the memory the 300 parsed journeys hold (tracemalloc).

Run: .venv/bin/python benchmarks/bench_journeys.py
"""

from __future__ import annotations

import copy
import gc
import json
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._bench_common import figure  # noqa: E402
from journeys.flow import Flow  # noqa: E402
from journeys.models import Journey, parse_journey  # noqa: E402

CATALOGUE_SIZE = 300
LARGE_PAGES = 400


def training_definitions() -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "journeys" / "training").glob("*.json"))]


def large_definition(pages: int) -> dict[str, Any]:
    """A journey of `pages` pages: a radios question on each, every page shown only when the one before allows it."""
    defn: dict[str, Any] = {
        "id": "large-synthetic",
        "version": 1,
        "title": {"en": "A very long form"},
        "summary": {"en": "For the benchmark"},
        "category": "benchmark",
        "confirmation": {"en": "Done"},
        "pages": [],
    }
    for i in range(pages):
        page: dict[str, Any] = {
            "id": f"page-{i}",
            "questions": [
                {
                    "id": f"q-{i}",
                    "type": "radios",
                    "label": {"en": f"Question {i}?"},
                    "options": [{"value": "go", "label": {"en": "Go on"}}, {"value": "skip", "label": {"en": "Skip"}}],
                },
                {"id": f"n-{i}", "type": "number", "label": {"en": f"How many {i}?"}, "required": False},
            ],
        }
        if i > 0:
            page["show_when"] = {
                "any": [
                    {"question": f"q-{i - 1}", "not_equals": "skip"},
                    {
                        "all": [
                            {"question": f"n-{i - 1}", "greater_than": 5},
                            {"question": f"n-{i - 1}", "less_than": 100},
                        ]
                    },
                ]
            }
        defn["pages"].append(page)
    return defn


def catalogue_texts() -> list[str]:
    base = training_definitions()
    definitions = [large_definition(LARGE_PAGES)]
    n = 0
    while len(definitions) < CATALOGUE_SIZE:
        d = copy.deepcopy(base[n % len(base)])
        d["id"] = f"{d['id']}-{n // len(base)}"[:64]
        definitions.append(d)
        n += 1
    return [json.dumps(d) for d in definitions]


def best_of(fn: Callable[[], object], repeat: int, number: int = 1) -> float:
    """The median of `repeat` timings of `number` calls, in seconds per call."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - start) / number)
    return statistics.median(times)


def main() -> None:
    texts = catalogue_texts()
    total_kb = sum(len(t) for t in texts) / 1024

    def load_only() -> list[Any]:
        return [json.loads(t) for t in texts]

    def load_and_validate() -> list[Journey]:
        return [parse_journey(json.loads(t)) for t in texts]

    t_json = best_of(load_only, repeat=7)
    t_validate = best_of(load_and_validate, repeat=7)

    journeys = load_and_validate()
    largest = max(journeys, key=lambda j: len(j.pages))
    flow = Flow(largest)
    answers: dict[str, Any] = {}
    for i in range(len(largest.pages)):
        answers[f"q-{i}"] = "go"
        answers[f"n-{i}"] = i
    last = largest.pages[-2].id
    positions = {p.id: i for i, p in enumerate(largest.pages)}

    def by_position() -> object:
        return largest.pages[positions[last] + 1]

    t_position = best_of(by_position, repeat=7, number=10_000)
    t_next = best_of(lambda: flow.next_page(last, answers), repeat=7, number=20)
    t_first_next = best_of(lambda: flow.next_page(largest.pages[0].id, answers), repeat=7, number=2_000)
    t_route = best_of(lambda: flow.route(answers), repeat=7, number=20)
    t_summary = best_of(lambda: flow.summary(answers), repeat=7, number=5)
    assert len(flow.route(answers)) == len(largest.pages)

    gc.collect()
    tracemalloc.start()
    held = load_and_validate()
    current, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del held

    print(
        f"python {platform.python_version()} on {platform.machine()}, {CATALOGUE_SIZE} journeys, {total_kb:.0f} KiB of JSON"
    )
    print(f"largest: {len(largest.pages)} pages, {len(largest.questions())} questions, a condition on every page")
    print()
    print("| figure | time | baseline (same run) | ratio |")
    print("|---|---|---|---|")
    print(
        f"| load + validate {CATALOGUE_SIZE} journeys | {t_validate * 1000:.1f} ms "
        f"| json.loads only: {t_json * 1000:.1f} ms | {t_validate / t_json:.1f}x |"
    )
    print(
        f"| next_page from the last page of the largest | {t_next * 1e6:.0f} µs "
        f"| next page by position: {t_position * 1e6:.2f} µs | {t_next / t_position:.0f}x |"
    )
    print(
        f"| next_page from the first page of the largest | {t_first_next * 1e6:.1f} µs "
        f"| next page by position: {t_position * 1e6:.2f} µs | {t_first_next / t_position:.0f}x |"
    )
    print(f"| whole route of the largest | {t_route * 1000:.2f} ms | - | - |")
    print(f"| check-answers summary of the largest (800 rows) | {t_summary * 1000:.2f} ms | - | - |")
    print(f"| memory held by {CATALOGUE_SIZE} parsed journeys | {current / 1024 / 1024:.1f} MiB | - | - |")
    figure(f"load + validate {CATALOGUE_SIZE} journeys", t_validate * 1000, "ms", t_json * 1000, "json.loads only")
    figure(
        f"next_page from the last page of the {LARGE_PAGES}-page journey",
        t_next * 1e6,
        "us",
        t_position * 1e6,
        "next page by position",
    )
    figure("whole route of the largest journey", t_route * 1000, "ms")
    figure(f"check-answers summary of the largest journey ({len(flow.summary(answers))} rows)", t_summary * 1000, "ms")
    figure(f"memory held by {CATALOGUE_SIZE} parsed journeys", current / 1024 / 1024, "MiB")


if __name__ == "__main__":
    main()
