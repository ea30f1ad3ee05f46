"""`dcp-kiosk journeys ...`: list, show, example and validate journey definitions.

The kiosk is passed in (list, show and example read its cached catalogue); `validate` needs no
data directory at all, so content designers can run it anywhere.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from app.cli.common import EXIT_FAIL, EXIT_OK, config_of, kiosk_of
from journeys.describe import describe
from journeys.flow import Flow
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
    kiosk = kiosk_of(config_of(args))
    try:
        if args.journeys_command == "list":
            return list_journeys(kiosk, args.json)
        if args.journeys_command == "show":
            return show_journey(kiosk, args.journey_id, args.json)
        return example_answers(kiosk, args.journey_id)
    finally:
        kiosk.close()
