"""A private, headless audio server for tests and benchmarks: PulseAudio with a null sink, and a
speech-dispatcher of its own, both under one temporary directory.

    with AudioServer() as audio, audio.applied():       # this process now speaks into the null sink
        with audio.record(tmp / "out.wav"):
            ...speak...
        assert not is_silent(tmp / "out.wav")

`env()` gives what a child process needs (PULSE_SERVER, SPEECHD_ADDRESS, XDG_RUNTIME_DIR, HOME).
Every wait is bounded: a server that does not come up within `start_timeout` seconds raises
AudioServerError, and whatever was started is stopped (its whole process group) on the way out.
Nothing here touches the machine's own audio server or speech-dispatcher.
"""

from __future__ import annotations

import array
import contextlib
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import wave
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "TOOLS",
    "AudioServer",
    "AudioServerError",
    "Recording",
    "is_silent",
    "missing_tools",
    "wav_level",
    "write_wav",
]

# The programs the server needs, and the Debian package of each (packaging/apt-packages.txt).
TOOLS = {
    "pulseaudio": "pulseaudio",
    "parec": "pulseaudio-utils",
    "paplay": "pulseaudio-utils",
    "speech-dispatcher": "speech-dispatcher",
    "espeak-ng": "espeak-ng",
}
SINK = "kiosk"
# A WAV is silent when no 16-bit sample reaches this peak (a null sink with nothing playing records
# exact zeros; espeak-ng speech peaks in the thousands).
SILENT_PEAK = 500
SILENT_RMS = 30.0
MAX_WAV_BYTES = 50_000_000  # a recording is read whole only below this (about 5 minutes of stereo 44.1 kHz)


class AudioServerError(RuntimeError):
    """The private audio server could not be started (or a recording made)."""


def missing_tools() -> list[str]:
    """The Debian packages whose programs are not on PATH (empty when the server can start)."""
    return sorted({pkg for tool, pkg in TOOLS.items() if shutil.which(tool) is None})


