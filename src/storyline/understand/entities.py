"""Named entities: spaCy mentions, cleaned, then resolved to canonical entities across the corpus.

Extraction fixes what a small NER model gets wrong in news text: titles
("FM", "Prime Minister", "Dr") are cut off the name and kept as roles and as
a vote for PERSON; a person span split in two ("Shah Mahmood" + "Qureshi")
is joined. Resolution (:class:`EntityResolver`) then merges, in order:

1. spelling and transliteration variants of multi-word names (same token
   count, half the tokens identical, the rest close by edit ratio);
2. short references ("Lavrov", "Bilawal Bhutto") to the longer name that
   contains them, looked up in the same article, then the same event,
   then the corpus when only one name fits;
3. acronyms, by "Long Name (ACR)" definitions and by initials of content words.

Also (each rule's docstring says why it is general): names with initials
or a middle name, legal forms of a company ("Corp" = "Corporation"), a
multi-word name inside the one longer name that contains it, a clipping
("Fed") beside its one full name that has no acronym of its own, looser
transliterations that never share an article but share the names around
them, "X's Y" read as X or Y when X stands alone, two names side by side
dropped, a titled short name sent to the full name holding that title, and
a short name nearly always one person's ("Biden") spread to the articles
that give no full name.

Each entity takes one type by vote over its full-name mentions, a title
counting as a strong PERSON vote.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from collections.abc import Iterable, Sequence
from typing import Any

from ..records import Entity

# spaCy labels kept, and the entity type each maps to.
LABEL_TYPES = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}
ACRONYM = "ACRONYM"     # label of an all-caps token that NER missed; kept only if it resolves

# Person titles in news English, longest first (a general lexicon, not fitted to any corpus).
PERSON_TITLES = sorted({
    "prime minister", "foreign minister", "defence minister", "defense minister", "interior minister",
    "finance minister", "chief minister", "home minister", "deputy prime minister", "external affairs minister",
    "minister", "fm", "pm", "cm", "president", "vice president", "vice-president", "chancellor", "premier",
    "king", "queen", "prince", "princess", "sheikh", "dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.",
    "prof", "prof.", "professor", "ambassador", "envoy", "special envoy", "senator", "sen.", "rep.",
    "representative", "governor", "gov.", "mayor", "judge", "justice", "chief justice", "general", "gen.",
    "lt", "lt.", "col.", "colonel", "major", "captain", "capt.", "admiral", "commander", "secretary",
    "foreign secretary", "secretary of state", "spokesperson", "spokesman", "spokeswoman", "chairman",
    "chairwoman", "chairperson", "chief", "ceo", "director", "inspector", "superintendent", "commissioner",
    "sir", "lord", "lady", "pope", "cardinal", "bishop", "imam", "rabbi", "coach", "mp", "mla", "dcp", "sp",
    "acp", "ips", "ias", "convenor", "leader", "speaker", "deputy", "assistant", "senior", "former",
    "eam", "mea", "hm", "union minister", "minister of external affairs", "sgt", "sgt.", "det.", "detective",
    "officer", "sheriff", "trooper", "maj.", "adm.", "rev.", "rev", "the rev.", "msgr", "fr.",
    "state secretary", "defense secretary", "defence secretary", "treasury secretary", "councilor",
    "councillor", "state councilor", "sergeant", "gunnery sgt", "gunnery sgt.", "gunnery sergeant", "staff sgt",
    "staff sgt.", "master sgt", "master sgt.",
}, key=lambda t: -len(t.split()))
_TITLE_SET = set(PERSON_TITLES)
_FUNCTION_WORDS = {"the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "this", "that", "these",
                   "those", "of", "in", "on", "at", "by", "for", "with", "from", "to", "and", "or"}
# titles that also open names of organisations and places; cut only from spans tagged PERSON
AMBIGUOUS_TITLES = {"general", "major", "chief", "leader", "speaker", "commander", "captain", "director", "sheriff",
                    "officer", "detective", "trooper",
                    "secretary", "deputy", "assistant", "senior", "former", "lord", "lady", "king", "queen",
                    "prince", "princess", "coach", "justice", "inspector", "representative", "premier",
                    "chancellor", "cardinal", "bishop", "sir", "professor", "governor", "president"}
_TITLES_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _title in PERSON_TITLES:                      # longest first, as PERSON_TITLES is sorted
    _TITLES_BY_FIRST.setdefault(_title.split()[0], []).append(tuple(_title.split()))
_CONTENT_SKIP = {"of", "the", "and", "for", "&", "in", "on", "at", "de", "du", "la", "le", "des", "a", "an", "to"}
_VOWELS = re.compile(r"[aeiouy]+")


@dataclass
class RawMention:
    """A cleaned NER span in one article, before resolution."""

    article_id: str
    start: int
    end: int
    text: str
    label: str
    roles: list[str] = field(default_factory=list)
    entity_id: str | None = None


# -- extraction ----------------------------------------------------------------------------


def extract_mentions(doc: Any, article_id: str) -> list[RawMention]:
    """Cleaned name mentions of one spaCy doc: titles cut off as roles, split person spans joined."""
    spans = [piece for e in doc.ents if e.label_ in LABEL_TYPES for piece in _split_at_breaks(doc, e)]
    cased = is_cased(doc)
    if cased:
        spans = _join_split_names(doc, spans)
    out = []
    for start, end, label in spans:
        mention = _clean_span(doc, start, end, label, article_id, cased)
        if mention is not None:
            out.append(mention)
    if cased:       # capitalisation cues mean nothing in an all-lower-case text
        out.extend(_titled_names(doc, article_id, spans))
        out.extend(_acronym_mentions(doc, article_id, spans))
    out.sort(key=lambda m: m.start)
    return out


def is_cased(doc: Any) -> bool:
    """Whether the text uses capitals at all (some archives store news lower-cased)."""
    words = [t for t in doc[:2000] if t.is_alpha]
    return not words or sum(t.text[0].isupper() for t in words) >= 0.02 * len(words)


def _split_at_breaks(doc: Any, ent: Any) -> list[tuple[int, int, str]]:
    """Cut a span at line breaks, bullets and brackets: a name never crosses them."""
    pieces, start = [], ent.start
    for tok in ent:
        if tok.text in ("•", "|", "(", ")", "[", "]") or "\n" in tok.text:
            if tok.i > start:
                pieces.append((start, tok.i, ent.label_))
            start = tok.i + 1
        elif "\n" in tok.whitespace_:
            pieces.append((start, tok.i + 1, ent.label_))
            start = tok.i + 1
    if start < ent.end:
        pieces.append((start, ent.end, ent.label_))
    return pieces


def _join_split_names(doc: Any, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Join a name span with a following one-token capitalised span ("Shah Mahmood" + "Qureshi")."""
    joined: list[tuple[int, int, str]] = []
    for start, end, label in spans:
        if joined:
            p_start, p_end, p_label = joined[-1]
            gap = doc[p_end - 1].whitespace_ == " " and p_end == start
            if (gap and end - start == 1 and p_label in ("PERSON", "ORG") and p_end - p_start >= 2
                    and doc[start].is_title and doc[p_end - 1].is_title and "\n" not in doc[start].text):
                joined[-1] = (p_start, end, "PERSON" if "PERSON" in (p_label, label) else p_label)
                continue
        joined.append((start, end, label))
    return joined


