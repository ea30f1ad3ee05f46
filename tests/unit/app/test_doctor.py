"""`dcp-kiosk doctor`: each problem IT can meet gives a failing check and a line saying what to fix."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from app import doctor
from app.cli import main
from app.config import load_config
from tests.helpers import enrolled_kiosk, make_kiosk


def run(capsys: pytest.CaptureFixture[str], data: Path, *extra: str) -> tuple[int, dict]:
    code = main(["doctor", "--json", "--data-dir", str(data), *extra])
    report = json.loads(capsys.readouterr().out)
    return code, report


def by_name(report: dict) -> dict[str, dict]:
    return {c["name"]: c for c in report["checks"]}


REAL_SPEECH_REPORT = doctor.speech_report


@pytest.fixture(autouse=True)
def voices_found(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where a test is not about speech: a voice for every language, without starting an engine."""
    monkeypatch.setattr(doctor, "speech_report", report(languages=voices(*doctor.LANGUAGE_NAMES)))


@pytest.fixture
def enrolled(tmp_path: Path, portal) -> Path:
    data = tmp_path / "kiosk"
    kiosk = enrolled_kiosk(data, portal)
    kiosk.store.vault()  # make the data key, as the first submission would
    kiosk.close()
    return data


def test_a_healthy_kiosk_passes(enrolled: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("DCP_KIOSK_SPEECH_ENGINE", "speechd")  # as on a kiosk (the tests' default is mock)
    code, report = run(capsys, enrolled, "--training")
    checks = by_name(report)
    failed = {n: c["detail"] for n, c in checks.items() if c["status"] == "fail"}
    assert failed == {}
    assert code == 0 and report["healthy"] is True
    assert checks["enrolment"]["status"] == "ok" and checks["clock"]["status"] == "ok"
    assert checks["speech"] == {
        "name": "speech",
        "status": "ok",
        "detail": "speechd: a voice for every language: en (voice-en), gu (voice-gu), pa (voice-pa), pl (voice-pl), "
        "ur (voice-ur)",
        "fix": "",
    }


def test_the_text_report_lists_what_to_fix(tmp_path: Path, capsys) -> None:
    code = main(["doctor", "--data-dir", str(tmp_path / "new")])
    out = capsys.readouterr().out
    assert code == 1
    assert "FAIL  enrolment" in out
    assert "To fix:" in out and "run `dcp-kiosk enrol --portal URL --kiosk-id ID --site ID`" in out


def test_a_broken_configuration_fails_first_and_skips_what_needs_it(tmp_path: Path, capsys) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text("min_free_disk_mb = 'lots'\n", encoding="utf-8")
    code, report = run(capsys, tmp_path, "--config", str(config))
    checks = by_name(report)
    assert code == 1
    assert checks["configuration"]["status"] == "fail"
    assert "min_free_disk_mb must be a whole number" in checks["configuration"]["detail"]
    assert checks["database"]["status"] == checks["portal"]["status"] == "skipped"


def test_a_missing_keyring_fails(enrolled: Path, capsys) -> None:
    keyring.set_keyring(fail.Keyring())  # the memory_keyring fixture puts the previous one back
    code, report = run(capsys, enrolled, "--training")
    check = by_name(report)["keyring"]
    assert code == 1 and check["status"] == "fail"
    assert "no keyring backend" in check["detail"] and "Secret Service" in check["fix"]


def test_a_plaintext_keyring_is_refused(tmp_path: Path, capsys, monkeypatch) -> None:
    class PlaintextKeyring(fail.Keyring):
        pass

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    keyring.set_keyring(PlaintextKeyring())
    checks = doctor.run_checks(lambda: load_config(data_dir=tmp_path))
    assert {c.name: c.status for c in checks}["keyring"] == "fail"


def test_an_unreachable_portal_fails(enrolled: Path, portal, capsys) -> None:
    portal.stop()
    code, report = run(capsys, enrolled, "--training")
    checks = by_name(report)
    assert code == 1
    assert checks["portal"]["status"] == "fail" and "cannot be reached" in checks["portal"]["detail"]
    assert checks["clock"]["status"] == "skipped"
    assert "network" in checks["portal"]["fix"]


def test_a_revoked_token_fails(enrolled: Path, portal, capsys) -> None:
    portal.revoke("kiosk-1")
    code, report = run(capsys, enrolled, "--training")
    check = by_name(report)["enrolment"]
    assert code == 1 and check["status"] == "fail"
    assert "revoked" in check["detail"] and "HTTP 403" in check["detail"]


def test_a_token_missing_from_the_keyring_fails(enrolled: Path, memory_keyring, capsys) -> None:
    for key in [k for k in memory_keyring.passwords if k[1].startswith("device-token:")]:
        del memory_keyring.passwords[key]
    code, report = run(capsys, enrolled, "--training")
    assert code == 1 and "not in the keyring" in by_name(report)["enrolment"]["detail"]


def test_a_wrong_data_key_fails_the_database(enrolled: Path, memory_keyring, capsys) -> None:
    for key in [k for k in memory_keyring.passwords if k[1].startswith("data-key:")]:
        memory_keyring.passwords[key] = "A" * 43 + "="  # a valid 256-bit key, but not this database's
    code, report = run(capsys, enrolled, "--training")
    check = by_name(report)["database"]
    assert code == 1 and check["status"] == "fail" and "cannot be opened" in check["detail"]


def test_a_damaged_database_fails_and_is_not_touched(tmp_path: Path, capsys) -> None:
    data = tmp_path / "kiosk"
    make_kiosk(data, training=False).close()
    db = data / "kiosk.sqlite3"
    raw = bytearray(db.read_bytes())
    raw[100:4096] = b"\xff" * (4096 - 100)  # the first page's b-tree, past the header
    db.write_bytes(bytes(raw))
    before = db.read_bytes()
    code, report = run(capsys, data)
    check = by_name(report)["database"]
    assert code == 1 and check["status"] == "fail"
    assert "moves the damaged file aside" in check["fix"]
    assert db.read_bytes() == before  # doctor only reads


def test_low_disk_fails(tmp_path: Path, capsys, monkeypatch) -> None:
    real = shutil.disk_usage
    monkeypatch.setattr(doctor.shutil, "disk_usage", lambda p: real(p)._replace(free=50_000_000))
    code, report = run(capsys, tmp_path)
    assert code == 1
    check = by_name(report)["disk"]
    assert check["status"] == "fail" and "under 200 MB" in check["detail"]


def test_clock_skew_beyond_the_limit_fails(enrolled: Path, capsys, monkeypatch) -> None:
    import time

    real = time.time
    monkeypatch.setattr(doctor.time, "time", lambda: real() - 3600)
    code, report = run(capsys, enrolled, "--training")
    assert code == 1
    check = by_name(report)["clock"]
    assert check["status"] == "fail" and "limit 120 s" in check["detail"]
    assert "timedatectl" in check["fix"]


def test_a_portal_that_is_not_https_fails(tmp_path: Path, capsys) -> None:
    kiosk = make_kiosk(tmp_path / "k", training=False)
    kiosk.enrol("http://portal.example.gov.uk", "kiosk-1", "site-1", "tok")
    kiosk.close()
    code, report = run(capsys, tmp_path / "k")
    assert code == 1
    assert by_name(report)["portal"]["status"] == "fail" and "not https" in by_name(report)["portal"]["detail"]


def test_missing_fonts_are_reported(monkeypatch) -> None:
    monkeypatch.setattr(doctor.shutil, "which", lambda tool: None)
    assert doctor.check_fonts().status == "fail"


def voices(*langs: str) -> dict:
    return {lang: {"voice": f"voice-{lang}", "locale": lang, "voices": [f"voice-{lang}"]} for lang in langs}


def report(**found) -> doctor.VoiceReport:
    return lambda engine: {"engine": engine, "engines": ["mock", "speechd"], "error": None, **found}


def test_speech_ok_lists_the_voice_of_every_language() -> None:
    check = doctor.check_speech(None, report(languages=voices("en", "ur", "gu", "pa", "pl")))
    assert check.status == "ok"
    assert check.detail == (
        "speechd: a voice for every language: en (voice-en), gu (voice-gu), pa (voice-pa), pl (voice-pl), ur (voice-ur)"
    )


def test_speech_warns_naming_the_languages_without_a_voice() -> None:
    check = doctor.check_speech(None, report(languages={**voices("en", "pa", "pl"), "ur": {"voice": None}}))
    assert check.status == "warn"
    assert (
        check.detail
        == "speechd: no voice for Gujarati (gu), Urdu (ur); voices for en (voice-en), pa (voice-pa), pl (voice-pl)"
    )
    assert "Gujarati (gu), Urdu (ur)" in check.fix


def test_speech_fails_without_the_engine_or_any_voice(tmp_path: Path) -> None:
    config = load_config(data_dir=tmp_path, environ={"DCP_KIOSK_SPEECH_ENGINE": "festival"})
    none = report(error="the speech engine 'festival' is not available (this kiosk has: mock, speechd)")
    check = doctor.check_speech(config, none)
    assert check.status == "fail"
    assert check.detail == "no speech engine 'festival' (this kiosk has: mock, speechd)"
    assert "speech_engine" in check.fix
    assert doctor.check_speech(None, report(languages={})).status == "fail"
    stuck = doctor.check_speech(None, report(error="speech-dispatcher at /x does not answer within 2 s"))
    assert stuck.status == "fail" and "stop the speech-dispatcher" in stuck.fix


def test_the_speech_check_runs_the_engine_in_a_child() -> None:
    """The real path, with Qt's mock engine: a child `dcp-kiosk speak --voices --json`."""
    found = REAL_SPEECH_REPORT("mock")
    assert found["error"] is None
    assert found["languages"]["en"]["voice"] == "Anne"
    assert found["languages"]["ur"]["voice"] is None
    assert (
        doctor.check_speech(load_config(environ={"DCP_KIOSK_SPEECH_ENGINE": "mock"}), REAL_SPEECH_REPORT).status
        == "warn"
    )
    unknown = REAL_SPEECH_REPORT("festival")
    assert "festival" in unknown["error"] and "mock" in unknown["engines"]


def test_a_speech_check_that_does_not_answer_is_stopped(monkeypatch, tmp_path: Path) -> None:
    """A child that never answers is killed at the time limit, and the check fails plainly."""
    hang = tmp_path / "hang"
    hang.write_text("#!/bin/sh\nexec sleep 600\n", encoding="utf-8")
    hang.chmod(0o755)
    monkeypatch.setattr(doctor.sys, "frozen", True, raising=False)  # the bundle runs itself: here, the script
    monkeypatch.setattr(doctor.sys, "executable", str(hang))
    started = time.monotonic()
    found = REAL_SPEECH_REPORT("speechd", timeout=2)
    assert time.monotonic() - started < 8
    assert found["error"] == "the engine did not answer within 2 s"
    check = doctor.check_speech(None, lambda engine: found)
    assert check.status == "fail" and "did not answer" in check.detail


def test_doctor_never_prints_the_token(enrolled: Path, portal, memory_keyring, capsys) -> None:
    tokens = [v for k, v in memory_keyring.passwords.items() if k[1].startswith("device-token:")]
    main(["doctor", "--data-dir", str(enrolled), "--training"])
    main(["doctor", "--json", "--data-dir", str(enrolled), "--training"])
    out = capsys.readouterr()
    assert tokens and not any(t in out.out + out.err for t in tokens)


def test_languages_are_listed_with_the_drafts_awaiting_review() -> None:
    found = doctor.check_languages()
    assert found.status == "warn"
    assert "Urdu (ur)" in found.detail and "Gujarati (gu)" in found.detail and "Polish (pl)" in found.detail
    assert "not yet reviewed by a native speaker" in found.detail and "Urdu " in found.detail.split("speaker:")[1]


def test_a_catalogue_not_compiled_fails_and_a_reviewed_one_passes(tmp_path: Path, monkeypatch) -> None:
    from app import languages
    from tools import catalogues

    monkeypatch.setattr(languages, "LOCALES", tmp_path)
    english = catalogues.read(Path(catalogues.ROOT) / "app" / "locales" / "en.po")
    catalogues.write(english, tmp_path / "en.po")
    reviewed = catalogues.read(Path(catalogues.ROOT) / "app" / "locales" / "pl.po")
    catalogues.write(reviewed, tmp_path / "pl.po")
    found = doctor.check_languages()
    assert found.status == "fail" and "en is not compiled" in found.detail and "pl is not compiled" in found.detail
    catalogues.compile_all(["en", "pl"])
    assert doctor.check_languages().status == "warn"  # compiled, but Polish is a draft
    for message in reviewed:
        message.flags.discard("fuzzy")  # a native speaker has reviewed every entry
    catalogues.write(reviewed, tmp_path / "pl.po")
    assert doctor.check_languages() == doctor.Check("languages", "ok", "English (en), Polish (pl)")
