"""Stories: chains of related events over weeks or years, linked online and incrementally.

``run(db, settings, progress)`` is the build stage; :class:`StoryLinker`
holds the link rule.
"""
from .linker import StoryLinker
from .stage import run, story_id_for

__all__ = ["run", "StoryLinker", "story_id_for"]
