"""NER and sentence splitting of new articles, in worker processes that start with the build.

Annotation reads only an article's text, not its event, so it need not wait
for the events and stories stages: the build starts an :class:`Annotator`
first (``UnderstandStage.start``), its workers annotate while the main process
clusters, and the understanding stage writes what they finished and
annotates the rest. Each worker runs the whole per-article step (margin,
spaCy NER, mention cleaning, sentence split) and sends back plain rows, so no
spaCy ``Doc`` crosses a process boundary. Batches are written in ingest
order, each with the watermark in one transaction, as before.
"""
from __future__ import annotations

import bisect
import json
import os
import re
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from ..clean.encoding import repair_mojibake
from ..progress import Progress
from ..store import Database
from .entities import RawMention, extract_mentions
from .nlp import blank_plain_sentences, load_nlp, split_sentences

WATERMARK = "understand.seq"
MAX_CHARS = 100_000     # spaCy's default limit is 1M; news beyond this is a feed dump, not an article
# Captions, credits and bylines are a few hundred characters (seed margins: 0-1,400;
# India police: 16 on average); lines are taken top down, so what a cap cuts is the
# tail of comment threads and link lists, which costs NER time and says little.
MAX_MARGIN_CHARS = 2_000
_NON_WORD = re.compile(r"\W+")
AUTO_PROCESS_MIN = 200  # new articles from which a second NER process pays for its start-up
# Articles annotated ahead of the writer: bounds the rows a build holds while the events stage runs.
AHEAD_ARTICLES = 4_096
# Texts per nlp.pipe batch: on numpy's gemm, 8-32 took 11.0-11.7 CPU-s for 400 gva articles and 64
# 12.3-12.4, 256 12.1-12.7 (same entities at every size; benchmarks/ner_batch.py)
NER_BATCH = 16
TASK_ARTICLES = 128     # articles per worker task: small tasks keep both workers busy, few transactions

Article = tuple[int, str, str, str | None]                    # seq, id, text, raw text
Sentence = tuple[int, int, str]                               # start, end, text
Annotated = tuple[str, list[RawMention], list[Sentence], list[RawMention]]   # id, mentions, sentences, margin


class Margin:
    """The raw lines an article's clean text left out, joined by newlines, with their raw offsets."""

    def __init__(self, raw: str, spans: list[tuple[int, int]]) -> None:
        self.text = "\n".join(raw[a:b] for a, b in spans)
        self.starts: list[tuple[int, int]] = []       # (offset in self.text, offset in raw)
        pos = 0
        for a, b in spans:
            self.starts.append((pos, a))
            pos += b - a + 1

    def to_raw(self, offset: int) -> int:
        """Offset in the raw text of an offset in the margin text."""
        i = bisect.bisect_right(self.starts, (offset, float("inf"))) - 1
        return self.starts[i][1] + offset - self.starts[i][0]

    def mentions(self, doc: Any, article_id: str) -> list[RawMention]:
        """Mentions of the margin's doc, with offsets moved into the raw text."""
        out = extract_mentions(doc, article_id)
        for m in out:
            m.start, m.end = self.to_raw(m.start), self.to_raw(m.start) + (m.end - m.start)
        return out


def margin_of(raw: str | None, text: str, limit: int = MAX_MARGIN_CHARS) -> Margin:
    """Lines of the raw text (mojibake repaired, as the cleaner read it) whose words are not in
    the clean text, up to ``limit`` characters: captions, credits, bylines, handles."""
    raw = repair_mojibake(raw or "")
    if not raw.strip() or raw.strip() == text.strip():
        return Margin("", [])
    body = " " + _NON_WORD.sub(" ", text).strip().lower() + " "
    spans, size = [], 0
    for m in re.finditer(r"[^\r\n]+", raw):
        words = _NON_WORD.sub(" ", m.group()).strip().lower()
        if not words or f" {words} " in body:
            continue
        end = min(m.end(), m.start() + limit - size)
        spans.append((m.start(), end))
        size += end - m.start() + 1
        if size >= limit:
            break
    return Margin(raw, spans)


