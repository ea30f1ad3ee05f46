"""A small portal on 127.0.0.1 that misbehaves on request: raw sockets in threads, HTTP/1.1, TLS optional.

It speaks enough of the v1 contract for the real PortalClient and SyncEngine (health, catalogue,
journeys, submissions with idempotency keys, heartbeat), keeps what it committed (so a test can
count duplicates), and, for the paths a `Fault` names, does what a broken network or portal
does: hang, reset before or after committing, drip one byte at a time, answer 5xx/429 with a
Retry-After, a captive portal's 200 page, malformed or wrong-shaped 201s, redirects, very deep or
very large bodies. TLS with a certificate that is fine, self-signed, for another host, expired, or
from a CA the kiosk does not know (made with `cryptography`). `clock_offset` moves its clock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import json
import socket
import ssl
import struct
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import format_datetime
from functools import cache
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parents[2]
JOURNEY = json.loads((ROOT / "journeys" / "training" / "missed-bin.json").read_text(encoding="utf-8"))
CATALOGUE = {
    "schema_version": 1,
    "journeys": [
        {
            "id": JOURNEY["id"],
            "version": JOURNEY["version"],
            "title": JOURNEY["title"],
            "summary": JOURNEY["summary"],
            "category": JOURNEY["category"],
        }
    ],
}
TLS_KINDS = ("good", "self_signed", "wrong_host", "expired", "unknown_ca")


@dataclass
class Fault:
    """What the server does for requests whose path starts with `path` (for `count` requests, or always).

    kind: hang, reset_before, reset_after (commit, then reset: the answer is lost), drip (a valid
    answer, one byte every `delay` s), status (HTTP `status` with `retry_after`), captive (200 HTML),
    malformed (201 JSON that is not JSON), wrong_shape (201 JSON without a reference), redirect
    (302), deep (201 JSON nested `depth` levels), huge (a JSON body of `size` bytes), body (200
    with `body` as JSON)."""

    kind: str
    path: str = "/api/v1/submissions"
    count: int | None = None
    status: int = 503
    retry_after: str | None = None
    delay: float = 2.0
    depth: int = 100_000
    size: int = 50_000_000
    body: Any = None


@dataclass
class Misbehaving:
    tls: str | None = None  # one of TLS_KINDS, or None for plain http
    clock_offset: float = 0.0  # seconds added to the server's clock
    fault: Fault | None = None
    committed: dict[str, dict[str, Any]] = field(default_factory=dict)  # Idempotency-Key -> payload
    commits: Counter[str] = field(default_factory=Counter)
    seen: list[tuple[str, str]] = field(default_factory=list)  # (method, path) of every request
    url: str = ""
    ca_file: Path | None = None  # the CA that signed the certificate (give it to the client as ca_bundle)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._conns: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self.arrived = threading.Event()  # set when a faulty request has arrived

    # -- life -----------------------------------------------------------------------------------

    def start(self, workdir: Path) -> Misbehaving:
        self._context = None
        if self.tls is not None:
            self._context, self.ca_file = server_context(self.tls, workdir)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        port = self._listener.getsockname()[1]
        self.url = f"{'https' if self.tls else 'http'}://127.0.0.1:{port}"
        thread = threading.Thread(target=self._accept, name="misbehaving", daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            for conn in self._conns:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
                conn.close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._listener.close()

    def set_fault(self, fault: Fault | None) -> None:
        with self._lock:
            self.fault = fault
            self.arrived.clear()

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + dt.timedelta(seconds=self.clock_offset)

    # -- connections ----------------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            thread.start()
            with self._lock:
                self._threads.append(thread)

    def _serve(self, raw: socket.socket) -> None:
        conn = raw
        try:
            raw.settimeout(10)
            if self._context is not None:
                conn = self._context.wrap_socket(raw, server_side=True)
            with self._lock:
                self._conns.append(conn)
            reader = conn.makefile("rb")
            while not self._stop.is_set():
                request = read_request(reader)
                if request is None:
                    return
                if not self._answer(conn, *request):
                    return
        except (OSError, ssl.SSLError, ValueError):
            return
        finally:
            with contextlib.suppress(OSError):
                conn.close()

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            fault = self.fault
            if fault is None or not path.startswith(fault.path):
                return None
            if fault.count is not None:
                fault.count -= 1
                if fault.count <= 0:
                    self.fault = None
            self.arrived.set()
            return fault

    def _answer(self, conn: socket.socket, method: str, path: str, headers: dict[str, str], body: bytes) -> bool:
        """Answer one request; False when the connection must end."""
        self.seen.append((method, path))
        fault = self._take_fault(path)
        kind = fault.kind if fault else None
        if fault is not None and kind == "hang":
            self._stop.wait()
            return False
        if fault is not None and kind == "reset_before":
            reset(conn)
            return False
        status, payload, extra = self._contract(method, path, headers, body)
        if fault is None:
            conn.sendall(response(status, payload, extra))
            return True
        if kind == "reset_after":
            reset(conn)
            return False
        if kind == "drip":
            for byte in response(status, payload, extra):
                if self._stop.wait(fault.delay):
                    return False
                conn.sendall(bytes([byte]))
            return True
        if kind == "huge":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
            chunk = b'"' + b"x" * 65_534 + b'"'
            sent = 0
            with contextlib.suppress(OSError):
                while sent < fault.size and not self._stop.is_set():
                    conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    sent += len(chunk)
            return False
        conn.sendall(self._faulty(fault, status, payload, extra))
        return True

    def _faulty(self, fault: Fault, status: int, payload: Any, extra: dict[str, str]) -> bytes:
        kind = fault.kind
        if kind == "status":
            headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
            problem = {"type": "about:blank", "title": "unwell", "status": fault.status, "detail": "try later"}
            return response(fault.status, problem, headers, ctype="application/problem+json")
        if kind == "captive":
            return response(200, "<html><body>Please sign in to the guest Wi-Fi</body></html>", ctype="text/html")
        if kind == "malformed":
            return response(201, '{"reference": "DCP-', ctype="application/json")
        if kind == "wrong_shape":
            return response(201, {"ok": True, "reference": 12345})
        if kind == "redirect":
            return response(302, "", {"Location": "http://127.0.0.1:9/login"}, ctype="text/html")
        if kind == "deep":
            return response(201, "[" * fault.depth + "]" * fault.depth, ctype="application/json")
        if kind == "body":
            return response(200, fault.body)
        raise AssertionError(f"unknown fault {kind}")

    # -- the contract ---------------------------------------------------------------------------

    def _contract(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, Any, dict[str, str]]:
        if not headers.get("authorization", "").startswith("Bearer ") and path != "/api/v1/health":
            return 401, {"type": "about:blank", "title": "no token", "status": 401}, {}
        if path == "/api/v1/health":
            return 200, {"status": "ok", "server_time": self.now().isoformat(), "api_version": "1"}, {}
        if path == "/api/v1/catalogue":
            return 200, CATALOGUE, {"ETag": '"v1"'}
        if path == f"/api/v1/journeys/{JOURNEY['id']}/{JOURNEY['version']}":
            return 200, JOURNEY, {}
        if path.startswith("/api/v1/kiosks/") and method == "POST":
            return 200, {"status": "ok", "server_time": self.now().isoformat()}, {}
        if path == "/api/v1/submissions" and method == "POST":
            key = headers.get("idempotency-key", "")
            submission = json.loads(body)
            with self._lock:
                if key not in self.committed:
                    self.committed[key] = submission
                    self.commits[key] += 1
                    status = 201
                else:
                    status = 200
            return status, {"reference": self.committed[key]["reference"], "status": "received"}, {}
        return 404, {"type": "about:blank", "title": "not found", "status": 404}, {}

    def http_date(self, seconds_from_now: float) -> str:
        """An HTTP date on this server's clock."""
        return format_datetime(self.now() + dt.timedelta(seconds=seconds_from_now), usegmt=True)


