"""The `dcp-kiosk` command: the composition root. The only module that imports ui/ (lazily)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from app.config import ConfigError, KioskConfig, load_config
from local_store import StoreError

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def _print_json(obj: Any) -> None:
    print(json.dumps(obj, indent=2, sort_keys=True, default=str))


def _config(args: argparse.Namespace, training: bool | None = None) -> KioskConfig:
    config = load_config(data_dir=args.data_dir, config_file=args.config, training=training or args.training or None)
    try:
        from app.logs import setup_logging

        setup_logging(config)
    except OSError:
        pass  # an unwritable data directory is reported, plainly, when the database opens
    return config


def _kiosk(config: KioskConfig) -> Any:
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
Run it inside a desktop session, or under a virtual screen:
    xvfb-run -a -s "-screen 0 1280x1024x24" {command}
"""


# -- commands ---------------------------------------------------------------------------------


def cmd_portal_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from reference_portal import db
    from reference_portal.server import create_app

    db_path = Path(args.db)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    # Fault injection is switched through /admin with its own secret, never the device tokens.
    admin_secret = os.environ.get("DCP_PORTAL_ADMIN_SECRET") or secrets.token_urlsafe(24)
    app = create_app(
        db_path,
        Path(args.journeys) if args.journeys else None,
        admin_secret=admin_secret,
        case_numbers=args.case_numbers,
    )
    # IPPROTO_TCP: asyncio sets TCP_NODELAY on accepted sockets only when the listener says TCP;
    # with proto 0 every keep-alive request after the first waits ~40 ms on a delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    sock.listen(2048)  # listening before the address is printed: a client that reads it can connect at once
    host, port = sock.getsockname()[:2]
    db.write_admin_file(db_path, f"http://{host}:{port}", admin_secret)
    print(f"listening on http://{host}:{port}", flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    server.run(sockets=[sock])
    return EXIT_OK


def cmd_portal_token(args: argparse.Namespace) -> int:
    from reference_portal import db

    if args.action == "create":
        print(db.create_token(Path(args.db), args.kiosk_id))
    else:
        print(f"revoked {db.revoke_tokens(Path(args.db), args.kiosk_id)} token(s)")
    return EXIT_OK


def cmd_portal_export(args: argparse.Namespace) -> int:
    from reference_portal import db

    for row in db.export_submissions(Path(args.db)):
        print(json.dumps(row, sort_keys=True))
    return EXIT_OK


def cmd_portal_faults(args: argparse.Namespace) -> int:
    import httpx

    from reference_portal import db

    try:
        admin = db.read_admin_file(Path(args.db))
    except (OSError, ValueError, KeyError):
        print(f"dcp-kiosk: no running portal for {args.db} (start it with `dcp-kiosk portal serve`)", file=sys.stderr)
        return EXIT_FAIL
    url = (args.url or admin["url"]).rstrip("/") + "/admin/faults"
    headers = {"X-Admin-Secret": os.environ.get("DCP_PORTAL_ADMIN_SECRET") or admin["admin_secret"]}
    plan: dict[str, Any] = {}
    if args.action == "set":
        plan = {"kind": args.kind, "latency_ms": args.latency_ms, "hold_ms": args.hold_ms, "rate": args.rate}
        if args.retry_after is not None:
            plan["retry_after"] = args.retry_after
        if args.count is not None:
            plan["count"] = args.count
        if args.path:
            plan["paths"] = args.path
    try:
        if args.action == "set":
            response = httpx.put(url, json=plan, headers=headers, timeout=10)
        elif args.action == "clear":
            response = httpx.delete(url, headers=headers, timeout=10)
        else:
            response = httpx.get(url, headers=headers, timeout=10)
    except httpx.HTTPError as exc:
        print(f"dcp-kiosk: cannot reach the portal at {url}: {type(exc).__name__}", file=sys.stderr)
        return EXIT_FAIL
    if response.status_code != 200:
        detail = response.json().get("detail", "") if "json" in response.headers.get("content-type", "") else ""
        print(f"dcp-kiosk: the portal refused: HTTP {response.status_code} {detail}".rstrip(), file=sys.stderr)
        return EXIT_FAIL
    _print_json(response.json())
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    kiosk = _kiosk(_config(args))
    status = kiosk.status().as_dict()
    kiosk.close()
    if args.json:
        _print_json(status)
        return EXIT_OK
    mode = "training" if status["training"] else "live"
    print(f"kiosk {status['kiosk_id'] or '(not enrolled)'} [{mode}]  portal {status['portal_url'] or '-'}")
    print("outbox: " + ", ".join(f"{k} {v}" for k, v in status["by_state"].items()))
    age = status["oldest_pending_age_s"]
    print(f"oldest waiting: {f'{age:.0f} s' if age is not None else '-'}")
    last = status["last_sync_at"]
    print(f"last sync: {time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(last)) if last else 'never'}")
    print(f"last error: {status['last_error_class'] or '-'}")
    print(
        f"journeys available: {status['catalogue_journeys']}  catalogue version: {status['catalogue_version'] or '-'}"
    )
    skew, beat = status["clock_skew_s"], status["last_heartbeat_at"]
    print(f"clock skew: {f'{skew:+.1f} s' if skew is not None else '-'}", end="  ")
    print(f"last heartbeat: {time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(beat)) if beat else 'never'}")
    if status["sync_stopped"]:
        print(f"SYNC STOPPED: {status['sync_stopped']}")
    for alert in status.get("alerts", []):
        print(f"ALERT ({alert['kind']}, {alert['count']}x): {alert['message']}")
    return EXIT_OK


def sync_once(kiosk: Any) -> dict[str, Any]:
    with kiosk.sync_engine() as engine:
        kiosk.store.outbox.requeue_stuck()
        report = engine.run_once()
    return dict(report.__dict__)


def cmd_sync(args: argparse.Namespace) -> int:
    from app.kiosk import NotEnrolled

    kiosk = _kiosk(_config(args))
    try:
        report = sync_once(kiosk)
    except NotEnrolled as exc:
        print(f"dcp-kiosk: {exc}", file=sys.stderr)
        return EXIT_FAIL
    finally:
        kiosk.close()
    if args.json:
        _print_json(report)
    else:
        state = "online" if report["online"] else "offline"
        print(
            f"{state}: delivered {report['delivered']}, retrying {report['retrying']}, "
            f"needs attention {report['needs_attention']}"
        )
        if report["auth_failed"]:
            print("the portal refused this kiosk's token: re-enrol it", file=sys.stderr)
    return EXIT_FAIL if report["auth_failed"] else EXIT_OK


def cmd_submit(args: argparse.Namespace) -> int:
    """A scripted submission through the same path as the screens (answers checked, then saved
    encrypted in the outbox). Prints the local reference; with --json, a JSON object either way."""
    from app.kiosk import SubmitFailed

    def fail(message: str, field_errors: list[dict[str, str]] | None = None) -> int:
        if args.json:
            _print_json({"ok": False, "error": message, "field_errors": field_errors or []})
        print(f"dcp-kiosk: {message}", file=sys.stderr)
        for err in field_errors or []:
            print(f"{err['question_id']}: {err['message']}", file=sys.stderr)
        return EXIT_FAIL

    try:
        raw = json.loads(Path(args.answers).read_text(encoding="utf-8"))
    except OSError as exc:
        return fail(f"cannot read the answers file {args.answers}: {exc.strerror}")
    except ValueError as exc:
        return fail(f"the answers file {args.answers} is not valid JSON ({exc})")
    if not isinstance(raw, dict):
        return fail(f"the answers file {args.answers} must hold one JSON object: question id to answer")
    try:
        kiosk = _kiosk(_config(args))
    except StoreError as exc:
        return fail(f"nothing was saved: {exc}")
    try:
        entry = next((e for e in kiosk.catalogue() if e.id == args.journey), None)
        journey = kiosk.journey(entry.id, entry.version) if entry else None
        if journey is None:
            return fail(
                f"no journey {args.journey!r} in the cached catalogue; "
                "run `dcp-kiosk sync --once` while online to fetch it"
            )
        try:
            result = kiosk.submit_raw(journey, raw)
        except SubmitFailed as exc:
            cause = exc.__cause__
            return fail(f"{exc} (nothing was saved: {cause})" if cause else str(exc))
    finally:
        kiosk.close()
    if isinstance(result, list):
        errors = [{"question_id": e.question_id, "message": e.message} for e in result]
        return fail("the answers were not accepted; nothing was saved", errors)
    if args.json:
        _print_json({"ok": True, "reference": result.reference, "submission_id": result.submission_id})
    else:
        print(result.reference)
    return EXIT_OK


def cmd_journeys(args: argparse.Namespace) -> int:
    from app import journey_commands as commands

    if args.journeys_command == "validate":  # for content designers: needs no data directory
        return commands.validate_files(args.files)
    kiosk = _kiosk(_config(args))
    try:
        if args.journeys_command == "list":
            return commands.list_journeys(kiosk, args.json)
        if args.journeys_command == "show":
            return commands.show_journey(kiosk, args.journey_id, args.json)
        return commands.example_answers(kiosk, args.journey_id)
    finally:
        kiosk.close()


def cmd_run(args: argparse.Namespace) -> int:
    if not has_display():
        print(NO_DISPLAY.format(command="dcp-kiosk run --windowed"), file=sys.stderr)
        return EXIT_USAGE
    from ui.app import run_kiosk

    config = _config(args)
    logging.getLogger("init").info("%s starting (%s)", version_text(), "training" if config.training else "live")
    return run_kiosk(config, windowed=args.windowed, exit_after=args.exit_after)


def start_portal(db_path: Path) -> tuple[subprocess.Popen[str], str]:
    """Start the reference portal on a free loopback port; return the process and its URL."""
    here = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "app"]
    cmd = [*here, "portal", "serve", "--host", "127.0.0.1", "--port", "0", "--db", str(db_path)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, start_new_session=True)
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if not line.startswith("listening on "):
        proc.kill()
        raise RuntimeError("the reference portal did not start")
    return proc, line.removeprefix("listening on ")


