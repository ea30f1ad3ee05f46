"""doctor against a portal that misbehaves (tests/reliability/misbehaving_server.py): a clear failure
line for each, never a traceback, and a TLS problem named, not "cannot be reached"."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import doctor
from app.config import load_config
from tests.helpers import make_kiosk
from tests.reliability.misbehaving_server import Fault, misbehaving


@pytest.fixture(autouse=True)
def voices_found(monkeypatch: pytest.MonkeyPatch) -> None:
    """Speech is not what these tests are about: a voice for every language, without starting an engine."""
    found = {
        lang: {"voice": f"voice-{lang}", "locale": lang, "voices": [f"voice-{lang}"]} for lang in doctor.LANGUAGE_NAMES
    }
    monkeypatch.setattr(doctor, "speech_report", lambda engine: {"engine": engine, "error": None, "languages": found})


def checks_for(data: Path, url: str, **environ: str) -> dict[str, doctor.Check]:
    kiosk = make_kiosk(data, training=False)
    kiosk.enrol(url, "kiosk-1", "site-1", "tok")
    kiosk.close()
    return {c.name: c for c in doctor.run_checks(lambda: load_config(data_dir=data, environ=environ))}


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        (Fault("deep", path="/api/v1/health"), "nested too deep"),
        (
            Fault("body", path="/api/v1/health", body={"status": "ok", "server_time": "0001-01-01T00:00:00"}),
            "server_time",
        ),
        (Fault("body", path="/api/v1/health", body={"status": "ok", "server_time": "2026-11-25T10:00:00"}), "offset"),
        (Fault("huge", path="/api/v1/health"), "larger than the limit"),
    ],
)
def test_a_misbehaving_health_answer_is_one_clear_failure(tmp_path: Path, fault: Fault, words: str) -> None:
    with misbehaving(tmp_path, fault=fault) as server:
        checks = checks_for(tmp_path / "k", server.url)
    assert checks["portal"].status == "fail" and words in checks["portal"].detail
    assert checks["clock"].status == "skipped"


@pytest.mark.parametrize(
    ("tls", "words"),
    [("self_signed", "self-signed"), ("expired", "expired"), ("wrong_host", "another"), ("unknown_ca", "authority")],
)
def test_a_certificate_problem_is_named(tmp_path: Path, tls: str, words: str) -> None:
    with misbehaving(tmp_path, tls=tls) as server:
        assert server.ca_file is not None
        checks = checks_for(tmp_path / "k", server.url, DCP_KIOSK_CA_BUNDLE=str(server.ca_file))
    portal = checks["portal"]
    assert portal.status == "fail" and words in portal.detail and "cannot be reached" not in portal.detail


def test_a_good_certificate_from_the_councils_ca_and_a_clock_hours_off(tmp_path: Path) -> None:
    with misbehaving(tmp_path, tls="good", clock_offset=3 * 3600) as server:
        assert server.ca_file is not None
        checks = checks_for(tmp_path / "k", server.url, DCP_KIOSK_CA_BUNDLE=str(server.ca_file))
    assert checks["portal"].status == "ok"
    assert checks["clock"].status == "fail" and "+10800 s" in checks["clock"].detail
