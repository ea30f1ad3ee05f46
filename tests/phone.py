"""The citizen's own phone, in tests: it opens the portal's hand-off link and presses a button on the page."""

from __future__ import annotations

import re

import httpx


def open_link(link: str) -> httpx.Response:
    return httpx.get(link, timeout=10)


def press_on_page(base_url: str, page: httpx.Response, label: str) -> httpx.Response:
    """Submit the form of the button with this label, as the phone's browser would."""
    for form in re.findall(r"<form\b.*?</form>", page.text, re.S):
        if f">{label}</button>" in form:
            action = re.search(r'action="([^"]+)"', form)
            inputs = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))
            assert action is not None
            return httpx.post(base_url + action.group(1), data=inputs, timeout=10)
    raise AssertionError(f"no button {label!r} on the page")


def pay_on_phone(base_url: str, link: str, label: str = "Pay") -> httpx.Response:
    """Open the link and press Pay (or "Decline the card", or "Cancel")."""
    page = open_link(link)
    assert page.status_code == 200, page.status_code
    return press_on_page(base_url, page, label)
