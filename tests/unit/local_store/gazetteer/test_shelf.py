"""The shelf of address packs: a pack becomes current only with the catalogue's hash and when it opens as a
pack; the switch is one rename of the pointer; the one before is kept, older ones go."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from local_store.gazetteer import BuildReport, PackError
from local_store.gazetteer.shelf import PackShelf, file_sha256
from reference_portal.gazetteer_data import Summary


@pytest.fixture
def pack_file(built: tuple[Summary, BuildReport, Path]) -> Path:
    return built[2]


def _download(shelf: PackShelf, source: Path | bytes) -> Path:
    """A download, as the sync thread leaves it: a part file in the shelf's folder."""
    part = shelf.part_file()
    if isinstance(source, bytes):
        part.write_bytes(source)
    else:
        shutil.copyfile(source, part)
    return part


def test_a_checked_pack_becomes_current(tmp_path: Path, pack_file: Path) -> None:
    shelf = PackShelf(tmp_path / "packs")
    assert shelf.current() is None
    installed = shelf.install(_download(shelf, pack_file), "v1", file_sha256(pack_file))
    assert shelf.current() == installed
    assert installed.path.read_bytes() == pack_file.read_bytes()
    assert sorted(p.name for p in shelf.folder.iterdir()) == ["gazetteer-v1.sqlite", "gazetteer.json"]


def test_a_real_pack_that_is_not_the_catalogues_is_refused_and_the_current_one_stays(
    tmp_path: Path, pack_file: Path
) -> None:
    shelf = PackShelf(tmp_path / "packs")
    first = shelf.install(_download(shelf, pack_file), "v1", file_sha256(pack_file))
    other = tmp_path / "other.sqlite"
    shutil.copyfile(pack_file, other)
    with other.open("ab") as f:
        f.write(b"\0" * 4096)  # still opens as the same pack, but not the bytes the catalogue names
    part = _download(shelf, other)
    with pytest.raises(PackError, match="SHA-256"):
        shelf.install(part, "v2", file_sha256(pack_file))
    assert shelf.current() == first
    assert not part.exists() and not (shelf.folder / "gazetteer-v2.sqlite").exists()


def test_a_file_with_the_right_hash_that_is_not_a_pack_is_refused(tmp_path: Path) -> None:
    shelf = PackShelf(tmp_path / "packs")
    page = b"<html><body>Sign in to the library Wi-Fi</body></html>"
    part = _download(shelf, page)
    with pytest.raises(PackError):
        shelf.install(part, "v1", file_sha256(part))
    assert shelf.current() is None and not part.exists()


@pytest.mark.parametrize("version", ["../evil", "", "a" * 65, "v1/x", "ü"])
def test_a_version_that_cannot_name_a_file_is_refused(tmp_path: Path, pack_file: Path, version: str) -> None:
    shelf = PackShelf(tmp_path / "packs")
    with pytest.raises(PackError, match="version"):
        shelf.install(_download(shelf, pack_file), version, file_sha256(pack_file))
    assert shelf.current() is None
    assert not (tmp_path / "evil").exists()


@pytest.mark.parametrize(
    "pointer", [b"", b"{not json", b'{"version": "v1"}', b'{"version": "../v1", "sha256": "x", "installed_at": 1}']
)
def test_a_damaged_pointer_means_no_pack_not_a_crash(tmp_path: Path, pack_file: Path, pointer: bytes) -> None:
    shelf = PackShelf(tmp_path / "packs")
    shelf.install(_download(shelf, pack_file), "v1", file_sha256(pack_file))
    (shelf.folder / "gazetteer.json").write_bytes(pointer)
    assert shelf.current() is None


def test_the_pack_before_is_kept_and_older_ones_removed(tmp_path: Path, pack_file: Path) -> None:
    shelf = PackShelf(tmp_path / "packs")
    sha = file_sha256(pack_file)
    for version in ("v1", "v2", "v3"):
        shelf.install(_download(shelf, pack_file), version, sha)
    (shelf.folder / "stale.part").write_bytes(b"half a download from before a power cut")
    shelf.install(_download(shelf, pack_file), "v4", sha)
    current = shelf.current()
    assert current is not None and current.version == "v4"
    assert sorted(p.name for p in shelf.folder.iterdir()) == [
        "gazetteer-v3.sqlite",
        "gazetteer-v4.sqlite",
        "gazetteer.json",
    ]
    assert json.loads((shelf.folder / "gazetteer.json").read_text())["version"] == "v4"
