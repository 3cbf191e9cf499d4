"""Titles: the record's own when it is one, re-cased when it is a URL slug, never a site banner.

Scraped corpora give three kinds of bad title: none at all, a URL slug turned
into words ("Pak russia vow to boost bilateral ties news international"), and
the site's banner or name used for every page ("Shot in the USA: Gun Violence
After Newtown", "en", "Journal Courier"). The rules here use only the record
itself (its text, URL and outlet), so they hold on any corpus:

- a title made from the URL's slug (its words are a stretch of the URL path)
  is matched against the first lines of the text: a headline line holding its
  words becomes the title; else each word takes its casing from the text.
  Another lower-case title keeps its words and gets back only the capitals of
  names the text always capitalises;
- a banner is a title with no word of the text while the URL slug shares words
  with the text, a title made only of the site's host name, or one with no
  word at all; it is replaced by the headline found in the text or the lead;
- a title shared by several different articles of one outlet is a banner too:
  that needs the whole corpus, so :func:`retitle_shared_banners` fixes those
  in the store after each ingest.

Every title is one line and at most ``TITLE_MAX_CHARS`` characters.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Any
from urllib.parse import unquote, urlsplit

from .metadata import HEADER

# The longest real headlines run ~150 characters; 300 leaves room for subtitles joined by a colon.
TITLE_MAX_CHARS = 300
# Headline lines sit at the top of a scraped page; past the first lines a match is a coincidence.
HEADLINE_SCAN_LINES = 15
# Share of a slug's words a text line must hold to be taken as the headline the slug was made from.
SLUG_LINE_COVERAGE = 0.7
MIN_SLUG_WORDS = 3
# Prefix length under which two words count as the same (slugs truncate: "ukrain"; text inflects: "shooting").
STEM_CHARS = 5
TEXT_CONTEXT_CHARS = 3000     # the top of the page: headline, lead, first paragraphs
_FILE_SUFFIXES = frozenset({"html", "htm", "shtml", "php", "asp", "aspx", "jsp", "cms", "amp"})
_BARE_WORDS = re.compile(r"[^\W_]+(?: [^\W_]+)*")     # a slug made into words: no punctuation at all
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_STOP = frozenset(
    "a an the and or but of to in on at for with by from as is are was were be been it its this that these those "
    "after before over under into about up out off new says said say will has have had not no than then there "
    "their his her he she they we you our your who what when where why how all more most".split())


def cap_title(title: str | None, limit: int = TITLE_MAX_CHARS) -> str | None:
    """One line, single spaces, no seed-format header, at most ``limit`` characters (cut at a word, with "…")."""
    if not title:
        return None
    title = " ".join(HEADER.sub("", title).split())
    if len(title) > limit:
        cut = title[:limit - 1]
        title = (cut.rsplit(" ", 1)[0] if " " in cut[limit // 2:] else cut).rstrip(" ,;:—–-") + "…"
    return title or None


def is_slug_like(title: str) -> bool:
    """A title of several words with no capital after the first letter: a URL slug or a lower-cased headline."""
    words = _WORD.findall(title)
    letters = [c for c in title[1:] if c.isalpha()]
    return len(words) >= MIN_SLUG_WORDS and bool(letters) and not any(c.isupper() for c in letters)


def content_words(text: str) -> list[str]:
    """Lower-cased words that carry meaning (no stop words, no single letters)."""
    return [w for w in (m.lower() for m in _WORD.findall(text)) if len(w) > 1 and w not in _STOP]


def _same_word(a: str, b: str) -> bool:
    """Equal, or sharing their first STEM_CHARS letters ("ukrain" ~ "ukraine", "shooting" ~ "shootings")."""
    return a == b or (min(len(a), len(b)) >= STEM_CHARS and a[:STEM_CHARS] == b[:STEM_CHARS]) \
        or (len(a) >= 3 and b.startswith(a))


def shares_words(words: list[str], text: str) -> int:
    """How many of ``words`` start a word of the lower-case ``text``, up to a shared stem ("ukrain", "shootings")."""
    return sum(1 for w in words if _starts_a_word(w[:STEM_CHARS] if len(w) >= 3 else w, text))


def _starts_a_word(stem: str, text: str) -> bool:
    """True when ``stem`` occurs in ``text`` at the start of a word (plain string search: no regex per word)."""
    i = text.find(stem)
    while i != -1:
        if i == 0 or not text[i - 1].isalnum():
            return True
        i = text.find(stem, i + 1)
    return False


def _keys(word: str) -> tuple[str, ...]:
    """A word's lower-case form, and that form without apostrophes when it has one (slugs drop them)."""
    lower = word.lower()
    if "'" in lower or "’" in lower:
        return lower, lower.replace("'", "").replace("’", "")
    return (lower,)


