"""The story stage on hand-built events: linking, stability, incremental builds, resumability.

Events are written straight into the ``events`` table (the stage's only
interface with the event clusterer), one article per event unless a test
says otherwise.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from storyline import stories
from storyline.clean import content_hash
from storyline.config import Settings
from storyline.errors import ConfigError
from storyline.records import Article
from storyline.stories import StoryLinker
from storyline.store import Database, write_batch

# Three subjects written the way news is: the same actors recur, the wording varies.
SUBJECTS = {
    "mars": ["The Perseverance rover of NASA drilled a new rock core in Jezero Crater on Mars, mission scientists "
             "said, adding the sample may hold traces of ancient microbial life.",
             "NASA engineers steered Perseverance across the Jezero Crater delta on Mars; the rover's sample "
             "tubes now hold rock cores the agency hopes to return to Earth.",
             "Mission scientists at NASA said Perseverance found organic molecules in Jezero Crater rocks, a "
             "Mars result they called the rover's most promising yet."],
    "wheat": ["Egypt bought 240,000 tonnes of Russian wheat at a tender, traders said, as Cairo's state grain "
              "buyer Mostakbal Misr sought to secure bread supplies.",
              "Traders said Mostakbal Misr, Egypt's grain buyer, paid more for Russian wheat cargoes this month "
              "as freight costs rose on Black Sea routes.",
              "Egypt's Mostakbal Misr booked Russian and Romanian wheat for spring shipment, traders said, "
              "keeping Cairo's bread subsidy programme supplied."],
    "strike": ["Dockworkers of the ILWU walked off the job at the Port of Oakland on Monday, halting container "
               "traffic as contract talks with terminal operators stalled.",
               "Terminal operators at the Port of Oakland said the ILWU strike left dozens of container ships "
               "waiting at anchor for a third day.",
               "The ILWU and Oakland terminal operators reached a tentative contract, ending the strike that had "
               "stopped container traffic at the port for a week."],
}


def make_db(path: Path, days: list[int], subjects: list[str], index: list[int]) -> Database:
    """A DB with one article and one event per (day offset, subject, variant)."""
    db = Database(path)
    add_events(db, days, subjects, index)
    return db


def add_events(db: Database, days: list[int], subjects: list[str], index: list[int]) -> None:
    base = dt.date(2021, 1, 1)
    articles = []
    for day, subject, i in zip(days, subjects, index, strict=True):
        text = SUBJECTS[subject][i]
        aid = f"{subject}-{i}-{day}"
        articles.append(Article(id=aid, text=text, title=text[:60], date=base + dt.timedelta(days=day),
                                url=f"https://example.org/{aid}", content_hash=content_hash(text + aid)))
    write_batch(db, articles, [], None)
    with db.transaction() as conn:
        for art in articles:
            seq = conn.execute("SELECT seq FROM articles WHERE id = ?", (art.id,)).fetchone()[0]
            conn.execute("INSERT INTO events(id, title, date, n_articles, first_seq) VALUES (?, ?, ?, 1, ?)",
                         ("ev-" + art.id, art.title, art.date.isoformat(), seq))
            conn.execute("UPDATE articles SET event_id = ? WHERE id = ?", ("ev-" + art.id, art.id))


def story_of(db: Database) -> dict[str, str]:
    return {r["id"]: r["story_id"] for r in db.query("SELECT id, story_id FROM articles")}


def groups(assign: dict[str, str]) -> set[frozenset[str]]:
    out: dict[str, set[str]] = {}
    for aid, sid in assign.items():
        out.setdefault(sid, set()).add(aid)
    return {frozenset(g) for g in out.values()}


CORPUS = ([0, 1, 2, 400, 401, 402, 800, 801, 802],          # the mars story spans two years
          ["mars", "wheat", "strike", "mars", "wheat", "strike", "mars", "wheat", "strike"],
          [0, 0, 0, 1, 1, 1, 2, 2, 2])


def test_events_of_one_subject_link_across_years_and_subjects_stay_apart(tmp_path: Path) -> None:
    db = make_db(tmp_path / "a.db", *CORPUS)
    stories.run(db, Settings())
    by_subject = {}
    for aid, sid in story_of(db).items():
        by_subject.setdefault(aid.split("-")[0], set()).add(sid)
    assert all(len(s) == 1 for s in by_subject.values()), by_subject
    assert len({next(iter(s)) for s in by_subject.values()}) == 3
    rows = db.query("SELECT * FROM stories ORDER BY start")
    assert [r["n_events"] for r in rows] == [3, 3, 3]
    mars = next(r for r in rows if r["id"] == next(iter(by_subject["mars"])))
    assert (mars["start"], mars["end"]) == ("2021-01-01", (dt.date(2021, 1, 1) + dt.timedelta(days=800)).isoformat())
    assert "NASA" in json.loads(mars["entities"]) and "Perseverance" in json.loads(mars["entities"])
    assert db.scalar("SELECT count(*) FROM events WHERE story_id IS NULL") == 0


def test_incremental_builds_keep_story_ids_and_match_one_build(tmp_path: Path) -> None:
    whole = make_db(tmp_path / "whole.db", *CORPUS)
    stories.run(whole, Settings())
    sliced = Database(tmp_path / "sliced.db")
    seen: dict[str, str] = {}
    for k in range(3):
        add_events(sliced, *(part[3 * k:3 * k + 3] for part in CORPUS))
        stories.run(sliced, Settings())
        now = story_of(sliced)
        assert all(now[a] == s for a, s in seen.items()), "a story id seen once never changes"
        seen = now
    assert groups(story_of(sliced)) == groups(story_of(whole))
    assert stories.run(sliced, Settings())["events"] == 0, "nothing new, nothing done"


def test_stories_are_relinked_only_when_the_corpus_has_grown_by_a_quarter(tmp_path: Path) -> None:
    db = make_db(tmp_path / "grow.db", *(part[:4] for part in CORPUS))
    assert stories.run(db, Settings())["relinked"] == 0, "a first build links from scratch anyway"
    add_events(db, *(part[4:5] for part in CORPUS))             # 4 -> 5 articles: grown by a quarter
    counts = stories.run(db, Settings())
    assert counts["relinked"] == 1 and counts["events"] == 5, "every event linked again"
    add_events(db, *(part[5:6] for part in CORPUS))             # 5 -> 6: not yet
    counts = stories.run(db, Settings())
    assert counts["relinked"] == 0 and counts["events"] == 1, "only the new event"
    assert db.scalar("SELECT count(*) FROM articles WHERE story_id IS NULL") == 0


def test_a_killed_build_resumes_to_the_same_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clean = make_db(tmp_path / "clean.db", *CORPUS)
    stories.run(clean, Settings())
    killed = make_db(tmp_path / "killed.db", *CORPUS)
    monkeypatch.setattr(stories.stage, "CHUNK_EVENTS", 2)
    calls = {"n": 0}
    real = stories.stage.link_event

    def dying(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 6:
            raise KeyboardInterrupt("killed mid-chunk")
        return real(*args, **kwargs)

    monkeypatch.setattr(stories.stage, "link_event", dying)
    with pytest.raises(KeyboardInterrupt):
        stories.run(killed, Settings())
    assert killed.scalar("SELECT count(*) FROM articles WHERE story_id IS NOT NULL") == 4, "two chunks committed"
    monkeypatch.setattr(stories.stage, "link_event", real)
    stories.run(killed, Settings())
    assert story_of(killed) == story_of(clean)
    assert killed.query("SELECT * FROM stories ORDER BY id") == clean.query("SELECT * FROM stories ORDER BY id")


def test_an_event_that_grows_keeps_its_story(tmp_path: Path) -> None:
    db = make_db(tmp_path / "grow.db", [0], ["wheat"], [0])
    stories.run(db, Settings())
    first = story_of(db)["wheat-0-0"]
    text = SUBJECTS["wheat"][1]
    write_batch(db, [Article(id="late", text=text, title="late", date=dt.date(2021, 1, 2),
                             content_hash=content_hash(text))], [], None)
    with db.transaction() as conn:
        conn.execute("UPDATE articles SET event_id = 'ev-wheat-0-0' WHERE id = 'late'")
    stories.run(db, Settings())
    assert story_of(db)["late"] == first


def test_bad_settings_name_the_value() -> None:
    with pytest.raises(ConfigError, match="closeness"):
        StoryLinker(closeness=1.5)
    with pytest.raises(ConfigError, match="profile_terms"):
        StoryLinker(profile_terms=0)


def test_the_rule_and_titles_work_as_their_docstrings_say() -> None:
    import doctest

    from storyline.stories import linker, merge

    for module in (linker, merge):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__


def test_the_background_is_the_mean_cosine_across_stories(tmp_path: Path) -> None:
    """The running sums give exactly the mean cosine over pairs of articles in different stories."""
    from storyline.stories.merge import Corpus, decode, sparse_dot

    db = make_db(tmp_path / "bg.db", *CORPUS)
    apart = Settings({"stories": {"join": 1.0, "closeness": 1.0, "lift": 1000.0}})   # nothing joins or merges
    stories.run(db, apart)
    rows = db.query("SELECT terms, n FROM story_profiles")
    assert len(rows) == 9
    sums = [decode(r["terms"]) for r in rows]       # each story's summed article vector
    across = sum(sparse_dot(a, b) for i, a in enumerate(sums) for j, b in enumerate(sums) if i != j)
    sizes = [r["n"] for r in rows]
    pairs = sum(sizes) ** 2 - sum(n * n for n in sizes)
    corpus = Corpus(db.conn, 1 << 20)
    assert corpus.n == sum(sizes) == 9
    assert corpus.between_stories(db.conn) == pytest.approx(across / pairs, rel=1e-4)
    assert corpus.between_stories(db.conn) > 0.0


def test_name_weight_scales_the_named_phrases_of_an_article_vector() -> None:
    """``name_weight`` multiplies the named-phrase columns before the unit norm; other words keep their ratios."""
    import numpy as np

    from storyline.events.features import ArticleFeaturizer
    from storyline.stories.stage import TermCache, article_sum

    featurizer, cache = ArticleFeaturizer(), TermCache()
    row = {"id": "a", "title": "Port strike", "text": SUBJECTS["strike"][0], "duplicate_of": None}
    idf = np.ones(featurizer.n_features, dtype=np.float32)
    cols, _, names, named = cache.entry(featurizer, row)
    assert "Port of Oakland" in names and 0 < named.sum() < len(cols)
    plain, _ = article_sum(StoryLinker(), featurizer, cache, idf, [row])
    heavy, _ = article_sum(StoryLinker(name_weight=3.0), featurizer, cache, idf, [row])
    mask = np.isin(plain[0], cols[named])
    share = lambda v: float(np.square(v[1][mask]).sum())      # noqa: E731 - squared weight on names (unit vectors)
    assert share(heavy) > share(plain)
    words = ~mask
    assert np.allclose(heavy[1][words] / heavy[1][words][0], plain[1][words] / plain[1][words][0])
    with pytest.raises(ConfigError, match="name_weight"):
        StoryLinker(name_weight=0.0)


class _FakePool:
    """The three things :func:`attach_small_stories` asks of the merge pass's pool."""

    def __init__(self, linker: StoryLinker, profiles: list, background: float = 0.0) -> None:
        self.linker, self.profiles, self.merged = linker, {p.story_id: p for p in profiles}, []
        self.background = background

    def get(self, story_id: str):  # noqa: ANN201 - a Profile or None, as _Pool.get
        return self.profiles.get(story_id)

    def candidates(self, story):  # noqa: ANN001, ANN201
        return [p for p in self.profiles.values() if p is not story]

    def merge(self, a, b):  # noqa: ANN001, ANN201
        self.merged.append((a.story_id, b.story_id))
        return b


