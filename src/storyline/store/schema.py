"""Versioned migrations, applied in order and recorded in ``migrations``.

Version ranges belong to stages so that parallel work never collides:
1-99 foundation (articles, rejects, runs), 100-199 events and stories,
200-299 understanding, 300-399 web, 400-499 engines.
"""
from __future__ import annotations

MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "articles, rejects, ingest runs, full-text index", """
CREATE TABLE articles (
    seq          INTEGER PRIMARY KEY,           -- ingest order; stages keep watermarks on it
    id           TEXT NOT NULL UNIQUE,
    url          TEXT,
    url_key      TEXT,                          -- normalized URL for idempotent re-reads
    title        TEXT,
    date         TEXT,                          -- publication date, ISO
    date_source  TEXT,
    outlet       TEXT,
    language     TEXT,
    text         TEXT NOT NULL,                 -- clean text
    raw_text     TEXT,
    source       TEXT,
    content_hash TEXT NOT NULL,
    ingested_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    duplicate_of TEXT,
    event_id     TEXT,
    story_id     TEXT
);
CREATE UNIQUE INDEX articles_url_key ON articles(url_key) WHERE url_key IS NOT NULL;
CREATE INDEX articles_hash ON articles(content_hash);
CREATE INDEX articles_date ON articles(date);
CREATE INDEX articles_event ON articles(event_id);
CREATE INDEX articles_outlet ON articles(outlet);

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles', content_rowid='seq', tokenize='porter unicode61'
);
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
END;
CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;

CREATE TABLE rejects (
    seq       INTEGER PRIMARY KEY,
    source    TEXT NOT NULL,
    record_id TEXT,
    reason    TEXT NOT NULL,
    detail    TEXT,
    run_id    INTEGER,
    at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE INDEX rejects_reason ON rejects(reason);

CREATE TABLE runs (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,                   -- ingest | build
    started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    ended_at   TEXT,
    n_read     INTEGER DEFAULT 0,
    n_stored   INTEGER DEFAULT 0,
    n_duplicates INTEGER DEFAULT 0,
    n_rejected INTEGER DEFAULT 0,
    args       TEXT
);

-- small key/value state: stage watermarks and serialized model state
CREATE TABLE state (
    key   TEXT PRIMARY KEY,
    value BLOB
);
"""),
    (100, "events and stories", """
CREATE TABLE events (
    id         TEXT PRIMARY KEY,
    title      TEXT,
    date       TEXT,
    start      TEXT,
    end        TEXT,
    place      TEXT,
    keywords   TEXT,                            -- JSON list
    n_articles INTEGER DEFAULT 0,
    n_outlets  INTEGER DEFAULT 0,
    story_id   TEXT,
    first_seq  INTEGER                          -- seq of the article that opened it
);
CREATE INDEX events_story ON events(story_id);
CREATE INDEX events_date ON events(date);

CREATE TABLE stories (
    id        TEXT PRIMARY KEY,
    title     TEXT,
    start     TEXT,
    end       TEXT,
    entities  TEXT,                             -- JSON list of names
    n_events  INTEGER DEFAULT 0
);
"""),
    (150, "near-duplicate index: MinHash signature per article, LSH band keys", """
CREATE TABLE dedupe_signatures (
    seq       INTEGER PRIMARY KEY,              -- articles.seq; presence = processed by dedupe
    signature BLOB                              -- uint32 MinHash values + shingle count; NULL when too short
);
CREATE TABLE dedupe_bands (
    key INTEGER NOT NULL,                       -- hash of (band number, band values)
    seq INTEGER NOT NULL
);
CREATE INDEX dedupe_bands_key ON dedupe_bands(key);
"""),
    (101, "event clusterer state: per-article assignment order and embedding, per-event dates, model blobs", """
CREATE TABLE event_assignments (
    article_id TEXT PRIMARY KEY,
    event_id   TEXT NOT NULL,
    position   INTEGER NOT NULL,                -- processing order (date, then seq), never reused
    happened   TEXT,                            -- the article's date of the happening, ISO
    embedding  BLOB                             -- float16 title+lead embedding, or NULL
);
CREATE INDEX event_assignments_event ON event_assignments(event_id, position);

CREATE TABLE event_state (
    event_id      TEXT PRIMARY KEY,
    first         TEXT,                         -- earliest member publication date
    last          TEXT,                         -- latest member publication date
    last_position INTEGER NOT NULL
);
CREATE INDEX event_state_last ON event_state(last);

CREATE TABLE event_model (
    key   TEXT PRIMARY KEY,                     -- df (zlib'd int64 array), n_docs, position
    value BLOB
);
"""),
    (102, "event clusterer: each article's nearest neighbours so far (positions, first-order similarities)", """
ALTER TABLE event_assignments ADD COLUMN profile BLOB;   -- n, int64 positions, float32 similarities
"""),
    (103, "event clusterer: each article's top terms, picked when it was clustered", """
ALTER TABLE event_assignments ADD COLUMN terms BLOB;     -- int64 hashed term columns
"""),
    (104, "events whose record must be recomputed from their members", """
CREATE TABLE events_stale (event_id TEXT PRIMARY KEY);  -- marked with each chunk, refreshed at the stage's end
"""),
    (105, "event clusterer: document frequencies updated per chunk; earliest position of each publication day", """
CREATE TABLE event_df (col INTEGER PRIMARY KEY, n INTEGER NOT NULL);   -- hashed term column -> documents
CREATE TABLE event_days (day TEXT PRIMARY KEY, first_position INTEGER NOT NULL);  -- earliest position per date
INSERT INTO event_days(day, first_position)
    SELECT substr(a.date, 1, 10), min(ea.position) FROM event_assignments ea JOIN articles a ON a.id = ea.article_id
    WHERE a.date IS NOT NULL GROUP BY substr(a.date, 1, 10);
"""),
    (160, "story linker state: per-story term profile and an inverted index of its top terms", """
CREATE TABLE story_profiles (
    story_id   TEXT PRIMARY KEY,
    position   INTEGER NOT NULL,                -- creation order, never reused
    terms      BLOB NOT NULL,                   -- int32 columns then float32 weights (summed event vectors)
    entities   TEXT,                            -- JSON {name: weight} of named phrases
    titles     TEXT,                            -- JSON [[n_articles, first_seq, title], ...] of its events
    first      TEXT,
    last       TEXT
);
CREATE TABLE story_terms (
    term     INTEGER NOT NULL,
    story_id TEXT NOT NULL
);
CREATE INDEX story_terms_term ON story_terms(term);
CREATE INDEX story_terms_story ON story_terms(story_id);
CREATE INDEX IF NOT EXISTS articles_story ON articles(story_id);
CREATE TABLE story_model (
    key   TEXT PRIMARY KEY,                     -- df: zlib'd int64 document frequencies (hashed terms)
    value BLOB
);
"""),
    (161, "story merging: each story's article count, squared norm of its article sum, a mark for the merge pass", """
ALTER TABLE story_profiles ADD COLUMN n INTEGER NOT NULL DEFAULT 0;     -- articles (copies once) in the sum
ALTER TABLE story_profiles ADD COLUMN sq REAL NOT NULL DEFAULT 0;       -- squared norm of the sum: the cohesion
ALTER TABLE story_profiles ADD COLUMN dirty INTEGER NOT NULL DEFAULT 0; -- touched since the last merge pass
CREATE INDEX story_profiles_dirty ON story_profiles(dirty) WHERE dirty = 1;
"""),
    (200, "entities, mentions, quotes, facts, summaries", """
CREATE TABLE entities (
    id        TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    type      TEXT NOT NULL,
    aliases   TEXT,                             -- JSON list
    roles     TEXT,                             -- JSON list
    mentions  INTEGER DEFAULT 0
);
CREATE INDEX entities_name ON entities(name);

CREATE TABLE mentions (
    article_id TEXT NOT NULL,
    entity_id  TEXT,
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL,
    text       TEXT NOT NULL,
    label      TEXT
);
CREATE INDEX mentions_article ON mentions(article_id);
CREATE INDEX mentions_entity ON mentions(entity_id);

CREATE TABLE quotes (
    id                TEXT PRIMARY KEY,
    text              TEXT NOT NULL,
    article_id        TEXT NOT NULL,
    start             INTEGER,
    end               INTEGER,
    speaker           TEXT,
    speaker_entity_id TEXT,
    group_id          TEXT,
    event_id          TEXT
);
CREATE INDEX quotes_article ON quotes(article_id);
CREATE INDEX quotes_speaker ON quotes(speaker_entity_id);
CREATE INDEX quotes_event ON quotes(event_id);

CREATE TABLE facts (
    id            TEXT PRIMARY KEY,
    event_id      TEXT NOT NULL,
    text          TEXT NOT NULL,
    sentences     TEXT,                         -- JSON list of {article_id, outlet, text}
    outlets       TEXT,                         -- JSON list
    single_outlet INTEGER DEFAULT 0,
    disagreement  TEXT                          -- JSON list
);
CREATE INDEX facts_event ON facts(event_id);

CREATE TABLE summaries (
    event_id   TEXT NOT NULL,
    position   INTEGER NOT NULL,
    text       TEXT NOT NULL,
    article_id TEXT NOT NULL,
    outlet     TEXT,
    PRIMARY KEY (event_id, position)
);
"""),
    (201, "understanding: sentences, mention roles, quote speaker spans, per-event signatures", """
CREATE TABLE sentences (
    article_id TEXT NOT NULL,
    position   INTEGER NOT NULL,
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL,
    text       TEXT NOT NULL,
    PRIMARY KEY (article_id, position)
);
ALTER TABLE mentions ADD COLUMN roles TEXT;
ALTER TABLE quotes ADD COLUMN speaker_start INTEGER;
ALTER TABLE quotes ADD COLUMN speaker_end INTEGER;
ALTER TABLE quotes ADD COLUMN how TEXT;
ALTER TABLE facts ADD COLUMN agreement TEXT;
-- which article set each event's facts / summary were computed from (recompute when it changes)
CREATE TABLE event_signatures (
    stage     TEXT NOT NULL,
    event_id  TEXT NOT NULL,
    signature TEXT NOT NULL,
    PRIMARY KEY (stage, event_id)
);
"""),
    (202, "optional abstractive summaries (off by default)", """
CREATE TABLE abstracts (
    event_id TEXT PRIMARY KEY,
    text     TEXT,                              -- NULL when the endpoint failed
    model    TEXT,
    error    TEXT
);
"""),
    (50, "stage_state: each build stage's parameter hash, so a changed setting rebuilds it", """
CREATE TABLE stage_state (
    stage  TEXT PRIMARY KEY,
    params TEXT NOT NULL,                       -- hash of the config sections the stage reads
    ran_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
"""),
    (300, "web read paths: duplicates of an article, entity → articles, stories by date", """
CREATE INDEX IF NOT EXISTS articles_duplicate_of ON articles(duplicate_of) WHERE duplicate_of IS NOT NULL;
CREATE INDEX IF NOT EXISTS mentions_entity_article ON mentions(entity_id, article_id);
CREATE INDEX IF NOT EXISTS stories_end ON stories(end);
"""),
    (203, "margin mentions: names in raw-text lines the cleaner removed (captions, credits, bylines)", """
CREATE TABLE margin_mentions (
    article_id TEXT NOT NULL,
    entity_id  TEXT,                            -- the body entity it adds an alias to; NULL when none
    start      INTEGER NOT NULL,                -- offsets into raw_text after mojibake repair, not into text
    end        INTEGER NOT NULL,
    text       TEXT NOT NULL,
    label      TEXT,
    roles      TEXT                             -- JSON list
);
CREATE INDEX margin_mentions_article ON margin_mentions(article_id);
-- articles annotated before margins existed are annotated again on the next build
DELETE FROM state WHERE key = 'understand.seq';
"""),
    (2, "runs: the process that owns a run, and how it ended (done | interrupted)", """
ALTER TABLE runs ADD COLUMN pid INTEGER;
ALTER TABLE runs ADD COLUMN status TEXT;
UPDATE runs SET status = 'done' WHERE ended_at IS NOT NULL;
"""),
    (210, "quote confidence and reason; user corrections of entities", """
ALTER TABLE quotes ADD COLUMN confidence REAL;          -- how sure the attribution is (0 when unattributed)
ALTER TABLE quotes ADD COLUMN reason TEXT;              -- why an unattributed quote has no speaker
CREATE TABLE entity_corrections (
    seq    INTEGER PRIMARY KEY,                          -- applied in the order the user gave them
    action TEXT NOT NULL,                                -- merge | split | rename
    a      TEXT NOT NULL,
    b      TEXT,
    at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
"""),
    (220, "only new work per build: articles whose quotes and events whose quote groups are out of date", """
CREATE TABLE quotes_stale (article_id TEXT PRIMARY KEY);    -- annotated, or a speaker changed, since quotes ran
CREATE TABLE quotes_regroup (event_id TEXT PRIMARY KEY);    -- quotes came or went: group repeats again
INSERT OR IGNORE INTO quotes_stale(article_id) SELECT DISTINCT article_id FROM sentences;
"""),
]
