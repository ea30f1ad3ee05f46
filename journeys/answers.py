"""Answer parsing and display under their old module name: the question types live in journeys/types.

Kept while callers move to ``from journeys import ...``; new code imports from journeys or journeys.types.
"""

from __future__ import annotations

from journeys.types import ADDRESS_PARTS, AnswerError, display_answer, example_raw, is_empty, parse_answer, to_raw

__all__ = ["ADDRESS_PARTS", "AnswerError", "display_answer", "example_raw", "is_empty", "parse_answer", "to_raw"]
