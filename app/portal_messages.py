"""What the portal said about a submission, in plain words for staff, with the raw words kept for IT.

The sync engine records each problem as a class (`invalid_answers`, `http_503`, ...) and the portal's
own text, as the client builds it: the problem's detail or title, then ": " and the field errors
joined by "; " (sync/client.py). A field error from the reference portal reads "<question label>:
<what is wrong>" (reference_portal/validation.py). Here each is turned into a sentence that names the
refused answer by its question ("The portal did not accept 'What is the postcode of the property?':
it is not a UK postcode."), and the class and the raw text stay on a technical line for IT. What this
module does not recognise is said honestly as such, with the portal's own words.

The portal's text is treated as possibly personal: it is shown to signed-in staff and never logged.
"""

from __future__ import annotations

from dataclasses import dataclass

from journeys import Message
from journeys.models import Journey, Question

__all__ = ["Explanation", "explain", "short_words"]


def _m(message_id: str, default: str, **params: object) -> Message:
    return Message(f"portal.{message_id}", default, params)


# The reference portal's words for an answer it refuses (each type's `shape`, and the required check),
# in the words staff use. Anything else the portal says of an answer is shown as it said it.
REASONS = {
    "an answer is required": ("required", "it needs an answer"),
    "the answer is not one of the options": ("option", "the answer is not one of the options the portal offers"),
    "the answer must be a list of the options": ("options", "the ticked options are not ones the portal offers"),
    "the answer must be a UK postcode": ("postcode", "it is not a UK postcode"),
    "the answer must be a date (YYYY-MM-DD)": ("date", "it is not a date"),
    "the answer must be a time (HH:MM)": ("time", "it is not a time of day"),
    "the answer must be an email address": ("email", "it is not an email address"),
    "the answer must be a phone number": ("phone", "it is not a phone number"),
    "the answer must be a number": ("number", "it is not a number"),
    "the answer must be a whole number of pence": ("money", "it is not an amount of money"),
    "the answer must be an address (line1, line2, town, postcode)": ("address", "the address is not complete"),
    "the answer must be text": ("text", "it is not text"),
    "the answer is too long": ("too_long", "it is too long"),
    "the answer is out of range": ("range", "the number is outside what the portal accepts"),
    "the portal's version of this service does not have this question": (
        "no_question",
        "the portal's version of this service does not have this question",
    ),
}

# A problem with the whole submission: what happened, and what staff can do.
WHOLE = {
    "journey_not_offered": (
        "The portal no longer offers this service, or this version of it.",
        "It cannot be sent as it is: discard it, and help the citizen to start the service again.",
    ),
    "idempotency_conflict": (
        "The portal already has a different submission with the same key.",
        "Do not resubmit it: contact IT with the technical details below.",
    ),
    "unreadable": (
        "The answers cannot be opened on this kiosk: its data key is missing or damaged.",
        "Contact IT. Do not discard it unless IT say so.",
    ),
    "answers_gone": (
        "The answers were destroyed before they were sent.",
        "Nothing can be sent: discard it, and help the citizen to start the service again.",
    ),
    "open311_unconfirmed": (
        "This report may have reached the council's street reports system (Open311), which would not say "
        "whether it has it.",
        "Look for the kiosk reference in the council's street reports system (the details are below): if it is "
        "there, discard this; if it is not, retry it.",
    ),
    "open311_mapping": (
        "This service's settings for the street reports system (Open311) do not match its questions.",
        "Contact IT with the technical details below: the service's definition needs correcting.",
    ),
}

# The Open311 server's own refusal of a report: its words, then what staff can do.
OPEN311_REFUSED = (
    "The council's street reports system (Open311) refused this report. It said: {said}",
    "If it names an answer, correct it with the citizen and resubmit; otherwise contact IT.",
)

# What the console's list says of a problem, in a few words (the item screen says more).
SHORT = {
    "invalid_answers": "the portal refused an answer",
    "journey_not_offered": "the service is no longer offered",
    "idempotency_conflict": "a clash with another submission",
    "unreadable": "the answers cannot be opened",
    "answers_gone": "the answers were destroyed",
    "unreachable": "the portal could not be reached",
    "timeout": "the portal did not answer in time",
    "in_progress": "the portal was still handling it",
    "not_contract": "an answer that was not the portal's",
    "tls": "the connection was not safe",
    "too_large": "the portal's answer was too large",
    "stopped": "stopped when the kiosk closed",
    "keyring_unavailable": "the keyring could not be read",
    "auth": "the portal does not accept this kiosk",
    # the second delivery target: the council's Open311 street reports system
    "open311_rejected": "the street reports system refused it",
    "open311_unconfirmed": "not known whether it arrived",
    "open311_mapping": "its settings do not match its questions",
    "open311_unreachable": "the street reports system could not be reached",
    "open311_timeout": "the street reports system did not answer in time",
    "open311_not_contract": "an answer that was not the street reports system's",
    "open311_tls": "the connection to the street reports system was not safe",
    "open311_too_large": "the street reports system's answer was too large",
    "open311_api_key": "the street reports system refused the kiosk's key",
    "open311_keyring": "the keyring could not be read",
    "open311_not_configured": "no street reports system is set up on this kiosk",
    "open311_token_pending": "received, waiting for its number",
}


