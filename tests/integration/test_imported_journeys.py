"""Every imported test definition, end to end: import, validate, render, walk, submit, and find it at the portal.

For each ``tests/data/importers/<format>/NAME.json`` (found by glob, so a new definition joins by being
there) and the walks beside it in ``NAME.walks.json``:

- the import is usable and its journey follows the kiosk's format;
- every page renders in the kiosk window, in each language the journey is written in, with no Qt warning
  (pytest's ``qt_log_level_fail`` turns one into a failure);
- each walk goes through the flow engine visiting exactly its pages, and through the kiosk window, page by
  page with the session the screens use, to check answers;
- the journey is published to a reference portal with ``dcp-kiosk journeys import --publish``, a kiosk
  syncs its catalogue, submits each walk's answers (``Kiosk.submit_raw``, the screens' own checks), syncs,
  and the portal's export holds each submission with those answers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.cli import main
from app.kiosk import Kiosk, Receipt
from journeys.flow import Flow
from journeys.importers import import_definition
from journeys.models import Journey, Page, parse_journey
from tests.conftest import ROOT, Portal
from tests.helpers import enrolled_kiosk, make_kiosk, seed_catalogue
from tests.ui.windows import open_window
from ui.screens import CheckAnswersScreen, QuestionScreen, StartScreen

DATA = ROOT / "tests" / "data" / "importers"
DEFINITIONS = sorted(p for p in DATA.glob("*/*.json") if not p.name.endswith(".walks.json"))


def name_of(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def walks_of(path: Path) -> list[dict[str, Any]]:
    walks_file = path.with_name(path.stem + ".walks.json")
    walks: list[dict[str, Any]] = json.loads(walks_file.read_text(encoding="utf-8"))
    return walks


WALKS = [(path, n, walk) for path in DEFINITIONS for n, walk in enumerate(walks_of(path), 1)]


def imported(path: Path) -> tuple[dict[str, Any], Journey]:
    """The definition's kiosk journey (as the import made it, and parsed); fails naming every error note."""
    result = import_definition(json.loads(path.read_text(encoding="utf-8")))
    errors = [str(n) for n in result.notes if n.severity == "error"]
    assert result.usable, f"{name_of(path)} is not usable: {errors}"
    assert result.journey is not None
    return result.journey, parse_journey(result.journey)


def languages_of(journey: Journey) -> list[str]:
    """English, and Welsh when the journey is written in it too."""
    return ["en", *(["cy"] if "cy" in (journey.title.model_extra or {}) else [])]


# -- the definitions and their walks are there -------------------------------------------------------


def test_every_format_has_definitions_and_every_definition_has_walks() -> None:
    assert {p.parent.name for p in DEFINITIONS} >= {"xgov", "govuk-forms", "defra"}
    for path in DEFINITIONS:
        walks = walks_of(path)
        assert walks, f"{name_of(path)} has no walks"
        for walk in walks:
            assert set(walk) == {"answers", "pages"}, name_of(path)


# -- render -----------------------------------------------------------------------------------


@pytest.fixture
def kiosk(tmp_path: Path) -> Iterator[Kiosk]:
    k = make_kiosk(tmp_path / "kiosk")
    yield k
    k.close()


@pytest.mark.parametrize("path", DEFINITIONS, ids=name_of)
def test_every_page_renders_in_the_kiosk_window(qtbot: QtBot, kiosk: Kiosk, path: Path) -> None:
    _, journey = imported(path)
    seed_catalogue(kiosk, [journey])
    window = open_window(qtbot, kiosk)
    for lang in languages_of(journey):
        window.set_language(lang)
        for page in journey.pages:
            screen = QuestionScreen(page, {}, [], lang)
            window._show(screen)  # the window's own way to put a screen up: its styles, fonts and focus
            qtbot.waitUntil(screen.isVisible)
            assert screen.continue_button.isVisible(), (name_of(path), lang, page.id)


# -- walk -------------------------------------------------------------------------------------


