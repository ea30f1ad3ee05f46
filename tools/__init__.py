"""Developer tools (screenshots of the screens): not shipped in the kiosk bundle."""
