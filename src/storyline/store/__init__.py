"""SQLite storage: schema migrations, batched writes, reads."""
from .articles import IngestCounts, get_article, iter_articles, write_batch
from .db import Database, default_path

__all__ = ["Database", "default_path", "IngestCounts", "write_batch", "iter_articles", "get_article"]