def _clean_span(doc: Any, start: int, end: int, label: str, article_id: str, cased: bool = True) -> RawMention | None:
    """Strip determiners, demonyms and titles from a span's edges; titles become roles."""
    roles: list[str] = []
    start = _absorb_preceding_title(doc, start, roles)
    start = _cut_through_title(doc, start, end, label, roles)
    while start < end and (doc[start].is_punct or doc[start].lower_ in _FUNCTION_WORDS
                           or (cased and not doc[start].text[:1].isupper())):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].text in ("'s", "’s", "'", "’")
                           or (cased and end - start > 1 and doc[end - 1].is_alpha and doc[end - 1].is_lower)):
        end -= 1                # "SpaceX commentator": a name does not end in a lower-case word
    if start >= end:
        return None
    if cased and label == "PERSON":
        start = _given_name_before_initial(doc, start)
    span = doc[start:end]
    s_char, e_char = span.start_char, span.end_char
    full = doc_text(doc)
    if s_char > 0 and full[s_char - 1] == "#":
        return None             # a hashtag is a topic, not a name
    text = full[s_char:e_char]
    mark = re.search(r"(?<=\S)[“”\"«»](?=\w)", text)
    if mark:                    # 'Modi said,"History': a name never runs on through a glued quote mark
                                # (a nickname, 'Joko "Jokowi" Widodo', has spaces around its marks)
        head = re.sub(r"(?:[\s,.:;]+[a-z][\w’']*)*[\s,.:;]*$", "", text[:mark.start()])
        if not head:
            return None
        e_char = s_char + len(head)
        text = head
    if "/" in text:             # "Twitter/Name", "Agency/Desk": the name is the last part
        s_char += text.rindex("/") + 1
        text = full[s_char:e_char]
    if not any(c.isalpha() for c in text) or len(text) < 2 or is_headline_fragment(text) \
            or re.sub(r"\s+", " ", text.lower()).rstrip(".") in _TITLE_SET | {t.rstrip(".") for t in _TITLE_SET}:
        return None             # "Sgt." alone: the tagger cut the name off; a title names no one
    if roles and label != "PERSON" and (end - start) <= 4:
        label = "PERSON"        # "Russian FM Lavrov" tagged ORG: a person title says who this is
    return RawMention(article_id, s_char, e_char, text, label, roles)


def _given_name_before_initial(doc: Any, start: int) -> int:
    """"Antony J. Blinken" tagged as "J. Blinken": a person's name does not open with a middle
    initial when a capitalised word (not a title) stands right before it; that word is the given name."""
    first = doc[start].text.rstrip(".")
    if len(first) != 1 or not first.isupper() or start == 0:
        return start
    prev = doc[start - 1]
    if prev.is_alpha and prev.is_title and len(prev.text) > 1 and not _title_at(doc, start - 1, start) \
            and prev.lower_ not in _FUNCTION_WORDS and "\n" not in prev.whitespace_:
        return start - 1
    return start


_FRAGMENT_WORDS = {"on", "in", "at", "to", "for", "with", "after", "over", "amid", "as", "from", "says", "said",
                   "meets", "meet", "visits", "vows", "slams", "urges"}


def is_headline_fragment(text: str) -> bool:
    """"Lavrov on Sidelines of SCO Meet in Goa": a headline the tagger took for a name. Names have at
    most one linking word ("Bank of England", "Church of Jesus Christ") and no verbs of headlines."""
    words = [w.lower() for w in text.split()]
    return len(words) >= 4 and sum(w in _FRAGMENT_WORDS for w in words) >= 2 or \
        any(w in {"says", "said", "meets", "visits", "vows", "slams", "urges"} for w in words[1:])


# Names that the tagger often calls persons but never are: platforms, diseases, celestial bodies
# (a general lexicon of news English, not fitted to a corpus). Their entity gets this type instead.
NOT_PERSONS = {
    "twitter": "ORG", "facebook": "ORG", "instagram": "ORG", "youtube": "ORG", "whatsapp": "ORG",
    "telegram": "ORG", "tiktok": "ORG", "linkedin": "ORG", "snapchat": "ORG", "reddit": "ORG", "x": "ORG",
    "google": "ORG", "pfizer": "ORG", "moderna": "ORG", "covid": "OTHER", "covid-19": "OTHER", "covid 19": "OTHER",
    "coronavirus": "OTHER", "ebola": "OTHER", "zika": "OTHER", "mpox": "OTHER", "omicron": "OTHER",
    "delta": "OTHER", "moon": "PLACE", "earth": "PLACE", "mars": "PLACE", "sun": "OTHER", "titan": "OTHER",
    "gmt": "OTHER", "ist": "OTHER", "utc": "OTHER", "est": "OTHER", "pst": "OTHER", "edt": "OTHER",
    "pti": "ORG", "ani": "ORG", "ians": "ORG", "afp": "ORG", "reuters": "ORG", "ap": "ORG",
}


def sane_type(name: str, kind: str) -> str:
    """The voted type unless the name is a platform, disease, time zone or news agency called a person."""
    fixed = NOT_PERSONS.get(" ".join(name_tokens(name)))
    return fixed if fixed and kind == "PERSON" else kind


def doc_text(doc: Any) -> str:
    """The doc's text, joined once: spaCy's ``Doc.text`` joins every token on each call, which made
    cleaning each mention cost the length of its article (23% of NER time on gva, py-spy)."""
    text: str | None = doc.user_data.get("storyline.text")
    if text is None:
        text = doc.user_data["storyline.text"] = doc.text
    return text


def _cut_through_title(doc: Any, start: int, end: int, label: str, roles: list[str]) -> int:
    """Start of the name after a title inside the span; what precedes the title describes it
    ("Russian FM Lavrov", "Pakistan's Foreign Minister Shah Mahmood Qureshi")."""
    i = start
    while i < min(end - 1, start + 5):
        n = _title_at(doc, i, end)
        if n and label != "PERSON" and doc[i:i + n].text.lower() in AMBIGUOUS_TITLES:
            n = 0       # "General Motors", "Major League": in an organisation's name it is no title
        if n and i + n < end:
            roles.append(doc[i:i + n].text)
            i += n
            start = i
        else:
            i += 1
    return start


def _absorb_preceding_title(doc: Any, start: int, roles: list[str]) -> int:
    """Record a title just before the span ("Prime Minister | Imran Khan") as a role."""
    for n in (3, 2, 1):
        if start - n >= 0 and _title_at(doc, start - n, start) == n:
            roles.append(doc[start - n:start].text)
            break
    return start


def _title_at(doc: Any, i: int, limit: int) -> int:
    """Length in tokens of a person title starting at token i (0 when none)."""
    for words in _TITLES_BY_FIRST.get(doc[i].lower_, ()):
        n = len(words)
        if i + n <= limit and all(doc[i + k].lower_ == words[k] for k in range(1, n)):
            return n
    return 0


def _titled_names(doc: Any, article_id: str, spans: list[tuple[int, int, str]]) -> list[RawMention]:
    """Capitalised words right after a person title that NER missed ("FM Bilawal") are a person."""
    covered = {i for s, e, _ in spans for i in range(s, e)}
    out, i = [], 0
    while i < len(doc):
        n = _title_at(doc, i, len(doc)) if doc[i].text[:1].isupper() else 0
        if n and i + n < len(doc) and i + n not in covered:
            j = i + n
            while j < len(doc) and j - (i + n) < 3 and doc[j].is_title and not doc[j].is_stop \
                    and j not in covered and "\n" not in doc[j - 1].whitespace_:
                j += 1
            if j > i + n and not (j < len(doc) and j in covered) and len(doc[i + n:j].text) > 2:
                span = doc[i + n:j]
                out.append(RawMention(article_id, span.start_char, span.end_char, span.text, "PERSON",
                                      [doc[i:i + n].text]))
            i = j if j > i + n else i + n
        else:
            i += 1
    return out


def _acronym_mentions(doc: Any, article_id: str, spans: list[tuple[int, int, str]]) -> list[RawMention]:
    """All-caps tokens NER missed (FO, PSM); kept later only if they resolve to an organisation."""
    covered = {i for s, e, _ in spans for i in range(s, e)}
    out = []
    for tok in doc:
        t = tok.text
        if tok.i not in covered and 2 <= len(t) <= 6 and t.isupper() and t.isalpha():
            out.append(RawMention(article_id, tok.idx, tok.idx + len(t), t, ACRONYM))
    return out


