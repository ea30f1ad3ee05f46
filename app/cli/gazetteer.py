"""`dcp-kiosk gazetteer ...`: build the address pack from the council's DTF 7.3 export, try it, describe it.

    dcp-kiosk gazetteer import FILE.csv [--out PACK]   what was read, what was skipped and why
    dcp-kiosk gazetteer search PACK TEXT [--limit N]   one address a line, with its UPRN (and latitude,longitude)
    dcp-kiosk gazetteer info PACK [--json]             the pack's version, size and source

None of them needs a data directory: IT runs them on any machine with the export (docs/gazetteer.md).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.common import EXIT_OK, fail, print_json

if TYPE_CHECKING:  # imported when a gazetteer command runs, not at every command's start-up
    from local_store.gazetteer import BuildReport, Pack
    from local_store.gazetteer.dtf import Skips

SHOWN_REASONS = 20  # skip reasons listed (the most frequent first)


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def default_out(source: Path) -> Path:
    """FILE.csv -> FILE.pack.sqlite, beside it."""
    return (
        source.with_name(source.stem + ".pack.sqlite")
        if source.suffix
        else source.with_name(source.name + ".pack.sqlite")
    )


def report_lines(report: BuildReport, out: Path) -> list[str]:
    """What an import made and what it left out, for IT: counts by reason, the first line numbers of each."""
    lines = [
        f"{report.addresses:,} addresses on {report.streets:,} streets, from {report.records:,} records"
        f" in {report.seconds:.1f} s",
        f"pack {out} ({_size(report.size_bytes)}), version {report.version}",
    ]
    notes = report.notes
    located = report.addresses - notes.total()
    lines.append(f"{located:,} of {report.addresses:,} addresses with latitude and longitude")
    if notes.counts:
        lines.append(f"note: {notes.total():,} addresses kept without coordinates (not skipped):")
        lines += _counted(notes)
    skipped = report.skipped
    if not skipped.counts:
        lines.append("nothing skipped")
        return lines
    lines.append(f"skipped {skipped.total():,} records:")
    return lines + _counted(skipped)


def _counted(counted: Skips) -> list[str]:
    """ "   93  record type 12 (not read) (lines 697, 834, ...)": the most frequent reasons first."""
    lines = []
    width = len(f"{max(counted.counts.values()):,}")
    for reason, count in counted.counts.most_common(SHOWN_REASONS):
        examples = counted.lines.get(reason, [])
        more = ", ..." if count > len(examples) else ""
        at = f" (line{'s' if len(examples) > 1 else ''} {', '.join(map(str, examples))}{more})" if examples else ""
        lines.append(f"  {count:>{width},}  {reason}{at}")
    if len(counted.counts) > SHOWN_REASONS:
        lines.append(f"  ... and {len(counted.counts) - SHOWN_REASONS} other reasons")
    return lines


def _import(args: argparse.Namespace) -> int:
    from local_store.gazetteer import DtfError, PackError, build_pack

    source = Path(args.file)
    out = Path(args.out) if args.out else default_out(source)
    if out.exists() and out.resolve() == source.resolve():
        return fail("gazetteer import: --out is the DTF file itself; give the pack another name")
    if out.is_dir():
        return fail(f"gazetteer import: --out {out} is a folder; give the pack's file name")
    try:
        report = build_pack(source, out, version=args.pack_version)
    except DtfError as e:
        return fail(f"gazetteer import: {e}; the pack was not built (nothing was changed)")
    except PackError as e:
        return fail(f"gazetteer import: {e}; nothing was changed")
    for line in report_lines(report, out):
        print(line)
    return EXIT_OK


def _open(args: argparse.Namespace) -> Pack | None:
    from local_store.gazetteer import Pack, PackError

    try:
        return Pack.open(Path(args.pack))
    except PackError as e:
        fail(f"gazetteer {args.gazetteer_command}: {e}")
        return None


def _search(args: argparse.Namespace) -> int:
    from local_store.gazetteer import PackError

    pack = _open(args)
    if pack is None:
        return 1
    try:
        found = pack.search(args.text, limit=args.limit)
    except PackError as e:
        return fail(f"gazetteer search: {e}")
    finally:
        pack.close()
    for address in found.addresses:
        where = "" if address.latitude is None else f"\t{address.latitude:.6f},{address.longitude:.6f}"
        print(f"{address.uprn}\t{address.one_line()}{'' if address.in_area else '  (outside the area)'}{where}")
    if not found.addresses:
        print("no address found")
    elif found.more:
        print(f"(more than {args.limit}: type more of the address)")
    return EXIT_OK


def _info(args: argparse.Namespace) -> int:
    pack = _open(args)
    if pack is None:
        return 1
    from local_store.gazetteer import PackError

    meta = pack.meta
    try:
        located = pack.located()
    except PackError as e:
        return fail(f"gazetteer info: {e}")
    finally:
        pack.close()
    size = Path(args.pack).stat().st_size
    if args.json:
        print_json({**meta.__dict__, "size_bytes": size, "with_coordinates": located})
        return EXIT_OK
    print(f"version      {meta.version}")
    print(f"built        {meta.built_at}")
    print(f"addresses    {meta.addresses:,} on {meta.streets:,} streets")
    print(f"coordinates  {located:,} of them with latitude and longitude (WGS84)")
    print(f"custodian    {meta.custodian_name} ({meta.custodian_code})")
    print(f"source       sha256 {meta.source_sha256}")
    print(f"size         {_size(size)}")
    return EXIT_OK


def cmd_gazetteer(args: argparse.Namespace) -> int:
    if args.gazetteer_command == "import":
        return _import(args)
    if args.gazetteer_command == "search":
        return _search(args)
    return _info(args)
