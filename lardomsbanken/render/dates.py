"""Dates as each language writes them: `18 juni 2024`, `18 June 2024`."""

from __future__ import annotations

import datetime
from functools import lru_cache

from babel.dates import format_date

from lardomsbanken.load.vocabularies import Language


def long_date(date: datetime.date, language: Language) -> str:
    return _long_date(date, language.locale)


@lru_cache(maxsize=8192)  # Babel is slow, and a list page shows the same dates again and again
def _long_date(date: datetime.date, locale: str) -> str:
    return format_date(date, format="long", locale=locale)