def recase_title(title: str, text: str, url: str | None = None) -> str:
    """A lower-cased title given the casing of the article's own text; any other title unchanged.

    A title is lower-cased when a name the text always capitalises is lower
    case in it (a sentence-case headline is not). Made from the URL's slug
    (bare words, a stretch of the URL path), it is replaced by the headline
    line it was made from when the text holds one, else re-cased word by word.
    Any other lower-cased
    title only gets back the capitals of those names ("murray police" → "Murray police").
    """
    if not is_slug_like(title):
        return title
    slug = is_url_slug(title, url) and bool(_BARE_WORDS.fullmatch(title))
    # A slug's own words prove its origin, so one capitalised use in the text is enough to show a
    # lowered name; any other title needs two, or a sentence-case headline would be "corrected".
    if not has_lowered_names(title, text, min_uses=1 if slug else 2):
        return title
    if slug:
        return headline_line(title, text) or _recase_words(title, text, slug=True)
    return _recase_words(title, text, slug=False)


def has_lowered_names(title: str, text: str, min_uses: int = 2) -> bool:
    """True when a word after the first is lower-case in the title but a name in the text (see :func:`_names`)."""
    return bool(_names(text[:TEXT_CONTEXT_CHARS], _lower_words(title)[1:], min_uses))


def _lower_words(title: str) -> list[str]:
    """The title's words, lower-cased, for the ones written in lower case (others: "")."""
    return [w if w.islower() else "" for w in _WORD.findall(title)]


def _names(text: str, words: list[str], min_uses: int = 2) -> dict[str, str]:
    """Which of ``words`` the text writes capitalised inside sentences ``min_uses`` times and never in lower case.

    {word: the text's spelling}; a slug's "russias" also finds "Russia’s". One
    capitalised use proves little (a headline, a quoted title); one lower-case
    use shows a common word ("police said"). One regular expression over the
    text for the title's few words, not a loop over every word of the text.
    """
    wanted = sorted({w for w in words if len(w) > 1})
    if not wanted:
        return {}
    spelled = "|".join(re.escape(w[:-1]) + "['’]?s" if w.endswith("s") else re.escape(w) for w in wanted)
    upper: dict[str, Counter[str]] = {}
    lower: set[str] = set()
    title_cased: dict[int, bool] = {}
    for match in re.finditer(rf"(?<![^\W_])(?:{spelled})(?![^\W_])", text, re.I):
        word, start = match.group(0), match.start()
        line_start = text.rfind("\n", 0, start) + 1
        if line_start not in title_cased:
            end = text.find("\n", start)
            title_cased[line_start] = _is_title_cased(text[line_start:end if end != -1 else len(text)])
        before = text[max(line_start, start - 3):start].strip()
        if title_cased[line_start] or not before or before[-1] in ".!?:\"“‘•|—–-(":
            continue
        key = word.lower().replace("'", "").replace("’", "") if word.lower() not in wanted else word.lower()
        if word[:1].isupper():
            upper.setdefault(key, Counter())[word] += 1
        else:
            lower.add(key)
    return {k: c.most_common(1)[0][0] for k, c in upper.items() if k not in lower and sum(c.values()) >= min_uses}


def is_url_slug(title: str, url: str | None) -> bool:
    """True when the title's words are, in order, the words of a stretch of the URL's path: it was made from it."""
    if not url:
        return False
    words = [w.lower() for w in _WORD.findall(title.replace("'", "").replace("’", ""))]
    path = [p for p in re.split(r"[^a-z0-9]+", unquote(urlsplit(url if "//" in url else f"//{url}").path).lower()) if p]
    if len(words) < MIN_SLUG_WORDS:
        return False
    n = len(words)
    return any(path[i:i + n] == words for i in range(len(path) - n + 1))


