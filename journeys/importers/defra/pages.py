"""DEFRA pages as kiosk pages: order, controllers, conditions (``show_when``), ``next`` links (``routes``), sections.

The controllers: StartPageController -> the first page (its List component: the start page's "you need");
SummaryPageController -> check answers (its declaration, its words above "Accept and send"); StatusPageController
-> the confirmation; TerminalPageController (an exit page) -> an information page; FileUploadPageController -> a
page that says to bring the file to the counter; RepeatPageController -> asked once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from journeys.importers.defra import conditions, fields
from journeys.importers.defra.context import Context, slug, unique
from journeys.importers.defra.words import text
from journeys.importers.report import kind

QUESTION_PAGE = {None, "", "PageController", "QuestionPageController", "StartPageController"}
SUMMARY = {"SummaryPageController", "SummaryPageWithConfirmationEmailController"}
STATUS = {"StatusPageController"}
SPECIAL = {"TerminalPageController", "FileUploadPageController", "RepeatPageController"}


@dataclass
class Built:
    """The kiosk pages and what the pages give the journey as a whole."""

    pages: list[dict[str, Any]] = field(default_factory=list)
    you_need: list[dict[str, str]] = field(default_factory=list)
    declaration: list[dict[str, str]] = field(default_factory=list)
    confirmation: list[dict[str, str]] = field(default_factory=list)
    payment: dict[str, Any] | None = None
    first_title: dict[str, str] | None = None


@dataclass
class _Source:
    """One DEFRA page and the kiosk pages made of it."""

    raw: dict[str, Any]
    path: str
    index: int
    kiosk: list[dict[str, Any]] = field(default_factory=list)
    followups: int = 0


def _ordered(ctx: Context, definition: dict[str, Any]) -> list[dict[str, Any]]:
    raw = definition.get("pages")
    if not isinstance(raw, list):
        ctx.error("pages", f"pages should be a list, not {kind(raw)}")
        return []
    pages: list[dict[str, Any]] = []
    seen: set[str] = set()
    for n, page in enumerate(raw, 1):
        if not isinstance(page, dict):
            ctx.error(f"page {n}", f"a page should be an object, not {kind(page)}")
        elif not isinstance(page.get("path"), str) or not page["path"].startswith("/"):
            ctx.error(f"page {n}", f"a page needs a path starting with /, not {page.get('path')!r}")
        elif page["path"] in seen:
            ctx.error(f"page {page['path']}", "two pages have this path: the second is left out")
        else:
            seen.add(page["path"])
            pages.append(page)
    start = definition.get("startPage")
    first = next((p for p in pages if p["path"] == start), None)
    if isinstance(start, str) and first is None and start not in ("/summary",):
        ctx.error("field startPage", f"startPage {start!r} is not the path of a page")
    if first is not None and first is not pages[0]:
        pages.remove(first)
        pages.insert(0, first)
        ctx.note("field startPage", f"the form starts at {start}: that page comes first")
    return pages


def build_pages(ctx: Context, definition: dict[str, Any]) -> Built:
    """Every DEFRA page converted, in order, with its conditions and links."""
    built = Built()
    sources: list[_Source] = []
    sections = _sections(ctx, definition.get("sections"))
    noted_sections: set[str] = set()
    ordered = _ordered(ctx, definition)
    for index, page in enumerate(ordered):
        path, controller = page["path"], page.get("controller")
        where = f"page {path}"
        if not isinstance(controller, str | type(None)):
            ctx.error(where, f"controller should be words, not {kind(controller)}")
            continue
        comps = page.get("components", [])
        if not isinstance(comps, list):
            ctx.error(where, f"components should be a list, not {kind(comps)}")
            continue
        section = page.get("section")
        if isinstance(section, str) and section not in noted_sections:
            noted_sections.add(section)
            ctx.note(
                f"section {sections.get(section, section)}", "the kiosk has no sections: its pages are asked in order"
            )
        parts = fields.Parts()
        start = controller == "StartPageController" or (index == 0 and "start" in path)
        for comp in comps:
            fields.add(ctx, comp, path, index, parts, start=start)
        built.you_need.extend(parts.you_need)
        built.declaration.extend(parts.declaration)
        if parts.payment is not None:
            _payment(ctx, built, parts.payment, page, where)
        if controller in SUMMARY:
            built.declaration.extend(p["text"] for p in parts.content if p.get("type") != "details")
            if parts.questions:
                ctx.error(where, "questions on the summary page: the kiosk's check answers asks none")
            continue
        if controller in STATUS:
            built.confirmation.extend(p["text"] for p in parts.content if p.get("type") != "details")
            continue
        if controller not in QUESTION_PAGE and controller not in SPECIAL:
            ctx.error(where, f"unknown controller {controller!r}: read as a question page")
        _special(ctx, controller, page, parts, where)
        source = _Source(page, path, index)
        _kiosk_pages(ctx, source, parts, built)
        if built.first_title is None:
            built.first_title = text(ctx, page.get("title"), where, "title")
        sources.append(source)
    _conditions_and_links(ctx, sources, ordered)
    for source in sources:
        built.pages.extend(source.kiosk)
    if built.pages and "show_when" in built.pages[0]:
        del built.pages[0]["show_when"]
        ctx.note(f"page {sources[0].path}", "the first page is always shown (its condition is left out)", "changed")
    return built


def _sections(ctx: Context, raw: Any) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, list):
        ctx.error("sections", f"sections should be a list, not {kind(raw)}")
        return {}
    names: dict[str, str] = {}
    for section in raw:
        if isinstance(section, dict):
            title = text(ctx, section.get("title"), "sections", "section title")
            for key in (section.get("id"), section.get("name")):
                if isinstance(key, str):
                    names[key] = f"{section.get('name')} ({title['en'] if title else ''})"
    return names


def _payment(ctx: Context, built: Built, payment: dict[str, Any], page: dict[str, Any], where: str) -> None:
    if built.payment is not None:
        ctx.error(where, "a second payment: the kiosk takes one payment per journey")
        return
    built.payment = payment
    if page.get("condition"):
        ctx.note(where, "the payment's page has a condition: the kiosk asks for the payment on every route", "changed")


def _special(ctx: Context, controller: str | None, page: dict[str, Any], parts: fields.Parts, where: str) -> None:
    if controller == "TerminalPageController":
        ctx.note(
            where,
            "an exit page: shown as an information page; the kiosk cannot end a journey early, so the citizen "
            "can go on to check answers",
            "changed",
        )
    elif controller == "RepeatPageController":
        parts.content.append(
            {
                "type": "inset",
                "text": {
                    "en": "If there is more than one, give the first here and tell staff at the counter about the others."
                },
            }
        )
        ctx.note(where, "a repeated page: asked once; the page says to tell staff about any more", "changed")
    elif controller == "FileUploadPageController":
        ctx.note(where, "a file upload page: the page tells the citizen to bring the file to the counter", "left_out")
    if page.get("events"):
        ctx.note(where, "page events (calls to other services when the page loads or is saved): left out", "left_out")
    if page.get("view"):
        ctx.note(where, f"custom view {page.get('view')!r}: the kiosk shows the page its own way")


def _kiosk_pages(ctx: Context, source: _Source, parts: fields.Parts, built: Built) -> None:
    where = f"page {source.path}"
    title = text(ctx, source.raw.get("title"), where, "title")
    pid = unique(slug(source.path.strip("/").split("/")[-1], "page"), ctx.page_ids, ("check-answers",))
    page: dict[str, Any] = {"id": pid}
    single = len(parts.questions) == 1 and not parts.content
    if title and not (single and title["en"] == parts.questions[0]["label"]["en"]):
        page["title"] = title
    if parts.content:
        page["content"] = parts.content
        if "title" not in page and not parts.questions:
            page["title"] = {"en": "Information"}
    if parts.questions:
        page["questions"] = parts.questions
    if parts.content_moved:
        ctx.note(where, "words after a question are shown above the questions (the kiosk's page layout)")
    if parts.content or parts.questions:
        source.kiosk.append(page)
    elif source.raw.get("components") and parts.payment is None and not parts.declaration:
        ctx.note(where, "nothing on this page is asked or shown at the kiosk: the page is left out", "left_out")
    for followup in parts.followups:
        extra = fields.Parts(questions=list(followup.extra))
        for comp in followup.components:
            fields.add(ctx, comp, source.path, source.index, extra)
        if not extra.questions and not extra.content:
            continue
        fid = unique(
            f"{pid[:40]}-{followup.show_when.get('equals') or followup.show_when.get('contains')}"[:64], ctx.page_ids
        )
        follow: dict[str, Any] = {"id": fid, "title": followup.title, "show_when": followup.show_when}
        if extra.content:
            follow["content"] = extra.content
        if extra.questions:
            follow["questions"] = extra.questions
        source.kiosk.append(follow)
        source.followups += 1


def _conditions_and_links(ctx: Context, sources: list[_Source], ordered: list[dict[str, Any]]) -> None:
    by_path = {s.path: s for s in sources}
    ends = {p["path"] for p in ordered if isinstance(p.get("controller"), str) and p["controller"] in SUMMARY | STATUS}
    for n, source in enumerate(sources):
        where = f"page {source.path}"
        cid = source.raw.get("condition")
        if cid not in (None, "") and source.kiosk:
            cond = conditions.convert(ctx, cid, where, source.index)
            for page in source.kiosk:
                if cond is None:
                    continue
                page["show_when"] = cond if "show_when" not in page else {"all": [cond, page["show_when"]]}
            if cond is None:
                ctx.note(where, "its condition could not be kept: the page is shown on every route", "changed")
        links = source.raw.get("next", [])
        if not isinstance(links, list):
            ctx.error(where, f"next should be a list, not {kind(links)}")
            continue
        if not source.kiosk:
            if links:
                ctx.note(where, "the page is left out, and its links with it", "left_out")
            continue
        routes = _routes(ctx, source, links, sources[n + 1 :], by_path, ends, where)
        if routes:
            source.kiosk[0]["routes"] = routes
            if source.followups:
                ctx.note(where, "its links are followed before the questions its options reveal", "changed")


def _routes(
    ctx: Context,
    source: _Source,
    links: list[Any],
    later: list[_Source],
    by_path: dict[str, _Source],
    ends: set[str],
    where: str,
) -> list[dict[str, Any]]:
    routes: list[dict[str, Any]] = []
    following = next((s for s in later if s.kiosk), None)
    for m, link in enumerate(links, 1):
        at = f"{where}, link {m}"
        if not isinstance(link, dict) or not isinstance(link.get("path"), str):
            ctx.error(at, "a link needs a path")
            continue
        if link.get("redirect"):
            ctx.note(at, f"a link to another website ({link['redirect']}): left out", "left_out")
            continue
        target_path = link["path"]
        target = by_path.get(target_path)
        if target_path in ends:
            goto = "check-answers"
        elif target is None:
            ctx.error(at, f"links to {target_path!r}, which is not a page")
            continue
        elif target not in later:
            ctx.note(at, f"a link back to {target_path}: the kiosk only goes forward, so it is left out", "left_out")
            continue
        else:
            kept = next((s for s in later[later.index(target) :] if s.kiosk), None)
            goto = kept.kiosk[0]["id"] if kept else "check-answers"
        cid = link.get("condition")
        if cid in (None, ""):
            if (following is not None and goto == following.kiosk[0]["id"]) or (
                following is None and goto == "check-answers"
            ):
                break  # the next page anyway
            always = _always(source)
            if always is None:
                ctx.note(
                    at,
                    f"a jump to {target_path} from a page with no question: the kiosk follows the page order",
                    "changed",
                )
            else:
                routes.append({"when": always, "goto": goto})
            break  # later links are never reached
        cond = conditions.convert(ctx, cid, at, source.index, same_page=True)
        if cond is None:
            ctx.note(at, "its condition could not be kept: the link is left out", "changed")
            continue
        routes.append({"when": cond, "goto": goto})
    return routes


def _always(source: _Source) -> dict[str, Any] | None:
    """A condition that always holds, on a question of this page (the kiosk has no "always" route)."""
    questions = source.kiosk[0].get("questions") or []
    if not questions:
        return None
    qid = questions[0]["id"]
    return {"any": [{"question": qid, "answered": True}, {"question": qid, "answered": False}]}
