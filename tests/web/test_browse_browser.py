"""Browse and search in a real chromium: the index pages, a speaker's quotes, paging past 50, a 375 px phone.

Screenshots go under ``test-output/web/browse/``.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 375, "height": 812}


def _shot(page, output_dir: Path, name: str) -> None:
    (output_dir / "browse").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(output_dir / "browse" / f"{name}.png"), full_page=True)


def test_index_pages(page, many_server, many_db, output_dir: Path) -> None:
    n = many_db[1]
    base = many_server.url
    page.goto(base + "/entities")
    assert page.locator("li.entity-item").count() == 50
    assert page.locator("#total").inner_text().startswith(f"{n['entities'] + 1} entities")
    _shot(page, output_dir, "entities")
    page.locator("li.entity-item a.pill").first.click()
    page.wait_for_url(re.compile(r"/entities/"))
    page.goto(base + "/events")
    assert page.locator("li.event-item").count() == 42 and "42 events" in page.locator("#total").inner_text()
    _shot(page, output_dir, "events")
    page.goto(base + "/quotes")
    assert page.locator("blockquote.quote-item").count() == 50
    _shot(page, output_dir, "quotes")
    page.goto(base + "/outlets")
    row = page.locator("tr.outlet-item[data-outlet='Wire D']")
    assert row.locator("td").nth(3).inner_text().strip() == str(n["blindspots_d"] + 1)
    _shot(page, output_dir, "outlets")
    row.locator("td a").first.click()
    page.wait_for_url(re.compile(r"/outlets/Wire"))
    assert page.locator("li.event-item").count() == n["blindspots_d"] + 1
    _shot(page, output_dir, "outlet-blindspots")


def test_search_for_a_speaker_finds_quotes_and_pages_past_50(page, many_server, many_db, output_dir: Path) -> None:
    page.goto(many_server.url + "/")
    page.fill("header input[type=search]", "Lavrov")
    page.press("header input[type=search]", "Enter")
    page.wait_for_url(re.compile(r"/search\?q=Lavrov"))
    _shot(page, output_dir, "search-lavrov")
    assert page.locator("#quotes blockquote.quote-item").count() > 0
    assert "Lavrov" in page.locator("#quotes blockquote.quote-item").first.inner_text()
    heading = page.locator("#articles h2").inner_text()
    total = int(re.match(r"(\d+) articles", heading).group(1))
    assert total > 50 and page.locator("article.result").count() == 50
    first_page = set(page.locator("article.result").evaluate_all("els => els.map(e => e.dataset.articleId)"))
    page.locator("#articles a[rel=next]").click()
    page.wait_for_url(re.compile(r"page=2"))
    second_page = set(page.locator("article.result").evaluate_all("els => els.map(e => e.dataset.articleId)"))
    assert len(second_page) == min(50, total - 50) and not first_page & second_page
    _shot(page, output_dir, "search-page-2")
    page.goto(many_server.url + "/search?q=Lavrov")
    page.locator("#quotes a.more").click()
    page.wait_for_url(re.compile(r"kind=quotes"))
    assert page.locator("blockquote.quote-item").count() == 50 and page.locator("a[rel=next]").count() == 1


@pytest.mark.parametrize("path", ["/", "/search?q=Lavrov", "/entities", "/quotes", "/outlets", "/events",
                                  "/events/e2021", "/stories/s1"])
def test_phone_width_has_no_horizontal_scroll(browser, many_server, output_dir: Path, path: str) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(many_server.url + path)
    page.wait_for_load_state("load")
    name = "375-" + (re.sub(r"\W+", "-", path).strip("-") or "home")
    _shot(page, output_dir, name)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    box = page.locator("header input[type=search]").bounding_box()
    context.close()
    assert width <= PHONE["width"], f"{path}: {width} px wide at 375"
    assert box and box["x"] + box["width"] <= PHONE["width"], "the header search box runs off the edge"