def _recase_words(title: str, text: str, slug: bool) -> str:
    """Words in the text's casing; for a URL slug every word, else only the text's names.

    A slug word takes its casing from uses inside sentences, else an all-capital
    or mixed spelling from anywhere ("FDIC", "SpaceX"), else lower case: a
    capital at the start of a sentence or in a title-cased line says nothing.
    Words the text never uses are kept: on newsdev's slug titles, dropping
    trailing unknown words removed real words ("… ends in explosions",
    "… talks") six times for each section name ("news international") it removed.
    """
    strong, weak = _casings(text[:TEXT_CONTEXT_CHARS])
    if slug:
        casings = {**{k: v for k, v in weak.items() if v[1:] != v[1:].lower()}, **strong}
        words = _join_possessives(title.split(), {**weak, **strong})
    else:
        casings = _names(text[:TEXT_CONTEXT_CHARS], [w.lower().strip(".,:;!?") for w in title.split()])
        words = title.split()
    out = []
    for i, word in enumerate(words):
        key = word.lower().strip(".,:;!?")
        cased = casings.get(key) if slug or word.islower() else None
        new = word.replace(word.strip(".,:;!?"), cased, 1) if cased else (word.lower() if slug else word)
        out.append(new[:1].upper() + new[1:] if i == 0 else new)
    return " ".join(out)


def _join_possessives(words: list[str], casings: dict[str, str]) -> list[str]:
    """A slug's lone "s" after a word the text writes with 's ("spacex s" → "spacexs", cased "SpaceX’s")."""
    out: list[str] = []
    for word in words:
        if word.lower() == "s" and out and (out[-1].lower() + "s") in casings:
            out[-1] = out[-1] + "s"
            continue
        out.append(word)
    return out


def headline_line(title: str, text: str) -> str | None:
    """The line near the top of the text that holds most of a slug's words: the headline the slug came from."""
    slug = [m.lower() for m in _WORD.findall(title)]
    if len(slug) < MIN_SLUG_WORDS:
        return None
    lines = [ln.strip(" \t•-–—|") for ln in text[:TEXT_CONTEXT_CHARS].splitlines() if ln.strip()]
    for line in lines[:HEADLINE_SCAN_LINES]:
        tokens = [m.lower() for m in _WORD.findall(line)]
        if not tokens or len(tokens) > 2 * len(slug) + 4:
            continue
        if not any(_same_word(slug[0], t) for t in tokens[:2]):     # a headline starts as its slug does
            continue
        held = sum(1 for w in slug if any(_same_word(w, t) for t in tokens))
        if held >= SLUG_LINE_COVERAGE * len(slug) and sum(1 for c in line if c.isupper()) > 0:
            return cap_title(line)
    return None


def _casings(text: str) -> tuple[dict[str, str], dict[str, str]]:
    """Each word's usual casing in the text: (from uses inside running sentences, from the other uses).

    Sentence-initial uses and title-cased lines (other headlines on the page) say
    little about a word's own casing. A word is also indexed without its
    apostrophe, as slugs write it ("russias" → "Russia’s").
    """
    inside: dict[str, Counter[str]] = {}
    weak: dict[str, Counter[str]] = {}
    for line in text.splitlines():
        title_cased = _is_title_cased(line)
        for match in _WORD.finditer(line):
            word = match.group(0)
            before = line[max(0, match.start() - 3):match.start()].strip()
            at_start = title_cased or not before or before[-1] in ".!?:\"“‘•|"
            for key in _keys(word):
                (weak if at_start else inside).setdefault(key, Counter())[word] += 1
    return ({k: c.most_common(1)[0][0] for k, c in inside.items()},
            {k: c.most_common(1)[0][0] for k, c in weak.items()})


def _is_title_cased(line: str) -> bool:
    """A line whose longer words mostly start with a capital: a headline, where casing is style, not spelling."""
    words = [w for w in _WORD.findall(line) if len(w) >= 4]
    return len(words) >= 3 and sum(1 for w in words if w[0].isupper()) >= 0.6 * len(words)


