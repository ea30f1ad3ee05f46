"""Whatever is typed, whatever file is given: an answer or a plain refusal, never another exception."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from local_store.gazetteer import BuildReport, DtfError, Found, Pack
from local_store.gazetteer.dtf import read_dtf
from reference_portal.gazetteer_data import Summary

TYPED = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs", "M"]), max_size=60
) | st.sampled_from(['"', "*", "(", "kings AND", "NEAR(", "bb2 1", "14 k", "  ", "ł", "\u0301", "'", "-", "^"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TYPED)
def test_any_text_gives_found(built: tuple[Summary, BuildReport, Path], typed: str) -> None:
    with Pack.open(built[2]) as pack:
        found = pack.search(typed)
        assert isinstance(found, Found) and len(found.addresses) <= 8
        assert pack.by_uprn(typed) is None or typed.strip().isdigit()
        assert isinstance(pack.has_postcode(typed), bool)


def test_mangled_exports_are_read_or_refused(dtf_fixture: Summary, tmp_path: Path, rng: random.Random) -> None:
    """The fixture cut, bytes flipped, lines shuffled: a Gazetteer or a DtfError with a message."""
    data = dtf_fixture.path.read_bytes()
    path = tmp_path / "mangled.csv"
    for _ in range(60):
        mangled = bytearray(data)
        how = rng.randrange(4)
        if how == 0:
            mangled = mangled[: rng.randrange(len(mangled))]
        elif how == 1:
            for _ in range(rng.randint(1, 50)):
                mangled[rng.randrange(len(mangled))] = rng.randrange(256)
        elif how == 2:
            lines = bytes(mangled).split(b"\r\n")
            rng.shuffle(lines)
            mangled = bytearray(b"\r\n".join(lines))
        else:
            at = rng.randrange(len(mangled))
            mangled[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 9000)))
        path.write_bytes(bytes(mangled))
        try:
            read_dtf(path)
        except DtfError as e:
            assert e.message and "Traceback" not in e.message
