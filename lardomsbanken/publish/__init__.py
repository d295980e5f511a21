"""Publishing files: pages into frames, feeds, open data, DCAT, sitemap, search index, head metadata."""
