"""Only new work per build: understanding and summaries touch what is new, and a build with nothing new does nothing."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import storyline


def _tables(db: Any) -> dict[str, list[tuple]]:
    """Every understanding and summary row, with rowids where rows are updated in place."""
    return {
        "mentions": [tuple(r) for r in db.query("SELECT rowid, article_id, start, end, entity_id FROM mentions"
                                                " ORDER BY rowid")],
        "sentences": [tuple(r) for r in db.query("SELECT rowid, article_id, position FROM sentences ORDER BY rowid")],
        "entities": [tuple(r) for r in db.query("SELECT id, name, type, aliases, roles, mentions FROM entities"
                                                " ORDER BY id")],
        "quotes": [tuple(r) for r in db.query("SELECT rowid, id, speaker_entity_id, group_id, event_id FROM quotes"
                                              " ORDER BY id")],
        "facts": [tuple(r) for r in db.query("SELECT id, outlets FROM facts ORDER BY id")],
        "summaries": [tuple(r) for r in db.query("SELECT event_id, position, text FROM summaries"
                                                 " ORDER BY event_id, position")],
    }


def test_a_second_build_with_nothing_new_changes_nothing_and_is_quick(seeds_db_copy: Path) -> None:
    sl = storyline.open(seeds_db_copy)
    before = _tables(sl.db)
    start = time.perf_counter()
    report = sl.build()
    seconds = time.perf_counter() - start
    assert report.stages["understand"]["articles"] == 0
    assert report.stages["summarize"]["events"] == 0
    assert _tables(sl.db) == before
    assert sl.db.scalar("SELECT count(*) FROM quotes_stale") == 0
    assert sl.db.scalar("SELECT count(*) FROM quotes_regroup") == 0
    assert seconds < 5, f"a build with nothing new took {seconds:.1f}s"
    sl.close()


def test_new_articles_leave_old_annotations_in_place(seed_halves: tuple[Path, Path], tmp_path: Path) -> None:
    """Old articles keep their mention and sentence rows (not rewritten); quotes are attributed only
    for the queued articles, and the result equals one build over everything (quote groups included)."""
    first, second = seed_halves

    inc = storyline.open(tmp_path / "inc.db")
    inc.ingest([str(first)])
    inc.build()
    old_ids = {r[0] for r in inc.db.query("SELECT id FROM articles")}
    old_sentences = inc.db.query("SELECT rowid, article_id, position, text FROM sentences ORDER BY rowid")
    inc.ingest([str(second)])
    inc.build()
    kept = [tuple(r) for r in inc.db.query("SELECT rowid, article_id, position, text FROM sentences ORDER BY rowid")
            if r["article_id"] in old_ids]
    assert kept == [tuple(r) for r in old_sentences]
    assert inc.db.scalar("SELECT count(*) FROM quotes_stale") == 0

    once = storyline.open(tmp_path / "once.db")
    once.ingest([str(first), str(second)])
    once.build()

    def quotes(sl: Any) -> list[tuple]:
        return sorted(tuple(r) for r in sl.db.query(
            "SELECT q.article_id, q.start, q.speaker_entity_id, g.article_id, g.start FROM quotes q"
            " JOIN quotes g ON g.id = q.group_id"))

    assert quotes(inc) == quotes(once)
    inc.close()
    once.close()


def test_quotes_follow_an_article_into_another_event(seeds_db_copy: Path) -> None:
    """An article moved to another event (as a later events build may do) takes its quotes along."""
    from storyline import understand
    from storyline.progress import NO_PROGRESS

    sl = storyline.open(seeds_db_copy)
    row = sl.db.one("SELECT article_id FROM quotes LIMIT 1")
    assert row is not None, "the seeds hold quotes"
    aid = row["article_id"]
    with sl.db.transaction() as conn:
        conn.execute("UPDATE articles SET event_id = 'ev-moved' WHERE id = ?", (aid,))
    understand.run(sl.db, sl.settings, NO_PROGRESS)
    assert {r[0] for r in sl.db.query("SELECT event_id FROM quotes WHERE article_id = ?", (aid,))} == {"ev-moved"}
    assert sl.db.scalar("SELECT count(*) FROM quotes_regroup") == 0
    sl.close()
