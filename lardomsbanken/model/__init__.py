"""What things are: a lesson, its versions and sources, a problem found in a file."""