@contextlib.contextmanager
def misbehaving(workdir: Path, **kwargs: Any) -> Iterator[Misbehaving]:
    server = Misbehaving(**kwargs).start(workdir)
    try:
        yield server
    finally:
        server.stop()


def read_request(reader: Any) -> tuple[str, str, dict[str, str], bytes] | None:
    line = reader.readline(65_536)
    if not line:
        return None
    method, path, _ = line.decode("latin-1").split(" ", 2)
    headers: dict[str, str] = {}
    while True:
        header = reader.readline(65_536).decode("latin-1")
        if header in ("\r\n", "\n", ""):
            break
        name, _, value = header.partition(":")
        headers[name.strip().lower()] = value.strip()
    body = reader.read(int(headers.get("content-length", "0") or 0))
    return method, path, headers, body


def response(status: int, payload: Any, headers: dict[str, str] | None = None, ctype: str | None = None) -> bytes:
    body = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
    lines = [f"HTTP/1.1 {status} X", f"Content-Type: {ctype or 'application/json'}", f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def reset(conn: socket.socket) -> None:
    """Close with a TCP reset (RST), as a dropped middlebox or a crashed server does."""
    with contextlib.suppress(OSError):
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


# -- certificates -------------------------------------------------------------------------------


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


@cache
def _authority() -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("dcp test CA"))
        .issuer_name(_name("dcp test CA"))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True)
        .sign(key, hashes.SHA256())
    )
    return key, cert


@cache
def _leaf(kind: str) -> tuple[bytes, bytes]:
    """(certificate PEM, key PEM) for the server, as `kind` says."""
    ca_key, ca_cert = _authority()
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    alt: list[x509.GeneralName] = [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
    if kind == "wrong_host":
        alt = [x509.DNSName("portal.example.invalid")]
    start, end = now - dt.timedelta(days=1), now + dt.timedelta(days=30)
    if kind == "expired":
        start, end = now - dt.timedelta(days=60), now - dt.timedelta(days=30)
    issuer, signer = (_name("127.0.0.1"), key) if kind == "self_signed" else (ca_cert.subject, ca_key)
    if kind == "unknown_ca":
        other = ec.generate_private_key(ec.SECP256R1())
        issuer, signer = _name("somebody else's CA"), other
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .sign(signer, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def server_context(kind: str, workdir: Path) -> tuple[ssl.SSLContext, Path]:
    """The server's TLS context for `kind`, and the test CA's file (what a kiosk would trust)."""
    cert_pem, key_pem = _leaf(kind)
    (workdir / "server.pem").write_bytes(cert_pem + key_pem)
    ca_file = workdir / "ca.pem"
    ca_file.write_bytes(_authority()[1].public_bytes(serialization.Encoding.PEM))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(workdir / "server.pem")
    return context, ca_file


__all__ = ["CATALOGUE", "JOURNEY", "TLS_KINDS", "Fault", "Misbehaving", "misbehaving"]