def strip_titles(text: str) -> tuple[str, list[str], int]:
    """Cut leading titles and lower-case words off a plain-text name: (name, roles, chars cut)."""
    words = text.split(" ")
    roles: list[str] = []
    i = 0
    while i < len(words) - 1:
        lowered = [w.lower() for w in words]
        n = next((len(t.split()) for t in PERSON_TITLES if lowered[i:i + len(t.split())] == t.split()
                  and i + len(t.split()) < len(words)), 0)
        if n:
            roles.append(" ".join(words[i:i + n]))
            i += n
        elif not words[i][:1].isupper():
            i += 1
        else:
            break
    shift = len(" ".join(words[:i])) + (1 if i else 0)
    return " ".join(words[i:]), roles, shift


# -- normalisation -------------------------------------------------------------------------


_GLUED = re.compile(r"\b([A-Z][a-z]+)(?=[A-Z][a-z])")


def _split_glued(m: re.Match[str]) -> str:
    """"ShahMehmood" → "Shah Mehmood", but "McDonell", "DeSantis", "MacArthur" stay whole: a glued
    handle joins two names, a surname prefix is at most three letters."""
    return m.group(1) + (" " if len(m.group(1)) >= 4 else "")


def display_form(text: str) -> str:
    """A surface form as an alias: glued handles split ("ShahMehmood" → "Shah Mehmood"), spaces tidied."""
    text = _GLUED.sub(_split_glued, text)
    text = re.sub(r"^[@#]", "", text)
    if text.islower():          # a name from a lower-cased archive reads better capitalised
        text = " ".join(w[:1].upper() + w[1:] for w in text.split())
    return re.sub(r"\s+", " ", text).strip(" ,.;:'\"’‘“”")


_OWNER = re.compile(r"^((?:[A-Z][\w.\-]*\s+){0,3}[A-Z][\w.\-]*)['’]s\s+(?=\S)")
_POSSESSIVE_END = re.compile(r"['’]s?$")
_DOTTED = re.compile(r"\b((?:[A-Za-z] ?\. ?){2,})")
_POSSESSOR = re.compile(r"^[A-Z][\w.\-]*['’]s\s+(?=\S)")


def name_core(text: str) -> str:
    """The name in a written form: what follows a comma or bracket is an apposition ("Regina Benjamin,
    MD", "Warren Jeffs, polygamist leader"), a place after "in" a location ("Betty Ford Center in
    Rancho Mirage"), and a possessor before two or more words another entity ("Indonesia's Aceh
    province")."""
    text = re.sub(r"\s+[\"“‘'][^\"”’']{1,20}[\"”’']\s+", " ", text)    # Vincent "The Chin" Gigante
    text = re.split(r"\s*[,(\[]", text, maxsplit=1)[0]
    text = re.sub(r"\s+(?:Jr|Sr|II|III|IV|Ji)\.?$", "", text)
    text = re.split(r"\s+in\s+(?=[A-Z])", text, maxsplit=1)[0]
    rest = _POSSESSOR.sub("", text)
    described = any(w.islower() and w not in _FUNCTION_WORDS for w in rest.split())
    # "Moody's Investors Service" is a name; "Indonesia's Aceh province" a description
    return rest if described else text


def name_tokens(text: str) -> tuple[str, ...]:
    """Lower-case ASCII tokens of a name: accents folded, hyphens and dots as separators, "'s" dropped,
    "U.S." read as the letters U S (so that its initials spell USGS)."""
    text = display_form(name_core(text) or text)
    text = _DOTTED.sub(lambda m: " ".join(c for c in m.group(1) if c.isalpha()) + " ", text)
    text = re.sub(r"['’]s\b", "", text)      # before the ASCII fold, which would drop "’" and keep the "s"
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = text.replace(".", "")
    return tuple(t for t in re.split(r"[\s\-/]+", text) if t and any(c.isalnum() for c in t))


def initials(tokens: Sequence[str]) -> str:
    """Initials of the content words of a name (SCO for shanghai cooperation organisation)."""
    return "".join(t[0] for t in tokens if t not in _CONTENT_SKIP)


def tokens_close(a: str, b: str) -> bool:
    """Two name tokens are spelling or transliteration variants of each other."""
    if a == b:
        return True
    if a[0] != b[0] or min(len(a), len(b)) < 4 or any(c.isdigit() for c in a + b):
        return False
    from rapidfuzz.distance import Levenshtein
    from rapidfuzz.fuzz import ratio

    # 80 admits sergey/sergei (83) and mahmood/mehmood (86) but not john/joan; the
    # consonant skeleton catches vowel-only transliteration changes of longer names.
    if ratio(a, b) >= 80:
        return True
    return _VOWELS.sub("", a) == _VOWELS.sub("", b) and Levenshtein.distance(a, b) <= 2


def is_variant(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Same-length names whose tokens are all close and at least half identical."""
    if len(a) != len(b) or len(a) < 2 or a == b:
        return a == b
    same = sum(x == y for x, y in zip(a, b, strict=True))
    return 2 * same >= len(a) and all(tokens_close(x, y) for x, y in zip(a, b, strict=True))


def expands(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """``short`` writes some of ``full``'s words as initials ("s jaishankar" → "subrahmanyam jaishankar",
    "u s geological survey" → "united states geological survey"), the others identically, and keeps
    at least one whole word."""
    if len(short) != len(full) or short == full:
        return False
    whole = 0
    for x, y in zip(short, full, strict=True):
        if x == y:
            whole += len(x) > 1
        elif not (len(x) == 1 and len(y) > 1 and y[0] == x):
            return False
    return whole >= 1


def without_middle_initials(k: tuple[str, ...]) -> tuple[str, ...]:
    """"w mark felt" → "mark felt", "regina m benjamin" → "regina benjamin": initials that are not the
    first word's stand for middle names."""
    core = tuple(t for i, t in enumerate(k) if len(t) > 1 or (i == 0 and len(k) == 2))
    return core if len(core) >= 2 else k


def contains(long: tuple[str, ...], short: tuple[str, ...]) -> bool:
    """``short`` is a contiguous run of ``long``'s tokens (and shorter)."""
    n = len(short)
    if n == 0 or n >= len(long):
        return False
    return any(long[i:i + n] == short for i in range(len(long) - n + 1))


# -- resolution ----------------------------------------------------------------------------


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Any, Any] = {}

    def find(self, x: Any) -> Any:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: Any, b: Any) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


# A normalised name form, and the votes on each form: NER label counts plus "TITLED".
Form = tuple[str, ...]
FormVotes = dict[Form, Counter[str]]
Scope = tuple[str, str]           # ("article", id) or ("event", id)


