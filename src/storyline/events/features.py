"""Cheap article features for event clustering: hashed words and named phrases.

Words are lowercased content words with a light suffix stripper; named
phrases are runs of capitalised tokens (``Sergey Lavrov``, ``Promises
Treatment Center``) and datelines (``ISLAMABAD:``). Both are hashed into one
fixed-size space, so the vocabulary never needs refitting: document
frequencies are a plain count array that grows with every batch, and IDF is
read from it at clustering time. spaCy would give better entities but costs
~100x more per article, which the 100k-article target cannot afford.
"""
from __future__ import annotations

import re
import zlib
from collections import Counter, defaultdict
from functools import lru_cache
from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp

WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|\d+(?:[.,:]\d+)*")
_CAP = r"[A-Z][\w'’&-]*(?:\.[A-Z][\w'’&-]*)*"
CAP_RUN_RE = re.compile(rf"{_CAP}(?:[ \t]+(?:(?:of|de|la|al|bin|van|von|the|for)[ \t]+){{0,2}}(?:{_CAP}|\d+))*")
SENT_START_RE = re.compile(r"(?:^|[.!?]\s+|[\"“‘`']+\s*|\n\s*)$")
NEWS_FILLER = frozenset({
    "said", "says", "say", "told", "according", "also", "new", "year", "years", "just", "like", "time",
    "people", "week", "day", "days", "mr", "mrs", "ms", "s", "t", "ll", "re", "ve", "d", "m", "did",
    "does", "including", "reported", "report", "reports", "news", "read", "more", "click", "photo",
})
# Weekdays and months carry time, not topic; the time signal handles them separately.
CALENDAR = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                      "january", "february", "march", "april", "may", "june", "july", "august",
                      "september", "october", "november", "december", "today", "yesterday",
                      "tomorrow", "tonight", "morning", "evening", "night", "afternoon"})


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """scikit-learn's English stop words plus news filler, loaded on first use.

    Importing scikit-learn costs ~1.4 s, most of a build that finds nothing new to cluster
    (measured: 1.5 of 2.0 s on a built gva DB), so it waits until text is featurized.
    """
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | NEWS_FILLER


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A deliberately light suffix stripper: plurals and -ed/-ing, enough to merge word forms."""
    if len(word) <= 4 or word.isdigit():
        return word
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            if suffix == "es" and not word.endswith(("shes", "ches", "xes", "zes", "sses")):
                continue   # "earthquakes" -> "earthquake" by the plain -s rule below
            return word[: len(word) - len(suffix)] + keep
    return word


def words(text: str) -> list[str]:
    """Lowercased, stemmed content words (numbers kept: casualty counts and scores are specific)."""
    return [w for w in map(_content_word, WORD_RE.findall(text.lower())) if w]


@lru_cache(maxsize=200_000)
def _content_word(token: str) -> str:
    """The stemmed content word of one lowercased token, or '' for stop words (cached: vocabularies repeat)."""
    low = token.replace("’", "'")
    if low.endswith("'s"):
        low = low[:-2]
    if len(low) < 2 or low in stop_words() or low in CALENDAR:
        return ""
    return stem(low)


def named_phrases(text: str) -> list[str]:
    """Runs of capitalised tokens, lowercased; a lone sentence-initial common word is dropped."""
    found = []
    stop = stop_words()
    for match in CAP_RUN_RE.finditer(text):
        phrase = match.group(0).strip(" .,'’-")
        tokens = phrase.split()
        if not tokens:
            continue
        while tokens and (tokens[0].lower() in stop or tokens[0].lower() in CALENDAR):
            tokens = tokens[1:]
        if not tokens:
            continue
        if len(tokens) == 1:
            low = tokens[0].lower()
            if low in stop or low in CALENDAR or len(low) < 2:
                continue
            # look back a bounded window (pos/endpos keep '^' at the real text start): searching
            # the whole prefix per match made this quadratic in article length (10x on ECB+)
            if (SENT_START_RE.search(text, max(0, match.start() - 64), match.start())
                    and not tokens[0].isupper()):
                # sentence-initial single capitalised word: usually an ordinary word ("Police")
                continue
        found.append(" ".join(t.lower() for t in tokens))
    return found


def term_column(term: str, n_features: int) -> int:
    """A stable hash (crc32) so the same term lands in the same column in every process."""
    return zlib.crc32(term.encode("utf-8")) % n_features


class ArticleFeaturizer:
    """Turns article texts into hashed, sublinear term-frequency rows.

    ``lead_weight`` repeats the title and first sentences (news puts the
    happening there); ``phrase_weight`` scales named phrases, which tell two
    look-alike happenings apart (two earthquakes: different places).

    >>> f = ArticleFeaturizer(n_features=2**10)
    >>> f.transform(["Lavrov arrives in Islamabad."]).shape
    (1, 1024)
    """

    def __init__(self, n_features: int = 2**20, phrase_weight: float = 1.0, lead_weight: float = 2.0,
                 lead_chars: int = 400) -> None:
        self.n_features = n_features
        self.phrase_weight = phrase_weight
        self.lead_weight = lead_weight
        self.lead_chars = lead_chars

    def term_counts(self, text: str, title: str | None = None) -> dict[str, float]:
        """Weighted counts of words and named phrases (prefixed ``n:``) of one article."""
        lead = ((title or "") + " " + text[: self.lead_chars]).strip()
        counts: dict[str, float] = defaultdict(float)     # weights are fractional
        for part, weight in ((text, 1.0), (lead, self.lead_weight)):
            if weight <= 0:
                continue
            for w in words(part):
                counts[w] += weight
            for p in named_phrases(part):
                counts["n:" + p] += weight * self.phrase_weight
        return counts

    def transform(self, texts: Sequence[str], titles: Sequence[str | None] | None = None) -> sp.csr_matrix:
        """Sublinear-tf rows (1 + log tf), not yet IDF-weighted."""
        return self.transform_with_names(texts, titles)[0]

    def transform_with_names(self, texts: Sequence[str], titles: Sequence[str | None] | None = None
                             ) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """``transform``'s rows and, per article, a 0/1 row of the word columns its named phrases are made of.

        Names are compared word by word ("Lohan" matches "Lindsay Lohan"):
        the mask picks them out of the article's own weighted row.
        """
        titles = titles if titles is not None else [None] * len(texts)
        indptr: list[int] = [0]
        indices: list[int] = []
        data: list[float] = []
        name_indptr: list[int] = [0]
        name_indices: list[int] = []
        for text, title in zip(texts, titles, strict=True):
            row: dict[int, float] = {}
            name_cols: set[int] = set()
            for term, count in self.term_counts(text, title).items():
                col = term_column(term, self.n_features)
                row[col] = row.get(col, 0.0) + count
                if term.startswith("n:"):
                    name_cols.update(term_column(w, self.n_features) for w in words(term[2:]))
            cols = sorted(row)
            indices.extend(cols)
            data.extend(1.0 + np.log(row[c]) if row[c] >= 1 else row[c] for c in cols)
            indptr.append(len(indices))
            name_indices.extend(sorted(c for c in name_cols if c in row))
            name_indptr.append(len(name_indices))
        shape = (len(texts), self.n_features)
        rows = sp.csr_matrix((np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int32),
                              np.asarray(indptr, dtype=np.int64)), shape=shape)
        names = sp.csr_matrix((np.ones(len(name_indices), dtype=np.float32), np.asarray(name_indices, dtype=np.int32),
                               np.asarray(name_indptr, dtype=np.int64)), shape=shape)
        return rows, names


def document_frequency(rows: sp.csr_matrix, n_features: int) -> np.ndarray:
    """How many rows contain each column (for adding a batch to the running counts)."""
    return np.bincount(rows.indices, minlength=n_features).astype(np.int64)


def add_document_frequency(df: np.ndarray, rows: sp.csr_matrix) -> None:
    """``df += document_frequency(rows, len(df))``, touching only the batch's columns: a chunk (one
    day of articles) has a few thousand of the 2**20, and the full-length count cost 2.5 ms a chunk
    (997 chunks on gva, 2.5 of the events stage's 37 CPU-s under cProfile)."""
    cols, counts = np.unique(rows.indices, return_counts=True)
    df[cols] += counts


def idf_weights(df: np.ndarray, n_docs: int) -> np.ndarray:
    """Smoothed IDF, as scikit-learn's ``smooth_idf``: log((1+n)/(1+df)) + 1."""
    return (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0).astype(np.float32)


def compact_columns(*matrices: sp.csr_matrix) -> list[sp.csr_matrix]:
    """The same CSR matrices over only the columns one of them uses, kept in their order.

    ``a @ b.T`` over 2**20 hashed columns converts ``b.T`` through a 2**20-long
    index (1-2 ms a product, 2,000 products on gva); over the used columns the
    product sums the same terms in the same order, so it is equal.
    """
    used = np.unique(np.concatenate([m.indices for m in matrices]))
    return [sp.csr_matrix((m.data, np.searchsorted(used, m.indices).astype(m.indices.dtype), m.indptr),
                          shape=(m.shape[0], used.size)) for m in matrices]


class Idf:
    """:func:`idf_weights` of the columns asked for (``idf[cols]``), computed when asked.

    A chunk weighs a few thousand of the 2**20 columns; the full vector cost 5 ms a
    chunk (4.9 of the events stage's 37 CPU-s on gva). Each value is the same
    element-wise formula, so the weights are equal. Read it before ``df`` changes.
    """

    def __init__(self, df: np.ndarray, n_docs: int) -> None:
        self.df, self.n_docs = df, n_docs

    def __getitem__(self, cols: np.ndarray) -> np.ndarray:
        return idf_weights(self.df[cols], self.n_docs)


def weigh(rows: sp.csr_matrix, idf: np.ndarray | Idf) -> sp.csr_matrix:
    """IDF-weighted, L2-normalised rows (vectorised over the CSR arrays: called per batch, on thousands of rows)."""
    out = sp.csr_matrix(rows, dtype=np.float32, copy=True)
    out.data *= idf[out.indices]
    lengths = np.diff(out.indptr)
    owner = np.repeat(np.arange(out.shape[0]), lengths)
    norms = np.sqrt(np.bincount(owner, weights=out.data.astype(np.float64) ** 2, minlength=out.shape[0]))
    norms[norms == 0] = 1.0
    out.data /= np.repeat(norms, lengths).astype(np.float32)
    return out


def top_terms(row: sp.csr_matrix, k: int) -> list[int]:
    """Columns of the ``k`` heaviest terms of one weighted row (ties broken by column, for determinism)."""
    return top_terms_of(row, k)[0]


def top_terms_of(rows: sp.csr_matrix, k: int) -> list[list[int]]:
    """``top_terms`` for every row of a CSR matrix, reading its arrays directly."""
    out = []
    for i in range(rows.shape[0]):
        lo, hi = rows.indptr[i], rows.indptr[i + 1]
        cols, vals = rows.indices[lo:hi], rows.data[lo:hi]
        order = np.lexsort((cols, -vals))[:k]
        out.append([int(c) for c in cols[order]])
    return out


def keywords(texts: Iterable[str], k: int = 8) -> list[str]:
    """The most frequent named phrases, then words, of some texts (for an event's keyword list)."""
    phrases: Counter[str] = Counter()
    plain: Counter[str] = Counter()
    stop = stop_words()
    for text in texts:
        phrases.update(set(named_phrases(text)))
        plain.update(set(w for w in WORD_RE.findall(text.lower()) if w not in stop and w not in CALENDAR
                         and len(w) > 3))
    ranked = [p for p, _ in sorted(phrases.items(), key=lambda x: (-x[1], x[0]))][:k]
    for w, _ in sorted(plain.items(), key=lambda x: (-x[1], x[0])):
        if len(ranked) >= k:
            break
        if not any(w in p for p in ranked):
            ranked.append(w)
    return ranked
