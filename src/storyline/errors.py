"""Every error storyline raises on purpose derives from one base class.

The CLI catches :class:`StorylineError` and prints its message on one line;
anything else is a bug and keeps its traceback.
"""
from __future__ import annotations


class StorylineError(Exception):
    """Base class: a problem the user can act on."""


class ConfigError(StorylineError):
    """A setting has a value outside its allowed range or type."""


class InputError(StorylineError):
    """An input path or record cannot be read at all."""


class RecordError(InputError):
    """One record is unusable; it is rejected with ``reason`` and the run goes on."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


class StoreError(StorylineError):
    """The database cannot be opened, migrated or written."""


class NotFoundError(StorylineError):
    """An id or name asked for is not in the store."""


class DependencyError(StorylineError):
    """An optional dependency or model is missing; the message says how to install it."""


class StageOrderError(StorylineError):
    """A stage was asked to run before the stage whose output it needs."""