def cmd_demo(args: argparse.Namespace) -> int:
    if not has_display():
        print(NO_DISPLAY.format(command="make demo"), file=sys.stderr)
        return EXIT_USAGE
    from reference_portal import db as portal_db

    config = _config(args, training=True)
    portal_db_path = config.data_dir / "reference-portal.sqlite3"
    proc, url = start_portal(portal_db_path)
    try:
        kiosk = _kiosk(config)
        enrolment = kiosk.enrolment()
        kiosk_id = enrolment.kiosk_id if enrolment else f"training-{kiosk.store.install_id[-8:]}"
        kiosk.enrol(url, kiosk_id, "training-site", portal_db.create_token(portal_db_path, kiosk_id))
        sync_once(kiosk)
        kiosk.close()
        print(f"reference portal: {url}")
        print(f"data directory:   {config.data_dir}")
        print("training mode: nothing is sent to the council. Press Ctrl+C here to stop.", flush=True)
        from ui.app import run_kiosk

        return run_kiosk(config, windowed=True, exit_after=args.exit_after)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


# -- IT: enrolment, health, self-test (issue 7) -----------------------------------------------


def read_token(stream: Any = None) -> str:
    """The device token from standard input (a prompt without echo when it is a terminal)."""
    stream = sys.stdin if stream is None else stream
    if stream is None:
        return ""
    if stream.isatty():
        import getpass

        return getpass.getpass("Device token (not shown): ")
    return str(stream.readline())


