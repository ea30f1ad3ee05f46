"""Is speech-dispatcher there and answering? Asked over its socket, with a bounded wait, before
Qt's speechd engine connects: libspeechd's connect waits for ever on a speech-dispatcher that
accepts the connection but never answers (seen on a machine where its audio server had gone),
and that wait is inside QTextToSpeech's constructor, where nothing can bound it.

Plain stdlib: no Qt here.
"""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

__all__ = ["probe_speechd", "speechd_socket"]

PROBE_TIMEOUT_S = 2.0  # a working speech-dispatcher answers in milliseconds
REMEMBER_S = 30.0  # a socket found stuck is not asked again for this long (each ask can cost the timeout)
_stuck: dict[Path, tuple[float, str]] = {}


def speechd_socket() -> Path | None:
    """The socket libspeechd connects to (SPEECHD_ADDRESS, or its default place); None for a TCP address."""
    address = os.environ.get("SPEECHD_ADDRESS", "").strip()
    if address:
        kind, _, where = address.partition(":")
        if kind != "unix_socket":
            return None
        if where and where != "default":
            return Path(where)
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime:
        return Path(runtime) / "speech-dispatcher" / "speechd.sock"
    return Path.home() / ".cache" / "speech-dispatcher" / "speechd.sock"


def probe_speechd(timeout: float = PROBE_TIMEOUT_S) -> str | None:
    """None when speech-dispatcher answers (or is not running yet, so the engine will start it);
    otherwise why the engine should not try to connect, in plain words. A socket found stuck is
    remembered for REMEMBER_S, so a caller that retries (the kiosk, screen after screen) waits once."""
    path = speechd_socket()
    if path is None or not path.exists():
        return None
    now = time.monotonic()
    if path in _stuck and now - _stuck[path][0] < REMEMBER_S:
        return _stuck[path][1]
    problem = _ask(path, timeout)
    if problem:
        _stuck[path] = (now, problem)
    else:
        _stuck.pop(path, None)
    return problem


def _ask(path: Path, timeout: float) -> str | None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        try:
            s.connect(str(path))
        except OSError:
            return None  # a socket left by a stopped speech-dispatcher: libspeechd fails at once, or starts one
        try:
            s.sendall(b"SET SELF CLIENT_NAME dcp:kiosk:probe\r\n")
            reply = s.recv(256)
            s.sendall(b"QUIT\r\n")
        except TimeoutError:
            return (
                f"speech-dispatcher at {path} does not answer within {timeout:g} s; "
                "stop that speech-dispatcher process and the kiosk starts a new one"
            )
        except OSError as exc:
            return f"speech-dispatcher at {path} cannot be used ({type(exc).__name__})"
    if not reply.startswith(b"2"):
        return f"speech-dispatcher at {path} refused the kiosk ({reply[:60].decode('ascii', 'replace').strip()})"
    return None
