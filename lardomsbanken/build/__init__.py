"""Building a site: the stages above in order, for one engine's build."""
