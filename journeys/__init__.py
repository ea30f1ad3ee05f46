"""The journey format that the kiosk, the sync engine and the portal share: a leaf, importing nothing of ours.

A journey is versioned JSON (:func:`parse_journey`, :func:`parse_catalogue`); each question type is
one :class:`AnswerType` found with :func:`answer_type`; :class:`Flow` takes a citizen through a
journey page by page; everything the core says to a person is a :class:`Message` (``str()`` gives
the English, ``render(lang, translate)`` another language).
"""

from __future__ import annotations

from journeys.describe import describe
from journeys.flow import FieldError, Flow, SummaryRow
from journeys.messages import Message
from journeys.models import (
    CHECK_ANSWERS,
    QUESTION_TYPES,
    Catalogue,
    CatalogueEntry,
    Condition,
    ContentBlock,
    Journey,
    JourneyFormatError,
    Localised,
    Option,
    Page,
    Payment,
    Question,
    json_schema,
    parse_catalogue,
    parse_journey,
)
from journeys.types import (
    ANSWER_TYPES,
    AnswerError,
    AnswerType,
    answer_type,
    display_answer,
    example_raw,
    hint_text,
    is_empty,
    parse_answer,
    to_raw,
)

__all__ = [
    "ANSWER_TYPES",
    "CHECK_ANSWERS",
    "QUESTION_TYPES",
    "AnswerError",
    "AnswerType",
    "Catalogue",
    "CatalogueEntry",
    "Condition",
    "ContentBlock",
    "FieldError",
    "Flow",
    "Journey",
    "JourneyFormatError",
    "Localised",
    "Message",
    "Option",
    "Page",
    "Payment",
    "Question",
    "SummaryRow",
    "answer_type",
    "describe",
    "display_answer",
    "example_raw",
    "hint_text",
    "is_empty",
    "json_schema",
    "parse_answer",
    "parse_catalogue",
    "parse_journey",
    "to_raw",
]
