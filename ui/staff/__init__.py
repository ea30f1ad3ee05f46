"""The staff side of the kiosk: the sign-in gate, assisted mode, the console, one submission,
correct and resubmit, and check progress (which citizens use too).

The window needs only StaffController; the screens are named here for tests and tools.
"""

from ui.staff.check_progress import CheckProgressScreen
from ui.staff.console import ConsoleScreen
from ui.staff.controller import STAFF_SCREENS, StaffController
from ui.staff.correct import CorrectScreen
from ui.staff.gate import LONG_PRESS_MS, SIGN_IN_KEYS, SignInScreen
from ui.staff.item import ItemScreen

__all__ = [
    "LONG_PRESS_MS",
    "SIGN_IN_KEYS",
    "STAFF_SCREENS",
    "CheckProgressScreen",
    "ConsoleScreen",
    "CorrectScreen",
    "ItemScreen",
    "SignInScreen",
    "StaffController",
]
