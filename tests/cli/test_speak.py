"""`dcp-kiosk speak`: IT tries the voice. Plain words, a non-zero exit when it cannot speak, never a
traceback, and never a wait without an end (a stuck speech-dispatcher is stopped, not waited for)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import main, speak
from tests.conftest import ROOT
from tools.audio_server import AudioServer


def run(capsys: pytest.CaptureFixture[str], tmp_path: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(tmp_path / "data"), "speak", *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_the_mock_engine_speaks_and_says_what_happened(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, tmp_path, "--engine", "mock", "--text", "Hello from the kiosk")
    assert code == 0
    assert "engine:    mock" in out
    assert "voice:     Anne (en_GB)" in out  # the plain voice, British English first
    assert "states:    speaking -> ready" in out
    assert "started speaking after" in out
    assert "done: the text was spoken." in out


def test_the_configured_engine_is_used_without_engine(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DCP_KIOSK_SPEECH_ENGINE", "mock")
    code, out, _ = run(capsys, tmp_path, "--text", "Hello")
    assert code == 0, out
    assert "engine:    mock" in out


def test_no_voice_for_the_language_is_said_and_fails(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, tmp_path, "--engine", "mock", "--text", "Salaam", "--language", "ur")
    assert code == 1
    assert "language:  ur (Urdu)" in out
    assert "the 'mock' engine has no voice for the language 'ur'" in err
    assert "done" not in out


def test_an_unknown_engine_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, tmp_path, "--engine", "festival", "--text", "hi")
    assert code == 2
    assert "the speech engine 'festival' is not available (this kiosk has: " in err
    assert "mock" in err


def test_nothing_to_say_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, tmp_path, "--engine", "mock", "--text", "  ")
    assert code == 2
    assert "--voices" in err


def test_voices_lists_every_kiosk_language(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, tmp_path, "--engine", "mock", "--voices")
    assert code == 0
    assert "en (English)   Anne (en_GB), and 3 more" in out
    for lang in ("ur (Urdu)", "gu (Gujarati)", "pa (Punjabi)", "pl (Polish)"):
        assert f"{lang}" in out and "NO VOICE" in out.split(lang)[1].splitlines()[0]
    assert "no voice for: ur, gu, pa, pl" in out


class StuckSpeechd:
    """A socket that takes connections like speech-dispatcher and answers only the first `answer` of them."""

    def __init__(self, path: Path, answer: int) -> None:
        self.path, self.answer = path, answer
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(path))
        self.server.listen(8)
        self.server.settimeout(0.2)
        self.conns: list[socket.socket] = []
        self.stopping = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopping:
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.conns.append(conn)
            if len(self.conns) <= self.answer:
                conn.settimeout(2)
                try:
                    conn.recv(256)
                    conn.sendall(b"208 OK CLIENT NAME SET\r\n")
                except OSError:
                    pass

    def close(self) -> None:
        self.stopping = True
        self.thread.join(timeout=5)
        for c in [*self.conns, self.server]:
            c.close()


@pytest.fixture
def short_tmp() -> Iterator[Path]:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="dcp-sd-") as d:  # a socket's path must stay short
        yield Path(d)


def test_a_speech_dispatcher_that_never_answers_is_reported_not_waited_for(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, short_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stuck = StuckSpeechd(short_tmp / "sd.sock", answer=0)
    monkeypatch.setenv("SPEECHD_ADDRESS", f"unix_socket:{stuck.path}")
    try:
        started = time.monotonic()
        code, _, err = run(capsys, tmp_path, "--engine", "speechd", "--text", "hi")
        took = time.monotonic() - started
    finally:
        stuck.close()
    assert code == 1
    assert f"speech-dispatcher at {stuck.path} does not answer within 2 s" in err
    assert took < 15


def test_an_engine_stuck_inside_qt_is_stopped_after_the_limit(short_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """It answers the kiosk's probe, then holds Qt's own connection for ever (libspeechd waits in
    QTextToSpeech's constructor): the child is killed at the limit, and the answer says so."""
    stuck = StuckSpeechd(short_tmp / "sd.sock", answer=1)
    monkeypatch.setenv("SPEECHD_ADDRESS", f"unix_socket:{stuck.path}")
    monkeypatch.setattr(speak, "LOAD_BUDGET_S", 6.0)
    try:
        started = time.monotonic()
        result = speak.voice_report("speechd", voices=True)
        took = time.monotonic() - started
    finally:
        stuck.close()
    assert result["error"] == "the speech engine 'speechd' did not answer within 6 s (is speech-dispatcher stuck?)"
    assert 5.5 < took < 12
    assert len(stuck.conns) == 2  # the probe, then Qt's own connection


def test_the_real_engine_speaks_urdu_through_the_command(audio_server: AudioServer, tmp_path: Path) -> None:
    env = {**os.environ, **audio_server.env(), "DCP_KIOSK_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.run(
        [sys.executable, "-m", "app", "speak", "--engine", "speechd", "--language", "ur", "--text", "خوش آمدید"],
        capture_output=True,
        text=True,
        timeout=90,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "voice:     Urdu (ur_PK)" in proc.stdout
    assert "states:    speaking -> ready" in proc.stdout
    assert "done: the text was spoken." in proc.stdout
