"""Seeds for randomised tests: one setting, printed when a test fails, so a failure can be rerun.

    DCP_TEST_SEED=1234 pytest tests/reliability -k crash

The session seed is read once, at start, from DCP_TEST_SEED (the conftest wipes DCP_KIOSK_*
variables before each test, never this one), or drawn at random. Each test that asks for `seed`
(or `rng`, a random.Random on it) gets a seed made from the session seed and its own node id, so
rerunning one test alone with the same DCP_TEST_SEED draws the same numbers. The session seed is
in the report header; a failing test that used it gets a "random seed" section and a line in the
short summary saying how to rerun it.
"""

from __future__ import annotations

import hashlib
import os
import random
from collections.abc import Generator

import pytest

ENV = "DCP_TEST_SEED"
_SESSION = pytest.StashKey[int]()
_USED = pytest.StashKey[int]()
_FAILED = pytest.StashKey[list[tuple[str, int]]]()


def pytest_configure(config: pytest.Config) -> None:
    value = os.environ.get(ENV, "").strip()
    try:
        session = int(value) if value else random.SystemRandom().randrange(2**32)
    except ValueError:
        raise pytest.UsageError(f"{ENV} must be a whole number, not {value!r}") from None
    config.stash[_SESSION] = session
    config.stash[_FAILED] = []


def pytest_report_header(config: pytest.Config) -> str:
    return f"random seed: {ENV}={config.stash[_SESSION]}"


def seed_for(session: int, nodeid: str) -> int:
    """The seed of one test: the same for the same session seed and test, whatever else runs."""
    return int.from_bytes(hashlib.sha256(f"{session}:{nodeid}".encode()).digest()[:8], "big")


@pytest.fixture
def seed(request: pytest.FixtureRequest) -> int:
    """This test's seed (see the module docstring). Use it for every random choice the test makes."""
    value = seed_for(request.config.stash[_SESSION], request.node.nodeid)
    request.node.stash[_USED] = value
    return value


@pytest.fixture
def rng(seed: int) -> random.Random:
    return random.Random(seed)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, object, object]:
    report = yield
    used = item.stash.get(_USED, None)
    if used is not None and getattr(report, "failed", False):
        session = item.config.stash[_SESSION]
        text = f"{ENV}={session} (this test's seed {used}); rerun: {ENV}={session} pytest '{item.nodeid}'"
        report.sections.append(("random seed", text))  # type: ignore[attr-defined]
        item.config.stash[_FAILED].append((item.nodeid, session))
    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    failed = config.stash.get(_FAILED, [])
    if failed:
        terminalreporter.section("random seeds of failed tests")
        for nodeid, session in failed:
            terminalreporter.write_line(f"{ENV}={session} pytest '{nodeid}'")
