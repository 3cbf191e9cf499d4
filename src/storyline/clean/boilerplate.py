"""Cleaning of already-extracted page text: drop the lines a reader calls noise.

Scraped article text keeps leftovers of its web page: connection banners,
market tickers, "Read more: ..." links, photo captions with credits, bylines,
tag lists, embedded tweets, a bullet summary that repeats the body, and the
reader comments.  The cleaner works line by line, in four steps read top to
bottom in :func:`clean_text`:

0. :func:`strip_residue` — scraping residue glued to a line is cut off it,
   the rest kept: a close-button glyph or player controls before a headline,
   "Posted: <date> Updated: <date>" after it, "(Source: X)" after a caption,
   an "UPDATE (8/14/13):" label before a sentence;
1. :func:`find_comment_cut` — the first comment-section cue after the body
   starts cuts that line and everything below it; :func:`find_playlist` marks
   a video playlist (several "0:48 Clip headline" lines in a row);
2. :func:`classify_line` — each remaining line gets named shape features
   (:class:`LineFeatures`) and is dropped when features and a generic cue
   agree (a ticker, a byline, a credit, a cross-link, ...);
3. :func:`find_redundant_bullets` — a bullet block whose sentences are
   already in the body is a summary, and goes;
4. :func:`find_title` — the first short unpunctuated line above the body is
   the headline; it is returned apart from the text.

Optionally an :class:`OutletLineStats` fed with many articles of one outlet
drops lines that recur across them (template lines no lexicon knows).  The
ingest pipeline does not use it: an article's text would then depend on which
other articles of its outlet came before it, so an incremental build would
not equal a batch one, and on corpora of hundreds of outlets it finds almost
nothing (BENCHMARKS.md, "Cleaning scraped leads (issue 15, seventh session)").
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import cues

WORD_RE = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
# Sentence-final punctuation, possibly followed by closing quotes/brackets.
SENTENCE_END_RE = re.compile(r"[.!?…][\"'”’»)\]]*$|[\"”»]$")
ANY_PUNCT_RE = re.compile(r"[.,;:!?\"“”«»()]")
NUMERIC_TOKEN_RE = re.compile(r"\d")
TIMELINE_RE = re.compile(r"^[\W_]*[:–—-]\s*\S+(?:\s+\S+){2,}")   # "<date>: event in three+ words"
ALPHA_RE = re.compile(r"[^\W\d_]")
GLUED_RE = re.compile(r"[a-z][A-Z][a-z]")   # "ChevronTitle", "FacebookIcon": labels run together
REPORTED_SPEECH_RE = re.compile(r"[\"“”«»„]|\b(?:said|says|told|asked|added)\b")
# Thresholds below were set on general grounds (typical English news prose)
# and checked on the seeds, the synthetic test articles and AEB; not fitted per page.
SHORT_LINE_WORDS = 40       # longer lines are paragraphs: no byline/ticker features needed
BODY_MIN_WORDS = 8          # a news paragraph: at least one full sentence
TITLE_MAX_WORDS = 25        # headlines are short (median ~10 words)
CUE_LINE_MAX_WORDS = 30     # cue-led boilerplate lines are short
CAPTION_MAX_WORDS = 50      # a photo caption is a sentence or two; a longer line is a paragraph
OUTLET_NAME_MAX_WORDS = 8   # "The Express Tribune", "Frankfurter Allgemeine Zeitung"
BYLINE_MAX_WORDS = 8        # name(s) + agency beside a date
TAG_MIN_WORDS = 8           # a keyword list long enough to tell from a subheading or list item
TAG_MAX_STOP_RATIO = 0.05   # English prose has ~40% function words, headlinese ~10-20%, tag lists ~0
TAG_TRAILING_MAX_STOP_RATIO = 0.15
NUMERIC_MIN_RATIO = 0.4     # tickers/scoreboards: mostly numbers and symbols
# a quoted span counts as repeated when this share of its word bigrams is in the body
QUOTE_REPEATED = 0.9
BULLET_REDUNDANCY = 0.5     # mean share of a bullet block's word bigrams already in the body


@dataclass
class CleanedText:
    """Clean body text, the headline found at the top, and every dropped line with why."""

    text: str
    title: str | None = None
    removed: list[tuple[int, str, str]] = field(default_factory=list)
    trimmed: list[tuple[int, str, str]] = field(default_factory=list)   # residue cut off kept lines


@dataclass
class LineFeatures:
    """Shape of one line: the evidence every noise decision is made from."""

    n_words: int
    ends_sentence: bool      # final . ! ? (or closing quote): prose, not a label
    has_punct: bool          # any sentence punctuation at all
    stop_ratio: float        # share of English function words
    numeric_ratio: float     # share of whitespace tokens holding digits or only symbols
    has_date: bool
    is_bullet: bool

    @property
    def is_body(self) -> bool:
        """A full sentence of news prose (the kind of line never dropped on shape alone)."""
        return self.n_words >= BODY_MIN_WORDS and self.ends_sentence


def line_features(line: str) -> LineFeatures:
    """Measure the shape features of one stripped line.

    Dates and the numeric ratio only matter for short lines (bylines,
    tickers), so long paragraphs skip them: that halves the cleaning time.
    """
    words = WORD_RE.findall(line)
    n = len(words)
    short = n <= SHORT_LINE_WORDS
    tokens = line.split() if short else []
    numeric = sum(1 for t in tokens if NUMERIC_TOKEN_RE.search(t) or not ALPHA_RE.search(t))
    return LineFeatures(
        n_words=n,
        ends_sentence=bool(SENTENCE_END_RE.search(line[-6:])),
        has_punct=bool(ANY_PUNCT_RE.search(line)),
        stop_ratio=sum(1 for w in words if w.lower() in cues.STOPWORDS) / n if n else 0.0,
        numeric_ratio=numeric / len(tokens) if tokens else 0.0,
        has_date=short and numeric > 0 and bool(cues.DATE.search(line)),
        is_bullet=bool(cues.BULLET.match(line)),
    )


def is_glued_labels(line: str, f: LineFeatures) -> bool:
    """Icon and button labels run together by a scraper ("ChevronTitle ChevronIcon FacebookIcon …").

    A short unpunctuated line where at least three words, and half of
    them, join two capitalised words without a space. Prose has such words
    only as brand names (YouTube, PayPal), one or two at a time.
    """
    if f.n_words > CUE_LINE_MAX_WORDS or f.is_body:
        return False
    glued = sum(1 for token in line.split() if GLUED_RE.search(token))
    return glued >= 3 and glued >= f.n_words / 2


def is_reported_speech(line: str) -> bool:
    """Quoted or attributed words ("'We will try again,' he said."): news, whatever the words are."""
    return bool(REPORTED_SPEECH_RE.search(line))


def is_headline_shaped(line: str, f: LineFeatures) -> bool:
    """Short and without final sentence punctuation: how headlines and link titles look."""
    return 0 < f.n_words <= TITLE_MAX_WORDS and not f.ends_sentence and not line.endswith((":", ",", ";"))


def is_cross_link(line: str, f: LineFeatures) -> bool:
    """"Read more: X" / "Also read X": a link cue followed by another article's headline."""
    if f.n_words > CUE_LINE_MAX_WORDS:
        return False
    if cues.CROSS_LINK_WITH_SEPARATOR.match(line):
        return True
    bare = cues.CROSS_LINK_BARE.match(line)
    return bare is not None and is_headline_shaped(line[bare.end():], line_features(line[bare.end():]))