def annotate_batch(nlp: Any, batch: list[Article], batch_size: int, skip_plain: bool = True) -> list[Annotated]:
    """Mentions, sentences and margin mentions of a batch of articles.

    The margins go through the same NER in the same stream, after the bodies.
    With ``skip_plain`` the NER reads each body with its plain sentences
    blanked out (:func:`~storyline.understand.nlp.blank_plain_sentences`).
    """
    margins = [margin_of(raw, text) for _, _, text, raw in batch]
    texts = [text[:MAX_CHARS] for _, _, text, _ in batch]
    if skip_plain:
        texts = [blank_plain_sentences(t) for t in texts]
    docs = list(nlp.pipe(texts + [m.text for m in margins if m.text], batch_size=batch_size))
    margin_docs = iter(docs[len(batch):])
    rows = []
    # docs also holds the margin docs, after the batch's: zip stops at the batch's end
    for (_, aid, text, _), doc, margin in zip(batch, docs, margins, strict=False):
        sentences = [(a, b, text[a:b]) for a, b in split_sentences(text)]
        extra = margin.mentions(next(margin_docs), aid) if margin.text else []
        rows.append((aid, extract_mentions(doc, aid), sentences, extra))
    return rows


def _annotate_in_worker(batch: list[Article], model: str | None, batch_size: int,
                        skip_plain: bool) -> list[Annotated]:
    """:func:`annotate_batch` in a worker process, with that process's one NER pipeline."""
    return annotate_batch(load_nlp(model), batch, batch_size, skip_plain)


def auto_processes(n_articles: int) -> int:
    """spaCy worker processes for NER: two on a machine with two or more cores once the batch pays
    for a second model load. Measured on 300 gva articles (2 shared cores): CPU 11.1 → 11.8 s (+6%,
    the worker's model load and doc transfer included), the same entities, wall 108 → 76 s under a
    load average of 17; on idle cores the wall time approaches half."""
    return 2 if (os.cpu_count() or 1) >= 2 and n_articles >= AUTO_PROCESS_MIN else 1


