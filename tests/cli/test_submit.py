"""`dcp-kiosk submit`: a scripted submission through the same path as the screens, hardened."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backends.fail import Keyring as NoKeyring

from app.cli import main
from local_store.store import Store
from tests.conftest import ROOT
from tests.helpers import MISSED_BIN_RAW
from tests.unit.local_store.test_store_disk import tmpfs

JOURNEY = json.loads((ROOT / "journeys" / "training" / "missed-bin.json").read_text(encoding="utf-8"))


def seed_catalogue(data: Path) -> None:
    """What a sync would have cached: the catalogue and the journey definition."""
    store = Store(data / "kiosk.sqlite3", training=True)
    entry = {k: JOURNEY[k] for k in ("id", "version", "title", "summary", "category")}
    store.cache.put_catalogue({"schema_version": 1, "journeys": [entry]}, etag='"1"')
    store.cache.put_journey(JOURNEY["id"], JOURNEY["version"], JOURNEY)
    store.close()


def submit(data: Path, answers: Path, *extra: str) -> int:
    argv = ["submit", "--training", "--data-dir", str(data), "--journey", "missed-bin", "--answers", str(answers)]
    return main([*argv, *extra])


@pytest.fixture
def data(tmp_path: Path) -> Path:
    seed_catalogue(tmp_path / "kiosk")
    return tmp_path / "kiosk"


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(MISSED_BIN_RAW), encoding="utf-8")
    return path


def test_submit_prints_the_reference_and_saves_it_encrypted(
    data: Path, answers: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert submit(data, answers) == 0
    reference = capsys.readouterr().out.strip()
    assert reference.startswith("TRN-")
    store = Store(data / "kiosk.sqlite3", training=True)
    [item] = store.outbox.items("pending")
    assert item.reference == reference and item.journey_id == "missed-bin"
    assert store.outbox.answers(item.submission_id)["full-name"] == "Ada Lovelace"  # type: ignore[index]
    store.close()


def test_submit_json(data: Path, answers: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert submit(data, answers, "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is True and out["reference"].startswith("TRN-") and len(out["submission_id"]) == 36


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read the answers file"),
        ("{not json", "is not valid JSON"),
        ("[1, 2]", "must hold one JSON object"),
    ],
)
def test_a_bad_answers_file_is_a_clear_message_and_saves_nothing(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, message: str
) -> None:
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert submit(data, path, "--json") == 1
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err
    assert json.loads(captured.out)["ok"] is False
    store = Store(data / "kiosk.sqlite3", training=True)
    assert store.outbox.counts().waiting == 0
    store.close()


def test_field_errors_are_listed(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "typo.json"
    path.write_text(json.dumps(MISSED_BIN_RAW | {"postcode": "nowhere"}), encoding="utf-8")
    assert submit(data, path, "--json") == 1
    out = json.loads(capsys.readouterr().out)
    assert [e["question_id"] for e in out["field_errors"]] == ["postcode"]


def test_an_unknown_journey_says_how_to_fetch_it(
    tmp_path: Path, answers: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert submit(tmp_path / "empty", answers) == 1
    assert "sync --once" in capsys.readouterr().err


def test_no_keyring_gives_the_staff_message_and_an_alert(
    data: Path, answers: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keyring.set_keyring(NoKeyring())
    assert submit(data, answers) == 1
    err = capsys.readouterr().err
    assert "We could not save this. Please ask a member of staff." in err and "no usable keyring" in err
    assert main(["status", "--training", "--data-dir", str(data)]) == 0
    assert "ALERT (vault_unusable, 1x)" in capsys.readouterr().out


def test_a_read_only_data_directory(tmp_path: Path, answers: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with tmpfs(tmp_path / "ro", size_kb=1024) as mnt:
        seed_catalogue(mnt)
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        assert submit(mnt, answers, "--json") == 1
        captured = capsys.readouterr()
        assert "nothing was saved" in captured.err and "not writable" in captured.err
        assert json.loads(captured.out)["ok"] is False


def test_as_a_process_a_full_disk_is_one_line_not_a_traceback(tmp_path: Path, answers: Path) -> None:
    with tmpfs(tmp_path / "tiny", size_kb=512) as mnt:
        seed_catalogue(mnt)
        filler = mnt / "filler"
        with open(filler, "wb", buffering=0) as f:  # take what is left, so the submission cannot fit
            try:
                while True:
                    f.write(os.urandom(4096))
            except OSError:
                pass
        env = os.environ | {"LANG": "C.UTF-8"}
        argv = ["submit", "--training", "--data-dir", str(mnt), "--journey", "missed-bin", "--answers", str(answers)]
        done = subprocess.run(
            [sys.executable, "-m", "app", *argv],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    print(done.stderr)
    assert "We could not save this. Please ask a member of staff." in done.stderr or "nothing was saved" in done.stderr
