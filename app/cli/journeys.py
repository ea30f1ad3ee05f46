"""`dcp-kiosk journeys ...`: list, show, example, validate and import journey definitions.

The kiosk is passed in (list, show and example read its cached catalogue); `validate` and `import`
need no data directory at all, so content designers can run them anywhere. `import` turns a council's
form in another format (journeys/importers) into a kiosk journey and can publish it to a running
reference portal.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from app.cli.common import EXIT_FAIL, EXIT_OK, EXIT_USAGE, config_of, kiosk_of
from journeys.describe import describe
from journeys.flow import Flow
from journeys.importers import Imported, ImportFailed, import_definition
from journeys.models import Journey, JourneyFormatError, parse_journey

if TYPE_CHECKING:
    from app.kiosk import Kiosk


def _find(kiosk: Kiosk, journey_id: str, err: TextIO) -> Journey | None:
    entry = next((e for e in kiosk.catalogue() if e.id == journey_id), None)
    journey = kiosk.journey(entry.id, entry.version) if entry else None
    if journey is None:
        known = ", ".join(sorted(e.id for e in kiosk.catalogue())) or "none: run `dcp-kiosk sync --once` first"
        print(f"dcp-kiosk: no journey {journey_id!r} in the cached catalogue (journeys here: {known})", file=err)
    return journey


def list_journeys(kiosk: Kiosk, as_json: bool, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    entries = kiosk.catalogue()
    if as_json:
        rows = [e.model_dump(mode="json", exclude_none=True) for e in entries]
        print(json.dumps(rows, indent=2, ensure_ascii=False), file=out)
        return EXIT_OK
    if not entries:
        print("no journeys cached yet: run `dcp-kiosk sync --once`", file=out)
    width = max((len(e.id) for e in entries), default=0)
    for e in sorted(entries, key=lambda e: (e.category, e.id)):
        online = "  (online only)" if e.requires_online else ""
        print(f"{e.id:<{width}}  v{e.version}  {e.category:<24}  {e.title.en}{online}", file=out)
    return EXIT_OK


def show_journey(
    kiosk: Kiosk, journey_id: str, as_json: bool, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    journey = _find(kiosk, journey_id, err)
    if journey is None:
        return EXIT_FAIL
    if as_json:
        print(
            json.dumps(journey.model_dump(mode="json", by_alias=True, exclude_none=True), indent=2, ensure_ascii=False),
            file=out,
        )
    else:
        print(describe(journey), file=out)
    return EXIT_OK


def example_answers(kiosk: Kiosk, journey_id: str, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    journey = _find(kiosk, journey_id, err)
    if journey is None:
        return EXIT_FAIL
    print(json.dumps(Flow(journey).example(), indent=2, ensure_ascii=False), file=out)
    return EXIT_OK


def load_definition(path: Path) -> Journey:
    """Read and validate one definition file; JourneyFormatError says what is wrong and where."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise JourneyFormatError(f"{path}: cannot read it ({exc})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise JourneyFormatError(f"{path}: not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    try:
        return parse_journey(data)
    except JourneyFormatError as exc:
        raise JourneyFormatError(f"{path}: {exc}") from None


def validate_files(paths: list[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Check definition files (or folders of *.json). Exit 1 when any is broken."""
    out = out or sys.stdout
    err = err or sys.stderr
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        files.extend(sorted(path.glob("*.json")) if path.is_dir() else [path])
    if not files:
        print("dcp-kiosk: no journey files to check", file=err)
        return EXIT_FAIL
    failed = 0
    seen: dict[tuple[str, int], Path] = {}
    for path in files:
        try:
            journey = load_definition(path)
        except JourneyFormatError as exc:
            failed += 1
            print(f"error: {exc}", file=err)
            continue
        key = (journey.id, journey.version)
        if key in seen:
            failed += 1
            print(f"error: {path}: journey {journey.id} version {journey.version} is also in {seen[key]}", file=err)
            continue
        seen[key] = path
        questions = len(journey.questions())
        print(
            f"ok: {path}: {journey.id} v{journey.version}, {len(journey.pages)} pages, {questions} questions", file=out
        )
    return EXIT_FAIL if failed else EXIT_OK


def cmd_journeys(args: argparse.Namespace) -> int:
    if args.journeys_command == "validate":  # for content designers: needs no data directory
        return validate_files(args.files)
    if args.journeys_command == "import":  # nor does an import
        return import_file(args)
    kiosk = kiosk_of(config_of(args))
    try:
        if args.journeys_command == "list":
            return list_journeys(kiosk, args.json)
        if args.journeys_command == "show":
            return show_journey(kiosk, args.journey_id, args.json)
        return example_answers(kiosk, args.journey_id)
    finally:
        kiosk.close()


# -- `journeys import`: a council's form definition in another format, as a kiosk journey ------------

MAX_IMPORT_BYTES = 8 * 1024 * 1024  # a definition file to import; the journey made must also keep the format's limits
_SEVERITIES = (("error", "errors"), ("left_out", "left out"), ("changed", "changed"), ("info", "for information"))


def print_report(imported: Imported, source: str, err: TextIO) -> None:
    """Every note of an import, grouped by severity (errors first), on standard error."""
    made = imported.journey
    if made is not None:
        pages = made.get("pages")
        count = len(pages) if isinstance(pages, list) else 0
        what = f"journey {made.get('id')} v{made.get('version')}, {count} pages"
    else:
        what = "no journey"
    print(f"{source}: {imported.format} definition -> {what}", file=err)
    if not imported.notes:
        print("  nothing was changed or left out", file=err)
    for severity, heading in _SEVERITIES:
        notes = [n for n in imported.notes if n.severity == severity]
        if notes:
            print(f"{heading} ({len(notes)}):", file=err)
            for n in notes:
                print(f"  - {n.where}: {n.what}" if n.where else f"  - {n.what}", file=err)


def _read_import(path: Path, err: TextIO) -> Any:
    """The parsed JSON of a file to import, or None (having said why on err)."""
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            print(f"dcp-kiosk: {path}: {size} bytes, more than the {MAX_IMPORT_BYTES} a definition may be", file=err)
            return None
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"dcp-kiosk: {path}: cannot read it ({exc})", file=err)
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        print(f"dcp-kiosk: {path}: not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}", file=err)
        return None
    except RecursionError:
        print(f"dcp-kiosk: {path}: nested too deeply to read", file=err)
        return None


def _write_out(path: Path, text: str) -> None:
    """Write the journey whole or not at all (a file written beside it, then moved into place)."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def publish_journey(journey: dict[str, Any], portal_db: Path, err: TextIO) -> int:
    """Add the journey to a running reference portal's catalogue (PUT /admin/journeys)."""
    import httpx

    from reference_portal import db

    try:
        admin = db.read_admin_file(portal_db)
    except (OSError, ValueError, KeyError):
        print(f"dcp-kiosk: no running portal for {portal_db} (start it with `dcp-kiosk portal serve`)", file=err)
        return EXIT_FAIL
    url = admin["url"].rstrip("/") + "/admin/journeys"
    headers = {
        "X-Admin-Secret": os.environ.get("DCP_PORTAL_ADMIN_SECRET") or admin["admin_secret"],
        "Content-Type": "application/json",
    }
    body = json.dumps(journey, ensure_ascii=False).encode("utf-8")
    try:
        response = httpx.put(url, content=body, headers=headers, timeout=30)
    except httpx.HTTPError as exc:
        print(f"dcp-kiosk: cannot reach the portal at {url}: {type(exc).__name__}", file=err)
        return EXIT_FAIL
    answer = response.json() if "json" in response.headers.get("content-type", "") else {}
    if response.status_code not in (200, 201):
        detail = answer.get("detail", "") if isinstance(answer, dict) else ""
        print(f"dcp-kiosk: the portal refused the journey: HTTP {response.status_code} {detail}".rstrip(), file=err)
        return EXIT_FAIL
    done = "is already in" if answer.get("status") == "unchanged" else "added to"
    print(
        f"published: journey {journey.get('id')} v{journey.get('version')} {done} the catalogue of {admin['url']}; "
        "kiosks show it after their next sync",
        file=err,
    )
    return EXIT_OK


def import_file(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """`journeys import FILE`: the journey on stdout (or --out), the report on stderr; exit 1 when unusable."""
    out = out or sys.stdout
    err = err or sys.stderr
    if args.publish and not args.db:
        print("dcp-kiosk: journeys import: --publish needs --db PORTAL_DB (the running portal's database)", file=err)
        return EXIT_USAGE
    path = Path(args.file)
    data = _read_import(path, err)
    if data is None:
        return EXIT_FAIL
    try:
        imported = import_definition(data, args.format, journey_id=args.id, category=args.category)
    except ImportFailed as exc:
        print(f"dcp-kiosk: {path}: {exc}", file=err)
        return EXIT_FAIL
    except ModuleNotFoundError:  # a format named whose importer this build does not have
        print(f"dcp-kiosk: {path}: this kiosk cannot import the {args.format} format yet", file=err)
        return EXIT_FAIL
    return finish_import(imported, str(path), args, out, err)


def finish_import(imported: Imported, source: str, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The report on err; a usable journey on out (or --out), then --publish; exit 1 when it is not usable."""
    print_report(imported, source, err)
    if not imported.usable or imported.journey is None:
        kept = f" ({args.out} is left as it was)" if args.out else ""
        print(f"dcp-kiosk: {source}: the journey is not usable: see the errors above{kept}", file=err)
        return EXIT_FAIL
    text = json.dumps(imported.journey, indent=2, ensure_ascii=False) + "\n"
    if args.out:
        try:
            _write_out(Path(args.out), text)
        except OSError as exc:
            print(f"dcp-kiosk: cannot write {args.out} ({exc.strerror or exc})", file=err)
            return EXIT_FAIL
    else:
        out.write(text)
    if args.publish:
        return publish_journey(imported.journey, Path(args.db), err)
    return EXIT_OK