def is_byline(line: str, f: LineFeatures) -> bool:
    """Author/agency names beside a date or a byline cue, with no sentence around them."""
    if f.ends_sentence and not f.has_date:
        return False
    if f.n_words <= BYLINE_MAX_WORDS + 4 and cues.BYLINE_CUE.search(line):
        return True
    if not f.has_date:
        return False
    rest = cues.DATE.sub(" ", line)
    if TIMELINE_RE.match(rest):
        return False            # "19 Dec 2012: 13 die in Pune" is a dated timeline entry, not a byline
    rest_words = WORD_RE.findall(rest)
    # what is left beside the date is a few names, not a clause: at most one lower-case
    # content word ("This story is from", "Last updated at"), so a dated headline
    # ("Pakistan, Russia sign gas deal on May 4, 2023") stays
    verbs_nouns = sum(1 for w in rest_words if w[0].islower() and w.lower() not in cues.STOPWORDS)
    return (len(rest_words) <= BYLINE_MAX_WORDS and verbs_nouns <= 1
            and not SENTENCE_END_RE.search(rest.strip()))


def is_ticker(line: str, f: LineFeatures) -> bool:
    """Market tickers: numbers with up/down arrows, or mostly numbers with a signed change."""
    if f.has_date or (f.ends_sentence and f.n_words >= BODY_MIN_WORDS):
        return False            # dates are numeric too; bylines/timestamps are judged by is_byline
    if cues.TICKER_SYMBOLS.search(line) and f.numeric_ratio > 0:
        return True
    # product names and scores also hold many digits; a quote's signed change tells a ticker apart
    return f.numeric_ratio >= NUMERIC_MIN_RATIO and bool(cues.SIGNED_CHANGE.search(line))