def _log_tail(path: Path, limit: int = 2000) -> str:
    try:
        with path.open("rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - limit))
            return f.read().decode("utf-8", "replace").strip()
    except OSError:
        return ""


def _socket_answers(path: Path) -> bool:
    if not path.exists():
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(1.0)
        try:
            s.connect(str(path))
        except OSError:
            return False
    return True


def _stop_group(proc: subprocess.Popen[bytes], timeout: float = 5.0) -> None:
    """SIGTERM the process's group (it was started in a session of its own), then SIGKILL if it lingers."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=timeout)
    # Children (speech-dispatcher's output module) share the group: make sure none outlives it.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


class Recording:
    """parec recording the null sink's monitor into a WAV until `stop()` (or the end of `with`)."""

    def __init__(self, server: AudioServer, path: Path, start_timeout: float = 5.0) -> None:
        self.path = Path(path)
        self._proc = subprocess.Popen(
            ["parec", "-d", f"{SINK}.monitor", "--file-format=wav", str(self.path)],
            env={**os.environ, **server.env()},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.monotonic() + start_timeout
        # parec writes the WAV header as soon as the stream is connected.
        while not (self.path.exists() and self.path.stat().st_size >= 44):
            if self._proc.poll() is not None:
                err = self._proc.stderr.read().decode("utf-8", "replace") if self._proc.stderr else ""
                raise AudioServerError(f"parec stopped at once (exit {self._proc.returncode}): {err.strip()[:500]}")
            if time.monotonic() > deadline:
                _stop_group(self._proc)
                raise AudioServerError(f"parec did not start recording within {start_timeout:.0f} s")
            time.sleep(0.02)

    def stop(self) -> Path:
        # SIGTERM lets parec close the file, which writes the WAV header's true length.
        _stop_group(self._proc)
        if self._proc.stderr is not None:
            self._proc.stderr.close()
        return self.path

    def __enter__(self) -> Recording:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


class AudioServer:
    """PulseAudio (null sink `kiosk`) and speech-dispatcher, private to this object, under a temp dir."""

    def __init__(self, root: Path | None = None, start_timeout: float = 15.0) -> None:
        self.start_timeout = start_timeout
        self._own_root = root is None
        self.root = Path(root) if root is not None else Path(tempfile.mkdtemp(prefix="dcp-audio-"))
        self.runtime = self.root / "run"
        self.home = self.root / "home"
        self.pulse_socket = self.runtime / "pulse.sock"
        self.speechd_socket = self.runtime / "speechd.sock"
        self._procs: list[subprocess.Popen[bytes]] = []

    # -- what a client needs ---------------------------------------------------------------

    def env(self) -> dict[str, str]:
        return {
            "XDG_RUNTIME_DIR": str(self.runtime),
            "HOME": str(self.home),
            "PULSE_SERVER": f"unix:{self.pulse_socket}",
            "SPEECHD_ADDRESS": f"unix_socket:{self.speechd_socket}",
        }

    @contextlib.contextmanager
    def applied(self) -> Iterator[AudioServer]:
        """This process's environment points at the private server for the `with` block."""
        before = {k: os.environ.get(k) for k in self.env()}
        os.environ.update(self.env())
        try:
            yield self
        finally:
            for k, v in before.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v

    def record(self, path: Path) -> Recording:
        return Recording(self, path)

    def play(self, path: Path, timeout: float = 30.0) -> None:
        """Play a WAV into the null sink (paplay), waiting at most `timeout` seconds."""
        try:
            subprocess.run(
                ["paplay", "-d", SINK, str(path)],
                env={**os.environ, **self.env()},
                capture_output=True,
                timeout=timeout,
                check=True,
            )
        except subprocess.TimeoutExpired as exc:
            raise AudioServerError(f"paplay did not finish within {timeout:.0f} s") from exc
        except subprocess.CalledProcessError as exc:
            raise AudioServerError(f"paplay failed: {exc.stderr.decode('utf-8', 'replace').strip()[:500]}") from exc

    # -- starting and stopping --------------------------------------------------------------

    def _spawn(self, cmd: list[str], log_name: str) -> subprocess.Popen[bytes]:
        log = (self.root / log_name).open("wb")
        try:
            proc = subprocess.Popen(
                cmd,
                env={**os.environ, **self.env()},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.root,
                start_new_session=True,
            )
        finally:
            log.close()
        self._procs.append(proc)
        return proc

    def _wait_for(self, what: str, proc: subprocess.Popen[bytes], sock: Path, log_name: str) -> None:
        deadline = time.monotonic() + self.start_timeout
        while not _socket_answers(sock):
            if proc.poll() is not None:
                raise AudioServerError(
                    f"{what} exited at once (status {proc.returncode}): {_log_tail(self.root / log_name)}"
                )
            if time.monotonic() > deadline:
                raise AudioServerError(
                    f"{what} did not open {sock} within {self.start_timeout:.0f} s: {_log_tail(self.root / log_name)}"
                )
            time.sleep(0.05)

    def start(self) -> AudioServer:
        missing = missing_tools()
        if missing:
            raise AudioServerError(f"not installed: {', '.join(missing)} (packaging/apt-packages.txt)")
        for d in (self.runtime, self.home):
            d.mkdir(parents=True, exist_ok=True)
            d.chmod(0o700)  # PulseAudio refuses a runtime directory others can enter
        try:
            pulse = self._spawn(
                [
                    "pulseaudio",
                    "-n",  # no default.pa: only the modules below, so nothing reaches a real sound card
                    "--daemonize=no",
                    "--exit-idle-time=-1",
                    "--disallow-exit",
                    "--use-pid-file=no",
                    "--log-target=stderr",
                    f"--load=module-native-protocol-unix socket={self.pulse_socket}",
                    f"--load=module-null-sink sink_name={SINK}",
                ],
                "pulseaudio.log",
            )
            self._wait_for("pulseaudio", pulse, self.pulse_socket, "pulseaudio.log")
            speechd = self._spawn(
                ["speech-dispatcher", "-s", "-t", "0", "-c", "unix_socket", "-S", str(self.speechd_socket)],
                "speech-dispatcher.log",
            )
            self._wait_for("speech-dispatcher", speechd, self.speechd_socket, "speech-dispatcher.log")
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for proc in reversed(self._procs):  # speech-dispatcher (and its modules) before the audio server
            _stop_group(proc)
        self._procs.clear()
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def pids(self) -> list[int]:
        """The running processes' ids (for tests that check nothing is left behind)."""
        return [p.pid for p in self._procs if p.poll() is None]

    def __enter__(self) -> AudioServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def wav_level(path: Path) -> tuple[int, float]:
    """The peak and RMS of a 16-bit PCM WAV's samples (all channels)."""
    path = Path(path)
    if path.stat().st_size > MAX_WAV_BYTES:
        raise AudioServerError(f"{path} is larger than {MAX_WAV_BYTES} bytes")
    with wave.open(str(path), "rb") as w:
        if w.getsampwidth() != 2:
            raise AudioServerError(f"{path} has {8 * w.getsampwidth()}-bit samples, not 16-bit")
        data = w.readframes(w.getnframes())
    samples = array.array("h")
    samples.frombytes(data[: len(data) - len(data) % 2])
    if sys.byteorder == "big":  # WAV is little-endian
        samples.byteswap()
    if not samples:
        return 0, 0.0
    peak = max(abs(min(samples)), abs(max(samples)))
    rms = math.sqrt(sum(s * s for s in samples) / len(samples))
    return peak, rms


def write_wav(path: Path, seconds: float, frequency: float = 0.0, amplitude: int = 8000) -> Path:
    """A mono 16-bit 22.05 kHz WAV: silence (frequency 0) or a sine tone, for checking the checks."""
    rate = 22_050
    n = int(rate * seconds)
    samples = array.array("h", (0 for _ in range(n)))
    if frequency:
        for i in range(n):
            samples[i] = int(amplitude * math.sin(2 * math.pi * frequency * i / rate))
    if sys.byteorder == "big":
        samples.byteswap()
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.tobytes())
    return Path(path)


def is_silent(path: Path, peak: int = SILENT_PEAK, rms: float = SILENT_RMS) -> bool:
    """True when a WAV holds nothing audible: no sample reaches `peak` or the RMS stays under `rms`."""
    p, r = wav_level(path)
    return p < peak or r < rms
