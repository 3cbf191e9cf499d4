"""Command-line interface: thin commands over :mod:`storyline.api`."""
