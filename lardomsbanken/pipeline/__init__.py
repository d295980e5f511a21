"""Running the stages in order for one engine's build: prepare(project) -> GeneratedSite."""