def is_tag_list(line: str, f: LineFeatures, trailing: bool, english: bool) -> bool:
    """A run of keywords: labelled ("Tags: ..."), or a long unpunctuated line of content words.

    Headlines, subheadings and list items are unpunctuated too but short or
    full of function words; a keyword list is long and has almost none.  After
    the body (``trailing``) a little more function-word slack is allowed; in a
    language whose function words we do not know, only trailing lines qualify.
    """
    if cues.TAG_LABEL.match(line) and f.n_words <= 2 * CUE_LINE_MAX_WORDS:
        return True
    if f.has_punct or f.n_words < TAG_MIN_WORDS:
        return False
    if not english:
        return trailing
    return f.stop_ratio <= (TAG_TRAILING_MAX_STOP_RATIO if trailing else TAG_MAX_STOP_RATIO)


# Residue cut off the end, then off the start, of a line: (reason, pattern, keys), applied in this order;
# a pattern is only tried when its lower-cased tail (head) holds one of its keys (cheap substring checks).
RESIDUE_SUFFIXES: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = (
    ("player-controls", cues.PLAYER_SUFFIX, ("pause",)),
    ("edit-link", cues.EDIT_LINK_SUFFIX, ("]",)),
    ("timestamp", cues.STAMP_SUFFIX, ("posted", "published", "updated")),
    ("credit", cues.CREDIT_SUFFIX, (")",)),
    ("timestamp", cues.CLOCK_STAMP_SUFFIX, (":",)))
RESIDUE_PREFIXES: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = (
    ("glyph", cues.GLYPH_PREFIX, tuple("×✕✖✗⨯▶⏵")),
    ("player-controls", cues.PLAYER_PREFIX, ("play", "pause", "embed", "skip", "replay")),
    ("update-label", cues.UPDATE_PREFIX, ("update",)))
RESIDUE_TAIL_CHARS = 200   # the longest suffix: "Posted: <weekday, date, time, zone> Updated: <same>" ~100
RESIDUE_HEAD_CHARS = 60    # player controls and update labels start within the first few words
PLAYLIST_MIN_ENTRIES = 2    # one "14:30 ..." line is a live-blog entry; a run of clip durations is a playlist


def strip_residue(line: str) -> tuple[str, list[tuple[str, str]]]:
    """The line without scraping residue glued to it, and each cut piece with its reason.

    A line that would be left without a word is returned whole: it is all
    residue, and the line classifier names it (a timestamp); so is a byline
    ("Staff Reporter Published: 12 Jun 2023 07:30 PM"), which goes whole.
    """
    cut: list[tuple[str, str]] = []
    rest = line
    for reason, pattern, keys in RESIDUE_SUFFIXES:
        # suffixes are short: searching only the tail keeps long paragraphs cheap
        offset = max(0, len(rest) - RESIDUE_TAIL_CHARS)
        if cues.has_any(rest[offset:].lower(), keys) and (m := pattern.search(rest, offset)) and m.start() > 0:
            cut.append((reason, rest[m.start():].strip()))
            rest = rest[:m.start()].rstrip()
    for reason, pattern, keys in RESIDUE_PREFIXES:
        if cues.has_any(rest[:RESIDUE_HEAD_CHARS].lower(), keys) and (m := pattern.match(rest)) and m.end() < len(rest):
            cut.append((reason, rest[:m.end()].strip()))
            rest = rest[m.end():]
    if not cut or not WORD_RE.search(rest):
        return line, []
    if is_whole_line_noise(line, line_features(line)):
        return line, []
    return rest, cut


def is_whole_line_noise(line: str, f: LineFeatures) -> bool:
    """A line dropped whole on its own shape (byline, caption credit, timestamp): nothing in it to trim."""
    return is_byline(line, f) or is_photo_credit(line, f) or is_timestamp(line, f)


