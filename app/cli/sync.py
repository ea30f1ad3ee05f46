"""`dcp-kiosk status`, `sync --once` and `submit`: what is waiting, deliver it, add to it by script."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import EXIT_FAIL, EXIT_OK, config_of, kiosk_of, print_json
from local_store import StoreError

if TYPE_CHECKING:
    from app.kiosk import Kiosk


def _when(at: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(at)) if at else "never"


def cmd_status(args: argparse.Namespace) -> int:
    kiosk = kiosk_of(config_of(args))
    status = kiosk.status().as_dict()
    kiosk.close()
    if args.json:
        print_json(status)
        return EXIT_OK
    mode = "training" if status["training"] else "live"
    print(f"kiosk {status['kiosk_id'] or '(not enrolled)'} [{mode}]  portal {status['portal_url'] or '-'}")
    print("outbox: " + ", ".join(f"{k} {v}" for k, v in status["by_state"].items()))
    age = status["oldest_pending_age_s"]
    print(f"oldest waiting: {f'{age:.0f} s' if age is not None else '-'}")
    print(f"last sync: {_when(status['last_sync_at'])}")
    print(f"last error: {status['last_error_class'] or '-'}")
    print(
        f"journeys available: {status['catalogue_journeys']}  catalogue version: {status['catalogue_version'] or '-'}"
    )
    pack = status["address_pack"]
    count = status["address_count"]
    print(f"address pack: {f'{pack} ({count:,} addresses)' if pack else '- (addresses are typed)'}")
    print(f"open311: {status['open311_url'] or '- (no endpoint set up)'}")
    skew = status["clock_skew_s"]
    print(f"clock skew: {f'{skew:+.1f} s' if skew is not None else '-'}", end="  ")
    print(f"last heartbeat: {_when(status['last_heartbeat_at'])}")
    if status["sync_stopped"]:
        print(f"SYNC STOPPED: {status['sync_stopped']}")
    for alert in status.get("alerts", []):
        print(f"ALERT ({alert['kind']}, {alert['count']}x): {alert['message']}")
    return EXIT_OK


def sync_once(kiosk: Kiosk) -> dict[str, Any]:
    """One sync pass on this kiosk (stuck rows requeued first); the engine's report as a dict."""
    with kiosk.sync_engine() as engine:
        kiosk.store.outbox.requeue_stuck()
        report = engine.run_once()
    return dict(report.__dict__)


def cmd_sync(args: argparse.Namespace) -> int:
    from app.kiosk import NotEnrolled

    kiosk = kiosk_of(config_of(args))
    try:
        report = sync_once(kiosk)
    except NotEnrolled as exc:
        print(f"dcp-kiosk: {exc}", file=sys.stderr)
        return EXIT_FAIL
    finally:
        kiosk.close()
    if args.json:
        print_json(report)
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
            print_json({"ok": False, "error": message, "field_errors": field_errors or []})
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
        kiosk = kiosk_of(config_of(args))
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
        errors = [{"question_id": e.question_id, "message": str(e.message)} for e in result]
        return fail("the answers were not accepted; nothing was saved", errors)
    if args.json:
        print_json({"ok": True, "reference": result.reference, "submission_id": result.submission_id})
    else:
        print(result.reference)
    return EXIT_OK
