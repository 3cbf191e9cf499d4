"""storyline: turn a pile of news articles into the stories behind them.

>>> import storyline
>>> sl = storyline.open("news.db")          # doctest: +SKIP
>>> sl.ingest(["articles/"]); sl.build()    # doctest: +SKIP
"""
from .api import Storyline, open
from .config import Settings, load_settings
from .errors import StorylineError

__version__ = "0.1.0"
__all__ = ["open", "Storyline", "Settings", "load_settings", "StorylineError", "__version__"]