def is_photo_credit(line: str, f: LineFeatures) -> bool:
    """A caption or a bare credit naming a photo/video source ("(Photo: Reuters)", "Getty Images")."""
    return f.n_words <= CAPTION_MAX_WORDS and cues.has_any(line.lower(), cues.PHOTO_KEYS) \
        and bool(cues.PHOTO_CREDIT.search(line))


def is_timestamp(line: str, f: LineFeatures) -> bool:
    """Only clock times, dates and update labels: "12:45 p.m.:", "Update 1:30 p.m.", a clip length "03:49"."""
    return f.n_words <= 10 and bool(cues.TIMESTAMP_ONLY.match(line))


def find_playlist(lines: list[str]) -> set[int]:
    """Lines of a video playlist: runs of "0:48 Clip headline" entries that are not sentences.

    A player's playlist lists other clips of the outlet ("1:01 Vit plant
    receives big piece of equipment"); their names would become the
    article's top terms.  A single time-led line, or one ending in a full
    stop, is a timeline entry of the story and stays.
    """
    found: set[int] = set()
    run: list[int] = []
    for i, line in enumerate([*lines, ""]):
        if not line and i < len(lines):
            continue                                  # blank lines do not break a run
        if line and cues.DURATION_LED.match(line) and not line.endswith("."):
            run.append(i)
            continue
        if len(run) >= PLAYLIST_MIN_ENTRIES:
            found.update(run)
        run = []
    return found


def classify_line(line: str, f: LineFeatures, trailing: bool = False, header: bool = False,
                  english: bool = True) -> str | None:
    """Name the kind of noise a line is, or None for a line to keep.

    ``header``: the line is above the first body paragraph, where unpunctuated
    low-function-word lines are headlines ("headlinese"), not tag lists.
    """
    if f.n_words == 0:
        return "symbols-only"
    if is_glued_labels(line, f):
        return "icon-labels"
    if f.n_words <= 12 and not is_reported_speech(line) and cues.INTERFACE_CHROME.search(line) \
            and (not f.is_body or cues.INTERFACE_NOTICE.search(line)):
        return "interface-banner"
    if is_timestamp(line, f):
        return "timestamp"
    if f.n_words <= 8 and cues.PLAYER_CHROME.match(line):
        return "player-chrome"       # "Slideshow", "Skip Ad", "This video is no longer available."
    if f.n_words <= 6 and is_comment_cue(line, f):
        return "comment-link"        # "12 Comments" beside the byline; below the body it cuts everything
    lower = line.lower()
    if cues.has_any(lower, cues.SOCIAL_KEYS) and cues.SOCIAL_EMBED.search(line):
        return "social-embed"
    if is_photo_credit(line, f):
        return "photo-caption"
    if f.n_words <= CUE_LINE_MAX_WORDS and cues.has_any(lower, cues.COPYRIGHT_KEYS) and cues.COPYRIGHT.search(line):
        return "copyright"
    if is_cross_link(line, f):
        return "cross-link"
    if is_byline(line, f):
        return "byline"
    if is_ticker(line, f):
        return "ticker"
    if is_tag_list(line, f, trailing, english) and not header:
        return "tag-list"
    return None


def is_comment_cue(line: str, f: LineFeatures) -> bool:
    """A comment-section header/widget (on a non-sentence line) or a moderation notice."""
    if f.n_words > 20:
        return False
    if cues.COMMENT_NOTICE.search(line):
        return True
    return not f.is_body and bool(cues.COMMENT_HEADER.search(line))


def find_comment_cut(lines: list[str], feats: list[LineFeatures]) -> int | None:
    """Index of the comment-section cue that follows the body; it and all below are comments."""
    seen_body = False
    for i, (line, f) in enumerate(zip(lines, feats, strict=True)):
        if seen_body and is_comment_cue(line, f):
            return i
        seen_body = seen_body or f.is_body
    return None


def word_bigrams(text: str) -> set[tuple[str, str]]:
    """Lower-cased word bigrams with a light plural/verb -s strip, for paraphrase-tolerant overlap."""
    words = [w.lower().rstrip("s") or w.lower() for w in WORD_RE.findall(text)]
    return set(zip(words, words[1:], strict=False))  # pairs of neighbours: one fewer


