"""The one read model: what a story, event, entity, article or search result is, for every reader.

The CLI, the Python API, the web app and its JSON twin, the report and
export all read through here, so an event shows the same sources (copies
folded), summary, facts and quotes wherever it is looked at.

* :mod:`.pages` — one thing in full (a story, an event, an entity, an article)
  and search, as the web pages, the API and the report show them;
* :mod:`.lists` — lists and lookups (events, timelines, stories, entities by
  name, quotes by speaker) for the CLI, the Python API and export.

Functions take a :class:`~storyline.store.Database`, return plain dicts and
lists (JSON-ready) and degrade to empty lists where a later stage has not
run; an unknown id raises :class:`~storyline.errors.NotFoundError`.
"""
from . import lists, pages

__all__ = ["lists", "pages"]
