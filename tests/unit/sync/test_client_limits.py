"""PortalClient's limits on what comes from outside (httpx.MockTransport): size, depth, an absurd
clock, a Retry-After date on the portal's clock, a redirect, and a token the keyring cannot give."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from email.utils import format_datetime

import httpx
import pytest

from sync.answers import MAX_CATALOGUE_BYTES, MAX_RESPONSE_BYTES
from sync.client import Permanent, PortalClient, TokenUnavailable, Transient

DEEP = "[" * 100_000 + "]" * 100_000


def client_for(handler: Callable[[httpx.Request], httpx.Response], token: object = "tok") -> PortalClient:
    return PortalClient("https://portal.test", token, transport=httpx.MockTransport(handler))  # type: ignore[arg-type]


def payload() -> dict:
    return {"submission_id": "s-1", "reference": "DCP-7KQM-2XHD", "answers": {}}


class Endless(httpx.SyncByteStream):
    """A body that never ends on its own; counts what was read of it."""

    def __init__(self, prefix: bytes) -> None:
        self.prefix = prefix
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        yield self.prefix
        while True:
            self.sent += 65_536
            yield b"x" * 65_536


@pytest.mark.parametrize("call", ["health", "submit", "catalogue"])
def test_a_very_deep_answer_is_a_clear_refusal_not_a_recursion_error(call: str) -> None:
    client = client_for(lambda r: httpx.Response(201, text=DEEP, headers={"content-type": "application/json"}))
    with pytest.raises(Transient) as refused:
        if call == "health":
            client.health()
        elif call == "submit":
            client.submit(payload(), "s-1")
        else:
            client.catalogue(None)
    assert refused.value.error_class == "not_contract" and "deep" in refused.value.message


def test_a_moderately_deep_answer_is_refused_too() -> None:
    body = '{"reference": "R", "status": "received", "x": ' + "[" * 500 + "]" * 500 + "}"
    client = client_for(lambda r: httpx.Response(201, text=body, headers={"content-type": "application/json"}))
    with pytest.raises(Transient, match="deep"):
        client.submit(payload(), "s-1")


@pytest.mark.parametrize(("path", "cap"), [("/submissions", MAX_RESPONSE_BYTES), ("/catalogue", MAX_CATALOGUE_BYTES)])
def test_an_endless_answer_is_refused_at_the_cap_while_streaming(path: str, cap: int) -> None:
    stream = Endless(b'{"journeys": "')
    client = client_for(lambda r: httpx.Response(200, stream=stream, headers={"content-type": "application/json"}))
    with pytest.raises((Transient, Permanent)) as refused:
        client.submit(payload(), "s-1") if path == "/submissions" else client.catalogue(None)
    # an answer too large is the portal unwell; a catalogue too large is a catalogue not to use
    assert refused.value.error_class == ("too_large" if path == "/submissions" else "bad_catalogue")
    assert "larger than the limit" in refused.value.message
    assert cap <= stream.sent <= cap + 2 * 65_536  # stopped at the cap, not at the end


def test_a_declared_length_over_the_cap_is_refused_before_reading() -> None:
    stream = Endless(b"")
    headers = {"content-type": "application/json", "content-length": str(10 * MAX_RESPONSE_BYTES)}
    client = client_for(lambda r: httpx.Response(201, stream=stream, headers=headers))
    with pytest.raises(Transient, match="larger"):
        client.submit(payload(), "s-1")
    assert stream.sent == 0


@pytest.mark.parametrize(
    "value", ["0001-01-01T00:00:00+00:00", "0001-01-01T00:00:00", "2026-11-25T10:00:00", "9999-12-31T23:59:59+00:00", 5]
)
def test_an_absurd_or_naive_server_time_is_not_contract(value: object) -> None:
    client = client_for(lambda r: httpx.Response(200, json={"status": "ok", "server_time": value}))
    with pytest.raises(Transient) as refused:
        client.health()
    assert refused.value.error_class == "not_contract" and "server_time" in refused.value.message


def test_a_retry_after_date_is_read_on_the_portals_clock() -> None:
    """The portal's clock is three hours ahead: 'retry at portal-now + 60 s' is 60 s, not 3 h."""
    ahead = dt.timedelta(hours=3)

    def handler(request: httpx.Request) -> httpx.Response:
        portal_now = dt.datetime.now(dt.UTC) + ahead
        if request.url.path.endswith("/health"):
            return httpx.Response(200, json={"status": "ok", "server_time": portal_now.isoformat()})
        when = format_datetime(portal_now + dt.timedelta(seconds=60), usegmt=True)
        return httpx.Response(503, headers={"Retry-After": when})

    client = client_for(handler)
    client.health()
    with pytest.raises(Transient) as busy:
        client.submit(payload(), "s-1")
    assert busy.value.retry_after is not None and 30 <= busy.value.retry_after <= 90


def test_a_redirect_is_not_followed_and_says_where_it_went() -> None:
    client = client_for(lambda r: httpx.Response(302, headers={"Location": "https://wifi.example/login"}))
    with pytest.raises(Transient) as refused:
        client.submit(payload(), "s-1")
    assert refused.value.error_class == "not_contract" and "wifi.example" in refused.value.message


def test_a_token_the_keyring_cannot_give_is_not_a_refused_token() -> None:
    calls: list[str] = []

    def token() -> str:
        calls.append("x")
        if len(calls) == 1:
            raise TokenUnavailable("no usable keyring (KeyringLocked)")
        return "tok"

    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("Authorization", ""))
        return httpx.Response(200, json={"status": "ok", "server_time": dt.datetime.now(dt.UTC).isoformat()})

    client = client_for(handler, token)
    with pytest.raises(TokenUnavailable) as locked:
        client.health()
    assert locked.value.error_class == "keyring_unavailable" and isinstance(locked.value, Transient)
    assert seen == []  # nothing went out without the token
    client.health()
    client.health()
    assert seen == ["Bearer tok", "Bearer tok"] and len(calls) == 2  # read again until it works, then kept


def test_a_proxy_from_the_environment_is_kept_and_gets_the_deadline_too(monkeypatch: pytest.MonkeyPatch) -> None:
    from sync.deadline import DeadlineBackend

    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    client = PortalClient("https://portal.test", "tok")
    made = [client._http._transport, *client._http._mounts.values()]
    pools = [type(t._pool).__name__ for t in made if t is not None]  # type: ignore[attr-defined]
    assert "HTTPProxy" in pools  # the council's proxy is still used
    assert all(isinstance(t._pool._network_backend, DeadlineBackend) for t in made if t is not None)  # type: ignore[attr-defined]
    client.close()
