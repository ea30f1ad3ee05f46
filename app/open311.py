"""The kiosk's Open311 endpoint: IT connects it, the sync engine delivers to it, check progress asks it.

The endpoint's address, jurisdiction_id and format are kept in the kiosk's state; the api_key is read from
standard input by `dcp-kiosk open311 connect` and kept in the OS keyring under `open311-api-key:<install_id>`,
never in a file, a log line or an argument. Which journeys go there is the journeys' own data
(`delivery.open311`, journeys/delivery.py).
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.config import KioskConfig
from app.enrolment import EnrolError, check_portal_url, check_token
from app.kiosk import CaseStatus, Kiosk
from local_store import KEYRING_SERVICE, Store

if TYPE_CHECKING:
    from journeys.importers import Imported
    from sync.open311 import Open311Client
    from sync.open311_delivery import Open311Target

log = logging.getLogger("init")

FORMATS = ("json", "xml")
MAX_JURISDICTION = 100


class Open311Error(RuntimeError):
    """An Open311 set-up step refused; str() says what to do. Nothing was stored."""


@dataclass(frozen=True)
class Endpoint:
    url: str
    jurisdiction_id: str
    fmt: str


@dataclass(frozen=True)
class Connected:
    endpoint: Endpoint
    services: list[str]  # the codes the endpoint lists
    key_check: str  # what the test report said about the api_key, in words for IT


def api_key_name(store: Store) -> str:
    return f"open311-api-key:{store.install_id}"


def endpoint(store: Store) -> Endpoint | None:
    saved = store.state.open311()
    return Endpoint(saved["url"], saved["jurisdiction_id"], saved["format"] or "json") if saved else None


def _read_key(name: str) -> str | None:
    import keyring

    from sync.client import TokenUnavailable

    try:
        return keyring.get_password(KEYRING_SERVICE, name)
    except Exception as exc:  # any backend failure: no backend, locked, D-Bus gone
        raise TokenUnavailable(f"the keyring cannot be read ({type(exc).__name__})") from None


def make_client(config: KioskConfig, where: Endpoint, api_key: Any = None) -> Open311Client:
    from sync.open311 import Open311Client

    return Open311Client(
        where.url,
        jurisdiction_id=where.jurisdiction_id or None,
        api_key=api_key,
        fmt="xml" if where.fmt == "xml" else "json",
        ca_bundle=config.ca_bundle,
    )


def client_for(config: KioskConfig, store: Store) -> Open311Client | None:
    """A client of the endpoint set up on this kiosk (the api_key read from the keyring when first needed)."""
    where = endpoint(store)
    if where is None:
        return None
    name = api_key_name(store)
    return make_client(config, where, lambda: _read_key(name))


def build_target(config: KioskConfig, store: Store) -> Open311Target | None:
    """The sync engine's Open311 target, or None when no endpoint is set up."""
    client = client_for(config, store)
    if client is None:
        return None
    from app.gazetteer import packs_folder
    from local_store.gazetteer.shelf import PackShelf
    from sync.open311_delivery import Open311Target, pack_coordinates

    return Open311Target(client, store, pack_coordinates(PackShelf(packs_folder(config.data_dir))))


def check_endpoint(url: str, jurisdiction_id: str, fmt: str) -> Endpoint:
    try:
        url = check_portal_url(url)
    except EnrolError as exc:
        raise Open311Error(str(exc).replace("--portal", "--url")) from None
    for suffix in ("/services.json", "/services.xml"):
        url = url.removesuffix(suffix)
    jurisdiction_id = jurisdiction_id.strip()
    if len(jurisdiction_id) > MAX_JURISDICTION or not jurisdiction_id.isprintable():
        raise Open311Error(f"--jurisdiction must be at most {MAX_JURISDICTION} printable characters")
    if fmt not in FORMATS:
        raise Open311Error(f"--format must be json or xml, not {fmt!r}")
    return Endpoint(url, jurisdiction_id, fmt)


