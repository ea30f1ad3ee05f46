"""The address pack (placeholder until the pack builder lands: no file opens as a pack yet, so a
kiosk types addresses, as with no pack)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from local_store.gazetteer.address import Address, Found


class PackError(Exception):
    """Not a usable address pack; str() says why."""


@dataclass(frozen=True)
class PackMeta:
    version: str
    built_at: str
    addresses: int
    custodian_name: str
    custodian_code: str
    source_sha256: str


class Pack:
    meta: PackMeta

    @classmethod
    def open(cls, path: Path) -> Pack:
        raise PackError("this kiosk cannot read address packs yet")

    def search(self, text: str, limit: int = 8) -> Found:
        return Found(())

    def by_uprn(self, uprn: str) -> Address | None:
        return None

    def has_postcode(self, postcode: str) -> bool:
        return False

    def close(self) -> None:
        pass
