"""The MkDocs adapter: the only code that knows MkDocs and Material (hooks/ hands MkDocs events to it)."""
