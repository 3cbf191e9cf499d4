"""A database remembers which model made its event embeddings and refuses another's."""
from __future__ import annotations

from pathlib import Path

import pytest

from storyline.config import Settings
from storyline.errors import ConfigError
from storyline.events.stage import check_embed_model
from storyline.represent import model_fingerprint
from storyline.store import Database


def _settings(model: str) -> Settings:
    return Settings({"embed": {"model": model, "device": "cpu"}})


def test_first_use_records_the_model_and_a_change_is_refused(tmp_path: Path) -> None:
    db = Database(tmp_path / "s.db")
    check_embed_model(db, _settings("auto"))
    stored = db.scalar("SELECT value FROM event_model WHERE key = 'embed_model'")
    assert model_fingerprint("auto", "cpu") in stored
    check_embed_model(db, _settings("minilm-static"))          # the same model by its own name: fine
    with pytest.raises(ConfigError, match="all-MiniLM-L6-v2"):
        check_embed_model(db, _settings("all-MiniLM-L6-v2"))


def test_a_store_from_before_fingerprints_holds_minilm_vectors(tmp_path: Path) -> None:
    db = Database(tmp_path / "old.db")
    with db.transaction():
        db.conn.execute("INSERT INTO event_assignments(article_id, event_id, position, embedding) "
                        "VALUES ('a', 'e', 0, x'00')")
    check_embed_model(db, _settings("all-MiniLM-L6-v2"))
    with pytest.raises(ConfigError, match="minilm-static"):
        check_embed_model(db, _settings("auto"))
