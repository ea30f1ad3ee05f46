"""The generator's small DTF 7.3 fixture, written once per session, and the pack built from it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from local_store.gazetteer import BuildReport, Pack, build_pack
from reference_portal.gazetteer_data import FIXTURE_ADDRESSES, Summary, write_dtf


@pytest.fixture(scope="session")
def dtf_fixture(tmp_path_factory: pytest.TempPathFactory) -> Summary:
    return write_dtf(tmp_path_factory.mktemp("dtf") / "borough.csv", addresses=FIXTURE_ADDRESSES)


@pytest.fixture(scope="session")
def built(dtf_fixture: Summary, tmp_path_factory: pytest.TempPathFactory) -> tuple[Summary, BuildReport, Path]:
    out = tmp_path_factory.mktemp("pack") / "borough.pack.sqlite"
    return dtf_fixture, build_pack(dtf_fixture.path, out, version="2026.11-test"), out


@pytest.fixture
def pack(built: tuple[Summary, BuildReport, Path]) -> Iterator[Pack]:
    with Pack.open(built[2]) as opened:
        yield opened
