"""Shared by the store benchmarks: an in-memory keyring and percentile helpers (no test imports)."""

from __future__ import annotations

import statistics

import keyring
from keyring.backend import KeyringBackend


class BenchKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


def use_memory_keyring() -> None:
    keyring.set_keyring(BenchKeyring())


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (0-100) of `values`, by the inclusive method."""
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]
