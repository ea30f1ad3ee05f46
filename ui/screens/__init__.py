"""The citizen's screens. Each takes plain data, shows it and emits signals: no I/O here.

Every screen can give its content as plain text in reading order (`Screen.reading_text`), which
is what speech output will read. A question type's widgets live in `inputs` (one class a type).
"""

from ui.screens import address as _address  # noqa: F401 (registers the address input)
from ui.screens import appointment as _appointment  # noqa: F401 (registers the appointment input)
from ui.screens.base import Screen
from ui.screens.check_answers import CheckAnswersScreen
from ui.screens.confirmation import ConfirmationScreen
from ui.screens.home import HomeScreen
from ui.screens.language import LanguageScreen
from ui.screens.message import MessageScreen, problem_screen
from ui.screens.payment import PaymentChoiceScreen, PaymentWaitingScreen
from ui.screens.question import QuestionScreen
from ui.screens.start import StartScreen

__all__ = [
    "CheckAnswersScreen",
    "ConfirmationScreen",
    "HomeScreen",
    "LanguageScreen",
    "MessageScreen",
    "PaymentChoiceScreen",
    "PaymentWaitingScreen",
    "QuestionScreen",
    "Screen",
    "StartScreen",
    "problem_screen",
]
