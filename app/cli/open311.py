"""`dcp-kiosk open311`: IT points the kiosk at the council's Open311 GeoReport v2 endpoint and tries it.

- `connect --url URL [--jurisdiction ID] [--format json|xml]`: the api_key on standard input, into the keyring;
- `disconnect`: forget the endpoint and its key (reports for it wait on the kiosk);
- `show`: the endpoint set up (never the key);
- `services`: what the endpoint offers, and which of the kiosk's journeys deliver to each;
- `journey CODE`: one of its services as a kiosk journey (journeys/importers/open311), as `journeys import` does.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.cli.common import EXIT_FAIL, EXIT_OK, EXIT_USAGE, config_of, print_json
from app.cli.enrol import read_token


def cmd_open311(args: argparse.Namespace) -> int:
    command = args.open311_command
    if command == "connect":
        return _connect(args)
    if command == "disconnect":
        from app.open311 import disconnect

        was = disconnect(config_of(args))
        print("the Open311 endpoint and its api_key were removed" if was else "no Open311 endpoint was set up")
        return EXIT_OK
    if command == "show":
        return _show(args)
    if command == "services":
        return _services(args)
    return _journey(args)


def _connect(args: argparse.Namespace) -> int:
    from app.open311 import Open311Error, connect

    try:
        done = connect(config_of(args), args.url, args.jurisdiction or "", args.format, read_token_prompt())
    except Open311Error as exc:
        print(f"dcp-kiosk: Open311 endpoint not set up: {exc}", file=sys.stderr)
        return EXIT_FAIL
    where = done.endpoint
    print(f"Open311 endpoint {where.url} ({where.fmt}), jurisdiction {where.jurisdiction_id or '(none)'}")
    print(f"it lists {len(done.services)} services: {', '.join(done.services) or '(none)'}")
    print(f"{done.key_check}; the api_key is in the keyring")
    return EXIT_OK


def read_token_prompt() -> str:
    if sys.stdin is not None and sys.stdin.isatty():
        import getpass

        return getpass.getpass("Open311 api_key (not shown): ")
    return read_token()


def _show(args: argparse.Namespace) -> int:
    from app.kiosk import Kiosk
    from app.open311 import endpoint

    kiosk = Kiosk(config_of(args))
    try:
        where = endpoint(kiosk.store)
    finally:
        kiosk.close()
    if args.json:
        print_json({"url": where.url, "jurisdiction_id": where.jurisdiction_id, "format": where.fmt} if where else None)
    elif where is None:
        print("no Open311 endpoint is set up: `dcp-kiosk open311 connect --url URL < api-key.txt`")
    else:
        print(f"{where.url} ({where.fmt}), jurisdiction {where.jurisdiction_id or '(none)'}")
    return EXIT_OK


def _services(args: argparse.Namespace) -> int:
    from app.kiosk import Kiosk
    from app.open311 import client_for, journeys_by_service
    from sync.client import PortalError

    kiosk = Kiosk(config_of(args))
    try:
        client = client_for(kiosk.config, kiosk.store)
        using = journeys_by_service(kiosk)
    finally:
        kiosk.close()
    if client is None:
        print("dcp-kiosk: no Open311 endpoint is set up: run `dcp-kiosk open311 connect` first", file=sys.stderr)
        return EXIT_FAIL
    try:
        services = client.services()
    except PortalError as exc:
        print(f"dcp-kiosk: could not list the services: {exc.message}", file=sys.stderr)
        return EXIT_FAIL
    finally:
        client.close()
    rows: list[dict[str, Any]] = [
        {
            "service_code": str(s.get("service_code")),
            "service_name": str(s.get("service_name", ""))[:100],
            "metadata": s.get("metadata") in (True, "true"),
            "journeys": using.get(str(s.get("service_code")), []),
        }
        for s in services
    ]
    if args.json:
        print_json(rows)
        return EXIT_OK
    for row in rows:
        journeys = ", ".join(row["journeys"]) or "no journey of this kiosk"
        print(
            f"{row['service_code']}: {row['service_name']} ({'has attributes' if row['metadata'] else 'no attributes'}); {journeys}"
        )
    return EXIT_OK


def _journey(args: argparse.Namespace) -> int:
    from app.cli.journeys import finish_import
    from app.open311 import Open311Error, service_journey
    from journeys.importers import ImportFailed

    err = sys.stderr
    if args.publish and not args.db:
        print("dcp-kiosk: open311 journey: --publish needs --db PORTAL_DB (the running portal's database)", file=err)
        return EXIT_USAGE
    try:
        imported = service_journey(config_of(args), args.service_code, journey_id=args.id, category=args.category)
    except (Open311Error, ImportFailed) as exc:
        print(f"dcp-kiosk: {exc}", file=err)
        return EXIT_FAIL
    except ModuleNotFoundError:
        print("dcp-kiosk: this kiosk cannot turn Open311 services into journeys yet", file=err)
        return EXIT_FAIL
    return finish_import(imported, f"Open311 service {args.service_code}", args, sys.stdout, err)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    o311 = sub.add_parser(
        "open311", parents=[common], help="the council's Open311 GeoReport v2 endpoint: connect, list, make journeys"
    )
    osub = o311.add_subparsers(dest="open311_command", required=True)
    p = osub.add_parser(
        "connect", parents=[common], help="set the endpoint up; the api_key is read from standard input"
    )
    p.add_argument("--url", required=True, help="the endpoint's base address, https://.../open311/v2")
    p.add_argument("--jurisdiction", help="the jurisdiction_id, when the endpoint serves several councils")
    p.add_argument("--format", choices=("json", "xml"), default="json", help="what the endpoint speaks (default json)")
    p.set_defaults(func=cmd_open311)
    p = osub.add_parser("disconnect", parents=[common], help="forget the endpoint and remove its api_key")
    p.set_defaults(func=cmd_open311)
    p = osub.add_parser("show", parents=[common], help="the endpoint set up (never the api_key)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_open311)
    p = osub.add_parser("services", parents=[common], help="the endpoint's services, and the journeys that use each")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_open311)
    p = osub.add_parser(
        "journey", parents=[common], help="one of the endpoint's services as a kiosk journey; exit 1 if unusable"
    )
    p.add_argument("service_code", metavar="SERVICE_CODE")
    p.add_argument("--id", help="the kiosk journey's id (default: made from the service's code)")
    p.add_argument("--category", help="the home screen's heading it goes under (default: other-services)")
    p.add_argument("--out", metavar="FILE", help="write the journey here (only when it is usable)")
    p.add_argument("--publish", action="store_true", help="add the journey to a running reference portal's catalogue")
    p.add_argument("--db", metavar="PORTAL_DB", help="with --publish: the database of the running portal")
    p.set_defaults(func=cmd_open311)
