"""packaging/session-keyring.sh gives a bare machine a real Secret Service keyring (make demo)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / "packaging" / "session-keyring.sh"
PROBE = (
    "import keyring, sys; k = keyring.get_keyring(); "
    "keyring.set_password('dcp-kiosk-test', 'probe', sys.argv[1]); "
    "print(type(k).__module__, keyring.get_password('dcp-kiosk-test', 'probe'))"
)


@pytest.mark.skipif(shutil.which("gnome-keyring-daemon") is None, reason="make system-deps installs gnome-keyring")
def test_a_private_session_keyring_keeps_secrets_across_runs(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "PYTHON_KEYRING", "GNOME_KEYRING"))}
    env |= {"DCP_KIOSK_KEYRING_DIR": str(tmp_path / "keyring"), "PYTHON": sys.executable}
    first = subprocess.run(
        [str(SCRIPT), sys.executable, "-c", PROBE, "s3cret"], capture_output=True, text=True, env=env, timeout=60
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout.split() == ["keyring.backends.SecretService", "s3cret"]
    # the secret is in the keyring's own encrypted file, not in plain text
    files = list((tmp_path / "keyring").rglob("*.keyring"))
    assert files and all(b"s3cret" not in f.read_bytes() for f in files)
    read_back = "import keyring; print(keyring.get_password('dcp-kiosk-test', 'probe'))"
    second = subprocess.run(
        [str(SCRIPT), sys.executable, "-c", read_back], capture_output=True, text=True, env=env, timeout=60
    )
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == "s3cret"
