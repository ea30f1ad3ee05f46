"""The generator's small DTF 7.3 fixture, written once per session, and the pack built from it."""

from __future__ import annotations

import pytest

from reference_portal.gazetteer_data import FIXTURE_ADDRESSES, Summary, write_dtf


@pytest.fixture(scope="session")
def dtf_fixture(tmp_path_factory: pytest.TempPathFactory) -> Summary:
    return write_dtf(tmp_path_factory.mktemp("dtf") / "borough.csv", addresses=FIXTURE_ADDRESSES)
