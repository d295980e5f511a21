"""Indexing the collection once per build: lists, facets, related lessons, Swedish sort order."""
