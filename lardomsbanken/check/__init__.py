"""Checking a project for editors: the build's errors plus warnings, and the collection's status."""
