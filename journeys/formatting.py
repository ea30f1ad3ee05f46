"""Dates, numbers, money, times and telephone numbers as a locale writes them: the one place for all of them.

The locale data is CLDR through Babel, imported at first use (so importing journeys stays cheap).
A kiosk language is a short code ("en", "ur", "pl"); English is British English. A language Babel
does not know is shown as British English rather than failing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from typing import Any

import phonenumbers

__all__ = [
    "format_date",
    "format_day",
    "format_money",
    "format_number",
    "format_percent",
    "format_phone",
    "format_time",
    "locale_for",
]

_LOCALES = {"en": "en_GB"}


@lru_cache(maxsize=32)
def locale_for(lang: str) -> Any:
    """The Babel Locale for a kiosk language code (British English when it is unknown)."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(_LOCALES.get(lang, lang).replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse("en_GB")


def format_date(value: dt.date, lang: str = "en") -> str:
    """A date in full, as the locale writes it: "3 November 2026", "3 listopada 2026"."""
    from babel.dates import format_date as babel_date

    return str(babel_date(value, "long", locale=locale_for(lang)))


def format_day(value: dt.date, lang: str = "en") -> str:
    """A date with its weekday: "Tuesday 8 December 2026" (GOV.UK style in English), CLDR's full form otherwise."""
    from babel.dates import format_date as babel_date

    if lang == "en":
        return str(babel_date(value, "EEEE d MMMM y", locale=locale_for(lang)))
    return str(babel_date(value, "full", locale=locale_for(lang)))


def format_number(value: int, lang: str = "en") -> str:
    """A whole number with the locale's grouping: "1,000" (en), "10 000" (pl)."""
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=locale_for(lang)))


def format_money(pence: int, lang: str = "en", *, whole_pounds_short: bool = False) -> str:
    """An amount in pounds: "£1,250.50". With whole_pounds_short, a whole amount drops the pence: "£12"."""
    from babel.numbers import format_currency

    locale = locale_for(lang)
    if whole_pounds_short and pence % 100 == 0:
        pattern = locale.currency_formats["standard"].pattern.split(";")[0].replace(".00", "")
        return str(format_currency(pence // 100, "GBP", pattern, locale=locale, currency_digits=False))
    return str(format_currency(Decimal(pence).scaleb(-2), "GBP", locale=locale))


def format_percent(percent: int, lang: str = "en") -> str:
    """A whole percentage as the locale writes it: "200%" (en), "200%" (ur), "200 %" (de)."""
    from babel.numbers import format_percent as babel_percent

    return str(babel_percent(percent / 100, locale=locale_for(lang)))


def format_time(value: dt.time, lang: str = "en") -> str:
    """A time of day in the locale's short form ("09:30", "9:30 AM")."""
    from babel.dates import format_time as babel_time

    return str(babel_time(value, "short", locale=locale_for(lang)))


def format_phone(e164: str) -> str:
    """A telephone number to read: a UK number as the UK writes it, any other in international form."""
    number = phonenumbers.parse(e164, "GB")
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 44
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, fmt)
