"""What every command shares: the configuration and kiosk it runs on, exit codes, JSON output."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.config import KioskConfig, load_config

if TYPE_CHECKING:  # the kiosk (store, journeys, staff) is imported when a command opens it, not at start-up
    from app.kiosk import Kiosk

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def print_json(obj: Any) -> None:
    print(json.dumps(obj, indent=2, sort_keys=True, default=str))


def fail(message: str, code: int = EXIT_FAIL) -> int:
    """Say what went wrong on standard error, as `dcp-kiosk: ...`, and return the exit code."""
    print(f"dcp-kiosk: {message}", file=sys.stderr)
    return code


def config_of(args: argparse.Namespace, training: bool | None = None) -> KioskConfig:
    """The configuration the command line, environment and file give, with logging set up."""
    config = load_config(data_dir=args.data_dir, config_file=args.config, training=training or args.training or None)
    try:
        from app.logs import setup_logging

        setup_logging(config)
    except OSError:
        pass  # an unwritable data directory is reported, plainly, when the database opens
    return config


def kiosk_of(config: KioskConfig) -> Kiosk:
    from app.kiosk import Kiosk

    return Kiosk(config)


def has_display() -> bool:
    if sys.platform != "linux":
        return True
    if os.environ.get("QT_QPA_PLATFORM", "").split(":")[0] in ("offscreen", "minimal", "vnc"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


NO_DISPLAY = """\
dcp-kiosk: there is no display to show the kiosk on (DISPLAY and WAYLAND_DISPLAY are not set).
Run it inside a desktop session, or on a virtual screen:
    packaging/virtual-screen.sh {command}
"""


def age_text(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    if seconds < 172800:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} days"


def version_text() -> str:
    from sync.heartbeat import app_version

    stamp = ""
    if getattr(sys, "frozen", False):
        try:
            info = json.loads((Path(getattr(sys, "_MEIPASS", ".")) / "build-info.json").read_text(encoding="utf-8"))
            stamp = f" (build {info['commit']}, {info['built_at']}, {info['platform']})"
        except (OSError, ValueError, KeyError):
            stamp = " (frozen, no build stamp)"
    return f"dcp-kiosk {app_version()}{stamp}"
