"""XGov pages and their ``next`` links as kiosk pages in order, with routes that follow the same paths.

The runner follows, from each page, the first link whose condition holds, else its (last) link without a
condition, else the summary. The kiosk goes through its pages in order, and a page's routes jump forward.
So the pages are put in an order where every link goes forward (a depth-first order from the start page,
with each page's default link visited last so it usually comes straight after), and each page gets a route
for each conditional link and, when its default is not the next page, a route that always holds to it. A
link back (a loop) cannot be kept; a note says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from journeys import limits
from journeys.importers.xgov.conditions import Cond, Conditions, depth, negate
from journeys.importers.xgov.content import CONTENT_TYPES, content_blocks
from journeys.importers.xgov.context import Context, Refused, where_component, where_page
from journeys.importers.xgov.questions import FIELD_TYPES, questions
from journeys.importers.xgov.text import localised

CHECK = "check-answers"
SUMMARY = "SummaryPageController"
_CONTROLLERS = {
    "PageController",
    "StartPageController",
    "HomePageController",
    "DobPageController",
    "MultiStartPageController",
    "UploadPageController",
    "RepeatingFieldPageController",
    SUMMARY,
}
LEFT_OUT_TYPES = ("FileUploadField", "ContextComponent")


@dataclass
class Link:
    """One usable ``next`` link: where it goes (a path, or CHECK) and the name of its condition."""

    target: str
    condition: str | None
    n: int


@dataclass
class Graph:
    """The definition's pages by path, the summary pages, and each page's usable links."""

    pages: dict[str, dict[str, Any]] = field(default_factory=dict)
    summaries: set[str] = field(default_factory=set)
    links: dict[str, list[Link]] = field(default_factory=dict)


def read_graph(ctx: Context, raw_pages: list[Any]) -> Graph:
    graph = Graph()
    for n, page in enumerate(raw_pages, 1):
        path = page.get("path") if isinstance(page, dict) else None
        if not isinstance(path, str) or not path:
            ctx.note(f"page #{n}", "a page needs a path; it is left out", "error")
        elif path in graph.pages:
            ctx.note(where_page(path), "the path is used by two pages; the second is left out", "error")
        elif page.get("controller") == SUMMARY:
            graph.summaries.add(path)
        else:
            graph.pages[path] = page
    for path, page in graph.pages.items():
        graph.links[path] = _links(ctx, graph, path, page.get("next"))
    return graph


def _links(ctx: Context, graph: Graph, path: str, raw: Any) -> list[Link]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        ctx.note(where_page(path), "its next links are not a list; none are kept", "error")
        return []
    out = []
    for n, link in enumerate(raw, 1):
        where = f"{where_page(path)}, next link {n}"
        if not isinstance(link, dict):
            ctx.note(where, "a link is not an object; it is left out", "error")
            continue
        condition = link.get("condition") if isinstance(link.get("condition"), str) and link["condition"] else None
        target = link.get("path")
        if isinstance(link.get("redirect"), str) and not isinstance(target, str):
            ctx.note(
                where,
                f"a link out of the form ({link['redirect']}) cannot be kept: the kiosk goes on to the next page",
                "left_out",
            )
            continue
        if not isinstance(target, str) or (target not in graph.pages and target not in graph.summaries):
            ctx.note(where, f"it goes to {target!r}, which is not a page of the definition; it is left out", "error")
            continue
        out.append(Link(CHECK if target in graph.summaries else target, condition, n))
    return out


def _default(links: list[Link], conditions: Conditions) -> str:
    unconditional = [link.target for link in links if link.condition is None or link.condition not in conditions.raw]
    return unconditional[-1] if unconditional else CHECK


def order(ctx: Context, graph: Graph, start: str, conditions: Conditions) -> list[str]:
    """The paths reachable from the start page in an order where links go forward (depth first)."""
    post: list[str] = []
    seen = {start}
    stack: list[tuple[str, list[str]]] = [(start, _children(graph, start, conditions))]
    while stack:
        path, children = stack[-1]
        if children:
            child = children.pop(0)
            if child != CHECK and child not in seen:
                seen.add(child)
                stack.append((child, _children(graph, child, conditions)))
        else:
            post.append(path)
            stack.pop()
    for path in graph.pages:
        if path not in seen:
            ctx.note(where_page(path), "no link from the start page reaches it; it is left out")
    return post[::-1]


def _children(graph: Graph, path: str, conditions: Conditions) -> list[str]:
    links = graph.links[path]
    default = _default(links, conditions)
    return [link.target for link in links if link.target != default] + [default]


def build_pages(ctx: Context, graph: Graph, paths: list[str], conditions: Conditions) -> list[dict[str, Any]]:
    """The kiosk pages, in order, each with its questions, content and routes."""
    index = {path: i for i, path in enumerate(paths)}
    ids = {path: ctx.page_ids.make(path.strip("/") or "start", "page") for path in paths}
    ids[CHECK] = CHECK
    sections = _sections(ctx)
    made = [_page(ctx, graph.pages[path], path, i, ids[path], sections) for i, path in enumerate(paths)]
    first_question: list[str | None] = []
    current: str | None = None
    for page in made:
        current = next((q["id"] for q in page.get("questions", [])), current)
        first_question.append(current)
    asked_on = {f.qid: f.page for f in ctx.fields.values()}
    asked_on.update({f.time_qid: f.page for f in ctx.fields.values() if f.time_qid})
    for i, path in enumerate(paths):
        routes = _routes(ctx, graph, path, i, index, ids, conditions, asked_on, first_question[i])
        if routes:
            made[i]["routes"] = routes
    return made


def _routes(
    ctx: Context,
    graph: Graph,
    path: str,
    i: int,
    index: dict[str, int],
    ids: dict[str, str],
    conditions: Conditions,
    asked_on: dict[str, int],
    tautology_on: str | None,
) -> list[dict[str, Any]]:
    links = graph.links[path]
    routes: list[dict[str, Any]] = []
    forward = []
    for link in links:
        if link.target != CHECK and index.get(link.target, -1) <= i:
            ctx.note(
                f"{where_page(path)}, next link {link.n}",
                f"it goes back to {link.target}: a way back or a loop cannot be kept on the kiosk; it is left out",
                "changed",
            )
        else:
            forward.append(link)
    for link in forward:
        where = f"{where_page(path)}, next link {link.n}"
        if link.condition is None:
            continue
        if link.condition not in conditions.raw:
            ctx.note(
                where,
                f"there is no condition named {link.condition!r}; like the runner, the link is taken as the default",
                "error",
            )
            continue
        try:
            when = conditions.named(link.condition)
            _check(when, i, asked_on)
        except Refused as exc:
            ctx.note(where, f"the link to {link.target} cannot be kept: {exc}", "error")
            continue
        routes.append({"when": when, "goto": ids[link.target]})
    default = _default(forward, conditions)
    if _default(links, conditions) != CHECK and default == CHECK:
        ctx.note(where_page(path), "its default link went back; after it the kiosk goes on to check answers", "changed")
    after = _next_path(index, i)
    natural = ids[after] if after else CHECK
    target = ids[default]
    if (
        target != natural
        and routes
        and routes[-1]["goto"] == natural
        and depth(negate(routes[-1]["when"])) <= limits.MAX_CONDITION_DEPTH
    ):
        # the last conditional link goes to the next page anyway: route the others away when it does not hold
        routes[-1] = {"when": negate(routes[-1]["when"]), "goto": target}
    elif target != natural:
        if tautology_on is None:
            ctx.note(
                where_page(path), f"it goes on to {default}, but no question is asked before it to route by", "error"
            )
        else:
            always = {
                "any": [{"question": tautology_on, "answered": True}, {"question": tautology_on, "answered": False}]
            }
            routes.append({"when": always, "goto": target})
    return routes


def _next_path(index: dict[str, int], i: int) -> str | None:
    return next((path for path, j in index.items() if j == i + 1), None)


def _check(when: Cond, i: int, asked_on: dict[str, int]) -> None:
    if depth(when) > limits.MAX_CONDITION_DEPTH:
        raise Refused(f"the condition is nested more than {limits.MAX_CONDITION_DEPTH} deep (the kiosk's limit)")
    for qid in _questions_in(when):
        if asked_on.get(qid, i + 1) > i:
            raise Refused(f"it reads the answer to {qid}, which is not asked before this point")


def _questions_in(c: Cond) -> list[str]:
    if "question" in c:
        return [c["question"]]
    parts = c.get("all") or c.get("any") or [c["not"]]
    return [q for part in parts for q in _questions_in(part)]


def _sections(ctx: Context) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for section in ctx.data.get("sections") or []:
        if isinstance(section, dict) and isinstance(section.get("name"), str):
            title = localised(section.get("title")) or {"en": section["name"]}
            out[section["name"]] = title
            ctx.note(
                f"section {section['name']}",
                f"the section heading {title['en']!r} is not shown: its pages are kept, in order",
            )
    return out


def _page(
    ctx: Context, page: dict[str, Any], path: str, i: int, page_id: str, sections: dict[str, dict[str, str]]
) -> dict[str, Any]:
    where = where_page(path)
    controller = page.get("controller")
    if controller == "RepeatingFieldPageController":
        ctx.note(where, "the page is repeated in the definition (add another); the kiosk asks it once", "changed")
    elif controller is not None and controller not in _CONTROLLERS:
        ctx.note(where, f"the page controller {controller!r} is not known; it is an ordinary page on the kiosk")
    section = page.get("section") if isinstance(page.get("section"), str) else None
    if section is not None and section not in sections:
        ctx.note(where, f"its section {section!r} is not in the definition's sections", "error")
    blocks: list[dict[str, Any]] = []
    asked: list[dict[str, Any]] = []
    components = page.get("components")
    if components is not None and not isinstance(components, list):
        ctx.note(where, "its components are not a list; none are kept", "error")
        components = []
    for n, component in enumerate(components or [], 1):
        cwhere = where_component(path, component, n)
        kind = component.get("type") if isinstance(component, dict) else None
        if not isinstance(component, dict) or not isinstance(kind, str):
            ctx.note(cwhere, "a component must be an object with a type; it is left out", "error")
        elif kind in FIELD_TYPES:
            asked.extend(questions(ctx, component, cwhere, i, section))
        elif kind in CONTENT_TYPES:
            blocks.extend(content_blocks(ctx, component, cwhere))
        elif kind == "FileUploadField":
            blocks.append(_counter(ctx, component, cwhere, page))
        elif kind == "ContextComponent":
            ctx.note(cwhere, "a value the form fills in from the session, not asked: it is left out", "left_out")
        else:
            ctx.note(
                cwhere,
                f"{kind!r} is not a component type of XGovFormBuilder (schema version 2); it is left out",
                "error",
            )
    out: dict[str, Any] = {"id": page_id}
    title = localised(page.get("title"))
    if len(asked) != 1:
        out["title"] = title or (asked[0]["label"] if asked else {"en": "Information"})
    if not asked and not blocks:
        ctx.note(where, "the page asks and says nothing; the kiosk shows its title and a Continue button")
        blocks.append({"type": "paragraph", "text": title or {"en": "Continue to the next page."}})
    if blocks:
        out["content"] = blocks
    if asked:
        out["questions"] = asked
    return out


def _counter(ctx: Context, component: dict[str, Any], where: str, page: dict[str, Any]) -> dict[str, Any]:
    """A file upload: the kiosk takes no files, so the page says plainly to bring it to the counter."""
    what = localised(component.get("title")) or localised(page.get("title")) or {"en": "the document"}
    ctx.note(where, "the kiosk cannot take files: the page tells the citizen to bring it to the counter", "left_out")
    return {
        "type": "inset",
        "text": {
            "en": f"This kiosk cannot take documents or photos. Bring this to the counter in this building: {what['en']}."
        },
    }
