"""One AnswerInput per question type of the journey format, found through one registry."""

from __future__ import annotations

import pytest

from journeys.models import QUESTION_TYPES
from ui.screens.inputs import INPUTS, AnswerInput, input_for, register


def test_every_question_type_of_the_format_has_an_input() -> None:
    assert sorted(INPUTS) == sorted(QUESTION_TYPES)
    for name in QUESTION_TYPES:
        assert issubclass(input_for(name), AnswerInput)


def test_a_type_cannot_have_two_inputs() -> None:
    class Again(AnswerInput):
        type_names = ("text",)

    with pytest.raises(ValueError, match="two inputs for the question type text"):
        register(Again)
    assert input_for("text") is not Again
