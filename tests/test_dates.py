"""render/dates.py: a date as each language writes it."""

from __future__ import annotations

import datetime

import pytest

from lardomsbanken.render.dates import long_date


@pytest.mark.parametrize("day, swedish, english", [
    (datetime.date(2024, 6, 18), "18 juni 2024", "18 June 2024"),
    (datetime.date(2026, 1, 1), "1 januari 2026", "1 January 2026"),  # no leading zero, month in lower case in Swedish
    (datetime.date(2025, 12, 31), "31 december 2025", "31 December 2025"),
])
def test_long_dates_in_each_language(data, day, swedish, english):
    assert long_date(day, data.language("sv")) == swedish
    assert long_date(day, data.language("en")) == english
