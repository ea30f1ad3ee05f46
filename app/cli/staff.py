"""`dcp-kiosk staff ...` and `outbox ...`: who may sign in, and what is waiting, sent or refused."""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING, Any

from app.cli.common import EXIT_OK, EXIT_USAGE, age_text, config_of, fail, kiosk_of, print_json

if TYPE_CHECKING:  # imported when a command runs: the PIN hashing module and the store are slow to import
    from app.kiosk import Kiosk
    from app.staff_console import OutboxItem, StaffConsole

MISMATCH = "\0mismatch"


def read_pin(stream: Any = None) -> str:
    """A staff PIN from standard input only (never an argument: it would be in the shell history)."""
    stream = sys.stdin if stream is None else stream
    if stream is None:
        return ""
    if stream.isatty():
        import getpass

        first = getpass.getpass("PIN (6 to 12 digits, not shown): ")
        if getpass.getpass("The same PIN again: ") != first:
            return MISMATCH
        return first
    return str(stream.readline()).strip()


def _add(kiosk: Kiosk, args: argparse.Namespace) -> int:
    from app.staff_auth import PinRejected
    from local_store.staff import StaffExists

    pin = read_pin()
    if pin == MISMATCH:
        return fail("the two PINs differ; nothing was changed")
    try:
        kiosk.staff.add(args.staff_id, args.name, pin, replace=args.replace)
    except PinRejected as exc:
        return fail(f"PIN refused: {exc}; nothing was changed")
    except StaffExists as exc:
        return fail(f"{exc}; use --replace to set a new PIN")
    except ValueError as exc:
        return fail(f"{exc}; nothing was changed")
    print(f"staff {args.staff_id.strip()} can sign in on this kiosk")
    return EXIT_OK


def cmd_staff(args: argparse.Namespace) -> int:
    kiosk = kiosk_of(config_of(args))
    try:
        if args.staff_command == "add":
            return _add(kiosk, args)
        if args.staff_command == "remove":
            if not kiosk.staff.remove(args.staff_id):
                return fail(f"no staff id {args.staff_id} on this kiosk")
            print(f"staff {args.staff_id.strip()} removed")
            return EXIT_OK
        now = time.time()
        for record in kiosk.staff.all():
            locked = " (locked)" if record.locked(now) else ""
            print(f"{record.staff_id}\t{record.name}{locked}")
        return EXIT_OK
    finally:
        kiosk.close()


def find_item(console: StaffConsole, ident: str) -> OutboxItem | None:
    """An outbox item by submission id or by reference (as printed on the citizen's receipt)."""
    ident = ident.strip()
    for item in console.outbox():
        if ident in (item.submission_id, item.reference) or ident.upper() == item.reference:
            return item
    return None


def _list(console: StaffConsole, args: argparse.Namespace) -> int:
    from app.staff_console import STATES

    if args.state and args.state not in STATES:
        return fail(f"--state must be one of {', '.join(STATES)}", EXIT_USAGE)
    now = time.time()
    items = console.outbox(args.state)
    if args.json:
        print_json([dict(i.__dict__) | {"age_s": round(now - i.created_at, 1)} for i in items])
        return EXIT_OK
    if not items:
        print("the outbox is empty" if not args.state else f"nothing is {args.state}")
    for i in items:
        error = f"  {i.last_error_class}: {i.last_error_message}" if i.last_error_class else ""
        print(
            f"{i.reference}  {i.state:<15} {i.journey_id} v{i.journey_version}  "
            f"age {age_text(now - i.created_at)}  attempts {i.attempts}  id {i.submission_id}{error}"
        )
    return EXIT_OK


def cmd_outbox(args: argparse.Namespace) -> int:
    from app.staff_console import InvalidTransition, StaffConsole

    kiosk = kiosk_of(config_of(args))
    console = StaffConsole(kiosk)
    try:
        if args.outbox_command == "list":
            return _list(console, args)
        item = find_item(console, args.id)
        if item is None:
            return fail(f"no submission {args.id} in this kiosk's outbox")
        try:
            if args.outbox_command == "retry":
                console.retry(item.submission_id, args.staff)
                print(f"{item.reference} will be sent again at the next sync")
            else:
                console.discard(item.submission_id, args.staff, args.reason)
                print(f"{item.reference} discarded: it will not be sent and its answers were destroyed")
        except InvalidTransition as exc:
            return fail(str(exc))
        except ValueError as exc:
            return fail(str(exc), EXIT_USAGE)
        return EXIT_OK
    finally:
        kiosk.close()


def cmd_outbox_recover(args: argparse.Namespace) -> int:
    """Add to this kiosk's outbox what a moved-aside database holds that was never delivered."""
    from pathlib import Path

    from local_store.recover import RecoveryRefused, recover

    kiosk = kiosk_of(config_of(args))
    try:
        result = recover(kiosk.store, Path(args.file), staff_id=args.staff)
    except RecoveryRefused as exc:
        return fail(f"nothing was recovered: {exc}")
    except ValueError as exc:
        return fail(str(exc), EXIT_USAGE)
    finally:
        kiosk.close()
    print(
        f"recovered {result.recovered} submission(s) from {result.source}; skipped {result.skipped} "
        f"already in this database; {result.unreadable} could not be read. The file was not changed."
    )
    if result.recovered:
        print("they keep their references and will be sent at the next sync")
    if result.unreadable:
        print("keep the file: what could not be read is still in it (see docs/recovery.md)")
    if result.old_enrolment:
        print(
            f"the old database was enrolled as {result.old_enrolment}; this one is not: re-enrol it with "
            "`dcp-kiosk enrol` (the device token is not copied)"
        )
    return EXIT_OK
