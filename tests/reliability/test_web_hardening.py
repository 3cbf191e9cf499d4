"""The web app under hostile requests: foreign Host headers, extreme numbers, ids with any characters.

Items 8, 9, 13 and 14 of issue 14; every response, errors included, carries the security headers.
"""
from __future__ import annotations

import datetime as dt
import re
import socket
from pathlib import Path
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest

from storyline.records import Article
from storyline.store import Database, write_batch
from storyline.web import create_app
from storyline.web.app import CSP

from tests.helpers import LiveServer

from .conftest import assert_one_line_error, run_cli

SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}

ODD_IDS = {"article": "feeds/2024/a?b#c%20d", "event": "ev/1", "story": "st/ory/../x", "entity": "ent/ity"}
EXTREMES = ["9223372036854775807", "9223372036854775808", "-9223372036854775809", str(10 ** 40), "0", "-1",
            "1e400", "nan"]


@pytest.fixture(scope="module")
def odd_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Articles, an event, a story and an entity whose ids hold '/', '?', '#', '%' and '..'."""
    path = tmp_path_factory.mktemp("odd") / "odd.db"
    db = Database(path)
    arts = [Article(id=ODD_IDS["article"], title="Harbour bridge opens", text="The harbour bridge opened. " * 8,
                    date=dt.date(2024, 1, 2), outlet="Gazette", content_hash="h1"),
            Article(id="plain", title="Harbour tolls", text="Tolls on the harbour bridge. " * 8,
                    date=dt.date(2024, 1, 3), outlet="Courier", content_hash="h2")]
    write_batch(db, arts, [], None)
    with db.transaction() as conn:
        conn.execute("INSERT INTO stories(id, title, start, end, n_events) VALUES (?, 'Harbour', '2024-01-02',"
                     " '2024-01-03', 1)", (ODD_IDS["story"],))
        conn.execute("INSERT INTO events(id, title, date, n_articles, n_outlets, story_id, first_seq)"
                     " VALUES (?, 'Bridge opens', '2024-01-02', 2, 2, ?, 1)", (ODD_IDS["event"], ODD_IDS["story"]))
        conn.execute("UPDATE articles SET event_id = ?, story_id = ?", (ODD_IDS["event"], ODD_IDS["story"]))
        conn.execute("INSERT INTO entities(id, name, type, mentions) VALUES (?, 'Harbour Board', 'ORG', 1)",
                     (ODD_IDS["entity"],))
        conn.execute("INSERT INTO mentions(article_id, entity_id, start, end, text, label) VALUES (?, ?, 4, 11,"
                     " 'harbour', 'ORG')", (ODD_IDS["article"], ODD_IDS["entity"]))
    db.close()
    return path


@pytest.fixture(scope="module")
def client(odd_db: Path) -> Iterator[httpx.Client]:
    """The app behind a real uvicorn, as a browser reaches it."""
    with LiveServer(create_app(odd_db)) as server, httpx.Client(base_url=server.url, timeout=30) as http:
        yield http


def assert_headers(response: object) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (name, response.status_code)  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", ["article", "event", "story", "entity"])
def test_ids_with_any_characters_route(client: httpx.Client, kind: str) -> None:
    """Item 9: an id with '/' (and '?', '#', '%', '..') opens in the page and in its API twin."""
    plural = {"story": "stories", "entity": "entities"}.get(kind, kind + "s")
    encoded = quote(ODD_IDS[kind], safe="")
    for prefix in ("", "/api"):
        response = client.get(f"{prefix}/{plural}/{encoded}")
        assert response.status_code == 200, (prefix, kind, response.status_code)
        assert_headers(response)
    assert client.get(f"/api/{plural}/{encoded}").json()["id"] == ODD_IDS[kind]


def test_search_results_link_to_odd_ids(client: httpx.Client) -> None:
    """Item 9: the links the app makes itself (search results) open the article."""
    html = client.get("/search", params={"q": "harbour"}).text
    links = set(re.findall(r'href="(/articles/[^"]+)"', html))
    assert f"/articles/{quote(ODD_IDS['article'], safe='')}" in links
    for link in links:
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link


def numeric_query_params(odd_db: Path) -> set[tuple[str, str]]:
    """(path, query parameter) of every GET route, page or API, whose parameter is a number."""
    from fastapi.routing import APIRoute

    found = set()
    for route in create_app(odd_db).routes:
        if not isinstance(route, APIRoute) or "GET" not in route.methods or "{" in route.path:
            continue
        for param in route.dependant.query_params:
            if param.field_info.annotation in (int, float):
                found.add((route.path, param.alias))
    return found


def test_extreme_numbers_are_4xx_with_headers(client: httpx.Client, odd_db: Path) -> None:
    """Item 8: every numeric query parameter of every route, at extremes: 4xx (never 500), headers set."""
    routes = numeric_query_params(odd_db)
    assert {("/api/stories", "page"), ("/", "page")} <= routes
    for path, name in sorted(routes):
        for value in EXTREMES:
            response = client.get(path, params={name: value})
            assert response.status_code < 500, (path, name, value, response.status_code)
            assert_headers(response)
            if value in ("9223372036854775807", str(10 ** 40), "nan"):
                assert 400 <= response.status_code < 500, (path, name, value)


def test_foreign_host_is_refused(client: httpx.Client, odd_db: Path) -> None:
    """Item 14: a request naming another host (DNS rebinding) gets 400, with the headers."""
    from storyline.web.app import allowed_hosts

    for host in ("evil.example", "evil.example:8000", "127.0.0.1.evil.example", "localhost.evil.example"):
        response = client.get("/api/stories", headers={"Host": host})
        assert response.status_code == 400, host
        assert_headers(response)
    for host in ("localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000"):
        assert client.get("/api/stories", headers={"Host": host}).status_code == 200, host
    with LiveServer(create_app(odd_db, hosts=allowed_hosts("0.0.0.0", ["news.lan"]))) as lan:
        assert httpx.get(lan.url + "/api/stories", headers={"Host": "news.lan:8000"}).status_code == 200
        assert httpx.get(lan.url + "/api/stories", headers={"Host": "evil.example"}).status_code == 400


def test_headers_on_errors(client: httpx.Client, odd_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """404, 422 and an unexpected 500 all carry the security headers."""
    for path, status in (("/articles/nope", 404), ("/api/articles/nope", 404), ("/no/such/page", 404),
                         ("/api/stories?page=abc", 422), ("/?sort=evil", 422)):
        response = client.get(path)
        assert response.status_code == status, path
        assert_headers(response)
    from storyline.web import app as web_app

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(web_app.queries, "list_stories", broken)    # whatever module the routes call
    response = client.get("/api/stories")
    assert response.status_code == 500 and "a bug" not in response.text
    assert_headers(response)


def test_serve_on_busy_port(odd_db: Path) -> None:
    """Item 13: a port in use is one line and exit 1, before any "serving on"."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen(1)
        port = holder.getsockname()[1]
        result = run_cli("--db", str(odd_db), "serve", "--port", str(port), timeout=60)
    assert "serving on" not in result.stderr
    assert_one_line_error(result, str(port), "in use")
