"""`dcp-kiosk staff` and `dcp-kiosk outbox`, in-process through main() on a real data directory."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.config import load_config
from local_store.store import Store
from tests.conftest import ROOT

PIN = "482915"


def data(tmp_path: Path) -> list[str]:
    return ["--data-dir", str(tmp_path / "kiosk"), "--training"]


def open_store(tmp_path: Path) -> Store:
    return Store(load_config(data_dir=tmp_path / "kiosk", training=True).db_path, training=True)


def add(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, staff_id: str, pin: str, *extra: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(pin + "\n"))
    return main(["staff", "add", staff_id, *extra, *data(tmp_path)])


def test_staff_add_reads_the_pin_from_stdin_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert add(tmp_path, monkeypatch, "amy", PIN, "--name", "Amy Khan") == 0
    out = capsys.readouterr()
    assert "amy can sign in" in out.out and PIN not in out.out + out.err
    with pytest.raises(SystemExit):  # there is no option to give the PIN as an argument
        main(["staff", "add", "bob", "--pin", PIN, *data(tmp_path)])
    capsys.readouterr()
    store = open_store(tmp_path)
    from app.staff_auth import StaffAuth

    assert StaffAuth(store).sign_in("amy", PIN).ok
    assert [e["action"] for e in store.audit.entries()][:1] == ["staff_added"]
    store.close()
    assert main(["staff", "list", *data(tmp_path)]) == 0
    assert capsys.readouterr().out.strip() == "amy\tAmy Khan"


def test_staff_add_refuses_weak_pins_and_existing_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert add(tmp_path, monkeypatch, "amy", "123456") == 1
    assert "PIN refused" in capsys.readouterr().err
    assert add(tmp_path, monkeypatch, "amy", PIN) == 0
    assert add(tmp_path, monkeypatch, "amy", "730192") == 1
    assert "--replace" in capsys.readouterr().err
    assert add(tmp_path, monkeypatch, "amy", "730192", "--replace") == 0


def test_staff_remove(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    add(tmp_path, monkeypatch, "amy", PIN)
    assert main(["staff", "remove", "amy", *data(tmp_path)]) == 0
    assert main(["staff", "remove", "amy", *data(tmp_path)]) == 1
    assert "no staff id amy" in capsys.readouterr().err


def test_staff_add_as_a_process_with_the_pin_piped_in(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "app", "staff", "add", "amy", *data(tmp_path)],
        input=PIN + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "PYTHON_KEYRING_BACKEND": "tests.memory_keyring.MemoryKeyring",
        },
    )
    assert done.returncode == 0, done.stderr
    assert PIN not in done.stdout + done.stderr


@pytest.fixture
def queue(tmp_path: Path) -> dict[str, str]:
    """One submission in each state an IT person may see; returns state -> reference."""
    store = open_store(tmp_path)
    refs = {}
    for state in ("pending", "needs_attention", "delivered"):
        saved = store.outbox.submit("missed-bin", 1, {"bin-type": "general", "full-name": "Ada Lovelace"})
        refs[state] = saved.reference
        if state == "needs_attention":
            store.outbox.mark_needs_attention(
                saved.submission_id, "invalid_answers", "Bin type: not one of the options"
            )
        elif state == "delivered":
            store.outbox.mark_delivered(saved.submission_id, saved.reference)
    store.close()
    return refs


def test_outbox_list_text_json_and_state_filter(
    tmp_path: Path, queue: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["outbox", "list", *data(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert all(ref in text for ref in queue.values()) and "invalid_answers: Bin type" in text
    assert "Ada" not in text
    assert main(["outbox", "list", "--state", "needs_attention", "--json", *data(tmp_path)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["reference"] for r in rows] == [queue["needs_attention"]]
    assert rows[0]["state"] == "needs_attention" and rows[0]["age_s"] >= 0
    assert main(["outbox", "list", "--state", "lost", *data(tmp_path)]) == 2
    assert "--state must be one of" in capsys.readouterr().err


def test_outbox_retry_and_discard_with_the_audit_entry(
    tmp_path: Path, queue: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["outbox", "retry", queue["pending"], *data(tmp_path)]) == 1
    assert "cannot be retried" in capsys.readouterr().err
    assert main(["outbox", "retry", queue["needs_attention"].lower(), "--staff", "it-jo", *data(tmp_path)]) == 0
    assert "will be sent again" in capsys.readouterr().out
    assert main(["outbox", "discard", queue["delivered"], "--reason", "x", "--staff", "amy", *data(tmp_path)]) == 1
    assert "cannot be discarded" in capsys.readouterr().err
    assert main(["outbox", "discard", queue["pending"], "--reason", " ", "--staff", "amy", *data(tmp_path)]) == 2
    assert "a reason is needed" in capsys.readouterr().err
    assert (
        main(["outbox", "discard", queue["pending"], "--reason", "test entry", "--staff", "amy", *data(tmp_path)]) == 0
    )
    assert main(["outbox", "retry", "DCP-NONE-NONE", *data(tmp_path)]) == 1
    store = open_store(tmp_path)
    entries = {e["action"]: e for e in store.audit.entries()}
    assert (entries["discard"]["staff_id"], entries["discard"]["detail"]) == ("amy", "test entry")
    assert entries["staff_retry"]["staff_id"] == "it-jo"
    pending = next(i for i in store.outbox.items() if i.reference == queue["pending"])
    assert pending.state == "discarded" and store.outbox.answers(pending.submission_id) is None
    store.close()
