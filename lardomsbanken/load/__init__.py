"""Reading the sources: YAML, front matter, Markdown bodies, vocabularies and lessons, with every mistake told."""