def walk_the_flow(journey: Journey, answers: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """The pages visited answering page by page as the screens do, and the parsed answers; fails on an error."""
    flow = Flow(journey)
    parsed: dict[str, Any] = {}
    visited: list[str] = []
    page: Page | None = flow.first_page()
    while page is not None:
        assert page.id not in visited, f"the flow came back to {page.id}"
        visited.append(page.id)
        page_answers, errors = flow.check_page(page, answers)
        assert errors == [], f"page {page.id}: {[(e.question_id, e.message) for e in errors]}"
        parsed.update(page_answers)
        page = flow.next_page(page.id, parsed)
    return visited, parsed


@pytest.mark.parametrize(("path", "n", "walk"), WALKS, ids=[f"{name_of(p)}#{n}" for p, n, _ in WALKS])
def test_each_walk_visits_its_pages_in_the_flow_and_in_the_window(
    qtbot: QtBot, kiosk: Kiosk, path: Path, n: int, walk: dict[str, Any]
) -> None:
    _, journey = imported(path)
    visited, parsed = walk_the_flow(journey, walk["answers"])
    assert visited == walk["pages"]
    assert [p.id for p in journey.route(parsed)] == walk["pages"]
    everything, errors = Flow(journey).check_all(walk["answers"])
    assert errors == []
    assert everything == parsed

    seed_catalogue(kiosk, [journey])
    window = open_window(qtbot, kiosk)
    window.open_journey(journey.id, journey.version)
    if isinstance(window.current, StartScreen):
        window.current.begin.emit()
    shown: list[str] = []
    for _ in range(len(journey.pages) + 1):
        screen = window.current
        if not isinstance(screen, QuestionScreen):
            break
        assert not screen.error_summary, (screen.page.id, walk["answers"])
        shown.append(screen.page.id)
        window.answer({q.id: walk["answers"].get(q.id) for q in screen.page.questions})
    assert isinstance(window.current, CheckAnswersScreen), type(window.current).__name__
    assert shown == walk["pages"]


# -- publish, submit, sync, and the portal's export -----------------------------------------------


def sync_catalogue(kiosk: Kiosk) -> None:
    with kiosk.sync_engine() as engine:
        engine.refresh_catalogue()


def deliver(kiosk: Kiosk) -> None:
    with kiosk.sync_engine() as engine:
        engine.run_once()


def as_sent(parsed: dict[str, Any]) -> dict[str, Any]:
    """The answers as JSON carries them (what the portal keeps)."""
    sent: dict[str, Any] = json.loads(json.dumps({k: v for k, v in parsed.items() if v is not None}))
    return sent


@pytest.mark.parametrize("path", DEFINITIONS, ids=name_of)
def test_published_to_the_portal_submitted_by_the_kiosk_and_received(
    tmp_path: Path, portal: Portal, capsys: pytest.CaptureFixture[str], path: Path
) -> None:
    definition, journey = imported(path)
    if journey.delivery is not None:
        pytest.skip("delivered to Open311: see tests/integration/test_open311_delivery.py")
    assert main(["journeys", "import", "--publish", "--db", str(portal.db), str(path)]) == 0
    assert "published: journey" in capsys.readouterr().err

    kiosk = enrolled_kiosk(tmp_path / "kiosk", portal)
    try:
        sync_catalogue(kiosk)
        entry = next((e for e in kiosk.catalogue() if e.id == journey.id), None)
        assert entry is not None, f"{journey.id} is not in the kiosk's catalogue after a sync"
        assert kiosk.journey(entry.id, entry.version) == journey

        sent: dict[str, dict[str, Any]] = {}
        for walk in walks_of(path):
            _, parsed = walk_the_flow(journey, walk["answers"])
            receipt = kiosk.submit_raw(journey, walk["answers"])
            assert isinstance(receipt, Receipt), receipt
            sent[receipt.reference] = as_sent(Flow(journey).answers_on_route(parsed))
        deliver(kiosk)
        assert kiosk.store.outbox.counts().by_state["delivered"] == len(sent)
    finally:
        kiosk.close()
    cases = {c["reference"]: c for c in portal.export()}
    assert set(cases) == set(sent)
    for reference, answers in sent.items():
        case = cases[reference]
        assert (case["journey_id"], case["journey_version"]) == (definition["id"], definition["version"])
        assert as_sent(case["answers"]) == answers, reference
