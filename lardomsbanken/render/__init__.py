"""Rendering pages: addresses, templates, the frame's slots, dates and the tile map."""
