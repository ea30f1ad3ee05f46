"""A bug in a command is one plain line on standard error and exit 1, never a traceback on the
kiosk's console; the traceback goes to the kiosk's log (IT reads it there)."""

from __future__ import annotations

from pathlib import Path

import pytest

import app.cli.parser
import app.cli.sync
from app.cli import main


def test_a_bug_in_a_command_is_one_line_and_its_traceback_is_in_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = app.cli.sync.cmd_status

    def broken(args):  # type: ignore[no-untyped-def]
        real(args)  # opens the configuration and the log, as every command does
        return {}["not there"]  # a bug: KeyError

    monkeypatch.setattr(app.cli.parser, "cmd_status", broken)
    data = tmp_path / "kiosk"
    assert main(["status", "--training", "--data-dir", str(data)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "dcp-kiosk: an unexpected error stopped this command (KeyError)" in err
    logs = "".join(p.read_text() for p in (data / "logs").glob("*"))
    assert '"exc_type": "KeyError"' in logs and "test_unexpected_error.py" in logs  # where it broke
