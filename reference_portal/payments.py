"""The reference portal's payments, GOV.UK Pay-shaped, and the simulated provider for the phone.

A kiosk creates a payment (POST /api/v1/payments, exactly once by its Idempotency-Key) and is given
the portal's own single-use hand-off link, `<portal>/pay/<token>`, to show as a QR code; never a
provider's next_url. The citizen's phone opens it once: a page of the simulated provider (training:
no real money, no card number asked) with three forms, Pay, Decline the card and Cancel, each
carrying a second secret issued with the page, so an outcome cannot be forged from the link
alone. A payment not finished `payment_expiry_s` after creation (90 minutes, as GOV.UK Pay) is
failed P0020, brought up to date whenever payments are read. A submission's `payment` and
`receipt_email` are checked here too, and the receipt recorded once per reference.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import secrets
import sqlite3
import threading
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from fastapi import FastAPI, Header, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from reference_portal import db
from reference_portal.clock import Clock, is_date_time, iso

__all__ = ["add_payment_routes", "record_receipt", "submission_errors"]

FINISHED = ("success", "failed", "cancelled", "error")
MESSAGES = {
    "P0010": "Payment method rejected",
    "P0020": "Payment expired",
    "P0030": "Payment was cancelled by the user",
    "P0040": "Payment was cancelled by the service",
    "P0050": "Payment provider returned an error",
}
OUTCOMES = {"pay": ("success", None), "decline": ("failed", "P0010"), "cancel": ("cancelled", "P0030")}
UNKNOWN = (404, "Payment link not found", "This is not a payment link we know. Check the QR code on the kiosk.")
MAX_PENCE = 10_000_000
PROVIDER_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+$")
PHONE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the link is a secret: it never leaves in a Referer
    "X-Frame-Options": "DENY",
    "X-Robots-Tag": "noindex",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
}

Errors = list[dict[str, str]]
KeyedPost = Callable[..., Awaitable[JSONResponse]]


def refresh(conn: sqlite3.Connection, now: dt.datetime) -> None:
    """Every payment not finished by its expiry becomes failed P0020."""
    conn.execute(
        "UPDATE payments SET status='failed', code='P0020', form_secret=NULL"
        " WHERE status NOT IN ('success', 'failed', 'cancelled', 'error') AND expires_at <= ?",
        (iso(now),),
    )


def payment_json(row: sqlite3.Row, base: str) -> dict[str, Any]:
    finished = row["status"] in FINISHED
    state: dict[str, Any] = {"status": row["status"], "finished": finished}
    if row["code"]:
        state |= {"code": row["code"], "message": MESSAGES[row["code"]]}
    return {
        "payment_id": row["payment_id"],
        "amount": row["amount"],
        "reference": row["reference"],
        "description": row["description"],
        "state": state,
        "provider_id": row["provider_id"],
        "created_date": row["created_at"],
        "expires_at": row["expires_at"],
        "hand_off_url": None if finished or row["link_used_at"] else f"{base}/pay/{row['link_token']}",
    }


def _find(conn: sqlite3.Connection, payment_id: str, who: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM payments WHERE payment_id=? AND kiosk_id=?", (payment_id, who)
    ).fetchone()
    return row


def fields(body: dict[str, Any], names: tuple[str, ...]) -> Errors:
    errors = [{"field": f, "message": f"{f} is missing"} for f in names if f not in body]
    return errors + [
        {"field": str(f), "message": f"{f} is not a field of this request"} for f in body if f not in names
    ]


def text(body: dict[str, Any], name: str, most: int = 255) -> Errors:
    value = body.get(name)
    if isinstance(value, str) and 0 < len(value) <= most:
        return []
    return [{"field": name, "message": f"{name} must be a string of 1 to {most} characters"}]


def pence(body: dict[str, Any], name: str = "amount") -> Errors:
    value = body.get(name)
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_PENCE:
        return []
    return [{"field": name, "message": f"{name} must be a whole number of pence from 1 to {MAX_PENCE}"}]


def check_payment(body: dict[str, Any]) -> Errors:
    errors = fields(body, ("amount", "reference", "description", "submission_id")) + pence(body)
    return errors + text(body, "reference", 64) + text(body, "description") + text(body, "submission_id")


def check_counter(body: dict[str, Any]) -> Errors:
    errors = fields(body, ("reference", "amount", "staff_id", "paid_at")) + pence(body)
    errors += text(body, "reference", 64) + text(body, "staff_id", 64)
    if "paid_at" in body and not is_date_time(body["paid_at"]):
        errors.append({"field": "paid_at", "message": "paid_at must be a date-time with a UTC offset"})
    return errors


def add_payment_routes(
    api: FastAPI,
    conn: sqlite3.Connection,
    lock: threading.Lock,
    kiosk_for: Callable[[str | None], str | JSONResponse],
    problem: Callable[..., JSONResponse],
    keyed_post: KeyedPost,
    clock: Clock,
    admin_ok: Callable[[str | None], JSONResponse | None],
    payment_expiry_s: float = 5400,
) -> None:
    """The payments calls, the phone's pages and GET /admin/payments; `keyed_post` (server.py) is the
    Idempotency-Key protocol: it calls `create` or `replay` under the lock, in one transaction."""

    def find(payment_id: str, who: str) -> sqlite3.Row | None:
        return _find(conn, payment_id, who)

    def current(who: str, payment_id: str, base: str) -> dict[str, Any]:
        refresh(conn, clock.now())
        row = find(payment_id, who)
        assert row is not None  # (a kept payment is never deleted)
        return payment_json(row, base)

    def new_payment(who: str, body: dict[str, Any], now: dt.datetime, base: str) -> dict[str, Any]:
        payment_id = secrets.token_hex(13)  # 26 characters, as GOV.UK Pay's ids
        conn.execute(
            "INSERT INTO payments VALUES (?, ?, ?, ?, ?, ?, 'created', NULL, NULL, ?, ?, ?, NULL, NULL)",
            (
                *(payment_id, who, body["amount"], body["reference"], body["description"], body["submission_id"]),
                *(iso(now), iso(now + dt.timedelta(seconds=payment_expiry_s))),
                secrets.token_urlsafe(32),  # 256 bits: the phone's single-use link
            ),
        )
        return current(who, payment_id, base)

    @api.post("/api/v1/payments")
    async def create_payment(
        request: Request,
        authorization: str | None = Header(default=None),
        idempotency_key: str | None = Header(default=None),
    ) -> JSONResponse:
        def replay(who: str, prior: dict[str, Any], base: str) -> dict[str, Any]:
            return current(who, str(prior["payment_id"]), base)  # the payment as it is now

        return await keyed_post(request, authorization, idempotency_key, "payment", check_payment, new_payment, replay)

    @api.post("/api/v1/payments/counter")
    async def counter_payment(
        request: Request,
        authorization: str | None = Header(default=None),
        idempotency_key: str | None = Header(default=None),
    ) -> JSONResponse:
        def create(who: str, body: dict[str, Any], now: dt.datetime, base: str) -> dict[str, Any]:
            conn.execute(
                "INSERT INTO counter_payments VALUES (?, ?, ?, ?, ?, ?, ?)",
                (idempotency_key, who, body["reference"], body["amount"], body["staff_id"], body["paid_at"], iso(now)),
            )
            return {"status": "recorded", "recorded_at": iso(now)}

        return await keyed_post(request, authorization, idempotency_key, "counter", check_counter, create)

    @api.get("/api/v1/payments/{payment_id}")
    def get_payment(
        payment_id: str, request: Request, authorization: str | None = Header(default=None)
    ) -> JSONResponse:
        who = kiosk_for(authorization)
        if isinstance(who, JSONResponse):
            return who
        with lock, db.transaction(conn):
            refresh(conn, clock.now())
            row = find(payment_id, who)
        if row is None:
            return problem(404, "Not found", "no payment with this id for this kiosk")
        return JSONResponse(payment_json(row, str(request.base_url).rstrip("/")))

    @api.post("/api/v1/payments/{payment_id}/cancel")
    def cancel_payment(payment_id: str, authorization: str | None = Header(default=None)) -> Response:
        who = kiosk_for(authorization)
        if isinstance(who, JSONResponse):
            return who
        with lock, db.transaction(conn):
            refresh(conn, clock.now())
            row = find(payment_id, who)
            if row is None:
                return problem(404, "Not found", "no payment with this id for this kiosk")
            if row["status"] in FINISHED:
                detail = f"the payment is already {row['status']}"
                return problem(409, "Payment finished", detail, type_="/problems/payment-finished")
            conn.execute(
                "UPDATE payments SET status='cancelled', code='P0040', form_secret=NULL WHERE payment_id=?",
                (payment_id,),
            )
        return Response(status_code=204)

    # -- the citizen's phone: the simulated provider (no device token) --------------------------

    @api.get("/pay/{token}")
    def open_link(token: str) -> HTMLResponse:
        with lock, db.transaction(conn):
            refresh(conn, clock.now())
            row = conn.execute("SELECT * FROM payments WHERE link_token=?", (token,)).fetchone()
            if row is None:
                return page(*UNKNOWN)
            if row["link_used_at"] is not None:
                return page(
                    410, "This payment link has already been used", "Go back to the kiosk to see what happened."
                )
            secret = secrets.token_urlsafe(32) if row["status"] == "created" else None
            conn.execute(
                "UPDATE payments SET link_used_at=?, form_secret=?, status=? WHERE payment_id=?",
                (iso(clock.now()), secret, "started" if secret else row["status"], row["payment_id"]),
            )
        if secret is None:
            return page(410, "This payment has ended", f"It is {row['status']}. Go back to the kiosk.")
        return provider_page(token, secret, row)

    @api.post("/pay/{token}/outcome")
    async def choose_outcome(token: str, request: Request) -> HTMLResponse:
        form = await _small_form(request)
        choice = form.get("choice", "")
        with lock, db.transaction(conn):
            refresh(conn, clock.now())
            row = conn.execute("SELECT * FROM payments WHERE link_token=?", (token,)).fetchone()
            if row is None:
                return page(*UNKNOWN)
            if row["status"] in FINISHED:
                return page(409, "This payment has ended", f"It is {row['status']}. Go back to the kiosk.")
            known = row["form_secret"] or ""
            if choice not in OUTCOMES or not known or not secrets.compare_digest(form.get("secret", ""), known):
                return page(403, "This form did not come from the payment page", "Go back to the kiosk.")
            status, code = OUTCOMES[choice]
            provider_id = "PAY-" + "".join(secrets.choice(PROVIDER_LETTERS) for _ in range(8)) if code is None else None
            conn.execute(
                "UPDATE payments SET status=?, code=?, provider_id=?, form_secret=NULL WHERE payment_id=?",
                (status, code, provider_id, row["payment_id"]),
            )
        if code is None:
            return page(200, "Payment complete", f"Your payment reference is {provider_id}. Go back to the kiosk.")
        return page(200, MESSAGES[code], "No money was taken. Go back to the kiosk to choose what to do next.")

    # -- administration and tests (not part of the contract) -------------------------------------

    @api.get("/admin/payments")
    def list_payments(x_admin_secret: str | None = Header(default=None)) -> JSONResponse:
        if refused := admin_ok(x_admin_secret):
            return refused
        with lock, db.transaction(conn):
            refresh(conn, clock.now())
            rows = conn.execute("SELECT * FROM payments ORDER BY created_at, rowid").fetchall()
            counter = conn.execute("SELECT * FROM counter_payments ORDER BY recorded_at, rowid").fetchall()
        listed = [
            {k: v for k, v in payment_json(r, "").items() if k != "hand_off_url"}  # the phone's secret, even here
            | {
                "kiosk_id": r["kiosk_id"],
                "submission_id": r["submission_id"],
                "link_used": r["link_used_at"] is not None,
            }
            for r in rows
        ]
        return JSONResponse({"payments": listed, "counter_payments": [dict(r) for r in counter]})

    @api.get("/admin/notifications")
    def list_notifications(x_admin_secret: str | None = Header(default=None)) -> JSONResponse:
        if refused := admin_ok(x_admin_secret):
            return refused
        with lock:
            rows = conn.execute("SELECT * FROM notifications ORDER BY created_at, rowid").fetchall()
        return JSONResponse(
            {"notifications": [dict(r) | {"personalisation": json.loads(r["personalisation"])} for r in rows]}
        )


# -- a submission's payment and receipt ------------------------------------------------------------


def submission_errors(conn: sqlite3.Connection, who: str, body: dict[str, Any]) -> Errors:
    """What is wrong with a submission's `payment` and `receipt_email` (each optional)."""
    wrong = _payment_problems(conn, who, body)
    errors = [{"field": "payment", "message": "payment: " + "; ".join(wrong)}] if wrong else []
    receipt = body.get("receipt_email")
    names = ("template_id", "email_address", "personalisation", "reference")
    if "receipt_email" in body and not (
        isinstance(receipt, dict)
        and not fields(receipt, names) + text(receipt, "template_id") + text(receipt, "reference")
        and isinstance(receipt["email_address"], str)
        and EMAIL.match(receipt["email_address"][:320])
        and isinstance(receipt["personalisation"], dict)
        and len(receipt["personalisation"]) <= 50
        and all(
            isinstance(k, str) and isinstance(v, str) and len(v) <= 10_000
            for k, v in receipt["personalisation"].items()
        )
    ):
        message = "receipt_email must be {template_id, email_address, personalisation (text by name), reference}"
        errors.append({"field": "receipt_email", "message": message})
    return errors


