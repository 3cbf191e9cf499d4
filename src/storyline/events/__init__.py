"""Events: articles that report the same real-world happening, clustered online and dated.

``run(db, settings, progress)`` is the build stage; :class:`EventClusterer`
is the online clusterer it drives; :mod:`.dating` resolves when it happened.
"""
from .clusterer import ArticleItem, EventClusterer, EventState, event_id_for
from .dating import event_dates, happened_date, text_dates
from .stage import run

__all__ = ["run", "EventClusterer", "ArticleItem", "EventState", "event_id_for", "event_dates",
           "happened_date", "text_dates"]
