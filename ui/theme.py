"""The kiosk's look: large print, GOV.UK colours, a thick focus ring. One palette for all screens."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Palette:
    text: str = "#0b0c0c"
    background: str = "#ffffff"
    secondary_text: str = "#383f43"
    button: str = "#00502a"  # 9.2:1 with white text
    button_text: str = "#ffffff"
    secondary_button: str = "#e6e8e9"
    link: str = "#1d3b8f"
    error: str = "#a4190f"
    focus: str = "#ffdd00"
    banner: str = "#1d3b8f"
    banner_text: str = "#ffffff"
    training: str = "#6f3a00"
    panel: str = "#00502a"


DEFAULT = Palette()
BASE_PX = 22
MIN_TARGET_PX = 56


def stylesheet(p: Palette = DEFAULT, scale: float = 1.0) -> str:
    px = round(BASE_PX * scale)
    return f"""
    QWidget {{ color: {p.text}; background: {p.background}; font-size: {px}px; }}
    QLabel[role="h1"] {{ font-size: {round(px * 1.6)}px; font-weight: bold; }}
    QLabel[role="hint"] {{ color: {p.secondary_text}; }}
    QLabel[role="error"] {{ color: {p.error}; font-weight: bold; }}
    QFrame[role="error-summary"] {{ border: 5px solid {p.error}; padding: 12px; }}
    QFrame[role="error-summary"]:focus {{ border: 6px solid {p.text}; }}
    QFrame[role="banner"], QFrame[role="banner"] QLabel {{ background: {p.banner}; color: {p.banner_text}; }}
    QFrame[role="banner"] QLabel[role="training"] {{ background: {p.training}; color: #ffffff; font-weight: bold; padding: 4px 12px; }}
    QFrame[role="panel"], QFrame[role="panel"] QLabel {{ background: {p.panel}; color: #ffffff; }}
    QLabel[role="reference"] {{ font-size: {round(px * 1.8)}px; font-weight: bold; }}
    QPushButton {{
        background: {p.button}; color: {p.button_text}; border: 2px solid {p.button};
        border-radius: 4px; padding: 10px 24px; min-height: {MIN_TARGET_PX - 24}px;
        min-width: {MIN_TARGET_PX}px; font-weight: bold;
    }}
    QPushButton[role="secondary"] {{ background: {p.secondary_button}; color: {p.text}; border-color: {p.text}; }}
    QPushButton[role="tile"] {{ text-align: left; padding: 16px 24px; }}
    QPushButton[role="link"] {{
        background: transparent; color: {p.link}; border: none; text-decoration: underline;
        text-align: left; font-weight: normal;
    }}
    QPushButton[role="error-link"] {{
        background: transparent; color: {p.error}; border: none; text-decoration: underline;
        text-align: left;
    }}
    QPushButton:focus, QLineEdit:focus, QPlainTextEdit:focus, QRadioButton:focus {{
        outline: none; border: 4px solid {p.text}; background: {p.focus}; color: {p.text};
    }}
    QLineEdit, QPlainTextEdit {{ border: 2px solid {p.text}; padding: 8px; min-height: {MIN_TARGET_PX - 20}px; }}
    QLineEdit[error="true"], QPlainTextEdit[error="true"] {{ border: 4px solid {p.error}; }}
    QRadioButton {{ min-height: {MIN_TARGET_PX}px; padding: 0 8px; spacing: 16px; }}
    QRadioButton::indicator {{ width: {round(px * 1.4)}px; height: {round(px * 1.4)}px; }}
    QScrollArea {{ border: none; }}
    """
