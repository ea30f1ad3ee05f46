"""A total time limit on each request, and a way to cut what is on the wire from another thread.

httpx's timeouts are per operation: a server that sends one byte every few seconds never trips
them and holds a request forever. `DeadlineBackend` wraps httpcore's socket backend, so every
connect, TLS handshake, read and write is given at most the time left before the request's
deadline (set by the client around each request). `abort()`, from any thread, shuts down the
sockets it made, which wakes a thread blocked on one of them at once: closing the kiosk never
waits on a stuck request.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import weakref
from collections.abc import Iterable
from typing import Any

import httpcore


class DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()
        self.deadline: float | None = None  # time.monotonic() by which the current request must end
        self.aborted = False
        self._lock = threading.Lock()
        self._streams: weakref.WeakSet[DeadlineStream] = weakref.WeakSet()

    def left(self, timeout: float | None, expired: type[Exception]) -> float | None:
        """The timeout for one operation: the configured one, never past the deadline."""
        if self.aborted:
            raise httpcore.ReadError("the request was stopped")
        if self.deadline is None:
            return timeout
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise expired("the request's total time limit has passed")
        return remaining if timeout is None else min(timeout, remaining)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        timeout = self.left(timeout, httpcore.ConnectTimeout)
        return self.track(self._inner.connect_tcp(host, port, timeout, local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:  # pragma: no cover - the portal is never on a unix socket
        timeout = self.left(timeout, httpcore.ConnectTimeout)
        return self.track(self._inner.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:  # pragma: no cover - httpcore sleeps only for retries
        self._inner.sleep(seconds)

    def track(self, stream: httpcore.NetworkStream) -> DeadlineStream:
        wrapped = DeadlineStream(stream, self)
        with self._lock:
            self._streams.add(wrapped)
            aborted = self.aborted
        if aborted:  # abort() ran while this one was connecting
            wrapped.shutdown()
        return wrapped

    def abort(self) -> None:
        """From any thread: cut every connection; requests fail at once, new ones are refused."""
        with self._lock:
            self.aborted = True
            streams = list(self._streams)
        for stream in streams:
            stream.shutdown()


class DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream, backend: DeadlineBackend) -> None:
        self._inner = inner
        self._backend = backend

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._backend.left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._backend.left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        timeout = self._backend.left(timeout, httpcore.ConnectTimeout)
        return self._backend.track(self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)

    def shutdown(self) -> None:
        """Shut the socket down (not close: another thread may be blocked on it, and shutdown wakes it)."""
        sock = self._inner.get_extra_info("socket")
        if isinstance(sock, socket.socket):
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the plain socket's, also under TLS


def install(transport: Any, backend: DeadlineBackend) -> bool:
    """Put `backend` under an httpx HTTPTransport's connection pool (before its first request)."""
    pool = getattr(transport, "_pool", None)
    if pool is None or not hasattr(pool, "_network_backend"):
        return False
    pool._network_backend = backend
    return True


__all__ = ["DeadlineBackend", "install"]