class EntityResolver:
    """Resolve mentions to canonical entities over a whole corpus.

    >>> ms = [RawMention("a", 0, 13, "Sergey Lavrov", "PERSON"), RawMention("a", 20, 26, "Lavrov", "ORG"),
    ...       RawMention("b", 0, 13, "Sergei Lavrov", "PERSON")]
    >>> r = EntityResolver().fit(ms)
    >>> [(e.name, e.type, e.aliases) for e in r.entities_]
    [('Sergey Lavrov', 'PERSON', ['Lavrov', 'Sergei Lavrov'])]

    ``event_of`` maps article id → event id so that short references can be
    resolved within an event when their article lacks the full name.
    """

    def __init__(self, variant_matching: bool = True, short_references: bool = True,
                 acronyms: bool = True, corpus_fallback: bool = True) -> None:
        self.variant_matching = variant_matching
        self.short_references = short_references
        self.acronyms = acronyms
        self.corpus_fallback = corpus_fallback

    def fit(self, mentions: Sequence[RawMention], event_of: dict[str, str] | None = None,
            margin: Sequence[RawMention] = ()) -> EntityResolver:
        """Cluster ``mentions`` into entities; sets ``entities_`` and each mention's ``entity_id``.

        ``margin`` mentions (names in captions, credits and bylines the cleaner
        removed) only add aliases and roles to entities the body mentions made.
        """
        event_of = event_of or {}
        keys = [name_tokens(m.text) for m in mentions]
        uf = _UnionFind()
        _possessed_names(mentions, keys)
        form_votes = self._form_votes(mentions, keys)
        _drop_joined_names(mentions, keys, form_votes)
        for dropped in set(form_votes) - set(keys):     # a dropped form is no name to link others to
            del form_votes[dropped]
        full = [i for i, k in enumerate(keys) if k and mentions[i].label != ACRONYM]
        for i in full:
            uf.find(("form", keys[i]))
        if self.variant_matching:
            self._merge_variants(uf, {keys[i] for i in full if len(keys[i]) >= 2}, form_votes)
            _merge_context_variants(uf, [mentions[i] for i in full], [keys[i] for i in full], form_votes)
            _merge_spaced_spellings(uf, {keys[i] for i in full}, form_votes)
            self._merge_initials(uf, {keys[i] for i in full if len(keys[i]) >= 2}, form_votes)
            self._merge_middle_names(uf, {keys[i] for i in full if len(keys[i]) >= 2}, form_votes)
        if self.short_references:
            self._merge_org_forms(uf, {keys[i] for i in full}, form_votes)
            self._merge_contained_names(uf, {keys[i] for i in full if len(keys[i]) >= 2}, form_votes)
            _merge_clippings(uf, mentions, keys, form_votes)
        link: dict[int, Any] = {}
        if self.acronyms:
            link.update(self._link_acronyms(mentions, keys, event_of, uf, form_votes))
        if self.short_references:
            for i, target in self._link_short(mentions, keys, event_of, uf, form_votes).items():
                link.setdefault(i, target)
            _spread_links(mentions, keys, link, uf, form_votes)
        self.entities_ = self._build(mentions, keys, uf, link, form_votes, event_of)
        if margin:
            attach_margin(self.entities_, mentions, keys, margin, event_of, self.variant_matching,
                          self.short_references, self.acronyms)
        return self

    # votes per normalised form: label counts and title votes
    def _form_votes(self, mentions: Sequence[RawMention], keys: list[tuple[str, ...]]) -> FormVotes:
        votes: FormVotes = defaultdict(Counter)
        for m, k in zip(mentions, keys, strict=True):
            if not k:
                continue
            votes[k][LABEL_TYPES.get(m.label, m.label)] += 1
            if m.roles:
                votes[k]["TITLED"] += 1
        return votes

    def _merge_variants(self, uf: _UnionFind, forms: set[tuple[str, ...]], votes: FormVotes) -> None:
        """Union multi-word forms that are spelling variants.

        Variants share every token's first letter and at least one whole token,
        so forms are compared only inside blocks keyed by (initials, a token).
        """
        buckets: dict[tuple[str, str], list[tuple[str, ...]]] = defaultdict(list)
        for f in forms:
            signature = "".join(t[0] for t in f)
            for tok in set(f):
                buckets[(signature, tok)].append(f)
        for group in buckets.values():
            if len(group) > 200:        # a very common token ("the") is no evidence of identity
                continue
            for i, a in enumerate(group):
                for b in group[i + 1:]:
                    if is_variant(a, b) and _compatible(_type_of(votes[a]), _type_of(votes[b])):
                        uf.union(("form", a), ("form", b))

    def _merge_initials(self, uf: _UnionFind, forms: set[tuple[str, ...]], votes: FormVotes) -> None:
        """Union a name written with initials or middle initials with the one full name it can stand
        for in the corpus ("S Jaishankar" = "Subrahmanyam Jaishankar", "W. Mark Felt" = "Mark Felt");
        two candidates ("J Smith": John or Jane) leave it alone."""
        by_last: dict[tuple[int, str], list[tuple[str, ...]]] = defaultdict(list)
        for f in forms:
            by_last[(len(f), f[-1])].append(f)
        for f in _ordered(forms):       # a union here changes the roots the next form counts
            if all(len(t) > 1 for t in f):
                continue
            kind = _type_of(votes[f])
            fits = [g for g in by_last.get((len(f), f[-1]), ()) if expands(f, g)
                    and _compatible(kind, _type_of(votes[g]))]
            core = without_middle_initials(f)
            if core != f and core in forms and _compatible(kind, _type_of(votes[core])):
                fits.append(core)
            roots = {uf.find(("form", g)) for g in fits}
            if len(roots) == 1:
                uf.union(next(iter(roots)), ("form", f))

    def _merge_middle_names(self, uf: _UnionFind, forms: set[tuple[str, ...]], votes: FormVotes) -> None:
        """"Christopher Kenyon Simpson" = "Christopher Simpson": a person's name without its middle name."""
        for f in forms:
            if len(f) == 3 and _type_of(votes[f]) == "PERSON" and len(f[1]) > 1:
                short = (f[0], f[2])
                if short in forms and _type_of(votes[short]) == "PERSON":
                    uf.union(("form", f), ("form", short))

    def _merge_contained_names(self, uf: _UnionFind, forms: set[tuple[str, ...]], votes: FormVotes) -> None:
        """A person's multi-word name inside the one longer person name of the corpus that contains it
        ("Lula da Silva" in "Luiz Inacio Lula da Silva"): the same person in every article, as a
        one-word surname is when only one full name has it. Two containing names leave it alone."""
        persons = [f for f in forms if _type_of(votes[f]) == "PERSON"]
        by_token: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for f in persons:
            for t in set(f):
                by_token[t].append(f)
        for f in _ordered(persons):
            longer = [g for g in by_token[f[0]] if contains(g, f)]
            roots = {uf.find(("form", g)) for g in longer}
            if len(roots) == 1:
                uf.union(next(iter(roots)), ("form", f))

    def _merge_org_forms(self, uf: _UnionFind, forms: set[tuple[str, ...]], votes: FormVotes) -> None:
        """Union an organisation's short name with its one longer form in the corpus that only adds a
        legal form or the place it is named after ("Microsoft" = "Microsoft Corp", "Colts" =
        "Indianapolis Colts"), and a place with its one form that adds a place noun ("Aceh" = "Aceh
        province"): the same body everywhere, whatever the event."""
        by_token: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for f in forms:
            if len(f) >= 2:
                for t in set(f):
                    by_token[t].append(f)
        for k in _ordered(forms):       # "Delaware County" joins "... District" before "Delaware" counts roots
            if _type_of(votes[k]) == "PERSON":
                continue
            if len(k) > 2:              # "Advanced Micro Devices" = "Advanced Micro Devices Inc"; Corp = Corporation
                stem = k[:-1] if k[-1] in CORPORATE_SUFFIXES else k
                variants = [stem + (a,) for a in CORPORATE_SUFFIXES] + \
                           [stem + (a, b) for a in CORPORATE_SUFFIXES for b in CORPORATE_SUFFIXES]
                for f in variants:      # looked up, not searched: a corpus has tens of thousands of forms
                    if f != k and f in forms and _type_of(votes[f]) == "ORG":
                        uf.union(("form", k), ("form", f))
                continue
            longer = [f for f in by_token.get(k[0], ()) if len(f) > len(k)
                      and (_org_short_form(f, k, votes) or _place_short_form(f, k, votes))]
            legal = [f for f in longer if f[:len(k)] == k and all(t in CORPORATE_SUFFIXES for t in f[len(k):])]
            for f in legal:             # "HP Co", "HP Company", "HP Inc": legal forms of one company
                uf.union(("form", k), ("form", f))
            roots = {uf.find(("form", f)) for f in longer}
            if len(roots) == 1:
                uf.union(next(iter(roots)), ("form", k))

    def _link_acronyms(self, mentions: Sequence[RawMention], keys: list[tuple[str, ...]], event_of: dict[str, str],
                       uf: _UnionFind, votes: FormVotes) -> dict[int, Any]:
        """Acronym mentions → the organisation they abbreviate (definitions first, then initials)."""
        definitions = _acronym_definitions(mentions, keys)
        memo: dict[tuple[str, str], dict[str, list[tuple[str, ...]]]] = {}
        by_article = _forms_by_scope(mentions, keys, event_of)
        corpus_initials: dict[str, set[Any]] = defaultdict(set)
        for form in votes:
            if len(form) >= 2 and _type_of(votes[form]) != "PERSON":
                corpus_initials[initials(form)].add(uf.find(("form", form)))
        out: dict[int, Any] = {}
        for i, m in enumerate(mentions):
            k = keys[i]
            text = _POSSESSIVE_END.sub("", m.text)      # "AMD's" is the acronym AMD
            titled_acronym = text[:1].isupper() and text[1:].islower() and 3 <= len(text) <= 5 \
                and _type_of(votes[k]) == "ORG" and bool(k) \
                and (k[0] in definitions or len(corpus_initials.get(k[0], ())) == 1)     # "Fdic" for FDIC
            if len(k) != 1 or not (text.isupper() or titled_acronym) or len(text) > 6:
                continue                # "ISRO", and "Isro" / "Nato" as British style writes them
            acr = k[0]
            if acr in definitions:
                out[i] = uf.find(("form", definitions[acr]))
                continue
            if acr in _TITLE_SET:
                continue                # "PM", "FM", "EAM": a person's title, not an organisation's initials
            target = self._initials_target(acr, m, by_article, event_of, votes, uf, memo)
            if target is None:
                target = self._head_target(acr, m, by_article, event_of, votes, uf)
            if target is None and self.corpus_fallback and len(corpus_initials.get(acr, ())) == 1:
                target = next(iter(corpus_initials[acr]))
            if target is not None:
                out[i] = target
        return out

    @staticmethod
    def _head_target(acr: str, m: RawMention, scopes: dict[Scope, set[Form]], event_of: dict[str, str],
                     votes: FormVotes, uf: _UnionFind) -> Any:
        """"EYP" for "EYP Mission Critical Facilities", "HSBC" for "HSBC Holdings": the one organisation
        of the article (then event) whose name opens with the acronym itself."""
        for scope in (("article", m.article_id), ("event", event_of.get(m.article_id, m.article_id))):
            roots = {uf.find(("form", f)) for f in scopes.get(scope, ()) if len(f) >= 2 and f[0] == acr
                     and _type_of(votes[f]) == "ORG"}
            if len(roots) == 1:
                return next(iter(roots))
        return None

    def _initials_target(self, acr: str, m: RawMention, scopes: dict[Scope, set[Form]], event_of: dict[str, str],
                         votes: FormVotes, uf: _UnionFind, memo: dict[Scope, dict[str, list[Form]]]) -> Any:
        """The one non-person name in the article (then event) whose initials spell ``acr``."""
        for scope in (("article", m.article_id), ("event", event_of.get(m.article_id, m.article_id))):
            by_initials = _initials_index(scope, scopes, votes, memo)
            roots = {uf.find(("form", f)) for f in by_initials.get(acr, ())}
            if len(roots) == 1:
                return next(iter(roots))
        return None

    def _link_short(self, mentions: Sequence[RawMention], keys: list[tuple[str, ...]], event_of: dict[str, str],
                    uf: _UnionFind, votes: FormVotes) -> dict[int, Any]:
        """Short references → the longer name containing them in the article, event, or corpus."""
        scopes = _forms_by_scope(mentions, keys, event_of)
        by_token: dict[tuple[str, str], dict[str, list[tuple[str, ...]]]] = {}
        for scope, forms in scopes.items():        # index forms by token: events can hold thousands
            index: dict[str, list[tuple[str, ...]]] = defaultdict(list)
            for f in forms:
                for tok in set(f):
                    index[tok].append(f)
            by_token[scope] = index
        cache: dict[tuple[tuple[str, str], tuple[str, ...]], Any] = {}
        corpus_long: dict[Form, set[Any]] = defaultdict(set)
        if self.corpus_fallback:
            for form in votes:
                if len(form) >= 2 and _type_of(votes[form]) == "PERSON":
                    for n in range(1, len(form)):
                        for j in range(len(form) - n + 1):
                            corpus_long[form[j:j + n]].add(uf.find(("form", form)))
        held = _roles_by_root(mentions, keys, uf)
        out: dict[int, Any] = {}
        for i, m in enumerate(mentions):
            k = keys[i]
            if not k or m.label == ACRONYM:
                continue
            target = None
            for scope in (("article", m.article_id), ("event", event_of.get(m.article_id, m.article_id))):
                if (scope, k) not in cache:
                    cache[(scope, k)] = self._scope_target(k, by_token.get(scope, {}).get(k[0], ()), votes, uf)
                target = cache[(scope, k)]
                if target is not None:
                    break
            target = _by_role(m, target, corpus_long.get(k, set()), held)
            if target is None and self.corpus_fallback and len(k) == 1 and len(corpus_long.get(k, ())) == 1:
                if (_type_of(votes[k]) == "PERSON" or votes[k]["TITLED"]) and not _is_place_word(k, votes):
                    target = next(iter(corpus_long[k]))
            if target is not None and target != uf.find(("form", k)):
                out[i] = target
        return out

    @staticmethod
    def _scope_target(k: tuple[str, ...], forms: Iterable[tuple[str, ...]], votes: FormVotes, uf: _UnionFind) -> Any:
        """The single person among ``forms`` whose longest name contains ``k``.

        Only person names take short references: inside organisation and place
        names a contained name is usually a part or a parent ("Council of X").
        """
        if _is_place_word(k, votes):
            return None
        forms = list(forms)
        found = [f for f in forms if contains(f, k) and _type_of(votes[f]) == "PERSON"] \
            if not _is_org_word(k, votes) else []
        if not found and _type_of(votes[k]) in ("ORG", "OTHER"):
            found = [f for f in forms if _org_short_form(f, k, votes)]
        maximal = [f for f in found if not any(contains(g, f) for g in found)]
        roots = {uf.find(("form", f)) for f in maximal}
        return next(iter(roots)) if len(roots) == 1 else None

    def _build(self, mentions: Sequence[RawMention], keys: list[tuple[str, ...]], uf: _UnionFind,
               link: dict[int, Any], votes: FormVotes, event_of: dict[str, str]) -> list[Entity]:
        """Group mentions by cluster; name, type and id each cluster; set mention entity ids."""
        members: dict[Any, list[int]] = defaultdict(list)
        for i, m in enumerate(mentions):
            if i in link:
                members[link[i]].append(i)
            elif keys[i] and m.label != ACRONYM:
                members[uf.find(("form", keys[i]))].append(i)
        entities = []
        taken: set[str] = set()
        person_words = {t for f, v in votes.items() if len(f) >= 2 and _type_of(v) == "PERSON" for t in f}
        for idx in members.values():
            entity = _make_entity([mentions[i] for i in idx], [keys[i] for i in idx], {i for i in idx if i in link},
                                  idx, event_of, person_words)
            entity.id = _unique_id(entity, taken)
            for i in idx:
                mentions[i].entity_id = entity.id
            entities.append(entity)
        entities.sort(key=lambda e: (-e.mentions, e.name))
        return entities


