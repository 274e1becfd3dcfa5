"""One exception base for everything a user can cause; the CLI turns it into one line and exit 2."""

from __future__ import annotations


class FidelityError(Exception):
    """A problem with the user's input, files or configuration (never a bug)."""


class InputError(FidelityError):
    """A file or text that cannot be read as a document."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name}: {problem}")
        self.name = name
        self.problem = problem


class ConfigError(FidelityError):
    """A bad option or configuration value."""
