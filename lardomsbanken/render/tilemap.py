"""A tile map of the municipalities: one square each, placed by geography, shaded by lesson count.

The squares' places come from `tile: [column, row]` in data/regions.yml, so a
new municipality is a data edit. This module only does the arithmetic (where
each square goes, which shade it gets); `templates/_tilemap.html.j2` draws it
as SVG at build time, with no script.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lardomsbanken.index.site_index import SiteIndex
from lardomsbanken.load.vocabularies import Term

TILE = 84  # side of a square, in SVG units
GAP = 6
SHADES = 4  # shades for counts above zero; shade 0 is "no lessons yet"


@dataclass(frozen=True)
class Tile:
    term: Term
    count: int
    shade: int
    x: int
    y: int


@dataclass(frozen=True)
class CountRange:
    """One step of the legend: counts from `low` to `high` get `shade`."""

    low: int
    high: int
    shade: int


@dataclass(frozen=True)
class TileMap:
    tiles: list[Tile]  # in reading order, row by row, west to east: the keyboard's tab order
    legend: list[CountRange]
    width: int
    height: int
    tile_size: int = TILE


def count_ranges(highest: int, shades: int = SHADES) -> list[CountRange]:
    """Split 1..highest into at most `shades` ranges of about equal width, darkest last."""
    if highest <= 0:
        return [CountRange(0, 0, 0)]
    tops = sorted({math.ceil(highest * step / shades) for step in range(1, shades + 1)})
    ranges, low = [CountRange(0, 0, 0)], 1
    for position, top in enumerate(tops, start=1):
        # Few ranges still span the palette, so one lesson is not the palest shade of four.
        ranges.append(CountRange(low, top, math.ceil(position * shades / len(tops))))
        low = top + 1
    return ranges


def shade_of(count: int, legend: list[CountRange]) -> int:
    return next(step.shade for step in legend if step.low <= count <= step.high)


def build_tile_map(index: SiteIndex) -> TileMap:
    placed = [(term, term.tile) for term in index.data.regions if term.tile is not None]  # with its (column, row)
    counts = {term.id: index.count("region", term.id) for term, _ in placed}
    legend = count_ranges(max(counts.values(), default=0))

    placed.sort(key=lambda placing: (placing[1][1], placing[1][0]))
    step = TILE + GAP
    tiles = [
        Tile(term, counts[term.id], shade_of(counts[term.id], legend), GAP + column * step, GAP + row * step)
        for term, (column, row) in placed
    ]
    columns = max((column for _, (column, _) in placed), default=-1) + 1
    rows = max((row for _, (_, row) in placed), default=-1) + 1
    return TileMap(tiles, legend, GAP + columns * step, GAP + rows * step)