class Annotator:
    """Annotates the articles past the watermark: in a pool of ``n_process`` workers that may start
    before the stages it does not depend on, or in this process when one is asked for.

    Batches are read in ingest order; at most ``ahead`` articles are in flight, so a build on a
    large corpus holds a bounded number of finished rows while no one writes them.
    ``skip_plain_sentences`` (``[entities]``, default on) leaves sentences that can hold no name
    out of NER (:func:`annotate_batch`).
    """

    def __init__(self, db: Database, model: str | None = None, batch_size: int = NER_BATCH,
                 n_process: int | None = None, ahead: int = AHEAD_ARTICLES,
                 skip_plain_sentences: bool = True) -> None:
        self.db, self.model, self.batch_size = db, model, batch_size
        self.skip_plain = bool(skip_plain_sentences)
        self.after = int(db.get_state(WATERMARK, 0) or 0)
        self.total = int(db.scalar("SELECT count(*) FROM articles WHERE seq > ?", (self.after,)))
        self.n_process = auto_processes(self.total) if n_process is None else max(1, int(n_process))
        self.size = max(batch_size * 2, TASK_ARTICLES)      # articles per worker task and per transaction
        self.ahead = max(ahead // self.size, 2 * self.n_process)
        self.pool: ProcessPoolExecutor | None = None
        self.pending: deque[tuple[int, int, Future[list[Annotated]]]] = deque()   # (last seq, n, rows)

    def start(self) -> Annotator:
        """Start the workers on the first batches (nothing when everything runs in this process)."""
        if self.total and self.n_process > 1 and self.pool is None:
            from ..engine import guarded_pool

            self.pool = guarded_pool(self.n_process)
            self._fill()
        return self

    def run(self, progress: Progress) -> int:
        """Write every batch in ingest order, each with the watermark; the number of articles annotated."""
        if not self.total:
            return 0
        self.start()
        done = 0
        with progress.task("entities", total=self.total) as advance:
            for seq, rows in self._finished():
                _write_annotations(self.db, rows, seq)
                done += len(rows)
                advance(len(rows))
        self.close()
        return done

    def close(self) -> None:
        """Stop the workers (a build that failed before the understanding stage leaves them idle)."""
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
        self.pending.clear()

    def _finished(self) -> Iterator[tuple[int, list[Annotated]]]:
        """(last seq, rows) of each batch in order: from the workers, or annotated here."""
        if self.pool is None:
            nlp = load_nlp(self.model)
            for batch in self._batches():
                yield batch[-1][0], annotate_batch(nlp, batch, self.batch_size, self.skip_plain)
            return
        while self.pending:
            seq, _, future = self.pending.popleft()
            rows = future.result()
            self._fill()
            yield seq, rows

    def _fill(self) -> None:
        """Submit batches until ``ahead`` are in flight or none is left (a submit may fork a worker)."""
        from ..engine import stop_signals_blocked

        assert self.pool is not None
        while len(self.pending) < self.ahead:
            batch = next(self._batches(limit=1), None)
            if batch is None:
                return
            with stop_signals_blocked():
                future = self.pool.submit(_annotate_in_worker, batch, self.model, self.batch_size,
                                          self.skip_plain)
            self.pending.append((batch[-1][0], len(batch), future))

    def _batches(self, limit: int | None = None) -> Iterator[list[Article]]:
        """The next batches past the last one read, ``limit`` of them at most (all when None)."""
        n = 0
        while limit is None or n < limit:
            rows = self.db.query("SELECT seq, id, text, raw_text FROM articles WHERE seq > ? ORDER BY seq LIMIT ?",
                                 (self.after, self.size))
            if not rows:
                return
            self.after = rows[-1]["seq"]
            n += 1
            yield [(r["seq"], r["id"], r["text"] or "", r["raw_text"]) for r in rows]


def _write_annotations(db: Database, rows: list[Annotated], seq: int) -> None:
    """Replace mentions, sentences and margin mentions of a batch and move the watermark, atomically;
    the batch's articles are queued for quote attribution in the same transaction."""
    with db.transaction() as conn:
        for aid, mentions, sentences, margin in rows:
            conn.execute("DELETE FROM mentions WHERE article_id = ?", (aid,))
            conn.execute("DELETE FROM sentences WHERE article_id = ?", (aid,))
            conn.execute("DELETE FROM margin_mentions WHERE article_id = ?", (aid,))
            conn.executemany("INSERT INTO mentions(article_id, start, end, text, label, roles) VALUES (?,?,?,?,?,?)",
                             [(aid, m.start, m.end, m.text, m.label, json.dumps(m.roles) if m.roles else None)
                              for m in mentions])
            conn.executemany("INSERT INTO margin_mentions(article_id, start, end, text, label, roles)"
                             " VALUES (?,?,?,?,?,?)",
                             [(aid, m.start, m.end, m.text, m.label, json.dumps(m.roles) if m.roles else None)
                              for m in margin])
            conn.executemany("INSERT INTO sentences(article_id, position, start, end, text) VALUES (?,?,?,?,?)",
                             [(aid, i, a, b, s) for i, (a, b, s) in enumerate(sentences)])
        conn.executemany("INSERT OR IGNORE INTO quotes_stale(article_id) VALUES (?)", [(r[0],) for r in rows])
        db.set_state(WATERMARK, seq)


def annotate_new(db: Database, progress: Progress, model: str | None = None, batch_size: int = NER_BATCH,
                 n_process: int | None = None, started: Annotator | None = None,
                 skip_plain_sentences: bool = True) -> int:
    """NER mentions and sentence spans for articles past the watermark, one transaction per batch.

    ``started`` is an :class:`Annotator` the build began earlier (its settings were read then);
    ``n_process`` None picks :func:`auto_processes`.
    """
    annotator = started or Annotator(db, model, batch_size, n_process,
                                     skip_plain_sentences=skip_plain_sentences)
    return annotator.run(progress)
