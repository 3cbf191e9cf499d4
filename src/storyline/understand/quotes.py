"""Direct quotations and who said them.

A quote is text between quotation marks (curly or straight; an opening mark
left unclosed runs to its paragraph's end or to its own ", he said"), of at
least ``min_words`` words so that scare quotes ("extended troika") are not
taken for speech. Its speaker is found, in order of preference:

1. after the quote in the same sentence: ``"…," Lavrov said`` / ``"…," said the FM``;
2. before it in the same sentence: ``Qureshi also said that Pakistan "…"``;
3. in the next sentence when the quote stands alone: ``"…" He further said …``;
4. as the continuation of the quote just before it when a paragraph is only a quote.

A pronoun or a bare title ("he", "the FM") means the most recent person
named before the quote; "it", "the statement", "the ministry" mean the most
recent institution. A speaker must resolve to a PERSON or ORG entity; a
place ("Moscow says") leaves the quote without a speaker.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Sequence

from ..records import Quote

SPEECH_VERBS = ("said", "says", "say", "added", "adds", "told", "tells", "stated", "states", "noted", "notes",
                "remarked", "asserted", "declared", "announced", "explained", "stressed", "emphasised",
                "emphasized", "insisted", "wrote", "writes", "tweeted", "posted", "maintained", "observed",
                "warned", "argued", "claimed", "claims", "recalled", "replied", "asked", "urged", "continued",
                "acknowledged", "admitted", "confirmed", "according to", "quoted", "quoting", "underlined",
                "highlighted", "reiterated", "pointed out", "went on", "reported", "reports")
_VERB_RE = re.compile(r"\b(" + "|".join(sorted((re.escape(v) for v in SPEECH_VERBS), key=len, reverse=True)) + r")\b",
                      re.IGNORECASE)
_PERSON_PRONOUNS = {"he", "she", "him", "her"}
_INSTITUTION_WORDS = {"it", "statement", "ministry", "office", "release", "press release", "spokesman",
                      "spokesperson", "spokeswoman", "department", "government", "agency", "report", "embassy",
                      "police", "army", "military", "party", "company", "court", "commission", "board", "they"}
_PERSON_NOUNS = {"minister", "fm", "pm", "president", "premier", "leader", "official", "envoy", "ambassador",
                 "chief", "secretary", "spokesman", "spokesperson", "spokeswoman", "officer", "governor",
                 "chairman", "senator", "source", "diplomat", "mayor", "commissioner"}
_INDEFINITE = {"a", "an", "one", "two", "three", "some", "several", "many", "another", "sources", "officials"}
_OPEN = "“\""


@dataclass
class SpeakerMention:
    """A resolved mention in an article, as quotes need it."""

    start: int
    end: int
    entity_id: str
    name: str
    type: str
    roles: tuple[str, ...] = ()


@dataclass
class FoundQuote:
    """A quotation with its speaker span (offsets of the mention it was attributed to)."""

    text: str
    start: int
    end: int
    speaker: str | None = None
    speaker_entity_id: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    how: str = ""


class QuoteExtractor:
    """Find quotes in one article and attribute each to a person or institution.

    >>> ms = [SpeakerMention(0, 6, "e1", "Sergey Lavrov", "PERSON")]
    >>> q = QuoteExtractor().extract("Lavrov spoke. \\"We are ready to help our friends,\\" he said.", ms)
    >>> (q[0].text, q[0].speaker)
    ('We are ready to help our friends,', 'Sergey Lavrov')
    """

    def __init__(self, min_words: int = 4, max_gap_words: int = 8) -> None:
        self.min_words = min_words
        self.max_gap_words = max_gap_words

    def extract(self, text: str, mentions: Sequence[SpeakerMention],
                sentences: Sequence[tuple[int, int]] | None = None) -> list[FoundQuote]:
        """Quotes of ``text`` with speakers resolved through ``mentions`` (sorted by start)."""
        from .nlp import split_sentences

        sentences = list(sentences) if sentences is not None else split_sentences(text)
        mentions = sorted(mentions, key=lambda m: m.start)
        quotes = [q for q in find_quotations(text) if len(q.text.split()) >= self.min_words]
        previous: FoundQuote | None = None
        for q in quotes:
            self._attribute(text, q, mentions, sentences, previous)
            previous = q
        return quotes

    def _attribute(self, text: str, q: FoundQuote, mentions: Sequence[SpeakerMention],
                   sentences: Sequence[tuple[int, int]], previous: FoundQuote | None) -> None:
        """Try each place a speaker can be named, in order, and keep the first that resolves."""
        if q.how == "inline" and q.speaker_start is not None:
            self._resolve(text, q, q.speaker_start, q.speaker_end or q.speaker_start, mentions, "inline")
            if q.speaker_entity_id:
                return
        s_start, s_end = _sentence_around(sentences, q.start, q.end)
        after = (q.end + 1, _next_boundary(text, q.end + 1, s_end))
        if self._from_window(text, q, after, mentions, "after", verb_first_ok=True):
            return
        before = (_prev_quote_end(text, s_start, q.start - 1), q.start - 1)
        if self._from_window(text, q, before, mentions, "before", verb_first_ok=False):
            return
        nxt = _next_sentence(sentences, s_end)
        if nxt and _only_quote(text, s_start, s_end, q) and self._from_window(text, q, nxt, mentions, "next", True):
            return
        if previous is not None and previous.speaker_entity_id and _only_quote(text, s_start, s_end, q) \
                and q.start - previous.end < 400:
            q.speaker, q.speaker_entity_id, q.how = previous.speaker, previous.speaker_entity_id, "continued"
            q.speaker_start, q.speaker_end = previous.speaker_start, previous.speaker_end

    def _from_window(self, text: str, q: FoundQuote, window: tuple[int, int], mentions: Sequence[SpeakerMention],
                     how: str, verb_first_ok: bool) -> bool:
        """Find a speech verb in the window and the speaker next to it; True when resolved."""
        start, end = window
        if end <= start:
            return False
        chunk = text[start:end]
        verbs = list(_VERB_RE.finditer(chunk))
        if not verbs:
            return False
        if how == "before" and verbs[-1].group().lower() == "according to":
            verb = verbs[-1]                 # "According to the ministry, "…"": the source follows
            comma = chunk.find(",", verb.end())
            subject = (start + verb.end(), start + (comma if comma >= 0 else len(chunk)))
            return self._resolve(text, q, subject[0], subject[1], mentions, how)
        if how == "before":
            verb = verbs[-1]
            subject = (start + _clause_start(chunk, verb.start()), start + verb.start())
            after_verb = chunk[verb.end():].strip(" ,:")
            if len(after_verb.split()) > self.max_gap_words and not after_verb.lower().startswith("that"):
                return False
        else:
            verb = verbs[0]
            if len(chunk[:verb.start()].split()) > self.max_gap_words:
                return False
            subject = (start, start + verb.start())
            if not chunk[:verb.start()].strip(" ,.:;—–-\"”“") and verb_first_ok:
                subject = (start + verb.end(), min(end, start + verb.end() + 60))   # "…," said Lavrov
        return self._resolve(text, q, subject[0], subject[1], mentions, how)

    def _resolve(self, text: str, q: FoundQuote, start: int, end: int, mentions: Sequence[SpeakerMention],
                 how: str) -> bool:
        """Attribute ``q`` to the speaker named in text[start:end], by mention, pronoun or bare noun."""
        named = [m for m in mentions if m.start >= start and m.end <= end]
        words = [w.lower() for w in re.findall(r"[A-Za-z]+", text[start:end])]
        if named and (how != "before" or not _opens_with_reference(text[start:named[0].start])):
            subject = named[0]      # the clause's first name is its subject
            return _assign(q, subject, how) if subject.type in ("PERSON", "ORG") else False
        if len(words) > self.max_gap_words:
            words = words[:2]       # a long clause: only its opening pronoun can name the speaker
        if not words or words[0] in _INDEFINITE:
            return False            # "a senior official said": someone unnamed, not the last person named
        want = _wanted_type(words)
        if want is None:
            return False
        anchor = min(q.start, start)
        earlier = [m for m in mentions if m.end <= anchor and m.type == want]
        titled = [m for m in earlier if set(words) & {r.lower() for r in m.roles for r in r.split()}]
        for m in reversed(titled or earlier):   # "the FM": the last person holding that title
            return _assign(q, m, how + "-" + want.lower())
        return False


def _opens_with_reference(prefix: str) -> bool:
    """The clause opens with a pronoun or "the <noun>" before any name ("the FM posted … on Twitter")."""
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", prefix)]
    if not words:
        return False
    return words[0] in _PERSON_PRONOUNS | {"it", "they"} or (words[0] == "the" and _wanted_type(words[1:3]) is not None)


def _wanted_type(words: list[str]) -> str | None:
    """PERSON for he/she/"the FM", ORG for it/"the statement", None when the words name nobody."""
    if any(w in _PERSON_PRONOUNS for w in words) or any(w in _PERSON_NOUNS for w in words):
        return "PERSON"
    if any(w in _INSTITUTION_WORDS for w in words):
        return "ORG"
    return None


def _assign(q: FoundQuote, m: SpeakerMention, how: str) -> bool:
    q.speaker, q.speaker_entity_id, q.how = m.name, m.entity_id, how
    q.speaker_start, q.speaker_end = m.start, m.end
    return True


def find_quotations(text: str) -> list[FoundQuote]:
    """Spans between quotation marks, per paragraph; an unclosed quote stops at its own attribution."""
    out: list[FoundQuote] = []
    for para in re.finditer(r"[^\n]+", text):
        p_start, p_end = para.span()
        i = p_start
        while i < p_end:
            ch = text[i]
            if ch in _OPEN:
                close = _find_close(text, i + 1, p_end, ch)
                if close is None:
                    out.append(_unclosed(text, i + 1, p_end))
                    break
                if close > i + 1:
                    out.append(FoundQuote(text[i + 1:close].strip(), i + 1, close))
                i = close + 1
            else:
                i += 1
    return [q for q in out if q.text]


def _find_close(text: str, start: int, end: int, opener: str) -> int | None:
    """Index of the mark closing a quote opened with ``opener``."""
    if opener == "“":
        j = text.find("”", start, end)
        k = text.find("\"", start, end)
        cands = [x for x in (j, k) if x >= 0]
        return min(cands) if cands else None
    j = text.find("\"", start, end)
    return j if j >= 0 else None


_INLINE = re.compile(r"[,.]\s+((?:he|she|they|it|[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}))\s+(" +
                     "|".join(v for v in SPEECH_VERBS if " " not in v) + r")\b")


def _unclosed(text: str, start: int, end: int) -> FoundQuote:
    """An opening mark never closed: the quote ends at ", he said" inside it, or at the paragraph end."""
    m = _INLINE.search(text, start, end)
    if m:
        q = FoundQuote(text[start:m.start() + 1].strip(), start, m.start() + 1, how="inline")
        q.speaker_start, q.speaker_end = m.start(1), m.end(1)
        return q
    return FoundQuote(text[start:end].strip(), start, end)


def _sentence_around(sentences: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The span from the sentence holding ``start`` to the one holding ``end``."""
    s = next((a for a, b in sentences if a <= start < b + 1), start)
    e = next((b for a, b in sentences if a <= end <= b), end)
    return s, max(e, end)


