"""The benchmark against Hugo and the parsers' measurements: run as `python -m bench.run` (see bench/README.md)."""