def _profile(story_id: str, position: int, weights: dict[int, float], n: int):  # noqa: ANN202
    from collections import Counter

    import numpy as np

    from storyline.stories.merge import Profile

    cols = np.array(sorted(weights), dtype=np.int64)
    return Profile(story_id, position, cols, np.array([weights[c] for c in cols.tolist()]), n, 0.0, Counter())


def test_a_small_story_joins_the_host_it_is_no_weaker_a_member_of() -> None:
    """Into the nearest host of >= host_articles when its link beats the host's weakest member; else it stays."""
    from storyline.stories.merge import attach_small_stories

    linker = StoryLinker(tail_articles=2, host_articles=10)
    host = _profile("host", 1, {1: 4.0, 2: 4.0}, 20)          # link of a unit [1, 0] article: 4 / 20 = 0.2
    other = _profile("other", 2, {3: 20.0}, 40)
    tiny = _profile("tiny", 3, {1: 9.0}, 5)                     # too small to host, though nearest
    near = _profile("near", 4, {1: 1.0}, 1)
    far = _profile("far", 5, {2: 0.1, 9: 0.9}, 1)              # link 0.02 to the host
    big = _profile("big", 6, {1: 3.0}, 3)                        # more than tail_articles: left to the rule
    pool = _FakePool(linker, [host, other, tiny, near, far, big])
    weakest = {"host": 0.1, "other": 0.3}
    assert attach_small_stories(pool, ["near", "far", "big"], lambda p: weakest[p.story_id]) == 1  # type: ignore[arg-type]
    assert pool.merged == [("near", "host")]


@pytest.mark.parametrize(("background", "moved"), [(0.1, 1), (0.2, 0)])
def test_a_story_within_tail_share_of_a_host_moves_when_it_clears_the_background(background: float,
                                                                                 moved: int) -> None:
    """tail_share lets a story of 3 join a host of 20 (3 <= 0.2 x 20); its link 0.2 must clear lift x background."""
    from storyline.stories.merge import attach_small_stories

    linker = StoryLinker(tail_articles=2, host_articles=10, tail_share=0.2, lift=1.25)
    host = _profile("host", 1, {1: 4.0, 2: 4.0}, 20)
    big = _profile("big", 2, {1: 3.0}, 3)                        # link 3 x 4 / (3 x 20) = 0.2
    pool = _FakePool(linker, [host, big], background)
    assert attach_small_stories(pool, ["big"], lambda p: 0.1) == moved  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="tail_share"):
        StoryLinker(tail_share=1.0)

