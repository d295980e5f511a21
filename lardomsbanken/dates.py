"""Dates as each language writes them: `18 juni 2024`, `18 June 2024`."""

from __future__ import annotations

import datetime

from babel.dates import format_date

from .vocab import Language


def long_date(date: datetime.date, language: Language) -> str:
    return format_date(date, format="long", locale=language.locale)
