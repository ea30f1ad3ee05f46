"""`dcp-kiosk enrol`, `unenrol` and `doctor`: IT joins the kiosk to a portal and checks its health."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.cli.common import EXIT_FAIL, EXIT_OK, config_of, print_json


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

    config = config_of(args)
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

    was = unenrol(config_of(args))
    print("unenrolled: the device token was removed from the keyring" if was else "this kiosk was not enrolled")
    return EXIT_OK


def cmd_doctor(args: argparse.Namespace) -> int:
    from app import doctor

    checks = doctor.run_checks(lambda: config_of(args))
    if args.json:
        print_json(doctor.as_json(checks))
    else:
        print(doctor.as_text(checks))
    return EXIT_OK if doctor.healthy(checks) else EXIT_FAIL