def url_slug_words(url: str | None) -> list[str]:
    """Content words of the URL path's most descriptive segment (the one with the most words)."""
    if not url:
        return []
    path = unquote(urlsplit(url if "//" in url else f"//{url}").path)
    segments = [re.split(r"[-_+.\s]+", s) for s in path.split("/") if s]
    best = max(segments, key=lambda parts: sum(1 for p in parts if p.isalpha()), default=[])
    return content_words(" ".join(p for p in best if p.isalpha() and p.lower() not in _FILE_SUFFIXES))


def is_banner(title: str, text: str, url: str | None = None, outlet: str | None = None) -> bool:
    """True when the title names the site rather than the article (see the module doc for the rules)."""
    words = content_words(title)
    if not words or (len(words) == 1 and len(words[0]) <= 3):
        return True                                      # "en", "News", "|": no headline
    if _is_site_name(words, url, outlet):
        return True
    body = text[:TEXT_CONTEXT_CHARS].lower()
    if shares_words(words, body):
        return False
    slug = [w for w in url_slug_words(url) if not w.isdigit()]
    # The URL names this article (its slug is about the text) while the title shares nothing with either.
    return len(slug) >= MIN_SLUG_WORDS and shares_words(slug, body) >= 2 \
        and not shares_words(words, " ".join(slug))


def strip_site_suffix(title: str, url: str | None = None, outlet: str | None = None) -> str:
    """Drop a trailing " - Site" / " | Site" part that names the site itself ("… - LEX18.com", "… | Dayton, OH")."""
    site = _site_key(url, outlet)
    for sep in (" - ", " | ", " :: ", " — ", " – "):
        head, _, tail = title.rpartition(sep)
        key = re.sub(r"[^a-z0-9]", "", tail.lower())
        if head and len(head.split()) >= 3 and len(key) >= 4 and any(
                len(s) >= 4 and (key in s or s in key) for s in site):
            return head.strip()
    return title


def _site_key(url: str | None, outlet: str | None) -> tuple[str, ...]:
    """The site's host label and outlet name, lower-case letters and digits only ("myjournalcourier")."""
    host = (urlsplit(url if url and "//" in url else f"//{url or ''}").hostname or "").lower()
    for prefix in ("www.", "m.", "amp.", "mobile."):
        host = host.removeprefix(prefix)
    label = host.rsplit(".", 1)[0] if "." in host else host
    return tuple(k for k in (re.sub(r"[^a-z0-9]", "", label), re.sub(r"[^a-z0-9]", "", (outlet or "").lower())) if k)


def _is_site_name(words: list[str], url: str | None, outlet: str | None) -> bool:
    """Every word of the title is part of the site's host or outlet name ("Journal Courier" on myjournalcourier.com)."""
    return any(len(s) >= 4 and all(w in s for w in words) for s in _site_key(url, outlet))


# A headline names one article; one title over this many *different* texts of one outlet is the
# site's name or a column header. Two is not enough: an updated story re-scraped keeps its headline.
SHARED_TITLE_MIN_ARTICLES = 3


def retitle_shared_banners(db: Any, min_articles: int = SHARED_TITLE_MIN_ARTICLES) -> int:
    """Give a headline from its own text to every stored article whose title heads other texts of its outlet.

    Runs after each ingest, over the whole store (a banner shows only across
    records); returns how many titles changed. Articles without an outlet are
    left alone: nothing says two of them come from one site.
    """
    from .metadata import headline_from_text

    changed = 0
    with db.transaction() as conn:
        shared = conn.execute(
            "SELECT outlet, title FROM articles WHERE outlet IS NOT NULL AND title IS NOT NULL"
            " GROUP BY outlet, title HAVING COUNT(DISTINCT content_hash) >= ?", (min_articles,)).fetchall()
        for outlet, title in shared:
            rows = conn.execute("SELECT id, text FROM articles WHERE outlet = ? AND title = ?",
                                (outlet, title)).fetchall()
            for article_id, text in rows:
                headline = cap_title(headline_from_text(text))
                if headline and headline != title:
                    conn.execute("UPDATE articles SET title = ? WHERE id = ?", (headline, article_id))
                    changed += 1
    return changed


__all__ = ["TITLE_MAX_CHARS", "cap_title", "is_banner", "is_slug_like", "recase_title", "retitle_shared_banners",
           "strip_site_suffix"]