def _next_boundary(text: str, start: int, sentence_end: int) -> int:
    """End of the attribution window after a quote: the sentence end or the next quote mark."""
    m = re.search(r"[“\"\n]", text[start:sentence_end + 1])
    return start + m.start() if m else sentence_end


def _prev_quote_end(text: str, start: int, end: int) -> int:
    """Start of the window before a quote: after any earlier quote mark in the sentence."""
    chunk = text[start:end]
    idx = max(chunk.rfind("”"), chunk.rfind("\""))
    return start + idx + 1 if idx >= 0 else start


def _clause_start(chunk: str, verb_at: int) -> int:
    """Where the subject before a verb begins: after the last comma, colon or semicolon."""
    idx = max(chunk.rfind(",", 0, verb_at), chunk.rfind(";", 0, verb_at), chunk.rfind(":", 0, verb_at))
    return idx + 1 if idx >= 0 else 0


def _next_sentence(sentences: Sequence[tuple[int, int]], after: int) -> tuple[int, int] | None:
    return next(((a, b) for a, b in sentences if a >= after), None)


def _only_quote(text: str, s_start: int, s_end: int, q: FoundQuote) -> bool:
    """The sentence is the quote and nothing else (marks and punctuation aside)."""
    rest = text[s_start:q.start] + text[q.end:s_end]
    return not re.sub(r"[\s\"“”,.!?]", "", rest)


def quote_id(article_id: str, start: int) -> str:
    """Stable id of a quote from its article and offset."""
    return "q-" + hashlib.sha1(f"{article_id}:{start}".encode()).hexdigest()[:12]


def group_quotes(quotes: Sequence[Quote], threshold: float = 85.0) -> None:
    """Set ``group_id`` on quotes of one event that repeat the same words in different articles.

    ``partial_ratio`` ≥ 85 on lower-cased text joins a quote cut short or
    lightly edited by another outlet with its fuller copy.
    """
    from rapidfuzz.fuzz import partial_ratio

    for q in quotes:
        q.group_id = q.id
    norm = [re.sub(r"\W+", " ", q.text.lower()).strip() for q in quotes]
    for i, a in enumerate(quotes):
        for j in range(i):
            b = quotes[j]
            if a.article_id == b.article_id or min(len(norm[i]), len(norm[j])) < 20:
                continue
            if partial_ratio(norm[i], norm[j]) >= threshold:
                a.group_id = b.group_id
                break
