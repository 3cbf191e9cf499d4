"""Hostile input never runs, never breaks search, never escapes the app; unknown ids are 404."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storyline.web import create_app
from storyline.views.pages import fts_query, safe_href

HOSTILE_QUERIES = ["' OR 1=1 --", '"unbalanced', "NEAR(", "NEAR(a b", "title:x", "a AND OR NOT", "*", "^foo",
                   "'; DROP TABLE articles; --", "\x00", "()", '"""', "pipeline OR", "-pipeline", "日本 語",
                   "x" * 5000]


@pytest.fixture(scope="module")
def client(hostile_db: tuple[Path, dict[str, str]]) -> TestClient:
    return TestClient(create_app(hostile_db[0]), base_url="http://localhost")


@pytest.mark.parametrize("q", HOSTILE_QUERIES)
def test_search_syntax_never_errors(client: TestClient, q: str) -> None:
    for path in ("/search", "/api/search"):
        response = client.get(path, params={"q": q, "from": "not-a-date", "to": "2099-13-45"})
        assert response.status_code == 200, (path, q)
    assert isinstance(client.get("/api/search", params={"q": q}).json()["results"], list)


def test_search_still_finds_words_inside_syntax(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": 'NEAR("pipeline'}).json()["results"]
    assert hits and all("pipeline" in "".join(s["text"] for s in h["snippet"]).lower() for h in hits)


def test_fts_query_quotes_every_token() -> None:
    assert fts_query("' OR 1=1 --") == '"OR" "1" "1"'
    assert fts_query('"unbalanced') == '"unbalanced"'
    assert fts_query("NEAR(") == '"NEAR"'
    assert fts_query("  --  ") is None


@pytest.mark.parametrize("kind", ["stories", "events", "entities", "articles"])
def test_unknown_ids_are_404(client: TestClient, kind: str) -> None:
    for path in (f"/{kind}/no-such-id", f"/api/{kind}/no-such-id", f"/{kind}/%3Cscript%3E"):
        response = client.get(path)
        assert response.status_code == 404, path
    assert "<script>" not in client.get(f"/{kind}/%3Cscript%3Ealert(1)").text


@pytest.mark.parametrize("path", ["/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                                  "/static/..%2f..%2f..%2fetc%2fpasswd", "/static/..%2fapp.py", "/static/%2e%2e/app.py",
                                  "/static//etc/passwd", "/..%2f..%2fetc/passwd", "/articles/..%2f..%2fetc%2fpasswd",
                                  "/static/../web/app.py"])
def test_paths_cannot_escape_the_app(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404, path
    assert "root:" not in response.text and "create_app" not in response.text


def test_static_files_are_served(client: TestClient) -> None:
    response = client.get("/static/style.css")
    assert response.status_code == 200 and "font-family" in response.text


def test_hostile_fields_are_escaped_in_every_page(client: TestClient, hostile_db: tuple[Path, dict[str, str]]) -> None:
    ids = hostile_db[1]
    for path in ("/", f"/stories/{ids['story']}", f"/events/{ids['event']}", f"/entities/{ids['entity']}",
                 f"/articles/{ids['article']}", "/search?q=hostile", f"/search?entity={ids['entity']}"):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.text
        assert "<script>window" not in html and "<img src=x" not in html and "<svg onload" not in html, path
        assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", html, re.I), path
        assert "&lt;script&gt;" in html, f"{path} shows the payload as text"
        assert "Content-Security-Policy" in response.headers and "script-src 'self'" in response.headers[
            "Content-Security-Policy"]


def test_safe_href_keeps_only_http() -> None:
    assert safe_href("https://a.example/x") == "https://a.example/x"
    for bad in ("javascript:alert(1)", " JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "data:text/html,x",
                "vbscript:x", "//evil.example", "/relative"):
        assert safe_href(bad) is None, bad


def test_api_is_documented(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/stories", "/api/stories/{story_id}", "/api/events/{event_id}", "/api/entities/{entity_id}",
                 "/api/articles/{article_id}", "/api/search"):
        assert path in paths


def test_app_never_writes(hostile_db: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    import shutil
    import sqlite3

    db = tmp_path / "ro.db"
    shutil.copy(hostile_db[0], db)
    before = db.read_bytes()
    client = TestClient(create_app(db), base_url="http://localhost")
    for path in ("/", "/search?q=pipeline", "/api/stories"):
        assert client.get(path).status_code == 200
    assert db.read_bytes() == before
    from storyline.store import Database

    ro = Database(db, readonly=True)
    with pytest.raises(sqlite3.OperationalError):
        ro.conn.execute("DELETE FROM articles")
    ro.close()


def test_serve_binds_localhost_by_default() -> None:
    from storyline.cli.web import serve

    host = next(p for p in serve.params if p.name == "host")
    assert host.default == "127.0.0.1"


def test_api_docs_page_is_local(client: TestClient) -> None:
    """/docs lists the API without Swagger's CDN assets."""
    html = client.get("/docs").text
    assert "/api/events/{event_id}" in html and "cdn" not in html.lower()
    assert client.get("/redoc").status_code == 404


def test_serve_command_answers(hostile_db: tuple[Path, dict[str, str]]) -> None:
    """``storyline serve`` through the real CLI: binds the port asked for and serves the stories page."""
    import subprocess
    import sys
    import time

    import httpx

    from tests.helpers import free_port

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "storyline.cli.main", "--db", str(hostile_db[0]), "serve",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline, status = time.monotonic() + 30, None
        while time.monotonic() < deadline and status is None:
            try:
                status = httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code
            except httpx.TransportError:
                time.sleep(0.2)
        assert status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_missing_db_is_one_line_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "storyline.cli.main", "--db", str(tmp_path / "none.db"), "serve"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and result.stderr.startswith("error:") and "Traceback" not in result.stderr


def test_search_filters(client: TestClient) -> None:
    """Entity (by id or name), outlet and date range narrow the results; filters alone list articles."""
    everything = client.get("/api/search", params={"q": "Lavrov"}).json()["results"]
    by_name = client.get("/api/search", params={"q": "Lavrov", "entity": "sergey lavrov"}).json()["results"]
    assert everything and by_name and {r["id"] for r in by_name} <= {r["id"] for r in everything}
    in_2023 = client.get("/api/search", params={"q": "Lavrov", "from": "2023-01-01", "to": "2023-12-31"}).json()
    assert in_2023["results"] and all(r["date"].startswith("2023") for r in in_2023["results"])
    outlet = everything[0]["outlet"]
    if outlet:
        only = client.get("/api/search", params={"outlet": outlet}).json()["results"]
        assert only and all(r["outlet"] == outlet for r in only)
