"""The kiosk's look: large print, GOV.UK colours, a thick focus ring, two themes, three text sizes.

Both themes come from one Palette type, and the contrast of every pair that the stylesheet uses
is computed from it (WCAG 2.2 relative luminance), so tests can check the targets: text at
least 7:1, non-text (borders, focus ring, radio and checkbox marks) at least 3:1.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

TEXT_SCALES = (1.0, 1.5, 2.0)
BASE_PX = 22
MIN_TARGET_PX = 44  # WCAG 2.5.5 / EN 301 549: every touch target at least 44x44 px


@dataclass(frozen=True)
class Palette:
    name: str
    text: str
    background: str
    secondary_text: str
    button: str
    button_text: str
    secondary_button: str
    secondary_button_text: str
    border: str
    link: str
    error: str
    focus: str
    focus_text: str
    focus_ring: str
    banner: str
    banner_text: str
    training: str
    training_text: str
    panel: str
    panel_text: str


DEFAULT = Palette(
    name="default",
    text="#0b0c0c",
    background="#ffffff",
    secondary_text="#383f43",
    button="#00502a",
    button_text="#ffffff",
    secondary_button="#e6e8e9",
    secondary_button_text="#0b0c0c",
    border="#0b0c0c",
    link="#1d3b8f",
    error="#a4190f",
    focus="#ffdd00",
    focus_text="#0b0c0c",
    focus_ring="#0b0c0c",
    banner="#1d3b8f",
    banner_text="#ffffff",
    training="#6f3a00",
    training_text="#ffffff",
    panel="#00502a",
    panel_text="#ffffff",
)

HIGH_CONTRAST = Palette(
    name="high-contrast",
    text="#ffffff",
    background="#000000",
    secondary_text="#f0f0f0",
    button="#ffff00",
    button_text="#000000",
    secondary_button="#000000",
    secondary_button_text="#ffffff",
    border="#ffffff",
    link="#8cd9ff",
    error="#ff9d8f",
    focus="#000000",  # a focused control turns dark with a cyan ring: unlike the yellow buttons by luminance
    focus_text="#00ffff",
    focus_ring="#00ffff",
    banner="#000000",
    banner_text="#ffffff",
    training="#ffbf47",
    training_text="#000000",
    panel="#000000",
    panel_text="#ffff00",
)

THEMES = {p.name: p for p in (DEFAULT, HIGH_CONTRAST)}


def _channel(c: int) -> float:
    s = c / 255
    return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    value = colour.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours, from 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_pairs(p: Palette) -> dict[str, tuple[str, str]]:
    """Every (foreground, background) pair the stylesheet draws text with."""
    return {
        "body": (p.text, p.background),
        "hint": (p.secondary_text, p.background),
        "error": (p.error, p.background),
        "link": (p.link, p.background),
        "button": (p.button_text, p.button),
        "secondary button": (p.secondary_button_text, p.secondary_button),
        "focused control": (p.focus_text, p.focus),
        "banner": (p.banner_text, p.banner),
        "training label": (p.training_text, p.training),
        "confirmation panel": (p.panel_text, p.panel),
    }


def non_text_pairs(p: Palette) -> dict[str, tuple[str, str]]:
    """Borders and marks that must stand out from what is behind them (3:1)."""
    return {
        "input border": (p.border, p.background),
        "error border": (p.error, p.background),
        "focus ring": (p.focus_ring, p.focus),
        "focus ring against page": (p.focus_ring, p.background),
        "focused against unfocused button": (p.focus, p.button),
    }


def palette_colours(p: Palette) -> list[str]:
    return [getattr(p, f.name) for f in fields(p) if f.name != "name"]


def _rgba(colour: str, alpha: int) -> str:
    value = colour.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r}, {g}, {b}, {alpha})"


def scrollbar_px(scale: float) -> int:
    """A scrollbar a finger can hold (at least 44 px), a little wider with larger text."""
    return max(MIN_TARGET_PX, round(BASE_PX * scale * 1.5))


def _scrolling(p: Palette, scale: float, target: int, ring: int) -> str:
    """The scrollbar, the fade at the bottom of a page that goes on, and the "More below" bar."""
    return f"""
    QScrollBar:vertical {{
        width: {scrollbar_px(scale)}px; margin: 0; background: {p.secondary_button};
        border: none; border-left: 2px solid {p.border};
    }}
    QScrollBar::handle:vertical {{
        background: {p.text}; min-height: {target * 2}px; border-radius: 6px; margin: 6px;
    }}
    QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0; border: none; background: none; }}
    QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical {{ background: none; }}
    QWidget[role="fade"] {{
        background: qlineargradient(x1: 0, y1: 0, x2: 0, y2: 1,
            stop: 0 {_rgba(p.background, 0)}, stop: 1 {_rgba(p.background, 255)});
    }}
    QPushButton[role="more-below"] {{
        background: {p.secondary_button}; color: {p.secondary_button_text}; border: none;
        border-top: {ring}px solid {p.border}; border-radius: 0; padding: 4px; min-height: {target - 12}px;
    }}
    """


BANNER_BORDER_PX = 4  # the same at every size, so the text size button keeps its size (ui/banner.py)


def _banner(p: Palette, px: int) -> str:
    """The banner's words and buttons grow with the text; its buttons' borders and padding do not."""
    b = BANNER_BORDER_PX
    return f"""
    QFrame[role="banner"] QLabel, QFrame[role="banner"] QPushButton {{ font-size: {px}px; }}
    QFrame[role="banner"] QPushButton {{
        padding: 6px 16px; min-height: 32px; min-width: {MIN_TARGET_PX}px; border: {b}px solid {p.border};
    }}
    QFrame[role="banner"] QPushButton:checked {{ border: {b}px solid {p.border}; }}
    """


def _focus(p: Palette, px: int, ring: int) -> str:
    """Focus: the focus colours and a ring twice as thick as a border, taken from the padding so that
    nothing moves; radios and checkboxes keep a transparent ring of that width when not focused.
    It comes last, so that it wins over an error border."""
    thick = ring * 2
    b = BANNER_BORDER_PX
    return f"""
    QPushButton:focus, QPushButton[role="secondary"]:focus {{
        outline: none; border: {thick}px solid {p.focus_ring}; background: {p.focus}; color: {p.focus_text};
        padding: {8 - ring}px {px - ring}px;
    }}
    QPushButton[role="link"], QPushButton[role="error-link"] {{
        border: {thick}px solid transparent; padding: {max(0, 8 - ring)}px 0;
    }}
    QPushButton[role="link"]:focus, QPushButton[role="error-link"]:focus {{
        border: {thick}px solid {p.focus_ring}; background: {p.focus}; color: {p.focus_text};
        padding: {max(0, 8 - ring)}px 0;
    }}
    QPushButton[role="tile"]:focus {{ padding: 0; }}
    QFrame[role="banner"] QPushButton:focus {{
        border: {b * 2}px solid {p.focus_ring}; background: {p.focus}; color: {p.focus_text}; padding: 2px 12px;
    }}
    QLineEdit:focus, QPlainTextEdit:focus {{
        border: {thick}px solid {p.focus_ring}; background: {p.focus}; color: {p.focus_text};
        padding: {max(0, 6 - ring)}px;
    }}
    QRadioButton:focus, QCheckBox:focus {{
        outline: none; border: {thick}px solid {p.focus_ring}; background: {p.focus}; color: {p.focus_text};
    }}
    QRadioButton::indicator:focus, QCheckBox::indicator:focus {{ border: {ring}px solid {p.focus_ring}; }}
    QFrame[role="error-summary"]:focus {{ border: {ring + 3}px solid {p.focus_ring}; padding: 11px; }}
    QFrame[role="panel"]:focus {{ border: {ring + 3}px solid {p.focus_ring}; }}
    """


def stylesheet(p: Palette = DEFAULT, scale: float = 1.0) -> str:
    px = round(BASE_PX * scale)
    target = max(MIN_TARGET_PX, round(px * 2.2))
    ring = max(3, round(3 * scale))
    return (
        f"""
    QWidget {{ color: {p.text}; background: {p.background}; font-size: {px}px; }}
    QLabel[role="h1"] {{ font-size: {round(px * 1.6)}px; font-weight: bold; }}
    QLabel[role="h2"] {{ font-size: {round(px * 1.25)}px; font-weight: bold; }}
    QLabel[role="hint"] {{ color: {p.secondary_text}; }}
    QLabel[role="error"] {{ color: {p.error}; font-weight: bold; }}
    QLabel[role="inset"] {{ border-left: {ring * 2}px solid {p.border}; padding-left: {px}px; }}
    QLabel[role="warning"] {{ font-weight: bold; }}
    QLabel[role="summary-key"] {{ font-weight: bold; }}
    QFrame[role="rule"] {{ border: none; border-top: 1px solid {p.border}; max-height: 1px; }}
    QFrame[role="error-summary"] {{ border: {ring + 2}px solid {p.error}; padding: 12px; }}
    QFrame[role="banner"], QFrame[role="banner"] QLabel, QFrame[role="banner"] QWidget {{
        background: {p.banner}; color: {p.banner_text};
    }}
    QFrame[role="banner"] {{ border-bottom: {ring}px solid {p.border}; }}
    QFrame[role="banner"] QLabel[role="training"] {{
        background: {p.training}; color: {p.training_text}; font-weight: bold; padding: 4px 12px;
    }}
    QFrame[role="panel"], QFrame[role="panel"] QLabel {{ background: {p.panel}; color: {p.panel_text}; }}
    QFrame[role="panel"] {{ border: {ring}px solid {p.border}; }}
    QFrame[role="dialog"] {{ border: {ring + 2}px solid {p.border}; background: {p.background}; }}
    QLabel[role="reference"] {{ font-size: {round(px * 1.8)}px; font-weight: bold; }}
    QPushButton {{
        background: {p.button}; color: {p.button_text}; border: {ring}px solid {p.border};
        border-radius: 4px; padding: 8px {px}px; min-height: {target - 20}px;
        min-width: {target}px; font-weight: bold;
    }}
    QPushButton[role="secondary"], QFrame[role="banner"] QPushButton {{
        background: {p.secondary_button}; color: {p.secondary_button_text}; border: {ring}px solid {p.border};
    }}
    QPushButton[role="tile"] {{ text-align: left; padding: 0; }}
    QPushButton[role="tile"] QLabel {{ background: transparent; color: {p.button_text}; }}
    QPushButton[role="tile"] QLabel[role="tile-title"] {{ font-weight: bold; font-size: {round(px * 1.15)}px; }}
    QPushButton[role="tile"][focused="true"] QLabel {{ color: {p.focus_text}; }}
    QPushButton[role="link"], QPushButton[role="error-link"] {{
        background: transparent; color: {p.link}; border: {ring}px solid transparent; text-decoration: underline;
        text-align: left; font-weight: normal; padding: 8px 0;
    }}
    QPushButton[role="error-link"] {{ color: {p.error}; font-weight: bold; }}
    QPushButton:checked {{ border: {ring}px solid {p.border}; text-decoration: underline; }}
    QLineEdit, QPlainTextEdit {{
        border: {ring}px solid {p.border}; padding: 6px; min-height: {target - 16}px;
        background: {p.background}; color: {p.text};
    }}
    QLineEdit[error="true"], QPlainTextEdit[error="true"] {{ border: {ring + 1}px solid {p.error}; padding: 5px; }}
    QRadioButton, QCheckBox {{
        min-height: {target}px; padding: 0 8px; spacing: {px}px; border: {ring * 2}px solid transparent;
    }}
    QRadioButton::indicator, QCheckBox::indicator {{
        width: {round(px * 1.4)}px; height: {round(px * 1.4)}px;
        border: {ring}px solid {p.border}; background: {p.background};
    }}
    QRadioButton::indicator {{ border-radius: {round(px * 0.7) + ring}px; }}
    QCheckBox::indicator:checked {{ background: {p.text}; border: {ring}px solid {p.border}; }}
    QRadioButton::indicator:checked {{
        border: {ring}px solid {p.border};
        background: qradialgradient(cx: 0.5, cy: 0.5, radius: 0.5, fx: 0.5, fy: 0.5,
            stop: 0 {p.text}, stop: 0.55 {p.text}, stop: 0.6 {p.background}, stop: 1 {p.background});
    }}
    QPushButton QLabel, QRadioButton QLabel, QCheckBox QLabel {{ background: transparent; }}
    QPushButton[role="error-link"] QLabel {{ color: {p.error}; font-weight: bold; text-decoration: underline; }}
    QPushButton[focused="true"] QLabel, QRadioButton[focused="true"] QLabel, QCheckBox[focused="true"] QLabel {{
        color: {p.focus_text};
    }}
    QScrollArea {{ border: none; }}
    """
        + _banner(p, px)
        + _scrolling(p, scale, target, ring)
        + _focus(p, px, ring)
    )