def _spread_links(mentions: Sequence[RawMention], keys: list[tuple[str, ...]], link: dict[int, Any],
                  uf: _UnionFind, votes: FormVotes) -> None:
    """A short person form ("Modi") that every resolved mention in the corpus links to one full name
    ("Narendra Modi") names that person in the articles that lack the full name too."""
    targets: dict[Form, Counter[Any]] = defaultdict(Counter)
    for i, target in link.items():
        if len(keys[i]) == 1:
            targets[keys[i]][target] += 1
    for i, k in enumerate(keys):
        if i in link or len(k) != 1 or mentions[i].label == ACRONYM or not targets.get(k):
            continue
        (target, n), *rest = targets[k].most_common()
        if rest and not (n >= DOMINANT_MIN and n >= DOMINANT_SHARE * sum(targets[k].values())):
            continue
        if _type_of(votes[k]) in ("PERSON", "OTHER") or votes[k].get("TITLED"):
            if target != uf.find(("form", k)):
                link[i] = target


# A short form one full name takes in nearly all the articles that name one ("Biden": Joe Biden 150
# times, Jill Biden once) names that person where no full name is given. Chosen as a plain "most
# frequent sense" rule: 95% of at least 20 resolved mentions, so that a name shared by two people
# who are both in the news stays unresolved.
DOMINANT_SHARE = 0.95
DOMINANT_MIN = 20


