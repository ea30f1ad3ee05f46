"""`dcp-kiosk run`, `demo` and `self-test`: the commands that open the kiosk's window; the voice for `speak`.

The only module of app that imports ui and Qt, lazily, inside these commands."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import EXIT_FAIL, EXIT_OK, EXIT_USAGE, NO_DISPLAY, config_of, has_display, kiosk_of, version_text
from app.cli.sync import sync_once

if TYPE_CHECKING:
    from app.config import KioskConfig


def cmd_run(args: argparse.Namespace) -> int:
    if not has_display():
        print(NO_DISPLAY.format(command="dcp-kiosk run --windowed"), file=sys.stderr)
        return EXIT_USAGE
    from ui.app import run_kiosk

    config = config_of(args)
    logging.getLogger("init").info("%s starting (%s)", version_text(), "training" if config.training else "live")
    return run_kiosk(config, windowed=args.windowed, exit_after=args.exit_after)


TRAINING_ADDRESSES = 5000  # the training borough's size: built in about a second at the first demo


def training_pack(data_dir: Path) -> Path | None:
    """The training borough's address pack, built once from the synthetic gazetteer (no real council's
    data), so the demo can find addresses: "BB2 1LB", "14 King's Road". None if it cannot be built."""
    from local_store.gazetteer import DtfError, build_pack
    from reference_portal import gazetteer_data

    pack = data_dir / f"training-gazetteer-{gazetteer_data.VERSION}.sqlite"
    if pack.exists():
        return pack
    source = data_dir / "training-gazetteer.csv"
    try:
        gazetteer_data.write_dtf(source, addresses=TRAINING_ADDRESSES)
        build_pack(source, pack)
    except (OSError, DtfError) as exc:
        print(f"dcp-kiosk: demo: no training address pack ({exc}); addresses are typed", file=sys.stderr)
        return None
    finally:
        source.unlink(missing_ok=True)
    return pack


def start_portal(db_path: Path, gazetteer: Path | None = None) -> tuple[subprocess.Popen[str], str]:
    """Start the reference portal on a free loopback port; return the process and its URL."""
    here = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "app"]
    cmd = [*here, "portal", "serve", "--host", "127.0.0.1", "--port", "0", "--db", str(db_path)]
    if gazetteer is not None:
        cmd += ["--gazetteer", str(gazetteer)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, start_new_session=True)
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if not line.startswith("listening on "):
        proc.kill()
        raise RuntimeError("the reference portal did not start")
    return proc, line.removeprefix("listening on ")


def connect_training_open311(config: KioskConfig, portal_url: str, portal_db_path: Path) -> None:
    """Point the training kiosk at the reference portal's Open311 server, as IT would with `open311 connect`."""
    from app.open311 import Open311Error, connect
    from reference_portal import db as portal_db
    from reference_portal.open311_services import JURISDICTION_ID

    key = str(portal_db.read_admin_file(portal_db_path)["open311_api_key"])
    try:
        connect(config, portal_url + "/open311/v2", JURISDICTION_ID, "json", key)
    except Open311Error as exc:  # the demo still runs: reports to it wait on the kiosk
        print(f"dcp-kiosk: the training Open311 server is not set up: {exc}", file=sys.stderr)


def cmd_demo(args: argparse.Namespace) -> int:
    if not has_display():
        print(NO_DISPLAY.format(command="make demo"), file=sys.stderr)
        return EXIT_USAGE
    from reference_portal import db as portal_db

    config = config_of(args, training=True)
    portal_db_path = config.data_dir / "reference-portal.sqlite3"
    proc, url = start_portal(portal_db_path, training_pack(config.data_dir))
    try:
        kiosk = kiosk_of(config)
        enrolment = kiosk.enrolment()
        kiosk_id = enrolment.kiosk_id if enrolment else f"training-{kiosk.store.install_id[-8:]}"
        kiosk.enrol(url, kiosk_id, "training-site", portal_db.create_token(portal_db_path, kiosk_id))
        connect_training_open311(config, url, portal_db_path)
        sync_once(kiosk)
        kiosk.close()
        print(f"reference portal: {url}")
        print(f"data directory:   {config.data_dir}")
        print("training mode: nothing is sent to the council.", flush=True)
        from ui.app import run_kiosk

        def ready() -> None:
            print("the kiosk is open. Press Ctrl+C here to stop.", flush=True)

        return run_kiosk(config, windowed=True, exit_after=args.exit_after, ready=ready)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _bundled_journeys() -> tuple[int, str | None]:
    """How many training journeys are bundled, or why they cannot be used."""
    from journeys import training
    from journeys.models import JourneyFormatError, parse_journey

    try:
        files = training.definitions()
        for definition in files:
            parse_journey(definition)
    except (OSError, ValueError, JourneyFormatError) as exc:
        return 0, f"a bundled journey is unusable: {exc}"
    return len(files), None if files else "no bundled training journeys"


def cmd_self_test(args: argparse.Namespace) -> int:
    """Start offscreen, open the database, check the bundled journeys, render the home screen."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    config = config_of(args)
    count, problem = _bundled_journeys()
    if problem:
        print(f"dcp-kiosk: self-test: {problem}", file=sys.stderr)
        return EXIT_FAIL
    from PySide6.QtWidgets import QApplication

    from ui.window import KioskWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    kiosk = kiosk_of(config)
    window = KioskWindow(kiosk)
    try:
        window.resize(1280, 900)
        window.show()
        app.processEvents()
        current = window.current
        shown = current is not None and current.objectName() == "home" and not window.grab().isNull()
        tiles = len(getattr(current, "tiles", []))
    finally:
        window.close()
        kiosk.close()
    if not shown:
        print("dcp-kiosk: self-test: the home screen did not render", file=sys.stderr)
        return EXIT_FAIL
    print(f"self-test ok: database {config.db_path}, {count} bundled journeys, home screen with {tiles} services")
    return EXIT_OK


def try_voice(
    engine: str, *, voices: bool, text: str = "", language: str = "en", volume: int = 7, timeout_s: float = 30.0
) -> dict[str, Any]:
    """`dcp-kiosk speak` and doctor's speech check: the Qt part (ui.speech.try_voice), as plain data."""
    from ui.speech import try_voice as voice

    if voices:
        return voice.list_voices(engine)
    return voice.speak(engine, text, language=language, volume=volume, timeout_s=timeout_s)
