"""app.logs: JSON lines, one logger per concern, rotation, exceptions without their messages."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.config import load_config
from app.logs import CONCERNS, setup_logging, shutdown_logging


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = setup_logging(load_config(data_dir=tmp_path, environ={"DCP_KIOSK_LOG_MAX_BYTES": "2000"}))
    yield path
    shutdown_logging()


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_each_concern_writes_one_json_object_per_line(log_file: Path) -> None:
    for name in CONCERNS:
        logging.getLogger(name).info("hello from %s", name)
    entries = lines(log_file)
    assert [e["logger"] for e in entries] == list(CONCERNS)
    assert entries[0]["msg"] == "hello from init" and entries[0]["level"] == "INFO"
    assert entries[0]["ts"].endswith("+00:00")
    assert log_file == log_file.parent.parent / "logs" / "dcp-kiosk.log"


def test_other_libraries_do_not_write_to_the_kiosk_log(log_file: Path) -> None:
    logging.getLogger("httpx").warning("HTTP Request: GET https://portal/api/v1/submissions/REF-123")
    logging.getLogger("init").info("only me")
    assert [e["msg"] for e in lines(log_file)] == ["only me"]


def test_an_exception_is_logged_by_type_and_place_not_message(log_file: Path) -> None:
    try:
        raise ValueError("postcode 'SW1A 1AA' is not valid for Mrs Example")
    except ValueError:
        logging.getLogger("kiosk").exception("submission not saved")
    (entry,) = lines(log_file)
    assert entry["exc_type"] == "ValueError" and entry["msg"] == "submission not saved"
    assert "SW1A" not in log_file.read_text(encoding="utf-8")
    assert entry["at"][-1].startswith("test_logs.py:")


def test_the_log_rotates_and_keeps_the_configured_backups(tmp_path: Path) -> None:
    path = setup_logging(
        load_config(data_dir=tmp_path, environ={"DCP_KIOSK_LOG_MAX_BYTES": "500", "DCP_KIOSK_LOG_BACKUPS": "2"})
    )
    try:
        for i in range(100):
            logging.getLogger("sync").info("pass %d delivered 0", i)
    finally:
        shutdown_logging()
    names = sorted(p.name for p in path.parent.iterdir())
    assert names == ["dcp-kiosk.log", "dcp-kiosk.log.1", "dcp-kiosk.log.2"]
    assert all(p.stat().st_size <= 500 for p in path.parent.iterdir())


def test_the_level_comes_from_the_configuration(tmp_path: Path) -> None:
    path = setup_logging(load_config(data_dir=tmp_path, environ={"DCP_KIOSK_LOG_LEVEL": "warning"}))
    try:
        logging.getLogger("store").info("quiet")
        logging.getLogger("store").warning("loud")
    finally:
        shutdown_logging()
    assert [e["msg"] for e in lines(path)] == ["loud"]


def test_setting_up_again_moves_the_log(tmp_path: Path) -> None:
    first = setup_logging(load_config(data_dir=tmp_path / "a", environ={}))
    second = setup_logging(load_config(data_dir=tmp_path / "b", environ={}))
    try:
        logging.getLogger("ui").info("where")
    finally:
        shutdown_logging()
    assert not first.exists() and [e["msg"] for e in lines(second)] == ["where"]
    assert all(len(logging.getLogger(n).handlers) == 0 for n in CONCERNS)
