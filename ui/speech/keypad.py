"""The audio-mode keys: a numeric keypad laid out like a cash machine's audio mode.

Only keys of the numeric keypad count (Qt marks them with KeypadModifier), with Num Lock on or off,
so the digits above the letters still type into a box. The 5 has a raised dot on every keypad:
hold it for two seconds to start audio mode without sight.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent

from ui.i18n import tr

__all__ = ["HOLD_TO_START_MS", "KEYS", "Action", "action_for", "help_phrases"]

HOLD_TO_START_MS = 2000


class Action(Enum):
    PREVIOUS = "previous"
    NEXT = "next"
    PRESS = "press"
    BACK = "back"
    REPEAT = "repeat"
    READ_SCREEN = "read screen"
    HELP = "help"
    LOUDER = "louder"
    QUIETER = "quieter"
    STOP = "stop"
    PRIVATE = "private"


K = Qt.Key
# Each action's keys: the digit (Num Lock on) and the key the same keypad key sends with Num Lock off.
KEYS: dict[Action, tuple[Qt.Key, ...]] = {
    Action.PREVIOUS: (K.Key_8, K.Key_Up),
    Action.NEXT: (K.Key_2, K.Key_Down),
    Action.PRESS: (K.Key_5, K.Key_Clear, K.Key_Enter),
    Action.BACK: (K.Key_4, K.Key_Left),
    Action.REPEAT: (K.Key_6, K.Key_Right),
    Action.READ_SCREEN: (K.Key_7, K.Key_Home),
    Action.HELP: (K.Key_0, K.Key_Insert),
    Action.LOUDER: (K.Key_Plus,),
    Action.QUIETER: (K.Key_Minus,),
    Action.STOP: (K.Key_Period, K.Key_Delete, K.Key_Comma),
    Action.PRIVATE: (K.Key_Asterisk,),
}
_BY_KEY = {key: action for action, keys in KEYS.items() for key in keys}


def action_for(event: QKeyEvent) -> Action | None:
    """The audio-mode action of a key press, or None for a key that is not on the numeric keypad."""
    if not event.modifiers() & Qt.KeyboardModifier.KeypadModifier:
        return None
    return _BY_KEY.get(Qt.Key(event.key()))


def help_phrases() -> list[str]:
    """The keys, as said by the 0 key."""
    return [
        tr("Audio mode keys, on the number pad."),
        tr("2: next item. 8: previous item."),
        tr("5: press or choose the item."),
        tr("4: go back. 6: repeat. 7: read the whole screen."),
        tr("Plus and minus: louder and quieter. Full stop: stop speaking."),
        tr("Star: switch between headphones and the speaker."),
        tr("0: hear these keys again."),
    ]