def cmd_enrol(args: argparse.Namespace) -> int:
    from app.enrolment import EnrolError, enrol

    config = _config(args)
    try:
        result = enrol(config, args.portal, args.kiosk_id, args.site, read_token())
    except EnrolError as exc:
        print(f"dcp-kiosk: enrolment refused: {exc}", file=sys.stderr)
        return EXIT_FAIL
    print(f"enrolled kiosk {result.kiosk_id} at site {result.site_id} with {result.portal_url}")
    print(f"the portal offers {result.journeys} journeys; the token is in the keyring")
    return EXIT_OK


def cmd_unenrol(args: argparse.Namespace) -> int:
    from app.enrolment import unenrol

    was = unenrol(_config(args))
    print("unenrolled: the device token was removed from the keyring" if was else "this kiosk was not enrolled")
    return EXIT_OK


def cmd_doctor(args: argparse.Namespace) -> int:
    from app import doctor

    checks = doctor.run_checks(lambda: _config(args))
    if args.json:
        _print_json(doctor.as_json(checks))
    else:
        print(doctor.as_text(checks))
    return EXIT_OK if doctor.healthy(checks) else EXIT_FAIL


def cmd_self_test(args: argparse.Namespace) -> int:
    """Start offscreen, open the database, check the bundled journeys, render the home screen."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from journeys import training
    from journeys.models import JourneyFormatError, parse_journey

    config = _config(args)
    try:
        files = training.definitions()
        for definition in files:
            parse_journey(definition)
    except (OSError, ValueError, JourneyFormatError) as exc:
        print(f"dcp-kiosk: self-test: a bundled journey is unusable: {exc}", file=sys.stderr)
        return EXIT_FAIL
    if not files:
        print("dcp-kiosk: self-test: no bundled training journeys", file=sys.stderr)
        return EXIT_FAIL
    from PySide6.QtWidgets import QApplication

    from ui.window import KioskWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    kiosk = _kiosk(config)
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
    print(f"self-test ok: database {config.db_path}, {len(files)} bundled journeys, home screen with {tiles} services")
    return EXIT_OK


# -- staff and the outbox for IT (issue 8) ----------------------------------------------------


def read_pin(stream: Any = None) -> str:
    """A staff PIN from standard input only (never an argument: it would be in the shell history)."""
    stream = sys.stdin if stream is None else stream
    if stream is None:
        return ""
    if stream.isatty():
        import getpass

        first = getpass.getpass("PIN (6 to 12 digits, not shown): ")
        if getpass.getpass("The same PIN again: ") != first:
            return "\0mismatch"
        return first
    return str(stream.readline()).strip()


def cmd_staff(args: argparse.Namespace) -> int:
    from app.staff import PinRejected
    from local_store.staff import StaffExists

    kiosk = _kiosk(_config(args))
    try:
        if args.staff_command == "add":
            pin = read_pin()
            if pin == "\0mismatch":
                print("dcp-kiosk: the two PINs differ; nothing was changed", file=sys.stderr)
                return EXIT_FAIL
            try:
                kiosk.staff.add(args.staff_id, args.name, pin, replace=args.replace)
            except PinRejected as exc:
                print(f"dcp-kiosk: PIN refused: {exc}; nothing was changed", file=sys.stderr)
                return EXIT_FAIL
            except StaffExists as exc:
                print(f"dcp-kiosk: {exc}; use --replace to set a new PIN", file=sys.stderr)
                return EXIT_FAIL
            except ValueError as exc:
                print(f"dcp-kiosk: {exc}; nothing was changed", file=sys.stderr)
                return EXIT_FAIL
            print(f"staff {args.staff_id.strip()} can sign in on this kiosk")
            return EXIT_OK
        if args.staff_command == "remove":
            if not kiosk.staff.remove(args.staff_id):
                print(f"dcp-kiosk: no staff id {args.staff_id} on this kiosk", file=sys.stderr)
                return EXIT_FAIL
            print(f"staff {args.staff_id.strip()} removed")
            return EXIT_OK
        now = time.time()
        for record in kiosk.staff.all():
            locked = " (locked)" if record.locked(now) else ""
            print(f"{record.staff_id}\t{record.name}{locked}")
        return EXIT_OK
    finally:
        kiosk.close()


def _find_item(kiosk: Any, ident: str) -> Any:
    """An outbox item by submission id or by reference (as printed on the citizen's receipt)."""
    ident = ident.strip()
    for item in kiosk.outbox():
        if ident in (item.submission_id, item.reference) or ident.upper() == item.reference:
            return item
    return None


def cmd_outbox(args: argparse.Namespace) -> int:
    from local_store import STATES, InvalidTransition

    kiosk = _kiosk(_config(args))
    try:
        if args.outbox_command == "list":
            if args.state and args.state not in STATES:
                print(f"dcp-kiosk: --state must be one of {', '.join(STATES)}", file=sys.stderr)
                return EXIT_USAGE
            now = time.time()
            items = kiosk.outbox(args.state)
            if args.json:
                _print_json([dict(i.__dict__) | {"age_s": round(now - i.created_at, 1)} for i in items])
                return EXIT_OK
            if not items:
                print("the outbox is empty" if not args.state else f"nothing is {args.state}")
            for i in items:
                error = f"  {i.last_error_class}: {i.last_error_message}" if i.last_error_class else ""
                print(
                    f"{i.reference}  {i.state:<15} {i.journey_id} v{i.journey_version}  "
                    f"age {_age(now - i.created_at)}  attempts {i.attempts}  id {i.submission_id}{error}"
                )
            return EXIT_OK
        item = _find_item(kiosk, args.id)
        if item is None:
            print(f"dcp-kiosk: no submission {args.id} in this kiosk's outbox", file=sys.stderr)
            return EXIT_FAIL
        try:
            if args.outbox_command == "retry":
                kiosk.retry(item.submission_id, args.staff)
                print(f"{item.reference} will be sent again at the next sync")
            else:
                kiosk.discard(item.submission_id, args.staff, args.reason)
                print(f"{item.reference} discarded: it will not be sent and its answers were destroyed")
        except InvalidTransition as exc:
            print(f"dcp-kiosk: {exc}", file=sys.stderr)
            return EXIT_FAIL
        except ValueError as exc:
            print(f"dcp-kiosk: {exc}", file=sys.stderr)
            return EXIT_USAGE
        return EXIT_OK
    finally:
        kiosk.close()


def _age(seconds: float) -> str:
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


# -- parser -----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", help="the kiosk's data directory (also DCP_KIOSK_DATA_DIR)")
    common.add_argument("--config", help="a TOML configuration file (also DCP_KIOSK_CONFIG)")
    common.add_argument("--training", action="store_true", default=None, help="use training mode and data")

    parser = argparse.ArgumentParser(prog="dcp-kiosk", description="Kiosk client for the Digital Customer Portal")
    parser.add_argument("--version", action="version", version=version_text())
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", parents=[common], help="the kiosk in a window with a reference portal, training mode")
    p.add_argument("--exit-after", type=float, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("run", parents=[common], help="run the kiosk")
    p.add_argument("--windowed", action="store_true", help="a normal window, for development and training")
    p.add_argument("--exit-after", type=float, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("status", parents=[common], help="outbox counts, last sync, catalogue")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("sync", parents=[common], help="deliver what is waiting")
    p.add_argument("--once", action="store_true", required=True, help="one pass, then exit")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("submit", parents=[common], help="a scripted submission, through the same path as the UI")
    p.add_argument("--journey", required=True)
    p.add_argument("--answers", required=True, help="a JSON file of answers")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_submit)

    journeys = sub.add_parser("journeys", help="the journeys this kiosk offers; check definition files")
    jsub = journeys.add_subparsers(dest="journeys_command", required=True)
    p = jsub.add_parser("list", parents=[common], help="the journeys in the cached catalogue")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_journeys)
    p = jsub.add_parser("show", parents=[common], help="one journey: pages, questions, conditions")
    p.add_argument("journey_id", metavar="ID")
    p.add_argument("--json", action="store_true", help="the definition itself")
    p.set_defaults(func=cmd_journeys)
    p = jsub.add_parser("example", parents=[common], help="an answers file for `dcp-kiosk submit --answers`")
    p.add_argument("journey_id", metavar="ID")
    p.set_defaults(func=cmd_journeys)
    p = jsub.add_parser("validate", help="check journey definition files (or folders of them); exit 1 if any is broken")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_journeys)

    p = sub.add_parser("enrol", parents=[common], help="join a portal; the device token is read from standard input")
    p.add_argument("--portal", required=True, help="the portal's address, https://...")
    p.add_argument("--kiosk-id", required=True)
    p.add_argument("--site", required=True, help="the site (library, office) the kiosk stands in")
    p.set_defaults(func=cmd_enrol)
    p = sub.add_parser("unenrol", parents=[common], help="forget the portal and remove the device token")
    p.set_defaults(func=cmd_unenrol)
    p = sub.add_parser("doctor", parents=[common], help="check this kiosk's health; non-zero exit if anything fails")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_doctor)
    p = sub.add_parser("self-test", parents=[common], help="start offscreen, open the database, render the home screen")
    p.set_defaults(func=cmd_self_test)

    staff = sub.add_parser("staff", help="staff who may sign in on this kiosk (PINs read from standard input)")
    ssub = staff.add_subparsers(dest="staff_command", required=True)
    p = ssub.add_parser("add", parents=[common], help="add a staff id; the PIN is read from standard input")
    p.add_argument("staff_id", metavar="ID")
    p.add_argument("--name", help="the name shown as 'Assisted by NAME' (default: the id)")
    p.add_argument("--replace", action="store_true", help="set a new PIN (and name) for an existing id")
    p.set_defaults(func=cmd_staff)
    p = ssub.add_parser("remove", parents=[common], help="remove a staff id")
    p.add_argument("staff_id", metavar="ID")
    p.set_defaults(func=cmd_staff)
    p = ssub.add_parser("list", parents=[common], help="the staff ids on this kiosk")
    p.set_defaults(func=cmd_staff)

    outbox = sub.add_parser("outbox", help="what is waiting, sent or refused; retry or discard")
    osub = outbox.add_subparsers(dest="outbox_command", required=True)
    p = osub.add_parser("list", parents=[common], help="the outbox, oldest first")
    p.add_argument("--state", help="only pending, sending, delivered, needs_attention or discarded")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_outbox)
    p = osub.add_parser("retry", parents=[common], help="send a needs-attention submission again")
    p.add_argument("id", metavar="ID", help="submission id or reference")
    p.add_argument("--staff", default="it", help="who is doing this, for the audit log (default: it)")
    p.set_defaults(func=cmd_outbox)
    p = osub.add_parser("discard", parents=[common], help="never send a submission; its answers are destroyed")
    p.add_argument("id", metavar="ID", help="submission id or reference")
    p.add_argument("--reason", required=True, help="why, for the audit log (no personal data)")
    p.add_argument("--staff", required=True, help="who is doing this, for the audit log")
    p.set_defaults(func=cmd_outbox)

    portal = sub.add_parser("portal", help="the reference portal (training, demos, tests)")
    psub = portal.add_subparsers(dest="portal_command", required=True)
    p = psub.add_parser("serve", parents=[common], help="serve the portal API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    p.add_argument("--db", required=True)
    p.add_argument("--journeys", help="a folder of journey JSON files (default: the training catalogue)")
    p.add_argument("--case-numbers", action="store_true", help="number its own cases: CASE-000001, ...")
    p.set_defaults(func=cmd_portal_serve)
    p = psub.add_parser("token", parents=[common], help="issue or revoke a device token")
    p.add_argument("action", choices=["create", "revoke"])
    p.add_argument("--kiosk-id", required=True)
    p.add_argument("--db", required=True)
    p.set_defaults(func=cmd_portal_token)
    p = psub.add_parser("export", parents=[common], help="received submissions as JSON lines")
    p.add_argument("--db", required=True)
    p.set_defaults(func=cmd_portal_export)
    p = psub.add_parser("faults", parents=[common], help="switch injected faults on a running portal")
    p.add_argument("action", choices=["set", "clear", "show"])
    p.add_argument("--db", required=True, help="the running portal's database (its admin file lies beside it)")
    p.add_argument("--url", help="the portal's address (default: from the admin file)")
    p.add_argument(
        "--kind",
        default="none",
        choices=["none", "http_500", "http_503", "http_429", "drop", "lost_response", "captive"],
    )
    p.add_argument("--latency-ms", type=int, default=0, help="added to every API request")
    p.add_argument("--retry-after", type=int, help="seconds, sent with 503 and 429")
    p.add_argument("--count", type=int, help="fault only this many requests, then stop (default: until cleared)")
    p.add_argument("--rate", type=float, default=1.0, help="fault this fraction of requests (0 to 1)")
    p.add_argument("--path", action="append", help="only paths starting with this (repeatable)")
    p.add_argument("--hold-ms", type=int, default=0, help="keep each submission in progress this long (409 tests)")
    p.set_defaults(func=cmd_portal_faults)
    return parser


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
            raise
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


if __name__ == "__main__":
    raise SystemExit(main())
