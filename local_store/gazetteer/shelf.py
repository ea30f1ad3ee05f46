"""Where a kiosk keeps its address packs, and the atomic switch from one to the next.

The folder holds each pack as `gazetteer-<version>.sqlite` and a pointer, `gazetteer.json`, naming
the one in use. A new pack is downloaded beside them (`*.part`), checked (its hash, then that it
opens as a pack), renamed into place, and only then does the pointer change (written to a temporary
file and renamed over the old one, so it is always either the old pointer or the new). A pack that
fails any check never becomes current: the last good one stays. The one before the current is kept
too, so a search that opened it just before the switch finishes; older ones are removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from local_store.gazetteer.pack import Pack, PackError

__all__ = ["Installed", "PackShelf"]

POINTER = "gazetteer.json"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Installed:
    """The pack in use: its version, hash, file and when it was switched to."""

    version: str
    sha256: str
    path: Path
    installed_at: float


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _safe_version(version: str) -> bool:
    return 0 < len(version) <= 64 and all(c.isascii() and (c.isalnum() or c in "._-") for c in version)


class PackShelf:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def current(self) -> Installed | None:
        """The pack in use, or None (none yet, or a pointer that names no file: typing it is, then)."""
        try:
            data = json.loads((self.folder / POINTER).read_text(encoding="utf-8"))
            version, sha256, installed_at = str(data["version"]), str(data["sha256"]), float(data["installed_at"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        path = self.folder / f"gazetteer-{version}.sqlite"
        if not _safe_version(version) or not path.is_file():
            return None
        return Installed(version, sha256, path, installed_at)

    def part_file(self) -> Path:
        """A fresh file to download into, in the same folder (so the rename into place is atomic)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return self.folder / f"download-{os.getpid()}-{time.monotonic_ns()}.part"

    def install(self, downloaded: Path, version: str, sha256: str) -> Installed:
        """Make `downloaded` the pack in use, if its hash is `sha256` and it opens as a pack.

        PackError says why not; the file is removed then, and the pack in use is untouched."""
        try:
            if not _safe_version(version):
                raise PackError(f"the pack's version {version[:80]!r} cannot name a file")
            actual = file_sha256(downloaded)
            if actual != sha256:
                raise PackError(
                    f"the downloaded pack's SHA-256 is {actual[:16]}..., not {sha256[:16]}... as the catalogue says"
                )
            Pack.open(downloaded).close()  # the schema and the meta: a pack this kiosk can search
            final = self.folder / f"gazetteer-{version}.sqlite"
            _fsync(downloaded)
            os.replace(downloaded, final)
        except BaseException:
            downloaded.unlink(missing_ok=True)
            raise
        installed = Installed(version, sha256, final, time.time())
        pointer = self.folder / f"{POINTER}.{os.getpid()}.tmp"
        pointer.write_text(
            json.dumps({"version": version, "sha256": sha256, "installed_at": installed.installed_at}), encoding="utf-8"
        )
        _fsync(pointer)
        os.replace(pointer, self.folder / POINTER)
        _fsync_dir(self.folder)
        self._prune(keep={final.name})
        return installed

    def _prune(self, keep: set[str]) -> None:
        """Remove all but the current pack and the newest one before it, and any leftover download."""
        packs = sorted(self.folder.glob("gazetteer-*.sqlite"), key=lambda p: p.stat().st_mtime, reverse=True)
        older = [p for p in packs if p.name not in keep]
        for stale in [*older[1:], *self.folder.glob("*.part")]:
            with contextlib.suppress(OSError):  # still open elsewhere (Windows): removed next time
                stale.unlink()


def _fsync(path: Path) -> None:
    with path.open("rb+") as f:
        os.fsync(f.fileno())


def _fsync_dir(folder: Path) -> None:
    if os.name == "posix":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