def bullet_blocks(lines: list[str], feats: list[LineFeatures], candidates: Iterable[int]) -> list[list[int]]:
    """Group consecutive bullet lines (blank lines allowed between) into blocks."""
    blocks: list[list[int]] = []
    last = -2
    for i in candidates:
        if feats[i].is_bullet:
            gap_blank = all(not lines[j].strip() for j in range(last + 1, i))
            if blocks and gap_blank:
                blocks[-1].append(i)
            else:
                blocks.append([i])
            last = i
    return blocks


def find_redundant_bullets(lines: list[str], feats: list[LineFeatures], kept: list[int]) -> set[int]:
    """Bullet blocks of sentences whose word bigrams mostly recur in the body: a summary that repeats it.

    Only blocks of sentence-length bullets count: short items (product
    features, ingredients) share a few words with any body by chance.
    """
    drop: set[int] = set()
    blocks = [b for b in bullet_blocks(lines, feats, kept)
              if sum(feats[i].n_words for i in b) >= BODY_MIN_WORDS * len(b)]
    if not blocks:
        return drop
    body = word_bigrams(" ".join(lines[i] for i in kept
                                 if not feats[i].is_bullet and feats[i].n_words >= BODY_MIN_WORDS))
    for block in blocks:
        members = set(block)
        shares = []
        for i in block:
            grams = word_bigrams(lines[i])
            shares.append(len(grams & body) / len(grams) if grams else 1.0)
        if sum(shares) / len(shares) >= BULLET_REDUNDANCY:
            drop |= {i for i in members if not carries_new_quote(lines[i], body)}
    return drop


QUOTED_SPAN = re.compile(r'["\u201c]([^"\u201c\u201d]{20,})["\u201d]')


def carries_new_quote(line: str, body: set[tuple[str, str]]) -> bool:
    """A bullet whose direct quotation the body does not repeat word for word.

    A summary bullet may paraphrase the body, but a verbatim quote is
    primary evidence: when the body only paraphrases it, dropping the
    bullet would lose the only record of who said exactly what.
    """
    for span in QUOTED_SPAN.findall(line):
        grams = word_bigrams(span)
        if grams and len(grams & body) / len(grams) < QUOTE_REPEATED:
            return True
    return False


def continues_on_next_line(lines: list[str], i: int) -> bool:
    """A hard-wrapped sentence: the very next line goes on in lower case, so line i is no headline."""
    nxt = lines[i + 1] if i + 1 < len(lines) else ""
    return bool(nxt) and nxt[0].islower()


def find_title(lines: list[str], feats: list[LineFeatures], kept: list[int]) -> int | None:
    """The headline: the first short, unpunctuated kept line above the body, with body below it."""
    for i in kept:
        if feats[i].is_body:
            return None          # the body started without a headline
        if (feats[i].n_words >= 3 and is_headline_shaped(lines[i], feats[i]) and not feats[i].is_bullet
                and not continues_on_next_line(lines, i)):
            # the first body line comes after i (the loop returns at it), so body follows
            return i if any(feats[j].is_body for j in kept) else None
    return None


def is_english(feats: list[LineFeatures]) -> bool:
    """Whether function-word ratios mean anything here (English prose has >= ~25% of them)."""
    words = sum(f.n_words for f in feats)
    stops = sum(f.stop_ratio * f.n_words for f in feats)
    return words > 0 and stops / words >= 0.2


def join_paragraphs(paragraphs: list[str]) -> str:
    """One paragraph per line-block, separated by a blank line; a lone dateline joins the next one."""
    out: list[str] = []
    pending = ""
    for para in paragraphs:
        if cues.DATELINE.match(para):
            pending = (pending + " " + para).strip()
            continue
        out.append(f"{pending} {para}" if pending else para)
        pending = ""
    if pending:
        out.append(pending)
    return "\n\n".join(out)


def normalize_line(line: str) -> str:
    """Line key for cross-article counting: lower-case words only, digits folded."""
    return NUMERIC_TOKEN_RE.sub("0", " ".join(WORD_RE.findall(line.lower())))


