"""The editors' command line: lardom new, check, status, translated, preview."""
