"""HttpCaller: one request at a time within a size cap and a total deadline, every failure a clear Transient.

The portal client (sync/client.py) and the Open311 client (sync/open311.py) are both one of these: httpx
with the kiosk's TLS settings (sync/tls.py), a deadline on every connection it makes (sync/deadline.py),
and each answer read within limits (sync/answers.py). `what` names the server in the messages ("the
portal", "the Open311 server").
"""

from __future__ import annotations

import time
from typing import Any, BinaryIO

import httpx

from sync.answers import MAX_RESPONSE_BYTES, Answer, Refused, read_body, stream_to
from sync.deadline import DeadlineBackend, install
from sync.errors import Transient
from sync.tls import tls_context, tls_problem

# Per operation (connect, each read, each write), and below it a total for the whole request:
# a server that drips its answer one byte at a time is given up on at the deadline.
TIMEOUT = httpx.Timeout(connect=5.0, read=10.0, write=10.0, pool=5.0)
REQUEST_DEADLINE = 30.0


class HttpCaller:
    what = "the portal"

    def __init__(
        self,
        base_url: str,
        *,
        headers: dict[str, str],
        transport: httpx.BaseTransport | None = None,
        ca_bundle: str | None = None,
        timeout: httpx.Timeout = TIMEOUT,
        deadline: float | None = None,
    ) -> None:
        self.deadline = REQUEST_DEADLINE if deadline is None else deadline
        self._backend = DeadlineBackend()
        self._http = httpx.Client(
            base_url=base_url,
            headers={"User-Agent": "dcp-kiosk/1", **headers},
            timeout=timeout,
            verify=tls_context(ca_bundle),
            transport=transport,  # None: httpx's own, and the proxies from the environment
        )
        if transport is None:  # every connection httpx makes gets the deadline, proxied ones too
            for made in [self._http._transport, *self._http._mounts.values()]:
                install(made, self._backend)

    def close(self) -> None:
        self._http.close()

    def abort(self) -> None:
        """From any thread: cut the request on the wire (it fails as `stopped`); used when closing."""
        self._backend.abort()

    def _authorization(self) -> dict[str, str]:
        return {}

    def _request(
        self,
        method: str,
        path: str,
        *,
        cap: int = MAX_RESPONSE_BYTES,
        headers: dict[str, str] | None = None,
        into: BinaryIO | None = None,
        seconds: float | None = None,
        **kwargs: Any,
    ) -> Answer:
        """One request, within the size cap and the total deadline; a clear Transient for any failure.

        With `into`, a 200's body is written there as it arrives (a download) and the Answer's content is empty."""
        headers = {**self._authorization(), **(headers or {})}
        deadline = time.monotonic() + (self.deadline if seconds is None else seconds)
        self._backend.deadline = deadline
        what = self.what
        try:
            with self._http.stream(method, path, headers=headers, **kwargs) as response:
                if into is not None and response.status_code == 200:
                    stream_to(response, into, cap, deadline)
                    return Answer(response.status_code, response.headers, b"")
                body = read_body(response, cap if into is None else MAX_RESPONSE_BYTES, deadline)
                return Answer(response.status_code, response.headers, body)
        except Refused as exc:
            raise Transient(exc.error_class, exc.message.replace("the portal", what)) from None
        except httpx.TimeoutException as exc:
            raise Transient("timeout", f"no answer from {what} in time ({type(exc).__name__})") from None
        except httpx.DecodingError:
            raise Transient("not_contract", f"{what}'s answer could not be decoded") from None
        except httpx.RequestError as exc:  # connect errors, dropped connections, bad TLS
            if self._backend.aborted:
                raise Transient("stopped", "the request was stopped (the kiosk is closing)") from None
            tls = tls_problem(exc)
            if tls is not None:
                raise Transient("tls", f"{what} refused a safe connection: {tls}") from None
            raise Transient("unreachable", f"could not reach {what} ({type(exc).__name__})") from None
        finally:
            self._backend.deadline = None


__all__ = ["REQUEST_DEADLINE", "TIMEOUT", "HttpCaller"]
