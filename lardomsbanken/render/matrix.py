"""The theme × place matrix: how many lessons there are for each theme in each place.

It shows where knowledge exists and where it is missing. The counts come from
the index (one pass over the lessons); this module only orders the rows and
columns and picks each cell's shade.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lardomsbanken.index.site_index import SiteIndex
from lardomsbanken.load.vocabularies import Term
from lardomsbanken.render.tilemap import CountRange, count_ranges, shade_of


@dataclass(frozen=True)
class Cell:
    theme: Term
    count: int
    shade: int


@dataclass(frozen=True)
class Row:
    place: Term
    cells: list[Cell]
    total: int


@dataclass(frozen=True)
class Matrix:
    themes: list[Term]
    rows: list[Row]  # Sweden as a whole, then each county followed by its municipalities
    legend: list[CountRange]


def build_matrix(index: SiteIndex, sort: Callable[[list[Term]], list[Term]]) -> Matrix:
    """`sort` puts terms in the reader's alphabetical order."""
    regions = index.data.regions
    themes = sort(list(index.data.themes))
    places: list[Term] = sort([term for term in regions if term.kind == "national"])
    for county in sort([term for term in regions if term.kind == "county"]):
        places.append(county)
        places += sort([term for term in regions if term.county == county.id])
    counts = index.theme_region
    legend = count_ranges(max((counts[theme.id, place.id] for theme in themes for place in places), default=0))

    rows = [
        Row(place,
            [Cell(theme, counts[theme.id, place.id], shade_of(counts[theme.id, place.id], legend)) for theme in themes],
            index.count("region", place.id))
        for place in places
    ]
    return Matrix(themes, rows, legend)
