"""Acceptance walk in a real chromium: stories → story timeline → event → citation → article → search.

Every page is screenshotted under ``test-output/web/``; every page (and the
report) is also visited with a hostile article in the DB, and no script may run.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PIPELINE_SEEDS = ("002", "003")     # the seeds that mention the pipeline (by file-name prefix)


def _no_script_ran(page) -> None:
    assert page.evaluate("typeof window.__xss") == "undefined", "an injected script ran"
    assert page.dialogs == [], f"a dialog fired: {page.dialogs}"


def _shot(page, output_dir: Path, name: str) -> None:
    page.screenshot(path=str(output_dir / f"{name}.png"), full_page=True)


def test_walk_on_the_real_seeds_build(page, built_server, output_dir: Path) -> None:
    """The acceptance walk on the seeds ingested and built by the real pipeline."""
    _walk(page, built_server.url, output_dir / "built")


def test_walk_on_direct_rows(page, live_server, output_dir: Path) -> None:
    """The same walk on directly written rows (every table filled, plus a hostile article)."""
    _walk(page, live_server.url, output_dir)


def _walk(page, base: str, output_dir: Path) -> None:
    output_dir.mkdir(parents=True, exist_ok=True)
    page.goto(base + "/")
    _shot(page, output_dir, "1-stories")
    seeds_story = page.locator("article.story").filter(
        has_text=re.compile("Lavrov|Russia|Pakistan|Qureshi|Bilawal", re.I))
    seeds_story.first.locator("h3 a").click()
    page.wait_for_url(re.compile(r"/stories/"))
    _shot(page, output_dir, "2-story")

    dots = page.locator("svg.timeline a.event")
    dates = [dots.nth(i).get_attribute("data-date") for i in range(dots.count())]
    assert dates == ["2021-04-07", "2023-05-04"]
    xs = [float(dots.nth(i).locator("circle").get_attribute("cx")) for i in range(dots.count())]
    assert xs[0] < xs[1], "events are placed left to right in date order"
    items = page.locator("ol.events-list li.event-item .when").all_inner_texts()
    assert items == ["7 Apr 2021", "4 May 2023"]

    dots.first.click()
    page.wait_for_url(re.compile(r"/events/"))
    _shot(page, output_dir, "3-event-2021")
    assert "7 Apr 2021" in page.locator(".meta .when").inner_text()
    assert page.locator("#sources li.source").count() == 4
    citations = page.locator("#summary a.cite")
    assert citations.count() >= 1
    assert page.locator("#summary p").count() >= 1

    citations.first.click()
    page.wait_for_url(re.compile(r"/articles/"))
    _shot(page, output_dir, "4-article")
    assert page.locator(".article-text p").count() >= 2

    page.fill("header input[type=search]", "pipeline")
    page.press("header input[type=search]", "Enter")
    page.wait_for_url(re.compile(r"/search\?q=pipeline"))
    _shot(page, output_dir, "5-search")
    page.locator("article.result h3 a").first.click()
    page.wait_for_url(re.compile(r"/articles/"))
    article_id = page.locator(".article-text").get_attribute("data-article-id")
    assert article_id.startswith(PIPELINE_SEEDS), article_id
    assert "pipeline" in page.locator(".article-text").inner_text().lower()
    _shot(page, output_dir, "6-search-hit")
    _no_script_ran(page)


def test_entity_page_from_an_article(page, live_server, output_dir: Path) -> None:
    page.goto(live_server.url + "/")
    page.locator("article.story h3 a").first.click()
    pills = page.locator("a.pill[href^='/entities/']")
    if pills.count() == 0:
        pytest.skip("the understanding stage produced no entities for this story")
    pills.first.click()
    page.wait_for_url(re.compile(r"/entities/"))
    _shot(page, output_dir, "7-entity")
    assert page.locator("h1").inner_text().strip()


def test_hostile_article_is_inert_everywhere(page, live_server, hostile_db, output_dir: Path) -> None:
    ids = hostile_db[1]
    paths = ["/", f"/stories/{ids['story']}", f"/events/{ids['event']}", f"/entities/{ids['entity']}",
             f"/articles/{ids['article']}", "/search?q=hostile", "/search?q=%3Cscript%3E",
             f"/search?entity={ids['entity']}", f"/api/articles/{ids['article']}"]
    for path in paths:
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        _no_script_ran(page)
        live_js = page.locator("a[href^='javascript:' i], [onerror], [onload], iframe, script:not([src])")
        assert live_js.count() == 0, f"live payload element on {path}"
    page.goto(live_server.url + f"/articles/{ids['article']}")
    assert "<script>" in page.locator("h1").inner_text(), "the payload shows as text"
    _shot(page, output_dir, "8-hostile-article")


def test_report_opens_offline_and_shows_the_timeline(browser, hostile_db, tmp_path: Path, output_dir: Path) -> None:
    _check_report(browser, hostile_db[0], tmp_path / "report.html", output_dir / "9-report.png")


def test_report_of_the_real_seeds_build(browser, seeds_db: Path, tmp_path: Path, output_dir: Path) -> None:
    _check_report(browser, seeds_db, tmp_path / "report.html", output_dir / "built" / "9-report.png")


def _check_report(browser, db: Path, out: Path, shot: Path) -> None:
    """One file under 2 MB; opens from disk with no request but itself; the 2021 → 2023 timeline; nothing runs."""
    subprocess.run([sys.executable, "-m", "storyline.cli.main", "--db", str(db), "report", "-o", str(out)],
                   check=True, capture_output=True, timeout=120)
    assert out.stat().st_size < 2 * 1024 * 1024
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests, dialogs = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(out.as_uri())
    page.wait_for_load_state("load")
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot), full_page=False)
    assert requests == [out.as_uri()], requests
    assert page.evaluate("typeof window.__xss") == "undefined" and dialogs == []
    timelines = page.locator("svg.timeline")
    all_dates = [timelines.nth(i).locator("a.event").evaluate_all("els => els.map(e => e.dataset.date)")
                 for i in range(timelines.count())]
    assert ["2021-04-07", "2023-05-04"] in all_dates, all_dates
    page.locator("a.event[data-date='2021-04-07']").first.click()
    assert page.locator("section.report-event:target li.source").count() == 4
    context.close()
