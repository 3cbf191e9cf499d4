"""Main-text extraction from raw HTML: trafilatura for the text, htmldate for the date.

The page is parsed once; the date, title, outlet and language are read from
that tree, and trafilatura extracts the main text from it.  The extracted
text then goes through the same line cleaning as already-extracted text
(:func:`storyline.clean.boilerplate.clean_text`), without headline detection
since the HTML gives the title.

Options (measured on the article-extraction benchmark, ``benchmarks/aeb.py``,
181 pages, trafilatura 2.3.1):
``fast=True`` skips trafilatura's second-opinion extractors (readability,
jusText), about halving the time per page at no loss of F1 there (0.953 →
0.955); ``include_comments=False`` because reader comments are not the
article (→ 0.962); ``favor_recall=True`` because our line cleaner removes
line-level noise afterwards, so the extractor should rather keep too much
than too little (F1 0.963 → 0.964 after cleaning, and ~10% faster: it skips
a pruning pass).  ``favor_precision`` lowered F1 with ``fast`` (0.944).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict
from urllib.parse import urlsplit

from .boilerplate import clean_text, normalize_line

if TYPE_CHECKING:
    from lxml.html import HtmlElement

LOGGER = logging.getLogger(__name__)
TITLE_SEPARATORS = re.compile(r"\s+[|–—·•-]\s+")   # "Headline | Site" (not ":", headlines use it)
LANG_RE = re.compile(r"^[A-Za-z]{2,3}(?=$|[-_])")
# py3langid's answer on 600 characters equals its answer on the whole text on all 181
# AEB pages; more text only costs time (the classifier is linear in its input).
LANGUAGE_SAMPLE_CHARS = 600


class ExtractOptions(TypedDict):
    """The trafilatura.extract keywords storyline sets (typed so each reaches its own parameter)."""

    fast: bool
    include_comments: bool
    favor_recall: bool


EXTRACT_OPTIONS: ExtractOptions = {"fast": True, "include_comments": False, "favor_recall": True}


@dataclass
class ExtractedPage:
    """What one HTML page yields: main text and its metadata."""

    text: str
    title: str | None = None
    date: str | None = None          # ISO YYYY-MM-DD
    outlet: str | None = None        # site name, else the domain
    language: str | None = None      # ISO 639-1 code
    url: str | None = None


def parse_html(html: str | bytes) -> HtmlElement | None:
    """Parse once with trafilatura's tolerant loader (handles encodings and broken markup)."""
    from trafilatura.utils import load_html
    return load_html(html)


def first_meta(tree: HtmlElement, *keys: str) -> str | None:
    """Content of the first non-empty <meta> whose property or name is one of ``keys``."""
    for key in keys:
        for node in tree.xpath(f'//meta[@property="{key}" or @name="{key}"]'):
            content = (node.get("content") or "").strip()
            if content:
                return content
    return None


def find_html_title(tree: HtmlElement, outlet: str | None = None, url: str | None = None) -> str | None:
    """Headline: the <h1> that the page's og:/<title> also names, else og:title, else <h1>, else <title>.

    Sites give og:title a social-media variant and append their name to
    <title>; the <h1> echoed by either is the headline printed on the page.
    """
    meta = first_meta(tree, "og:title", "twitter:title")
    node = tree.find(".//title")
    page_title = " ".join(node.text_content().split()) if node is not None else ""
    h1s = [t for t in (" ".join(h.text_content().split()) for h in tree.iter("h1")) if len(t.split()) >= 2][:5]
    echoes = normalize_line(f"{meta or ''} | {page_title}")
    for h1 in h1s:
        if normalize_line(h1) in echoes:
            return h1
    if meta:
        return strip_site_name(" ".join(meta.split()), outlet, url)
    if h1s:
        return h1s[0]
    return strip_site_name(page_title, outlet, url) or None


def strip_site_name(title: str, outlet: str | None, url: str | None) -> str:
    """Drop a leading/trailing "| Site" part that names the outlet or the domain."""
    host = (urlsplit(url or "").hostname or "").lower()
    names = {normalize_line(outlet or "")} | {normalize_line(label) for label in host.split(".")}
    names.discard("")

    def is_site(part: str) -> bool:
        key = normalize_line(part)
        squashed = key.removeprefix("the ").replace(" ", "")      # "The Harbour Gazette" ~ harbourgazette.com
        return bool(key) and (key in names or squashed in host.replace(".", ""))

    while True:
        seps = list(TITLE_SEPARATORS.finditer(title))
        if seps and is_site(title[seps[-1].end():]):
            title = title[:seps[-1].start()]
        elif seps and is_site(title[:seps[0].start()]):
            title = title[seps[0].end():]
        else:
            return title


def find_html_date(tree: HtmlElement, url: str | None) -> str | None:
    """Publication date from markup and URL (htmldate without its slow extensive search)."""
    import htmldate
    try:
        return htmldate.find_date(tree, url=url, extensive_search=False, original_date=True,
                                  outputformat="%Y-%m-%d")
    except (ValueError, TypeError) as exc:      # malformed markup dates: no date, not a failure
        LOGGER.debug("no date for %s: %s", url, exc)
        return None


def find_outlet(tree: HtmlElement, url: str | None) -> str | None:
    """Site name from og:site_name / application-name, else the page's domain."""
    name = first_meta(tree, "og:site_name", "application-name")
    if name:
        return " ".join(name.split())
    page_url = url or first_meta(tree, "og:url")
    if not page_url:
        return None
    host = urlsplit(page_url).hostname or ""
    return host.removeprefix("www.") or None


def find_html_language(tree: HtmlElement, text: str) -> str | None:
    """Declared <html lang>, else an offline guess (py3langid) from the extracted text."""
    declared = tree.get("lang") or first_meta(tree, "og:locale", "language", "content-language")
    match = LANG_RE.match(declared.strip()) if declared else None
    if match:
        return match.group(0).lower()
    if len(text) < 40:
        return None
    import py3langid
    language, _score = py3langid.classify(text[:LANGUAGE_SAMPLE_CHARS])
    return str(language)


def extract_main_text(tree: HtmlElement, url: str | None) -> str:
    """Main text with trafilatura (options above); one paragraph per line."""
    import trafilatura
    return trafilatura.extract(tree, url=url, **EXTRACT_OPTIONS) or ""


def drop_leading_title(text: str, title: str | None) -> str:
    """Remove the headline when the extractor kept it as the first line: the title is held apart."""
    if not title:
        return text
    first, _, rest = text.partition("\n")
    return rest.lstrip("\n") if normalize_line(first) == normalize_line(title) else text


def extract_html(html: str | bytes, url: str | None = None, clean: bool = True) -> ExtractedPage:
    """Extract the main text and metadata of one HTML page; ``clean=False`` skips line cleaning."""
    tree = parse_html(html)
    if tree is None:
        return ExtractedPage(text="", url=url)
    if url is None:
        url = first_meta(tree, "og:url")
    date = find_html_date(tree, url)
    outlet = find_outlet(tree, url)
    title = find_html_title(tree, outlet, url)
    text = drop_leading_title(extract_main_text(tree, url), title)
    if clean and text:
        text = clean_text(text, outlet, find_headline=False).text
    return ExtractedPage(text=text, title=title, date=date, outlet=outlet,
                         language=find_html_language(tree, text), url=url)
