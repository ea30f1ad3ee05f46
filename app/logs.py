"""The kiosk's log: JSON lines, rotated, in the data directory; one named logger per concern.

Concerns (logger names): init (start-up, configuration, enrolment, doctor), store (the local
database), sync (delivery to the portal), ui (the screens), kiosk (the use cases). Only these
loggers are written to the file; other libraries' loggers (httpx logs whole URLs) are not.
Records still propagate, so warnings also reach standard error (the journal, under systemd).

No personal data: the code logs ids, error classes and counts, never answers. As a second line
of defence an exception is logged by its type and where it was raised, not by its message, which
may quote what a citizen typed.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import logging.handlers
import traceback
from pathlib import Path
from typing import Any

from app.config import KioskConfig

CONCERNS = ("init", "store", "sync", "ui", "kiosk")
LOG_NAME = "dcp-kiosk.log"

_handler: logging.Handler | None = None


class JsonLinesFormatter(logging.Formatter):
    """One JSON object per line: ts (UTC), level, logger, msg; exc_type and at for exceptions."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            exc_type, _, tb = record.exc_info
            entry["exc_type"] = exc_type.__name__
            entry["at"] = [f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in traceback.extract_tb(tb)][-5:]
        return json.dumps(entry, ensure_ascii=False)


def log_dir(config: KioskConfig) -> Path:
    return config.data_dir / "logs"


def setup_logging(config: KioskConfig) -> Path:
    """Send the concern loggers to <data_dir>/logs/dcp-kiosk.log. Safe to call again (it replaces)."""
    global _handler
    folder = log_dir(config)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    handler = logging.handlers.RotatingFileHandler(
        path,
        maxBytes=config.log_max_bytes,
        backupCount=config.log_backups,
        encoding="utf-8",
        delay=True,
    )
    handler.setFormatter(JsonLinesFormatter())
    level = getattr(logging, config.log_level)
    shutdown_logging()
    for name in CONCERNS:
        logger = logging.getLogger(name)
        logger.setLevel(level)
        logger.addHandler(handler)
    _handler = handler
    return path


def shutdown_logging() -> None:
    """Detach and close the file handler (tests, and before the data directory goes away)."""
    global _handler
    if _handler is None:
        return
    for name in CONCERNS:
        logger = logging.getLogger(name)
        logger.removeHandler(_handler)
    _handler.close()
    _handler = None
