"""How many rounds a reliability test runs: a few in `make test`, many under `-m reliability`
(`make soak`), or exactly N when its DCP_TEST_* variable says so (not DCP_KIOSK_*, which conftest clears)."""

from __future__ import annotations

import os

import pytest


def soak_count(config: pytest.Config, variable: str, default: int, full: int) -> int:
    if os.environ.get(variable):
        return int(os.environ[variable])
    expr = str(config.getoption("markexpr") or "")
    return full if "reliability" in expr and "not reliability" not in expr else default
