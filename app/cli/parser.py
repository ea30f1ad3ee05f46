"""The `dcp-kiosk` command line: every command, its options and help, in one place."""

from __future__ import annotations

import argparse

from app.cli.common import version_text
from app.cli.enrol import cmd_doctor, cmd_enrol, cmd_unenrol
from app.cli.gazetteer import cmd_gazetteer
from app.cli.journeys import cmd_journeys
from app.cli.open311 import add_parser as add_open311_parser
from app.cli.portal import (
    cmd_portal_export,
    cmd_portal_faults,
    cmd_portal_open311_key,
    cmd_portal_phone,
    cmd_portal_serve,
    cmd_portal_token,
)
from app.cli.run import cmd_demo, cmd_run, cmd_self_test
from app.cli.speak import cmd_speak
from app.cli.staff import cmd_outbox, cmd_outbox_recover, cmd_staff
from app.cli.sync import cmd_status, cmd_submit, cmd_sync
from journeys.importers import FORMATS


def _program_options(parser: argparse.ArgumentParser, *, default: object) -> None:
    """The options that belong to the program, not to one command."""
    parser.add_argument("--data-dir", default=default, help="the kiosk's data directory (also DCP_KIOSK_DATA_DIR)")
    parser.add_argument("--config", default=default, help="a TOML configuration file (also DCP_KIOSK_CONFIG)")
    parser.add_argument("--training", action="store_true", default=default, help="use training mode and data")


def build_parser() -> argparse.ArgumentParser:
    # The program's options are taken before the command (`dcp-kiosk --training staff add ...`, as git, pip and
    # uv do) and after it. After it they are SUPPRESS-ed by default, so a command that does not repeat an option
    # keeps the value given before it instead of resetting it to None.
    common = argparse.ArgumentParser(add_help=False)
    _program_options(common, default=argparse.SUPPRESS)

    parser = argparse.ArgumentParser(
        prog="dcp-kiosk",
        description="Kiosk client for the Digital Customer Portal",
        epilog="--data-dir, --config and --training may be given before the command or after it.",
    )
    _program_options(parser, default=None)
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

    journeys = sub.add_parser(
        "journeys", parents=[common], help="the journeys this kiosk offers; check definition files"
    )
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
    p = jsub.add_parser(
        "import",
        help="a form definition (XGovFormBuilder, GOV.UK Forms, DEFRA, Open311) as a kiosk journey; exit 1 if unusable",
        description="Convert a form definition into a kiosk journey: the journey on standard output (or --out), "
        "a report of everything changed or left out on standard error.",
    )
    p.add_argument("file", metavar="FILE", help="the definition, JSON")
    p.add_argument("--format", choices=sorted(FORMATS), help="the definition's format (default: detected)")
    p.add_argument("--id", help="the kiosk journey's id (default: made from the definition's name)")
    p.add_argument("--category", help="the home screen's heading it goes under (default: other-services)")
    p.add_argument("--out", metavar="FILE", help="write the journey here (only when it is usable)")
    p.add_argument("--publish", action="store_true", help="add the journey to a running reference portal's catalogue")
    p.add_argument("--db", metavar="PORTAL_DB", help="with --publish: the database of the running portal")
    p.set_defaults(func=cmd_journeys)

    gazetteer = sub.add_parser(
        "gazetteer", parents=[common], help="the address pack: build it from the LLPG's DTF 7.3 export, try it"
    )
    gsub = gazetteer.add_subparsers(dest="gazetteer_command", required=True)
    p = gsub.add_parser("import", parents=[common], help="build an address pack from a DTF 7.3 CSV")
    p.add_argument("file", metavar="FILE.csv", help="the LLPG export, DTF 7.3 CSV")
    p.add_argument("--out", metavar="PACK", help="the pack to write (default: FILE.pack.sqlite beside FILE)")
    p.add_argument("--pack-version", help="the pack's version (default: the build date and the file's hash)")
    p.set_defaults(func=cmd_gazetteer)
    p = gsub.add_parser("search", parents=[common], help="search a pack as the kiosk does: one address a line")
    p.add_argument("pack", metavar="PACK")
    p.add_argument("text", metavar="TEXT", help="what a citizen would type: a postcode, a street, 14 King's Road")
    p.add_argument("--limit", type=int, default=8, help="how many addresses (default 8, as the kiosk shows)")
    p.set_defaults(func=cmd_gazetteer)
    p = gsub.add_parser("info", parents=[common], help="a pack's version, size, source and custodian")
    p.add_argument("pack", metavar="PACK")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_gazetteer)

    add_open311_parser(sub, common)

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
    p = sub.add_parser(
        "speak", parents=[common], help="try the kiosk's voice: say a text in a language, or list the voices"
    )
    p.add_argument("--text", help="what to say")
    p.add_argument("--language", default="en", help="a language code: en (default), ur, gu, pa, pl")
    p.add_argument("--voices", action="store_true", help="list the voices for each of the kiosk's languages")
    p.add_argument("--engine", help="the speech engine (default: the speech_engine configuration key)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for the speech to end (default 30)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)  # the child voice_report runs
    p.set_defaults(func=cmd_speak)

    staff = sub.add_parser(
        "staff", parents=[common], help="staff who may sign in on this kiosk (PINs read from standard input)"
    )
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

    outbox = sub.add_parser("outbox", parents=[common], help="what is waiting, sent or refused; retry or discard")
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

    p = osub.add_parser(
        "recover",
        parents=[common],
        help="send what a moved-aside database (.corrupt-...) still holds (docs/recovery.md)",
    )
    p.add_argument("file", metavar="FILE", help="the moved-aside database file; it is only read, never changed")
    p.add_argument("--staff", default="it", help="who is doing this, for the audit log (default: it)")
    p.set_defaults(func=cmd_outbox_recover)

    portal = sub.add_parser("portal", parents=[common], help="the reference portal (training, demos, tests)")
    psub = portal.add_subparsers(dest="portal_command", required=True)
    p = psub.add_parser("serve", parents=[common], help="serve the portal API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    p.add_argument("--db", required=True)
    p.add_argument("--journeys", help="a folder of journey JSON files (default: the training catalogue)")
    p.add_argument("--case-numbers", action="store_true", help="number its own cases: CASE-000001, ...")
    p.add_argument("--gazetteer", metavar="PACK", help="an address pack to serve (from `dcp-kiosk gazetteer import`)")
    p.set_defaults(func=cmd_portal_serve)
    p = psub.add_parser("token", parents=[common], help="issue or revoke a device token")
    p.add_argument("action", choices=["create", "revoke"])
    p.add_argument("--kiosk-id", required=True)
    p.add_argument("--db", required=True)
    p.set_defaults(func=cmd_portal_token)
    p = psub.add_parser(
        "open311-key", parents=[common], help="the api_key of its Open311 server, for `dcp-kiosk open311 connect`"
    )
    p.add_argument("--db", required=True)
    p.set_defaults(func=cmd_portal_open311_key)
    p = psub.add_parser("export", parents=[common], help="received submissions as JSON lines")
    p.add_argument("--db", required=True)
    p.set_defaults(func=cmd_portal_export)
    p = psub.add_parser(
        "phone", parents=[common], help="play the citizen's phone for the payment a kiosk shows (demos on loopback)"
    )
    p.add_argument("outcome", choices=("pay", "decline", "cancel"), help="what the phone's payment page does")
    p.add_argument("--db", required=True, help="the running portal's database (its admin file lies beside it)")
    p.add_argument("--url", help="the portal's address (default: from the admin file)")
    p.set_defaults(func=cmd_portal_phone)
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
