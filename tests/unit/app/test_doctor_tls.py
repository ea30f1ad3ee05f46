"""doctor checks the portal with TLS verified: an untrusted certificate fails, the council's CA bundle fixes it."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app import doctor
from app.config import load_config
from tests.helpers import make_kiosk


@pytest.fixture(autouse=True)
def voices_found(monkeypatch: pytest.MonkeyPatch) -> None:
    """Speech is not what these tests are about: a voice for every language, without starting an engine."""
    found = {
        lang: {"voice": f"voice-{lang}", "locale": lang, "voices": [f"voice-{lang}"]} for lang in doctor.LANGUAGE_NAMES
    }
    monkeypatch.setattr(doctor, "speech_report", lambda engine: {"engine": engine, "error": None, "languages": found})


def self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Council CA")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "portal.pem", folder / "portal.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


class Health(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps({"status": "ok", "server_time": dt.datetime.now(dt.UTC).isoformat()}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def tls_portal(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    cert, key = self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Health)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}", cert
    server.shutdown()
    server.server_close()
    thread.join(5)


def portal_checks(data: Path, **overrides: str) -> dict[str, doctor.Check]:
    checks = doctor.run_checks(lambda: load_config(data_dir=data, environ=overrides))
    return {c.name: c for c in checks}


def test_an_untrusted_certificate_fails_and_the_ca_bundle_fixes_it(tmp_path: Path, tls_portal) -> None:
    url, cert = tls_portal
    kiosk = make_kiosk(tmp_path / "k", training=False)
    kiosk.enrol(url, "kiosk-1", "site-1", "tok")
    kiosk.close()

    untrusted = portal_checks(tmp_path / "k")["portal"]
    assert untrusted.status == "fail"
    assert "certificate is self-signed" in untrusted.detail
    assert "ca_bundle" in untrusted.fix

    trusted = portal_checks(tmp_path / "k", DCP_KIOSK_CA_BUNDLE=str(cert))
    assert trusted["portal"].status == "ok" and "TLS verified" in trusted["portal"].detail
    assert trusted["clock"].status == "ok"
