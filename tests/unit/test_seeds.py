"""The seed plugin (tests/plugins/seeds.py) in a pytest of its own: a failing randomised test
names its seed and how to rerun it, and setting that seed draws the same numbers again."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

TEST_FILE = """
def test_draws(rng):
    print("DRAW", [rng.random() for _ in range(3)])
    assert False, "fails on purpose"
"""


def run_pytest(folder: Path, seed: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "DCP_TEST_SEED"}
    env["PYTHONPATH"] = str(ROOT)
    if seed is not None:
        env["DCP_TEST_SEED"] = seed
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "tests.plugins.seeds", "test_draws.py"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr  # the test failed, as it should
    return result.stdout


def test_a_failure_names_its_seed_and_the_seed_reproduces_the_draw(tmp_path: Path) -> None:
    (tmp_path / "test_draws.py").write_text(TEST_FILE)
    first = run_pytest(tmp_path, None)
    header = re.search(r"random seed: DCP_TEST_SEED=(\d+)", first)
    rerun = re.search(r"DCP_TEST_SEED=(\d+) pytest 'test_draws.py::test_draws'", first)
    assert header and rerun and header.group(1) == rerun.group(1), first
    assert "random seed" in first and "this test's seed" in first  # the failure's own section
    draw = re.search(r"DRAW \[.*\]", first)
    assert draw, first
    again = run_pytest(tmp_path, rerun.group(1))
    assert draw.group(0) in again  # the same numbers
    other = run_pytest(tmp_path, str(int(rerun.group(1)) + 1))
    assert draw.group(0) not in other  # and another seed draws others