def record_receipt(conn: sqlite3.Connection, who: str, body: dict[str, Any], reference: str, at: str) -> None:
    """The receipt email to send, once per its reference: a second one with the same reference is not recorded."""
    receipt = body.get("receipt_email")
    if isinstance(receipt, dict):
        conn.execute(
            "INSERT INTO notifications VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(reference) DO NOTHING",
            (
                *(receipt["reference"], receipt["template_id"], receipt["email_address"]),
                *(json.dumps(receipt["personalisation"]), reference, who, at),
            ),
        )


def _payment_problems(conn: sqlite3.Connection, who: str, body: dict[str, Any]) -> list[str]:
    if "payment" not in body:
        return []
    value = body["payment"]
    if not isinstance(value, dict):
        return ["it must be an object"]
    wrong = [e["message"] for e in fields(value, ("method", "amount", "status", "payment_id", "provider_id"))]
    wrong += [e["message"] for e in pence(value)]
    if value.get("method") not in ("online", "counter", "later"):
        wrong.append("method must be online, counter or later")
    if value.get("status") not in ("success", "due"):
        wrong.append("status must be success or due")
    wrong += [
        e["message"] + " or null"
        for n in ("payment_id", "provider_id")
        if value.get(n) is not None
        for e in text(value, n, 64)
    ]
    if wrong:
        return wrong
    online = value["method"] == "online"
    if online != (value["status"] == "success"):
        return ["only an online payment can be a success; at the counter or later it is due"]
    if not online and value["provider_id"] is not None:
        return ["a payment that is due has no provider_id"]
    if value["payment_id"] is None:
        return ["an online payment needs its payment_id"] if online else []
    row = _find(conn, value["payment_id"], who)
    if row is None:
        return ["this kiosk made no payment with this payment_id"]
    if not online:
        return ["this payment succeeded: send it as online and success"] if row["status"] == "success" else []
    checks = [
        (row["status"] == "success", f"the payment has not succeeded (it is {row['status']})"),
        (row["amount"] == value["amount"], "the amount is not the payment's"),
        (row["reference"] == body.get("reference"), "the payment was made for another reference"),
        (row["provider_id"] == value["provider_id"], "the provider_id is not the payment's"),
    ]
    return [why for ok, why in checks if not ok]


