"""`dcp-kiosk portal ...`: the reference portal for training, demos and tests (serve, token, open311-key, export, faults)."""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import sys
from pathlib import Path
from typing import Any

from app.cli.common import EXIT_FAIL, EXIT_OK, EXIT_USAGE, print_json


def cmd_portal_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from reference_portal import db
    from reference_portal.server import create_app

    db_path = Path(args.db)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    # Fault injection is switched through /admin with its own secret, never the device tokens.
    admin_secret = os.environ.get("DCP_PORTAL_ADMIN_SECRET") or secrets.token_urlsafe(24)
    try:
        app = create_app(
            db_path,
            Path(args.journeys) if args.journeys else None,
            admin_secret=admin_secret,
            case_numbers=args.case_numbers,
            gazetteer=Path(args.gazetteer) if args.gazetteer else None,
        )
    except ValueError as exc:  # an address pack that cannot be served
        print(f"dcp-kiosk: portal serve: {exc}", file=sys.stderr)
        return EXIT_USAGE
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


def cmd_portal_open311_key(args: argparse.Namespace) -> int:
    """The reference portal's Open311 api_key (made once and kept in its admin file, like `portal serve` would)."""
    from reference_portal import db

    db_path = Path(args.db)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    print(db.open311_api_key(db_path))
    return EXIT_OK


def cmd_portal_export(args: argparse.Namespace) -> int:
    from reference_portal import db

    for row in db.export_submissions(Path(args.db)):
        print(json.dumps(row, sort_keys=True))
    return EXIT_OK


PHONE_BUTTONS = {"pay": "Pay", "decline": "Decline the card", "cancel": "Cancel"}


def cmd_portal_phone(args: argparse.Namespace) -> int:
    """Play the citizen's phone for the newest payment whose link nobody has opened (a demo on loopback,
    where no real phone can reach the portal): open its hand-off link and press a button of the page."""
    import re
    import sqlite3

    import httpx

    from reference_portal import db

    path = Path(args.db)
    try:
        url = args.url or db.read_admin_file(path)["url"]
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        row = conn.execute(
            "SELECT link_token FROM payments WHERE link_used_at IS NULL AND status='created'"
            " ORDER BY created_at DESC LIMIT 1"
        ).fetchone()
        conn.close()
    except (OSError, KeyError, sqlite3.Error) as exc:
        print(f"dcp-kiosk: cannot read the portal's database {path}: {exc}", file=sys.stderr)
        return EXIT_FAIL
    if row is None:
        print("dcp-kiosk: no payment is waiting for a phone (show a QR code on the kiosk first)", file=sys.stderr)
        return EXIT_FAIL
    try:
        page = httpx.get(f"{url}/pay/{row[0]}", timeout=10)
        label = PHONE_BUTTONS[args.outcome]
        form = next(f for f in re.findall(r"<form\b.*?</form>", page.text, re.S) if f">{label}</button>" in f)
        action = re.search(r'action="([^"]+)"', form)
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))
        answer = httpx.post(url + (action.group(1) if action else ""), data=fields, timeout=10)
    except (httpx.HTTPError, StopIteration) as exc:
        print(f"dcp-kiosk: the portal's payment page did not work: {type(exc).__name__}", file=sys.stderr)
        return EXIT_FAIL
    print(f"pressed {label!r} on the phone: HTTP {answer.status_code}")
    return EXIT_OK if answer.status_code == 200 else EXIT_FAIL


def _fault_plan(args: argparse.Namespace) -> dict[str, Any]:
    plan: dict[str, Any] = {
        "kind": args.kind,
        "latency_ms": args.latency_ms,
        "hold_ms": args.hold_ms,
        "rate": args.rate,
    }
    if args.retry_after is not None:
        plan["retry_after"] = args.retry_after
    if args.count is not None:
        plan["count"] = args.count
    if args.path:
        plan["paths"] = args.path
    return plan


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
    try:
        if args.action == "set":
            response = httpx.put(url, json=_fault_plan(args), headers=headers, timeout=10)
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
    print_json(response.json())
    return EXIT_OK
