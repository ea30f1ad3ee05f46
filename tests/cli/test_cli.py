"""Each `dcp-kiosk` subcommand, run for real: in-process through main(), or as a process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from tests.conftest import ROOT
from tests.helpers import MISSED_BIN_RAW, enrolled_kiosk


def run_json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_portal_serve_port_zero_prints_its_address_first(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "portal", "serve", "--port", "0", "--db", str(tmp_path / "p.sqlite3")],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline().strip()
        assert first.startswith("listening on http://127.0.0.1:")
        assert int(first.rsplit(":", 1)[1]) > 0
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        assert proc.stdout is not None
        proc.stdout.close()


def test_status_of_a_new_kiosk(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = run_json(capsys, ["status", "--json", "--data-dir", str(tmp_path)])
    assert status["enrolled"] is False
    assert status["waiting"] == 0
    assert status["by_state"]["pending"] == 0


def test_data_dir_from_the_environment(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DCP_KIOSK_DATA_DIR", str(tmp_path / "from-env"))
    run_json(capsys, ["status", "--json"])
    assert (tmp_path / "from-env" / "kiosk.sqlite3").exists()


def test_submit_offline_then_sync_once_delivers(tmp_path: Path, portal, capsys) -> None:
    data = tmp_path / "kiosk"
    kiosk = enrolled_kiosk(data, portal)
    with kiosk.sync_engine() as engine:
        engine.refresh_catalogue()
    kiosk.close()
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(MISSED_BIN_RAW))
    portal.stop()

    submitted = run_json(
        capsys,
        [
            "submit",
            "--training",
            "--data-dir",
            str(data),
            "--journey",
            "missed-bin",
            "--answers",
            str(answers),
            "--json",
        ],
    )
    assert submitted["reference"].startswith("TRN-")
    offline = run_json(capsys, ["sync", "--once", "--json", "--training", "--data-dir", str(data)])
    assert offline["online"] is False and offline["delivered"] == 0
    status = run_json(capsys, ["status", "--json", "--training", "--data-dir", str(data)])
    assert status["waiting"] == 1 and status["oldest_pending_age_s"] >= 0

    portal.start()
    online = run_json(capsys, ["sync", "--once", "--json", "--training", "--data-dir", str(data)])
    assert online["online"] is True and online["delivered"] == 1
    again = run_json(capsys, ["sync", "--once", "--json", "--training", "--data-dir", str(data)])
    assert again["delivered"] == 0
    assert [c["reference"] for c in portal.export()] == [submitted["reference"]]
    status = run_json(capsys, ["status", "--json", "--training", "--data-dir", str(data)])
    assert status["by_state"]["delivered"] == 1 and status["last_sync_at"] is not None


def test_submit_with_a_typo_names_the_field_and_saves_nothing(tmp_path: Path, portal, capsys) -> None:
    data = tmp_path / "kiosk"
    kiosk = enrolled_kiosk(data, portal)
    with kiosk.sync_engine() as engine:
        engine.refresh_catalogue()
    kiosk.close()
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(MISSED_BIN_RAW | {"postcode": "not a postcode"}))
    code = main(["submit", "--training", "--data-dir", str(data), "--journey", "missed-bin", "--answers", str(answers)])
    assert code == 1
    assert "postcode: Enter a full UK postcode" in capsys.readouterr().err
    assert run_json(capsys, ["status", "--json", "--training", "--data-dir", str(data)])["waiting"] == 0


def test_sync_when_not_enrolled_says_so(tmp_path: Path, capsys) -> None:
    assert main(["sync", "--once", "--data-dir", str(tmp_path)]) == 1
    assert "not enrolled" in capsys.readouterr().err


def test_training_data_is_never_opened_as_live(tmp_path: Path, capsys) -> None:
    run_json(capsys, ["status", "--json", "--training", "--data-dir", str(tmp_path)])
    assert main(["status", "--data-dir", str(tmp_path)]) == 1
    assert "holds training data and cannot be opened in live mode" in capsys.readouterr().err


def test_bad_configuration_names_the_key(tmp_path: Path, capsys) -> None:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text("idle_timeout_s = 'soon'\n")
    assert main(["status", "--config", str(cfg), "--data-dir", str(tmp_path)]) == 2
    assert "idle_timeout_s must be a whole number" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["demo", "run"])
def test_without_a_display_it_explains_how_to_use_xvfb(tmp_path: Path, command: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run(
        [sys.executable, "-m", "app", command, "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 2
    assert "there is no display" in result.stderr and "packaging/virtual-screen.sh" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_starts_portal_and_kiosk_and_stops_both(tmp_path: Path) -> None:
    """`demo` offscreen: prints the portal URL and data directory, shows the kiosk, exits cleanly."""
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        PYTHON_KEYRING_BACKEND="tests.memory_keyring.MemoryKeyring",
        PYTHONPATH=str(ROOT),
    )
    result = subprocess.run(
        [sys.executable, "-m", "app", "demo", "--data-dir", str(tmp_path), "--exit-after", "1.5"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=90,
    )
    assert result.returncode == 0, result.stderr
    assert "reference portal: http://127.0.0.1:" in result.stdout
    assert f"data directory:   {tmp_path}" in result.stdout
    assert "Traceback" not in result.stderr
    from local_store.gazetteer.shelf import PackShelf

    installed = PackShelf(tmp_path / "packs").current()  # the demo's portal served the training borough's pack
    assert installed is not None and installed.path.stat().st_size > 0
    # the portal process it started has stopped with it
    url = result.stdout.split("reference portal: ")[1].split()[0]
    import httpx

    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "/api/v1/health", timeout=2)
