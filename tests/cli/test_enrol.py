"""`dcp-kiosk enrol` / `unenrol` against the reference portal on loopback.

The token comes from standard input only, is checked with the portal before anything is stored,
and ends up in the keyring and nowhere else: not in the arguments, the configuration, the
database or the logs.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.config import load_config
from app.kiosk import Kiosk, token_name
from local_store.vault import KEYRING_SERVICE
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "packaging"))
from smoke_test import unexpected as unexpected_stderr


def enrol(monkeypatch: pytest.MonkeyPatch, data: Path, url: str, stdin: str, kiosk_id: str = "kiosk-1") -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(
        ["enrol", "--portal", url, "--kiosk-id", kiosk_id, "--site", "central-library", "--data-dir", str(data)]
    )


def files_containing(folder: Path, secret: str) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


def stored(data: Path, memory_keyring) -> tuple[object, str | None]:
    kiosk = Kiosk(load_config(data_dir=data))
    try:
        return kiosk.enrolment(), memory_keyring.passwords.get((KEYRING_SERVICE, token_name(kiosk.store)))
    finally:
        kiosk.close()


def test_enrol_checks_the_token_and_keeps_it_only_in_the_keyring(
    tmp_path: Path, portal, monkeypatch, memory_keyring, capsys
) -> None:
    token = portal.token("kiosk-1")
    data = tmp_path / "kiosk"
    assert enrol(monkeypatch, data, portal.url, token + "\n") == 0
    out = capsys.readouterr()
    assert "enrolled kiosk kiosk-1 at site central-library" in out.out
    enrolment, kept = stored(data, memory_keyring)
    assert kept == token
    assert enrolment is not None and enrolment.portal_url == portal.url  # type: ignore[attr-defined]
    # Nowhere on disk: not the database (nor its WAL), not the log, not the output.
    assert (data / "logs" / "dcp-kiosk.log").exists()
    assert files_containing(data, token) == []
    assert token not in out.out + out.err
    # The catalogue was fetched at enrolment, so the first start has services.
    kiosk = Kiosk(load_config(data_dir=data))
    assert len(kiosk.catalogue()) > 0
    kiosk.close()


def test_the_token_cannot_be_given_as_an_argument(tmp_path: Path, portal, capsys) -> None:
    token = portal.token("kiosk-1")
    with pytest.raises(SystemExit) as exc:
        main(["enrol", "--portal", portal.url, "--kiosk-id", "kiosk-1", "--site", "s", "--token", token])
    assert exc.value.code == 2
    assert "unrecognized arguments" in capsys.readouterr().err


def test_the_token_cannot_come_from_the_configuration(tmp_path: Path, portal) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(f"token = '{portal.token('kiosk-1')}'\n", encoding="utf-8")
    assert main(["status", "--config", str(config), "--data-dir", str(tmp_path)]) == 2


@pytest.mark.parametrize("revoke", [False, True], ids=["unknown-401", "revoked-403"])
def test_a_token_the_portal_refuses_stores_nothing(
    tmp_path: Path, portal, monkeypatch, memory_keyring, capsys, revoke: bool
) -> None:
    token = portal.token("kiosk-1")
    if revoke:
        portal.revoke("kiosk-1")
    else:
        token = "not-a-token-the-portal-issued"
    data = tmp_path / "kiosk"
    assert enrol(monkeypatch, data, portal.url, token) == 1
    err = capsys.readouterr().err
    assert ("has revoked this token (403)" if revoke else "does not know this token (401)") in err
    assert token not in err
    assert stored(data, memory_keyring) == (None, None)


@pytest.mark.parametrize(
    ("url", "kiosk_id", "stdin", "message"),
    [
        ("URL", "kiosk-1", "", "no device token on standard input"),
        ("URL", "kiosk-1", "two words\n", "not a single word"),
        ("http://portal.example.gov.uk", "kiosk-1", "tok", "must use https://"),
        ("ftp://portal.example.gov.uk", "kiosk-1", "tok", "must be an address such as https://"),
        ("URL", "kiosk 1; rm", "tok", "--kiosk-id must be 1 to 64 letters"),
    ],
)
def test_bad_input_is_refused_plainly(
    tmp_path: Path, portal, monkeypatch, memory_keyring, capsys, url, kiosk_id, stdin, message
) -> None:
    data = tmp_path / "kiosk"
    assert enrol(monkeypatch, data, portal.url if url == "URL" else url, stdin, kiosk_id) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert memory_keyring.passwords == {}


def test_an_unreachable_portal_is_refused(tmp_path: Path, portal, monkeypatch, memory_keyring, capsys) -> None:
    token = portal.token("kiosk-1")
    url = portal.url
    portal.stop()
    assert enrol(monkeypatch, tmp_path / "k", url, token) == 1
    assert "could not check the token with the portal" in capsys.readouterr().err
    assert memory_keyring.passwords == {}


def test_unenrol_removes_the_token_and_the_enrolment(
    tmp_path: Path, portal, monkeypatch, memory_keyring, capsys
) -> None:
    data = tmp_path / "kiosk"
    assert enrol(monkeypatch, data, portal.url, portal.token("kiosk-1")) == 0
    assert main(["unenrol", "--data-dir", str(data)]) == 0
    assert "the device token was removed" in capsys.readouterr().out
    assert stored(data, memory_keyring) == (None, None)
    assert main(["unenrol", "--data-dir", str(data)]) == 0
    assert "was not enrolled" in capsys.readouterr().out


def test_enrol_as_a_process_reads_standard_input(tmp_path: Path, portal) -> None:
    """The real command line, token piped in; the token is not in the process's arguments or output."""
    token = portal.token("kiosk-1")
    cmd = [sys.executable, "-m", "app", "enrol", "--portal", portal.url, "--kiosk-id", "kiosk-1", "--site", "s1"]
    cmd += ["--data-dir", str(tmp_path / "kiosk")]
    done = subprocess.run(cmd, input=token + "\n", capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert token not in " ".join(cmd) + done.stdout + done.stderr
    assert files_containing(tmp_path / "kiosk", token) == []


def test_self_test_after_enrolment_renders_home_with_the_portals_services(tmp_path: Path, portal, monkeypatch) -> None:
    """self-test as a process: offscreen, exit 0, and nothing unexpected on standard error."""
    data = tmp_path / "kiosk"
    assert enrol(monkeypatch, data, portal.url, portal.token("kiosk-1")) == 0
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}  # self-test goes offscreen itself
    done = subprocess.run(
        [sys.executable, "-m", "app", "self-test", "--data-dir", str(data)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    services = re.search(r"self-test ok: .* home screen with (\d+) services", done.stdout)
    assert services is not None and int(services.group(1)) > 0, done.stdout
    assert unexpected_stderr(done.stderr) == []


def test_version_names_the_package_version(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.startswith("dcp-kiosk 0.1.0")


# -- a portal that misbehaves: a clear refusal, never a traceback, nothing stored ----------------


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        ({"kind": "body", "body": {"schema_version": 1, "journeys": 5}}, "not in the journey format"),
        ({"kind": "deep"}, "nested too deep"),
        ({"kind": "huge"}, "larger than the limit"),
        ({"kind": "captive"}, "text/html"),
    ],
)
def test_enrol_refuses_a_catalogue_it_cannot_use(
    tmp_path: Path, monkeypatch, memory_keyring, capsys, fault: dict, words: str
) -> None:
    from tests.reliability.misbehaving_server import Fault, misbehaving

    with misbehaving(tmp_path, fault=Fault(path="/api/v1/catalogue", **fault)) as server:
        assert enrol(monkeypatch, tmp_path / "kiosk", server.url, "tok\n") == 1
    err = capsys.readouterr().err
    assert "enrolment refused" in err and words in err and "Traceback" not in err
    assert memory_keyring.passwords == {}


@pytest.mark.parametrize(
    ("tls", "words"),
    [("self_signed", "self-signed"), ("expired", "expired"), ("wrong_host", "another"), ("unknown_ca", "authority")],
)
def test_enrol_names_the_certificate_problem(
    tmp_path: Path, monkeypatch, memory_keyring, capsys, tls: str, words: str
) -> None:
    from tests.reliability.misbehaving_server import misbehaving

    with misbehaving(tmp_path, tls=tls) as server:
        monkeypatch.setenv("DCP_KIOSK_CA_BUNDLE", str(server.ca_file))
        assert enrol(monkeypatch, tmp_path / "kiosk", server.url, "tok\n") == 1
    err = capsys.readouterr().err
    assert "certificate" in err and words in err and "could not reach" not in err, err
    assert memory_keyring.passwords == {}
