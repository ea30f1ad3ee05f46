"""The program's own options (--data-dir, --config, --training) work before the command as after it."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from app.cli import main
from app.cli.parser import build_parser


def _status(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_data_dir_before_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _status(capsys, ["--data-dir", str(tmp_path / "before"), "status", "--json"])
    assert (tmp_path / "before" / "kiosk.sqlite3").exists()


def test_the_value_after_the_command_wins(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _status(capsys, ["--data-dir", str(tmp_path / "a"), "status", "--json", "--data-dir", str(tmp_path / "b")])
    assert (tmp_path / "b" / "kiosk.sqlite3").exists()
    assert not (tmp_path / "a").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["--training", "staff", "add", "sam"],
        ["staff", "--training", "add", "sam"],
        ["staff", "add", "sam", "--training"],
        ["--training", "outbox", "list"],
        ["--data-dir", "D", "--config", "C", "journeys", "list"],
    ],
)
def test_program_options_anywhere(argv: list[str]) -> None:
    args = build_parser().parse_args(argv)
    if "--training" in argv:
        assert args.training is True
    else:
        assert (args.data_dir, args.config, args.training) == ("D", "C", None)


def test_a_command_without_the_options_still_has_their_defaults() -> None:
    args = build_parser().parse_args(["outbox", "list"])
    assert (args.data_dir, args.config, args.training) == (None, None, None)


def test_staff_added_with_training_before_the_command_is_listed_in_training(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("482613\n"))
    assert main(["--training", "--data-dir", str(tmp_path), "staff", "add", "sam", "--name", "Sam"]) == 0
    capsys.readouterr()
    assert main(["staff", "list", "--data-dir", str(tmp_path), "--training"]) == 0
    assert capsys.readouterr().out.strip() == "sam\tSam"