ASK_IT = _m("ask_it", "Retry it if the problem may have been on the portal's side; if that does not help, contact IT.")


@dataclass(frozen=True)
class Explanation:
    """`sentences`: what happened, in plain words (one per refused answer); `advice`: what staff can
    do; `question_ids`: the questions the portal refused, in the order it named them; `technical`:
    the class and the portal's raw text, for IT (possibly personal: never log it)."""

    sentences: tuple[Message, ...]
    advice: Message
    question_ids: tuple[str, ...]
    technical: str


def short_words(error_class: str) -> Message:
    """A few words for the console's list: 'the portal refused an answer', 'HTTP 503 from the portal'."""
    if error_class in SHORT:
        return _m(f"short.{error_class}", SHORT[error_class])
    if error_class.startswith("http_") and error_class[5:].isdigit():
        return _m("short.http", "HTTP {status} from the portal", status=error_class[5:])
    if error_class.startswith("open311_http_") and error_class[13:].isdigit():
        return _m("short.open311_http", "HTTP {status} from the street reports system", status=error_class[13:])
    return _m("short.unknown", "a problem this kiosk does not know ({code})", code=error_class)


def explain(
    error_class: str | None, message: str | None, journey: Journey | None, *, retrying: bool = False
) -> Explanation | None:
    """The plain words for what the portal (or the sync engine) recorded; None when nothing was.
    `retrying`: the submission is waiting to be sent again, so the last try is history."""
    if not error_class:
        return None
    raw = message or ""
    technical = f"{error_class}: {raw}" if raw else error_class
    if retrying:
        last = _m("retrying", "The last try to send it did not get through: {what}.", what=short_words(error_class))
        again = _m("retrying.todo", "Nothing needs doing: the kiosk sends it again by itself.")
        return Explanation((last,), again, (), technical)
    if error_class == "invalid_answers":
        sentences, ids = _refused_answers(raw, journey)
        advice = (
            _m("answers.todo", "Correct the answers with the citizen, then resubmit.")
            if len(ids) > 1
            else _m("answer.todo", "Correct the answer with the citizen, then resubmit.")
        )
        return Explanation(tuple(sentences), advice, tuple(ids), technical)
    if error_class == "open311_rejected":
        said = _m("open311_rejected", OPEN311_REFUSED[0], said=raw or "nothing more")
        return Explanation((said,), _m("open311_rejected.todo", OPEN311_REFUSED[1]), (), technical)
    kind = "journey_not_offered" if error_class in ("http_404", "http_410") else error_class
    if kind in WHOLE:
        what, todo = WHOLE[kind]
        return Explanation((_m(kind, what),), _m(f"{kind}.todo", todo), (), technical)
    if error_class.startswith("http_") and error_class[5:].isdigit():
        said = _m(
            "http",
            "The portal refused this submission (HTTP {status}). It said: {said}",
            status=error_class[5:],
            said=raw or "nothing more",
        )
        return Explanation((said,), ASK_IT, (), technical)
    said = _m(
        "unknown",
        "The portal refused this submission for a reason this kiosk does not know. It said: {said}",
        said=raw or error_class,
    )
    return Explanation((said,), ASK_IT, (), technical)


def _refused_answers(raw: str, journey: Journey | None) -> tuple[list[Message], list[str]]:
    """One sentence per field error the portal named, each naming the question by its text."""
    questions = journey.questions() if journey is not None else []
    _, _, tail = raw.partition(": ")  # after the problem's title, usually; but a portal may give the errors alone
    ways = [[p.strip() for p in text.split("; ") if p.strip()] for text in (tail, raw) if text]
    parts = max(ways, key=lambda way: sum(_field_error(p, questions) is not None for p in way), default=[])
    sentences: list[Message] = []
    ids: list[str] = []
    for part in parts:
        found = _field_error(part, questions)
        if found is None:
            sentences.append(_m("answer.unknown", "The portal did not accept an answer. It said: {said}", said=part))
            continue
        q, reason = found
        ids.append(q.id)
        known = REASONS.get(reason)
        words: Message | str = _m(f"reason.{known[0]}", known[1]) if known else reason
        sentences.append(
            _m("answer", "The portal did not accept '{question}': {reason}.", question=q.label, reason=words)
        )
    if not sentences:
        sentences.append(
            _m("answers.unknown", "The portal did not accept the answers. It said: {said}", said=raw or "nothing more")
        )
    return sentences, ids


def _field_error(part: str, questions: list[Question]) -> tuple[Question, str] | None:
    """(question, what is wrong) for "<label or id>: <what is wrong>" or "<id> is not a question in ...",
    the longest matching label first (one label may begin another)."""
    folded = part.casefold()
    named = sorted(questions, key=lambda q: len(q.label.en), reverse=True)
    for q in named:
        for name in (q.label.en.rstrip("?"), q.label.en, q.id):
            prefix = name.casefold() + ": "
            if folded.startswith(prefix):
                return q, part[len(prefix) :].strip().rstrip(".")
    for q in questions:
        if folded.startswith(q.id.casefold() + " is not a question"):
            return q, "the portal's version of this service does not have this question"
    return None
