"""The real voice (acceptance, issue 14): Qt's speechd engine, through a private speech-dispatcher,
speaks English and Urdu into a private PulseAudio's null sink; the sink's recording is not silent.

A recording made while nothing is spoken IS silent: that is the check failing when it should.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tools.audio_server import AudioServer, is_silent, wav_level, write_wav

SENTENCES = {
    "en": "Welcome to the library kiosk. Press 5 to listen to this screen.",
    "ur": "لائبریری کیوسک میں خوش آمدید",
}


def _speechd_engine(audio: AudioServer):  # -> SpeechEngine
    from ui.speech.engine import SpeechEngine, engines

    assert "speechd" in engines(), f"Qt's speechd plugin is not in this PySide6 build ({engines()})"
    with audio.applied():  # the plugin connects to SPEECHD_ADDRESS as it is made
        engine = SpeechEngine("speechd")
    assert engine.available, "the speechd engine did not load"
    return engine


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_real_engine_speaks_and_the_sink_hears_it(
    audio_server: AudioServer, qtbot: QtBot, tmp_path: Path, lang: str
) -> None:
    from ui.speech.engine import State

    engine = _speechd_engine(audio_server)
    assert engine.set_language(lang), f"no {lang} voice; the engine has: {engine.voices(lang)}"
    assert engine.language == lang
    states: list[State] = []
    engine.state_changed.connect(states.append)
    wav = tmp_path / f"{lang}.wav"
    with audio_server.record(wav):
        engine.say([SENTENCES[lang]])
        qtbot.waitUntil(lambda: State.Speaking in states, timeout=10_000)
        qtbot.waitUntil(lambda: states[-1] == State.Ready, timeout=20_000)
        time.sleep(0.2)  # the sink's last buffer reaches the recorder
    assert states[states.index(State.Speaking) :][-1] == State.Ready, states
    assert State.Error not in states
    peak, rms = wav_level(wav)
    assert not is_silent(wav), f"the {lang} recording is silent (peak {peak}, rms {rms:.0f})"
    engine.deleteLater()


def test_a_recording_with_nothing_spoken_is_silent(audio_server: AudioServer, tmp_path: Path) -> None:
    """The same recording, with a second of silence played into the sink: frames, all quiet."""
    wav = tmp_path / "nothing.wav"
    with audio_server.record(wav):
        audio_server.play(write_wav(tmp_path / "silence.wav", 1.0))
        time.sleep(0.2)
    assert wav.stat().st_size > 44 + 4 * 22_050  # it did record (the sink runs at 44.1 kHz stereo)
    assert is_silent(wav), wav_level(wav)


def test_a_tone_played_into_the_sink_is_not_silent(audio_server: AudioServer, tmp_path: Path) -> None:
    """The recorder hears whatever the sink plays, not only speech-dispatcher."""
    wav = tmp_path / "tone.wav"
    with audio_server.record(wav):
        audio_server.play(write_wav(tmp_path / "tone-in.wav", 0.5, frequency=440))
        time.sleep(0.2)
    assert not is_silent(wav), wav_level(wav)


def test_the_mock_engine_makes_no_sound(audio_server: AudioServer, qtbot: QtBot, tmp_path: Path) -> None:
    """Speech that never reaches the audio server records as silence: the check can fail."""
    from ui.speech.engine import SpeechEngine, State

    engine = SpeechEngine("mock")
    states: list[State] = []
    engine.state_changed.connect(states.append)
    wav = tmp_path / "mock.wav"
    with audio_server.record(wav):
        engine.say([SENTENCES["en"]])
        qtbot.waitUntil(lambda: State.Speaking in states and states[-1] == State.Ready, timeout=20_000)
        audio_server.play(write_wav(tmp_path / "silence.wav", 0.3))  # frames, so the file is not just a header
    assert is_silent(wav), wav_level(wav)


def test_the_audio_server_leaves_no_process_behind(audio_server: AudioServer) -> None:
    pids = audio_server.pids()
    assert len(pids) == 2
    audio_server.stop()
    for pid in pids:
        assert not os.path.exists(f"/proc/{pid}"), f"process {pid} outlived the audio server"
    assert not audio_server.root.exists()


def test_a_speech_dispatcher_that_never_answers_leaves_the_kiosk_silent_not_hung(
    monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    """libspeechd waits for ever inside QTextToSpeech's constructor on such a socket; the engine asks first."""
    import socket
    import tempfile

    from ui.speech.engine import SpeechEngine

    with tempfile.TemporaryDirectory(prefix="dcp-sd-") as d:
        path = Path(d) / "sd.sock"
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
            server.bind(str(path))
            server.listen(4)  # takes connections (the kernel's backlog), never answers
            monkeypatch.setenv("SPEECHD_ADDRESS", f"unix_socket:{path}")
            started = time.monotonic()
            with qtbot.captureExceptions():
                engine = SpeechEngine("speechd")
            took = time.monotonic() - started
            again = time.monotonic()
            second = SpeechEngine("speechd")  # the kiosk tries again screen after screen: it waits once
            took_again = time.monotonic() - again
    assert not second.available and second.problem == engine.problem
    assert took_again < 0.5
    assert not engine.available
    assert engine.problem is not None and "does not answer within 2 s" in engine.problem
    assert took < 6
    engine.say(["still safe to call"])  # recorded, nothing to speak with
    assert list(engine.said) == ["still safe to call"]
