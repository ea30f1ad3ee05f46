"""The `dcp-kiosk` command: the composition root of the kiosk.

One module per command group (run, sync, journeys, enrol, staff, portal), the parser in
`parser`, what they share in `common`. Only `app.cli.run` imports ui (lazily). `main` is the
entry point of the installed script, the frozen build and `python -m app`.
"""

from __future__ import annotations

import logging
import sys

from app.cli.common import EXIT_FAIL, EXIT_OK, EXIT_USAGE, has_display, version_text
from app.cli.enrol import read_token
from app.cli.parser import build_parser
from app.cli.run import start_portal
from app.cli.staff import read_pin
from app.cli.sync import sync_once
from app.config import ConfigError
from local_store import StoreError

__all__ = [
    "EXIT_FAIL",
    "EXIT_OK",
    "EXIT_USAGE",
    "build_parser",
    "has_display",
    "main",
    "read_pin",
    "read_token",
    "start_portal",
    "sync_once",
    "version_text",
]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result: int = args.func(args)
    except ConfigError as exc:
        print(f"dcp-kiosk: configuration: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except StoreError as exc:
        print(f"dcp-kiosk: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        return EXIT_OK
    except Exception as exc:
        if not _is_keyring_error(exc):
            # A bug, not the person's or the machine's fault: one line here, the traceback in the
            # kiosk's log when the command got as far as setting it up (not on standard error).
            log = logging.getLogger("init")  # one of app.logs' concerns: its file handler, JSON lines
            where = "the kiosk's log" if log.handlers else "none (it stopped before the log was open)"
            if log.handlers:
                log.exception("dcp-kiosk %s stopped by a bug", getattr(args, "command", ""))
            print(
                f"dcp-kiosk: an unexpected error stopped this command ({type(exc).__name__}); "
                f"details: {where}. Please report it to IT",
                file=sys.stderr,
            )
            return EXIT_FAIL
        print(
            f"dcp-kiosk: the operating system's keyring cannot be used ({type(exc).__name__}). "
            "Run inside a desktop session, or see packaging/session-keyring.sh",
            file=sys.stderr,
        )
        return EXIT_FAIL
    return result


def _is_keyring_error(exc: BaseException) -> bool:
    """A keyring failure, told apart without importing keyring at start-up (it is slow to import)."""
    errors = sys.modules.get("keyring.errors")
    return errors is not None and isinstance(exc, errors.KeyringError)
