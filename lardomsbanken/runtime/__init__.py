"""How work is shared and kept: the build cache and the worker processes."""
