"""The kiosk's PySide6 screens: the only package that imports Qt.

Its doors are two modules: `ui.app` (run_kiosk: the application, the crash screen, out of
service) and `ui.window` (KioskWindow). Everything else here serves them: screens/, staff/,
idle, banner, widgets, theme, i18n (the one translation function) and the sync thread.
"""

__all__ = ["app", "window"]
