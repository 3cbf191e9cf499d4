"""A story's key dates (the summarised timeline) on its page and in the report, each sentence linked to its source."""
from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient


def test_story_page_and_report_show_key_dates(seeds_db: Path, tmp_path: Path) -> None:
    import storyline
    from storyline.report import write_report
    from storyline.web.app import create_app

    sl = storyline.open(seeds_db, readonly=True)
    story = sl.db.scalar("SELECT id FROM stories LIMIT 1")
    cited = {r[0] for r in sl.db.query("SELECT id FROM articles")}
    client = TestClient(create_app(seeds_db), base_url="http://localhost")
    html = client.get(f"/stories/{story}").text
    assert 'id="key-dates"' in html and "Key dates" in html
    assert any(f'href="/articles/{a}">[source]' in html for a in cited)
    size = write_report(sl.db, tmp_path / "report.html")
    report = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert size > 0 and "Key dates" in report and any(f'href="#article-{a}">[source]' in report for a in cited)
    sl.close()