def _merge_clippings(uf: _UnionFind, mentions: Sequence[RawMention], keys: list[tuple[str, ...]],
                     votes: FormVotes) -> None:
    """"Fed" = "Federal Reserve": a one-word organisation name (3+ letters, capitalised, not all
    capitals) that clips the first word of longer organisation names is the one of them that (a) has
    no acronym of its own in the corpus ("FDIC", "FAA" are how the others are shortened) and (b) is
    named in an article beside the clipping. A name containing another candidate ("Federal Reserve
    Board") counts as that candidate; two candidates left leave the clipping alone."""
    articles: dict[Form, set[str]] = defaultdict(set)
    acronyms: set[str] = set()
    clips: set[Form] = set()
    for m, k in zip(mentions, keys, strict=True):
        if not k:
            continue
        articles[k].add(m.article_id)
        if len(k) == 1 and m.text.isupper():
            acronyms.add(k[0])
        elif len(k) == 1 and len(k[0]) >= 3 and m.text[:1].isupper() and m.text[1:].islower():
            clips.add(k)
    orgs = [f for f in articles if len(f) >= 2 and _type_of(votes[f]) == "ORG"]
    by_head: dict[str, list[Form]] = defaultdict(list)
    for f in orgs:
        for n in range(3, len(f[0])):
            by_head[f[0][:n]].append(f)
    for k in _ordered(clips):
        if _type_of(votes[k]) != "ORG" or k[0] in acronyms:
            continue
        found = [f for f in by_head.get(k[0], ()) if initials(f) not in acronyms and articles[f] & articles[k]]
        found = [f for f in found if not any(g != f and contains(f, g) for g in found)]
        roots = {uf.find(("form", f)) for f in found}
        if len(roots) == 1:
            uf.union(next(iter(roots)), ("form", k))


def _merge_spaced_spellings(uf: _UnionFind, forms: set[tuple[str, ...]], votes: FormVotes) -> None:
    """"SeaMicro" = "Sea Micro", "Bluejays" = "Blue Jays": one name written with and without its space
    (the letters identical, 5+ of them, types compatible)."""
    by_letters: dict[str, list[Form]] = defaultdict(list)
    for f in _ordered(forms):           # group[0] is each group's anchor: the same one in every run
        joined = "".join(f)
        if len(joined) >= 5 and joined.isalpha():
            by_letters[joined].append(f)
    for group in by_letters.values():
        for f in group[1:]:
            if _compatible(_type_of(votes[group[0]]), _type_of(votes[f])):
                uf.union(("form", group[0]), ("form", f))


# Context gate for looser spelling variants: the two forms never appear in one article and share
# at least CONTEXT_MIN other names, a fifth of the smaller form's co-occurring names.
CONTEXT_MIN = 3
CONTEXT_SHARE = 0.2


def _merge_context_variants(uf: _UnionFind, mentions: Sequence[RawMention], keys: Sequence[tuple[str, ...]],
                            votes: FormVotes) -> None:
    """Transliterations the strict rule leaves apart ("Roscosmos" / "Roskosmos", "Yefgueni
    Prigozhin" / "Yevgeny Prigozhin") when the corpus says they are used for one referent: string-
    similar (one word: close by edit ratio, 6+ letters; several: a word identical, the others
    sharing their first letter and a 0.6 edit ratio), the same type, never in the same article (two
    spellings side by side are two names) and sharing the names around them. One-word forms may
    differ in type between PERSON and ORG (a small tagger alternates on agencies); longer ones may not."""
    from rapidfuzz.fuzz import ratio

    articles: dict[Form, set[str]] = defaultdict(set)
    for m, k in zip(mentions, keys, strict=True):
        articles[k].add(m.article_id)
    blocks: dict[tuple[Any, ...], list[Form]] = defaultdict(list)
    for f in articles:
        kind = _type_of(votes[f])
        if kind not in ("PERSON", "ORG"):
            continue
        if len(f) == 1 and len(f[0]) >= 6:      # the tagger calls one agency PERSON and ORG by turns
            blocks[(1, f[0][0], f[0][-1])].append(f)
        elif len(f) >= 2:
            for j, t in enumerate(f):
                blocks[(kind, len(f), j, t)].append(f)

    def loose(a: Form, b: Form) -> bool:
        if len(a) == 1:
            return tokens_close(a[0], b[0])
        same = sum(x == y for x, y in zip(a, b, strict=True))
        return same >= 1 and all(x == y or (x[0] == y[0] and min(len(x), len(y)) >= 5 and ratio(x, y) >= 60)
                                 for x, y in zip(a, b, strict=True))

    by_article: dict[str, set[Form]] = defaultdict(set)
    for f, arts in articles.items():
        for art in arts:
            by_article[art].add(f)
    context: dict[Form, set[Form]] = {}

    def around(f: Form) -> set[Form]:
        if f not in context:
            context[f] = {g for art in articles[f] for g in by_article[art] if g != f}
        return context[f]

    for group in blocks.values():
        if len(group) > 200:
            continue
        for i, one in enumerate(group):
            for two in group[i + 1:]:
                if one == two or uf.find(("form", one)) == uf.find(("form", two)) or articles[one] & articles[two] \
                        or not loose(one, two):
                    continue
                shared = len(around(one) & around(two))
                if shared >= CONTEXT_MIN and shared >= CONTEXT_SHARE * min(len(around(one)), len(around(two))):
                    uf.union(("form", one), ("form", two))


def _roles_by_root(mentions: Sequence[RawMention], keys: list[tuple[str, ...]], uf: _UnionFind) -> dict[Any, set[str]]:
    """Title words ("president", "minister") each full-name cluster is given in the corpus."""
    held: dict[Any, set[str]] = defaultdict(set)
    for m, k in zip(mentions, keys, strict=True):
        if len(k) >= 2 and m.roles and m.label != ACRONYM:
            held[uf.find(("form", k))].update(_role_words(m.roles))
    return held


def _role_words(roles: Sequence[str]) -> set[str]:
    return {r.lower().rstrip(".").split()[-1] for r in roles if r.lower() not in _IGNORED_ROLES and r.strip()}


def _by_role(m: RawMention, target: Any, candidates: set[Any], held: dict[Any, set[str]]) -> Any:
    """"President Biden" in an article that names only Jill Biden: a titled short form goes to the one
    full name of the corpus that holds that title when the name found nearby never does."""
    words = _role_words(m.roles)
    if not words or target is None or words & held.get(target, set()):
        return target
    holders = {c for c in candidates if words & held.get(c, set())}
    return next(iter(holders)) if len(holders) == 1 else target