class OutletLineStats:
    """Counts, over many articles of one outlet, how many articles contain each line.

    A line that recurs in many articles of the same outlet is template text
    (a slogan, a subscription plea, a fixed disclaimer) whatever its wording.
    Feed articles with ``partial_fit``; ``is_recurring`` then says which lines
    to drop.  Body sentences recur only in reprints, which dedupe handles.

    >>> stats = OutletLineStats(min_articles=2).partial_fit(["News a.\\nFollow us", "News b.\\nFollow us"])
    >>> stats.is_recurring("Follow us")
    True
    """

    def __init__(self, min_articles: int = 3, min_fraction: float = 0.2) -> None:
        self.min_articles = min_articles
        self.min_fraction = min_fraction

    def partial_fit(self, texts: Iterable[str]) -> OutletLineStats:
        """Add the distinct lines of each article text to the counts."""
        if not hasattr(self, "counts_"):
            self.counts_: Counter[str] = Counter()
            self.n_articles_ = 0
        for text in texts:
            keys = {normalize_line(line) for line in text.splitlines()}
            keys.discard("")
            self.counts_.update(keys)
            self.n_articles_ += 1
        return self

    def fit(self, texts: Iterable[str]) -> OutletLineStats:
        """Count lines over ``texts`` from scratch."""
        for name in ("counts_", "n_articles_"):
            self.__dict__.pop(name, None)
        return self.partial_fit(texts)

    def is_recurring(self, line: str) -> bool:
        """Whether this line appears in enough of the outlet's articles to be template text."""
        if not hasattr(self, "counts_"):
            return False
        count = self.counts_.get(normalize_line(line), 0)
        return count >= self.min_articles and count >= self.min_fraction * self.n_articles_


def clean_text(text: str, outlet: str | None = None, *, line_stats: OutletLineStats | None = None,
               find_headline: bool = True) -> CleanedText:
    """Return the page text without noise lines, the headline apart, and the dropped lines with reasons.

    ``outlet`` drops lines that only repeat the outlet's name; ``line_stats``
    (fed with other articles of this outlet) drops recurring template lines;
    ``find_headline=False`` when the title is known from elsewhere (HTML).
    """
    lines: list[str] = []
    trimmed: list[tuple[int, str, str]] = []
    for n, raw_line in enumerate(text.splitlines(), 1):
        line, pieces = strip_residue(raw_line.strip())
        lines.append(line)
        trimmed.extend((n, piece, reason) for reason, piece in pieces)
    feats = [line_features(line) for line in lines]
    reasons: dict[int, str] = dict.fromkeys(find_playlist(lines), "video-playlist")
    cut = find_comment_cut(lines, feats)
    if cut is not None:
        reasons.update({i: "comment-section" for i in range(cut, len(lines)) if lines[i] and i not in reasons})
    mark_line_noise(lines, feats, reasons, outlet, line_stats)
    kept = [i for i, line in enumerate(lines) if line and i not in reasons]
    reasons.update({i: "repeated-summary" for i in find_redundant_bullets(lines, feats, kept)})
    kept = [i for i in kept if i not in reasons]
    title_i = find_title(lines, feats, kept) if find_headline else None
    body = [lines[i] for i in kept if i != title_i]
    removed = [(i + 1, lines[i], reasons[i]) for i in sorted(reasons)]
    return CleanedText(text=join_paragraphs(body), title=lines[title_i] if title_i is not None else None,
                       removed=removed, trimmed=[t for t in trimmed if t[0] - 1 not in reasons])


def mark_line_noise(lines: list[str], feats: list[LineFeatures], reasons: dict[int, str],
                    outlet: str | None, line_stats: OutletLineStats | None) -> None:
    """Classify every line not yet removed; record the noise reason of each dropped one."""
    english = is_english(feats)
    body_idx = [i for i, f in enumerate(feats) if f.is_body and i not in reasons]
    first_body = body_idx[0] if body_idx else len(lines)
    last_body = body_idx[-1] if body_idx else len(lines)
    outlet_key = normalize_line(outlet) if outlet else None
    for i, (line, f) in enumerate(zip(lines, feats, strict=True)):
        if not line or i in reasons:
            continue
        if outlet_key and f.n_words <= OUTLET_NAME_MAX_WORDS and normalize_line(line) == outlet_key:
            reasons[i] = "outlet-name"
        elif line_stats is not None and line_stats.is_recurring(line):
            reasons[i] = "outlet-recurring"
        elif (reason := classify_line(line, f, trailing=i > last_body, header=i < first_body,
                                              english=english)) is not None:
            reasons[i] = reason