# -- the phone's pages -------------------------------------------------------------------------------


async def _small_form(request: Request, cap: int = 4096) -> dict[str, str]:
    """A form body of at most `cap` bytes, one value per name (anything else: an empty form)."""
    data = b""
    async for chunk in request.stream():
        data += chunk
        if len(data) > cap:
            return {}
    parsed = parse_qs(data.decode("utf-8", errors="replace"), max_num_fields=10)
    return {name: values[0] for name, values in parsed.items() if len(values) == 1}


def page(status: int, title: str, words: str, forms: str = "") -> HTMLResponse:
    body = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} - training payment</title>
<style>body{{font-family:sans-serif;max-width:36em;margin:1em auto;padding:0 1em;font-size:1.2em}}
.training{{background:#fd0;padding:.5em;font-weight:bold}}button{{font-size:1.1em;padding:.6em;margin:.3em 0;width:100%}}</style>
</head><body><p class="training">Training: no real money</p>
<h1>{html.escape(title)}</h1><p>{html.escape(words)}</p>{forms}</body></html>
"""
    return HTMLResponse(body, status_code=status, headers=PHONE_HEADERS)


def provider_page(token: str, secret: str, row: sqlite3.Row) -> HTMLResponse:
    action = f"/pay/{html.escape(token)}/outcome"
    forms = "".join(
        f'<form method="post" action="{action}"><input type="hidden" name="secret" value="{html.escape(secret)}">'
        f'<input type="hidden" name="choice" value="{choice}"><button type="submit">{label}</button></form>'
        for choice, label in (("pay", "Pay"), ("decline", "Decline the card"), ("cancel", "Cancel"))
    )
    pounds = f"£{row['amount'] // 100:,}.{row['amount'] % 100:02d}"
    words = (
        f"{row['description']}: {pounds}. This is a simulated payment provider for training and tests: "
        "it never asks for a card number. Choose what the card does."
    )
    return page(200, "Pay " + pounds, words, forms)