def _possessed_names(mentions: Sequence[RawMention], keys: list[tuple[str, ...]]) -> None:
    """A span "X's Y" whose possessor X stands alone as a name elsewhere in the corpus is not one
    long name: when Y stands alone too it names Y ("SpaceX's Starship", "Indonesia's Aceh"); when
    Y does not and the span is tagged a person, the person is X and Y a thing written in capitals
    ("Elon Musk's Starship Rocket Goes Boom"). Otherwise the whole span stays one name ("Moody's
    Investors Service", "McDonald's Corp")."""
    alone = {k for k, m in zip(keys, mentions, strict=True) if k and not _OWNER.match(m.text)}
    for i, m in enumerate(mentions):
        hit = _OWNER.match(m.text)
        if not hit or not keys[i]:
            continue
        owner, rest = name_tokens(hit.group(1)), name_tokens(m.text[hit.end():])
        if not owner or not rest or owner not in alone:
            continue
        if rest in alone:
            keys[i] = rest
            m.start, m.text = m.start + hit.end(), m.text[hit.end():]      # the mention is of "Starship"
        elif m.label == "PERSON":   # "Elon Musk's Starship Rocket" is a person only through its possessor
            keys[i] = owner
            m.end, m.text = m.start + len(hit.group(1)), hit.group(1)


def _drop_joined_names(mentions: Sequence[RawMention], keys: list[tuple[str, ...]], votes: FormVotes) -> None:
    """"Joe Biden-Xi Jinping" (a "Biden-Xi meeting" read as one name) joins two known full names:
    it names neither, and is dropped."""
    for i, k in enumerate(keys):
        if len(k) < 4 or "-" not in mentions[i].text:
            continue
        for cut in range(2, len(k) - 1):
            a, b = k[:cut], k[cut:]
            if a in votes and b in votes and len(a) >= 2 and len(b) >= 2:
                keys[i] = ()
                break
    _drop_juxtaposed_names(keys, votes)


def _drop_juxtaposed_names(keys: list[tuple[str, ...]], votes: FormVotes) -> None:
    """"SpaceX Starship" (1 mention) where "SpaceX" and "Starship" each stand alone 40 times: two
    names side by side, not one name, so it names neither and is dropped. A real full name is
    rarely rarer than both of its halves written alone ("Xi" is common, "Jinping" alone is not)."""
    counts = {f: sum(v.get(t, 0) for t in ("PERSON", "ORG", "PLACE", "OTHER")) for f, v in votes.items()}
    for i, k in enumerate(keys):
        if len(k) < 2 or counts.get(k, 0) > 2:
            continue
        for cut in range(1, len(k)):
            a, b = k[:cut], k[cut:]
            if counts.get(a, 0) >= JUXTAPOSED_MIN and counts.get(b, 0) >= JUXTAPOSED_MIN:
                keys[i] = ()
                break


JUXTAPOSED_MIN = 10     # each half a name in its own right: written alone at least this often


def _unique_id(entity: Entity, taken: set[str]) -> str:
    """The name-based id, or, when two distinct entities share name and type (two John Smiths
    kept apart), that id qualified by the entity's first article, which is stable across runs."""
    eid = entity.id
    if eid in taken:
        anchor = entity.article_ids[0] if entity.article_ids else str(len(taken))
        eid = f"{entity.id}-{hashlib.sha1(anchor.encode()).hexdigest()[:6]}"
        n = 2
        while eid in taken:
            eid, n = f"{entity.id}-{hashlib.sha1(anchor.encode()).hexdigest()[:6]}-{n}", n + 1
    taken.add(eid)
    return eid


def _ordered(forms: Iterable[Form]) -> list[Form]:
    """Forms longest first, then alphabetically. Rules that union while they iterate see the roots
    earlier unions made, so iterating a set (whose order follows PYTHONHASHSEED) made resolution
    differ between two runs on the same data; longest first lets a long form's own merges happen
    before a shorter one counts its candidates."""
    return sorted(forms, key=lambda f: (-len(f), f))


def _type_of(votes: Counter[str]) -> str:
    """Majority type of a form; a title on a third of its mentions makes it PERSON."""
    counts = {t: votes.get(t, 0) for t in ("PERSON", "ORG", "PLACE")}
    if votes.get("TITLED", 0) * 3 >= sum(counts.values()) > 0:
        return "PERSON"
    best = max(counts.items(), key=lambda kv: kv[1])
    return best[0] if best[1] else "OTHER"


CORPORATE_SUFFIXES = {"inc", "co", "corp", "corporation", "company", "ltd", "limited", "llc", "plc", "ag", "sa",
                      "gmbh", "group", "holdings", "usa", "international", "technologies", "bv", "nv", "pvt"}


def _org_short_form(long: tuple[str, ...], short: tuple[str, ...], votes: FormVotes) -> bool:
    """"Apple" for "Apple Inc", "Colts" for "Indianapolis Colts": an organisation's name without
    its legal form, or without the place it is named after. Any other part ("Council" of an
    organisation) is a different body."""
    if _type_of(votes[long]) != "ORG" or len(short) >= len(long):
        return False
    n = len(short)
    if long[:n] == short:
        return all(t in CORPORATE_SUFFIXES for t in long[n:])
    if long[-n:] == short:         # "Indianapolis Colts": a tagger often calls the city part of a team ORG
        return _type_of(votes.get(long[:-n], Counter())) in ("PLACE", "ORG")
    return False


PLACE_NOUNS = {"province", "state", "county", "city", "region", "district", "island", "islands", "prefecture",
               "territory", "village", "town", "municipality", "governorate", "oblast", "parish"}


def _place_short_form(long: tuple[str, ...], short: tuple[str, ...], votes: FormVotes) -> bool:
    """"Aceh" for "Aceh province": a place and the same place with its kind of place named."""
    n = len(short)
    return (_type_of(votes[long]) == "PLACE" and _type_of(votes.get(short, Counter())) in ("PLACE", "OTHER")
            and long[:n] == short and all(t in PLACE_NOUNS for t in long[n:]))


def _initials_index(scope: Scope, scopes: dict[Scope, set[Form]], votes: FormVotes,
                    memo: dict[Scope, dict[str, list[Form]]]) -> dict[str, list[tuple[str, ...]]]:
    """Initials → non-person multi-word forms of one scope, built once per scope."""
    if scope not in memo:
        index: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for f in scopes.get(scope, ()):
            if len(f) >= 2 and _type_of(votes[f]) != "PERSON":
                index[initials(f)].append(f)
        memo[scope] = index
    return memo[scope]


def _is_place_word(k: tuple[str, ...], votes: FormVotes) -> bool:
    """A one-word form the tagger calls a place nearly always (80% of 3+ mentions) and never titles."""
    v = votes.get(k, Counter())
    total = v.get("PERSON", 0) + v.get("ORG", 0) + v.get("PLACE", 0)
    return len(k) == 1 and total >= 3 and v.get("PLACE", 0) >= 0.8 * total and not v.get("TITLED", 0)


def _is_org_word(k: tuple[str, ...], votes: FormVotes) -> bool:
    """A one-word form the tagger calls an organisation nearly always (80% of 5+ mentions), never titled:
    "Apple" in "Fiona Apple"'s article is still the company."""
    v = votes.get(k, Counter())
    total = v.get("PERSON", 0) + v.get("ORG", 0) + v.get("PLACE", 0)
    return len(k) == 1 and total >= 5 and v.get("ORG", 0) >= 0.8 * total and not v.get("TITLED", 0)


def _compatible(a: str, b: str) -> bool:
    """Persons never merge with places (the tagger often calls a person an organisation, rarely a place twice)."""
    return {a, b} != {"PERSON", "PLACE"}


def _forms_by_scope(mentions: Sequence[RawMention], keys: list[tuple[str, ...]],
                    event_of: dict[str, str]) -> dict[tuple[str, str], set[tuple[str, ...]]]:
    """Multi-word forms present in each article and each event."""
    scopes: dict[tuple[str, str], set[tuple[str, ...]]] = defaultdict(set)
    for m, k in zip(mentions, keys, strict=True):
        if len(k) >= 2 and m.label != ACRONYM:
            scopes[("article", m.article_id)].add(k)
            scopes[("event", event_of.get(m.article_id, m.article_id))].add(k)
    return scopes


