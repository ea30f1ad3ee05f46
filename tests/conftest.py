"""Shared fixtures: every app directory in tmp, an in-memory keyring, the reference portal."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import keyring
import pytest

from tests.memory_keyring import MemoryKeyring

pytest_plugins = ["tests.plugins.qt_guards", "tests.plugins.seeds"]

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "tests.memory_keyring.MemoryKeyring"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test touches the real home, config or data directories."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (
        ("HOME", ""),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
    ):
        (home / sub).mkdir(exist_ok=True)
        monkeypatch.setenv(var, str(home / sub))
    for var in [v for v in os.environ if v.startswith("DCP_KIOSK_")]:
        monkeypatch.delenv(var)
    # Audio mode in tests: Qt's silent mock engine, and a private earpiece unless a test says otherwise
    # (the real engine and the headphone detection have their own tests).
    monkeypatch.setenv("DCP_KIOSK_SPEECH_ENGINE", "mock")
    monkeypatch.setenv("DCP_KIOSK_SPEECH_OUTPUT", "headphones")
    return home


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@dataclass
class Portal:
    """A reference portal process on a free loopback port."""

    db: Path
    proc: subprocess.Popen[str] | None = None
    url: str = ""
    port: int = 0
    case_numbers: bool = False  # the portal numbers its own cases (CASE-000001, ...)
    gazetteer: Path | None = None  # an address pack to serve

    def start(self) -> None:
        cmd = [
            sys.executable,
            "-m",
            "app",
            "portal",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--db",
            str(self.db),
            *(["--case-numbers"] if self.case_numbers else []),
            *(["--gazetteer", str(self.gazetteer)] if self.gazetteer else []),
        ]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        assert line.startswith("listening on http://127.0.0.1:"), line
        self.url = line.removeprefix("listening on ")
        self.port = int(self.url.rsplit(":", 1)[1])

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            if self.proc.stdout:
                self.proc.stdout.close()
            self.proc = None

    def token(self, kiosk_id: str = "kiosk-1") -> str:
        from reference_portal import db

        return db.create_token(self.db, kiosk_id)

    def export(self) -> list[dict[str, object]]:
        from reference_portal import db

        return db.export_submissions(self.db)

    def get(self, path: str, token: str) -> httpx.Response:
        return httpx.get(self.url + path, headers={"Authorization": f"Bearer {token}"})

    # -- fault injection and the portal's request log (the /admin endpoints) ------------------

    def _admin(self, method: str, path: str, **kwargs: object) -> dict[str, object]:
        from reference_portal import db

        secret = db.read_admin_file(self.db)["admin_secret"]
        response = httpx.request(method, self.url + path, headers={"X-Admin-Secret": secret}, timeout=10, **kwargs)  # type: ignore[arg-type]
        response.raise_for_status()
        result: dict[str, object] = response.json()
        return result

    def set_faults(self, **plan: object) -> dict[str, object]:
        """Switch a fault on while the portal runs, e.g. set_faults(kind="http_503", retry_after=1, count=2)."""
        return self._admin("PUT", "/admin/faults", json=plan)

    def clear_faults(self) -> None:
        self._admin("DELETE", "/admin/faults")

    def requests(self, since: int = 0) -> list[dict[str, object]]:
        """The API requests the portal has seen: at, method, path, key (Idempotency-Key), status."""
        log = self._admin("GET", f"/admin/requests?since={since}")["requests"]
        assert isinstance(log, list)
        return log

    def set_clock(self, offset_s: float) -> None:
        """Move the portal's clock for payments and appointments forward (a payment expires, a hold lapses)."""
        self._admin("PUT", "/admin/clock", json={"offset_s": offset_s})

    def payments(self) -> list[dict[str, object]]:
        found = self._admin("GET", "/admin/payments")["payments"]
        assert isinstance(found, list)
        return found

    def heartbeats(self, kiosk_id: str | None = None) -> list[dict[str, object]]:
        from reference_portal import db

        return db.heartbeats(self.db, kiosk_id)

    def revoke(self, kiosk_id: str = "kiosk-1") -> int:
        from reference_portal import db

        return db.revoke_tokens(self.db, kiosk_id)


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[Portal]:
    p = Portal(db=tmp_path / "portal.sqlite3")
    p.start()
    yield p
    p.stop()


@pytest.fixture
def case_portal(tmp_path: Path) -> Iterator[Portal]:
    """A reference portal that numbers its own cases (CASE-000001, ...), as a council's case system does."""
    p = Portal(db=tmp_path / "portal.sqlite3", case_numbers=True)
    p.start()
    yield p
    p.stop()


@pytest.fixture
def audio_server() -> Iterator[object]:
    """A private PulseAudio (null sink) and speech-dispatcher (tools/audio_server.py), stopped afterwards.

    Skipped only where their packages are not installed, and never on CI (CI set): CI installs them
    (packaging/apt-packages.txt), so there a missing package is a failure, not a skip."""
    from tools.audio_server import AudioServer, missing_tools

    missing = missing_tools()
    if missing:
        message = f"the real speech engine needs {', '.join(missing)} (packaging/system-deps.sh installs them)"
        if os.environ.get("CI"):
            pytest.fail(f"on CI: {message}")
        pytest.skip(message)
    server = AudioServer()  # under a short /tmp/dcp-audio-* (a socket's path is limited to 107 bytes)
    server.start()
    try:
        yield server
    finally:
        server.stop()