def connect(config: KioskConfig, url: str, jurisdiction_id: str, fmt: str, api_key: str) -> Connected:
    """Check the endpoint (its services list) and the key (a test report with nothing in it, which a server
    refuses for the missing service, or for the key), then keep them. Raises Open311Error."""
    from sync.client import Permanent, PortalError, Transient

    where = check_endpoint(url, jurisdiction_id, fmt)
    try:
        key = check_token(api_key)
    except EnrolError:
        raise Open311Error(
            "no api_key on standard input, or not a single word: `dcp-kiosk open311 connect ... < api-key.txt`"
        ) from None
    client = make_client(config, where, key)
    try:
        codes = [str(s["service_code"]) for s in client.services()]
        try:
            client.post([])
            key_check = "the server took a test report with no service in it: check it is an Open311 server"
        except Permanent as exc:
            key_check = (
                f"the api_key was not refused (a test report with nothing in it got HTTP {exc.status}, as it should)"
            )
        except Transient as exc:
            if exc.error_class == "open311_api_key":
                raise Open311Error(
                    "the Open311 server refused this api_key: check it with the council's supplier"
                ) from None
            raise
    except PortalError as exc:
        raise Open311Error(f"could not use the Open311 server at {where.url}: {exc.message}") from None
    finally:
        client.close()
    kiosk = Kiosk(config)
    try:
        import keyring

        try:
            keyring.set_password(KEYRING_SERVICE, api_key_name(kiosk.store), key)
        except Exception as exc:
            raise Open311Error(f"the api_key could not be kept in the keyring ({type(exc).__name__})") from None
        kiosk.store.state.set_open311(where.url, where.jurisdiction_id, where.fmt)
    finally:
        kiosk.close()
    log.info("Open311 endpoint set up: %d services listed", len(codes))
    return Connected(where, codes, key_check)


def disconnect(config: KioskConfig) -> bool:
    """Forget the endpoint and its api_key. Reports for it then wait (nothing is lost). False if none was set up."""
    import keyring
    import keyring.errors

    kiosk = Kiosk(config)
    try:
        was = endpoint(kiosk.store) is not None
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            keyring.delete_password(KEYRING_SERVICE, api_key_name(kiosk.store))
        kiosk.store.state.clear_open311()
    finally:
        kiosk.close()
    return was


def journeys_by_service(kiosk: Kiosk) -> dict[str, list[str]]:
    """service_code -> the cached journeys ("id vN") that deliver to it."""
    found: dict[str, list[str]] = {}
    for entry in kiosk.catalogue():
        definition = kiosk.store.cache.journey(entry.id, entry.version)
        delivery = definition.get("delivery") if isinstance(definition, dict) else None
        o = delivery.get("open311") if isinstance(delivery, dict) else None
        if isinstance(o, dict):
            found.setdefault(str(o.get("service_code")), []).append(f"{entry.id} v{entry.version}")
    return found


def service_bundle(client: Open311Client, service_code: str) -> dict[str, Any]:
    """What the importer reads: the service's entry in the list, and its definition when it has metadata."""
    from sync.client import Permanent

    entry = next((s for s in client.services() if str(s.get("service_code")) == service_code), None)
    if entry is None:
        raise Open311Error(
            f"the Open311 server lists no service {service_code!r}: `dcp-kiosk open311 services` lists them"
        )
    has_metadata = entry.get("metadata") in (True, "true", "True")
    try:
        definition = client.definition(service_code) if has_metadata else None
    except Permanent as exc:
        raise Open311Error(
            f"the Open311 server would not give the definition of {service_code}: {exc.message}"
        ) from None
    return {"service": entry, "definition": definition}


def service_journey(
    config: KioskConfig, service_code: str, *, journey_id: str | None = None, category: str | None = None
) -> Imported:
    """A kiosk journey made from one of the endpoint's services (journeys/importers/open311)."""
    from journeys.importers import import_definition
    from sync.client import PortalError

    kiosk = Kiosk(config)
    try:
        client = client_for(config, kiosk.store)
    finally:
        kiosk.close()
    if client is None:
        raise Open311Error("no Open311 endpoint is set up: run `dcp-kiosk open311 connect` first")
    try:
        bundle = service_bundle(client, service_code)
    except PortalError as exc:
        raise Open311Error(f"could not read the service from the Open311 server: {exc.message}") from None
    finally:
        client.close()
    return import_definition(bundle, "open311", journey_id=journey_id, category=category)


def case_status(client: Open311Client | None, reference: str, service_request_id: str) -> CaseStatus:
    """A delivered report's status from the Open311 server (blocking: off the UI thread). Never raises for the network."""
    if client is None:
        return CaseStatus("unavailable", reference)
    from sync.client import PortalError

    try:
        found = client.request(service_request_id)
    except PortalError:
        return CaseStatus("unavailable", reference)
    finally:
        client.close()
    if found is None:
        return CaseStatus("not_found", reference)
    status = str(found.get("status") or "").strip().lower()
    when = found.get("requested_datetime")
    return CaseStatus(
        "found",
        reference,
        status if status in ("open", "closed") else "received",
        when if isinstance(when, str) else None,
    )


__all__ = [
    "Connected",
    "Endpoint",
    "Open311Error",
    "api_key_name",
    "build_target",
    "case_status",
    "client_for",
    "connect",
    "disconnect",
    "endpoint",
    "journeys_by_service",
    "service_journey",
]
