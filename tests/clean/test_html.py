"""HTML main-text extraction: metadata from a small page built here, and the
article-extraction-benchmark quality floor (token F1 >= 0.95) on ../shared/data/aeb."""
from __future__ import annotations

import importlib.util
from pathlib import Path


import pytest

from tests.conftest import shared_data

from storyline.clean.html import ExtractedPage, extract_html, strip_site_name

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = ROOT / "benchmarks"
AEB_F1_FLOOR = 0.95        # issue 2 acceptance; measured 0.961 with line cleaning (BENCHMARKS.md)

PARAGRAPHS = [
    "The city council voted on Tuesday to close the old harbour bridge to cars from next spring.",
    "Engineers had warned for years that the steel beams under the bridge were corroding faster than expected.",
    "\u201cWe cannot wait for it to fail,\u201d the mayor told reporters after the vote.",
    "Cyclists and pedestrians will still be allowed to cross until the repairs begin in the autumn.",
]
PAGE = f"""<!doctype html>
<html lang="en-GB"><head>
<title>Council closes harbour bridge to cars | The Harbour Gazette</title>
<meta property="og:site_name" content="The Harbour Gazette">
<meta property="article:published_time" content="2024-03-05T09:30:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Council closes harbour bridge to cars</h1>
{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}
<p>Read more: Harbour festival returns after three years</p>
</article>
<footer><p>Copyright 2024 The Harbour Gazette. All rights reserved.</p></footer>
</body></html>"""



def load_aeb_scorer():
    """benchmarks/aeb.py as a module (the benchmark is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("aeb", BENCHMARKS / "aeb.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_extract_html_metadata_and_text() -> None:
    page = extract_html(PAGE, url="https://www.harbourgazette.example/news/2024/03/05/bridge")
    assert page.title == "Council closes harbour bridge to cars"
    assert page.date == "2024-03-05"
    assert page.outlet == "The Harbour Gazette"
    assert page.language == "en"
    assert page.text.split("\n\n") == PARAGRAPHS


def test_extract_html_outlet_falls_back_to_domain() -> None:
    page = extract_html(PAGE.replace('<meta property="og:site_name" content="The Harbour Gazette">', ""),
                        url="https://www.harbourgazette.example/news/bridge")
    assert page.outlet == "harbourgazette.example"


def test_extract_html_without_body_gives_empty_text() -> None:
    assert extract_html("<html><head><title>x</title></head><body></body></html>").text == ""
    assert extract_html("") == ExtractedPage(text="")


@pytest.mark.shared
@pytest.mark.slow
def test_aeb_token_f1_floor() -> None:
    data = shared_data("aeb")
    score = load_aeb_scorer().score_ours(data)
    assert score["pages"] == 181
    assert score["f1"] >= AEB_F1_FLOOR, score


def test_site_name_is_stripped_from_page_titles_only() -> None:
    assert strip_site_name("Council closes bridge | The Harbour Gazette", None,
                           "https://www.harbourgazette.example/x") == "Council closes bridge"
    assert strip_site_name("BBC News - Shanghai closes poultry markets", "BBC News", None) == \
        "Shanghai closes poultry markets"
    assert strip_site_name("Rates rise - and so do rents", "Daily Planet", None) == "Rates rise - and so do rents"


def test_h1_echoed_by_page_title_wins_over_social_title() -> None:
    page = PAGE.replace('<meta property="og:site_name" content="The Harbour Gazette">',
                        '<meta property="og:title" content="Cars banned from harbour bridge">')
    assert extract_html(page).title == "Council closes harbour bridge to cars"
