"""Enrolment: check a device token against the portal, then keep it in the OS keyring.

The token reaches the kiosk on standard input only (never as an argument, which any user can
read in the process list, nor in the configuration file); it is stored in the keyring under
`device-token:<install_id>` and never written to the log.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import keyring
import keyring.errors

from app.config import KioskConfig
from app.kiosk import Kiosk, token_name
from journeys.models import JourneyFormatError, parse_catalogue
from local_store import KEYRING_SERVICE
from sync.client import AuthFailed, PortalClient, PortalError

log = logging.getLogger("init")

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class EnrolError(RuntimeError):
    """Enrolment refused; str() says what to do. Nothing was stored."""


@dataclass(frozen=True)
class EnrolResult:
    portal_url: str
    kiosk_id: str
    site_id: str
    journeys: int


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_portal_url(url: str) -> str:
    """The portal's base address: https, or http on this machine only (the reference portal)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise EnrolError(f"--portal must be an address such as https://portal.example.gov.uk, not {url!r}")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise EnrolError("--portal must use https:// (plain http is only allowed for a portal on this machine)")
    if parts.query or parts.fragment or parts.username:
        raise EnrolError("--portal must be a plain address, without a query, fragment or user name")
    return url.strip().rstrip("/")


def check_id(flag: str, value: str) -> str:
    if not ID_PATTERN.match(value):
        raise EnrolError(f"{flag} must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit")
    return value


def check_token(token: str) -> str:
    token = token.strip()
    if not token:
        raise EnrolError("no device token on standard input: pipe it in, e.g. `dcp-kiosk enrol ... < token.txt`")
    if any(c.isspace() for c in token) or len(token) > 4096:
        raise EnrolError("the device token on standard input is not a single word: check what was pasted")
    return token


def enrol(config: KioskConfig, portal_url: str, kiosk_id: str, site_id: str, token: str) -> EnrolResult:
    """Check the token against the portal (GET /catalogue), then store it. Raises EnrolError."""
    url = check_portal_url(portal_url)
    check_id("--kiosk-id", kiosk_id)
    check_id("--site", site_id)
    token = check_token(token)
    client = PortalClient(url, token, ca_bundle=config.ca_bundle)
    try:
        catalogue, _ = client.catalogue(None)
    except AuthFailed as exc:
        what = "does not know this token (401)" if exc.status == 401 else "has revoked this token (403)"
        raise EnrolError(f"the portal {what}: ask for a new token for kiosk {kiosk_id}") from None
    except PortalError as exc:
        raise EnrolError(f"could not check the token with the portal at {url}: {exc.message}") from None
    finally:
        client.close()
    try:
        journeys = len(parse_catalogue(catalogue).journeys) if catalogue is not None else 0
    except JourneyFormatError as exc:
        raise EnrolError(
            f"the portal at {url} accepted the token but its catalogue is not in the journey format ({exc}): "
            "is this the council's portal address? Nothing was stored"
        ) from None
    kiosk = Kiosk(config)
    try:
        kiosk.enrol(url, kiosk_id, site_id, token)  # clears a stop on the old token
        try:  # fetch the catalogue now, so the home screen has services at the first start
            with kiosk.sync_engine() as engine:
                engine.refresh_catalogue()
        except PortalError as exc:
            log.warning("catalogue not fetched at enrolment: %s", exc.error_class)
    finally:
        kiosk.close()
    log.info("enrolment checked with the portal: %d journeys offered", journeys)
    return EnrolResult(url, kiosk_id, site_id, journeys)


def unenrol(config: KioskConfig) -> bool:
    """Forget the portal, the ids and the device token. False if the kiosk was not enrolled."""
    kiosk = Kiosk(config)
    try:
        was = kiosk.enrolment() is not None
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            keyring.delete_password(KEYRING_SERVICE, token_name(kiosk.store))
        kiosk.store.state.unenrol()
    finally:
        kiosk.close()
    log.info("unenrolled")
    return was