def _acronym_definitions(mentions: Sequence[RawMention], keys: list[tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """ACR → long form from "Long Name (ACR)" patterns, majority over the corpus."""
    found: dict[str, Counter[Form]] = defaultdict(Counter)
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        by_article[m.article_id].append(i)
    for idx in by_article.values():
        for a, b in zip(idx, idx[1:], strict=False):  # consecutive pairs: one fewer
            ma, mb = mentions[a], mentions[b]
            if len(keys[b]) == 1 and mb.text.isupper() and 0 < mb.start - ma.end <= 5 and len(keys[a]) >= 2:
                acr = keys[b][0]
                if initials(keys[a])[:1] == acr[:1]:
                    found[acr][keys[a]] += 1
    return {acr: c.most_common(1)[0][0] for acr, c in found.items()}


def _lone_word_org(ks: list[tuple[str, ...]], ms: list[RawMention], votes: Counter[str],
                   person_words: set[str]) -> bool:
    """A "person" known by one word only ("Roscosmos"), never titled, whose word is in no person's
    full name anywhere in the corpus and whom the tagger calls an organisation a quarter of the time
    or more: an organisation (a surname alone, "Prigozhin", has its full name somewhere)."""
    if any(len(k) != 1 for k in ks) or any(m.roles for m in ms) or any(k[0] in person_words for k in ks):
        return False
    return votes.get("ORG", 0) * 4 >= votes.get("ORG", 0) + votes.get("PERSON", 0) > 0


_SURNAME_PREFIX = re.compile(r"^(?:Mc|Mac|De|Di|Da|Du|La|Le|Van|Von|Fitz|O['’])[A-Z]")


def _camel_cased(name: str, ms: list[RawMention]) -> bool:
    """"SpaceX", "JPMorgan", "DeepMind": a one-word name with a capital inside that is no surname prefix
    ("McConnell", "DeSantis", "LaRue", "O'Brien") is a brand, not a person, however often the tagger
    says person; never for a titled name."""
    if " " in name or not name[:1].isupper() or name.isupper() or any(m.roles for m in ms):
        return False
    inner = any(c.isupper() for c in name[1:])
    return inner and not _SURNAME_PREFIX.match(name)


_IGNORED_ROLES = {"mr", "mrs", "ms", "mr.", "mrs.", "ms.", "former", "senior"}


def _make_entity(ms: list[RawMention], ks: list[tuple[str, ...]], linked: set[int], idx: list[int],
                 event_of: dict[str, str], person_words: set[str] | None = None) -> Entity:
    """One entity from its mentions: canonical name, type by vote, aliases, roles, articles, events."""
    forms: Counter[str] = Counter()
    shape: dict[str, tuple[str, ...]] = {}
    type_votes: Counter[str] = Counter()
    short_votes: Counter[str] = Counter()
    roles: Counter[str] = Counter()
    for m, k, i in zip(ms, ks, idx, strict=True):
        shown = display_form(m.text)
        forms[shown] += 1
        shape[shown] = k
        kind = "ORG" if m.label == ACRONYM else LABEL_TYPES.get(m.label, "OTHER")
        weight = 3 if m.roles else 1
        (short_votes if i in linked else type_votes)[kind] += weight
        roles.update(r for r in m.roles if r.lower() not in _IGNORED_ROLES)
    name = max(forms, key=lambda f: (len(shape[f]) >= 2, forms[f], len(shape[f]), len(f)))
    kind = sane_type(name, (type_votes or short_votes).most_common(1)[0][0])
    if kind == "PERSON" and person_words is not None and (_lone_word_org(ks, ms, type_votes, person_words)
                                                          or _camel_cased(name, ms)):
        kind = "ORG"
    seen = {name.lower()}
    aliases = []
    for f, _ in forms.most_common():
        if f.lower() not in seen:
            seen.add(f.lower())
            aliases.append(f)
    articles = sorted({m.article_id for m in ms})
    events = sorted({event_of.get(a, a) for a in articles})
    eid = "ent-" + hashlib.sha1(f"{kind}|{' '.join(name_tokens(name))}".encode()).hexdigest()[:10]
    return Entity(eid, name, kind, sorted(aliases), [r for r, _ in roles.most_common(5)], len(ms), articles, events)


# -- margin evidence ------------------------------------------------------------------------
# A caption, photo credit or byline is not article text, but the names in it are
# written by the same outlet about the same people: "Photo: Twitter/ShahMehmood
# Qureshi" under a story about Shah Mahmood Qureshi is evidence of a spelling.
# Margins also hold comment threads and link lists, so a margin name is only
# evidence about an entity the body already names in the same article or event:
# it never creates an entity, never counts as a mention, never names or types one.


def attach_margin(entities: list[Entity], mentions: Sequence[RawMention], keys: list[tuple[str, ...]],
                  margin: Sequence[RawMention], event_of: dict[str, str], variants: bool = True, short: bool = True,
                  acronyms: bool = True) -> None:
    """Give each margin mention the body entity it names (same article first, then event) and add
    its written form as an alias and its titles as roles; a name that fits no entity is left."""
    by_id = {e.id: e for e in entities}
    scopes: dict[tuple[str, str], dict[tuple[str, ...], set[str]]] = defaultdict(lambda: defaultdict(set))
    for m, k in zip(mentions, keys, strict=True):
        if k and m.entity_id:
            scopes[("article", m.article_id)][k].add(m.entity_id)
            scopes[("event", event_of.get(m.article_id, m.article_id))][k].add(m.entity_id)
    for m in margin:
        k = name_tokens(m.text)
        m.entity_id = None
        if not k:
            continue
        for scope in (("article", m.article_id), ("event", event_of.get(m.article_id, m.article_id))):
            found = _margin_target(m, k, scopes.get(scope, {}), by_id, variants, short, acronyms)
            if found is not None:
                m.entity_id = found
                _add_evidence(by_id[found], m)
                break


def _margin_target(m: RawMention, k: tuple[str, ...], forms: dict[tuple[str, ...], set[str]],
                   by_id: dict[str, Entity], variants: bool, short: bool, acronyms: bool) -> str | None:
    """The one entity of a scope a margin name refers to, by the resolver's own rules; None when
    none or several fit."""
    if m.label == ACRONYM:
        if not acronyms or len(k) != 1:
            return None
        hits = {e for f, ids in forms.items() if len(f) >= 2 and initials(f) == k[0]
                for e in ids if by_id[e].type != "PERSON"}
        return _single(hits)
    if k in forms:
        return _single(forms[k])
    kind = LABEL_TYPES.get(m.label, "OTHER")
    if variants and len(k) >= 2:
        hits = {e for f, ids in forms.items() if is_variant(f, k) for e in ids
                if _compatible(by_id[e].type, kind)}
        if hits:
            return _single(hits)
    if short:
        hits = {e for f, ids in forms.items() if contains(f, k) for e in ids if by_id[e].type == "PERSON"}
        if not hits and len(k) == 1 and m.text.isupper() and acronyms:
            hits = {e for f, ids in forms.items() if len(f) >= 2 and initials(f) == k[0]
                    for e in ids if by_id[e].type != "PERSON"}
        return _single(hits)
    return None


def _single(ids: set[str]) -> str | None:
    """The entity when exactly one fits: an ambiguous margin name is no evidence."""
    return next(iter(ids)) if len(ids) == 1 else None


def _add_evidence(entity: Entity, m: RawMention) -> None:
    """A margin form becomes an alias; its titles rank after the body's roles (five at most)."""
    shown = display_form(m.text)
    if shown and shown.lower() not in {entity.name.lower(), *(a.lower() for a in entity.aliases)}:
        entity.aliases = sorted([*entity.aliases, shown])
    for role in m.roles:
        if (len(entity.roles) < 5 and role.lower() not in _IGNORED_ROLES
                and role.lower() not in {r.lower() for r in entity.roles}):
            entity.roles.append(role)
