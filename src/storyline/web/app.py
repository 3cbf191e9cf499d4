"""The local web app: server-rendered pages and a JSON twin of each under ``/api``.

Routes are thin: each opens the database read-only for the request, calls
one function of :mod:`storyline.views.pages` and renders a template (or
returns the same dict as JSON). Nothing here writes; WAL lets the app read
while ``storyline ingest`` or ``build`` writes.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any
from collections.abc import Iterator, Sequence

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import NotFoundError, StoreError
from ..store import Database
from ..summarize.timeline import story_key_dates
from ..views import browse
from ..views import pages as queries
from . import charts
from .render import make_environment

STATIC_DIR = Path(__file__).parent / "static"

# Scripts only from the app itself (there are none inline); nothing external, ever.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}
# Host headers answered by default: this machine's names. Any other name reaching the app is a page
# elsewhere rebinding its DNS to 127.0.0.1 (DNS rebinding), so it gets 400.
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "[::1]")
# The largest page number accepted: pages past the last are empty, and bigger numbers would overflow
# SQLite's 64-bit OFFSET (an OverflowError, answered 500 before this bound).
MAX_PAGE = 1_000_000

log = logging.getLogger(__name__)


class SecurityHeaders:
    """Pure ASGI middleware, outermost: the security headers on every response, errors included.

    Starlette answers an unhandled exception from its outermost ServerErrorMiddleware,
    past any ``@app.middleware``; this wrapper answers it itself (500, headers set)
    so no response ever leaves without them.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if started:
                raise
            log.exception("error answering %s", scope.get("path"))
            await PlainTextResponse("Internal Server Error", status_code=500)(scope, receive, send_with_headers)


def allowed_hosts(bound: str | None = None, extra: Sequence[str] = ()) -> list[str]:
    """Host header values the app answers: this machine's names, the bound host, and ``extra``."""
    hosts = list(LOCAL_HOSTS)
    for host in ([bound] if bound else []) + list(extra):
        host = host.strip().lower()
        hosts += [host, f"[{host}]"] if ":" in host and not host.startswith("[") else [host]
    return list(dict.fromkeys(h for h in hosts if h))


def create_app(db_path: str | os.PathLike[str], hosts: Sequence[str] | None = None) -> FastAPI:
    """A FastAPI app serving the storyline DB at ``db_path`` read-only, to the Host names in ``hosts``.

    ``hosts`` defaults to :func:`allowed_hosts` (this machine's names); ``serve``
    adds the host it binds and those given with ``--allow-host``.
    """
    db_file = str(db_path)
    Database(db_file, readonly=True).close()      # fail now, with a clear StoreError, if it is missing
    # Swagger UI and ReDoc load their assets from a CDN; the app serves nothing external, so /docs is
    # its own page rendered from the same OpenAPI schema (/openapi.json).
    app = FastAPI(title="storyline", description="Stories, events, entities and sources of a storyline database.",
                  version="0.1.0", docs_url=None, redoc_url=None)
    env = make_environment()

    def get_db() -> Iterator[Database]:
        """One read-only connection per request (requests run in worker threads)."""
        db = Database(db_file, readonly=True)
        try:
            yield db
        finally:
            db.close()

    def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = env.get_template(template).render(request_path=request.url.path, **context)
        return HTMLResponse(html, status_code=status)

    # Added last = outermost: the headers go on the Host check's 400 too.
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(hosts or allowed_hosts()), www_redirect=False)
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(OverflowError)
    async def overflow(request: Request, exc: OverflowError) -> Response:
        return JSONResponse({"detail": "a number in the request is out of range"}, status_code=422)

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        return _not_found(request, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return _not_found(request, "no such page")
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        return JSONResponse({"detail": str(exc)}, status_code=503)

    def _not_found(request: Request, message: str) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": message}, status_code=404)
        return page(request, "404.html", status=404, message=message)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    # -- JSON API ---------------------------------------------------------------
    @app.get("/api/stories", tags=["api"], summary="Stories with span, counts and coverage per day")
    def api_stories(page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE),
                    sort: str = Query("recent", pattern="^(recent|size)$"),
                    db: Database = Depends(get_db)) -> dict[str, Any]:
        return queries.list_stories(db, page_no, sort)

    @app.get("/api/stories/{story_id:path}", tags=["api"], summary="One story: events in date order, entities")
    def api_story(story_id: str, db: Database = Depends(get_db)) -> dict[str, Any]:
        return queries.get_story(db, story_id)

    @app.get("/api/events/{event_id:path}", tags=["api"],
             summary="One event: cited summary, sources, facts by outlet, quotes by speaker, entities")
    def api_event(event_id: str, db: Database = Depends(get_db)) -> dict[str, Any]:
        return queries.get_event(db, event_id)

    @app.get("/api/entities/{entity_id:path}", tags=["api"],
             summary="One entity: aliases, events, quotes, mentions per month")
    def api_entity(entity_id: str, db: Database = Depends(get_db)) -> dict[str, Any]:
        return queries.get_entity(db, entity_id)

    @app.get("/api/articles/{article_id:path}", tags=["api"], summary="One article: text segments with entity mentions")
    def api_article(article_id: str, db: Database = Depends(get_db)) -> dict[str, Any]:
        return queries.get_article(db, article_id)

    @app.get("/api/search", tags=["api"],
             summary="Search articles (bm25; entity, outlet and date filters), events, entities and quotes:"
                     " true totals, paged")
    def api_search(q: str = "", entity: str = "", outlet: str = "", date_from: str = Query("", alias="from"),
                   date_to: str = Query("", alias="to"),
                   kind: str = Query("", pattern="^(|articles|events|entities|quotes)$"),
                   page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE),
                   db: Database = Depends(get_db)) -> dict[str, Any]:
        return browse.search_everything(db, q, kind or None, page_no, entity=entity or None, outlet=outlet or None,
                                        date_from=date_from or None, date_to=date_to or None)

    @app.get("/api/events", tags=["api"],
             summary="Events, latest first, filtered by date range, outlet and entity; paged")
    def api_events(page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE), date_from: str = Query("", alias="from"),
                   date_to: str = Query("", alias="to"), outlet: str = "", entity: str = "",
                   db: Database = Depends(get_db)) -> dict[str, Any]:
        return browse.browse_events(db, date_from or None, date_to or None, outlet or None, entity or None, page_no)

    @app.get("/api/entities", tags=["api"], summary="Entities by mentions, filtered by type and name; paged")
    def api_entities(page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE), type: str = "", name: str = "",  # noqa: A002
                     db: Database = Depends(get_db)) -> dict[str, Any]:
        return browse.browse_entities(db, type or None, name or None, page_no)

    @app.get("/api/quotes", tags=["api"], summary="Quotes by speaker, filtered by speaker and words of the text; paged")
    def api_quotes(page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE), speaker: str = "", q: str = "",
                   db: Database = Depends(get_db)) -> dict[str, Any]:
        return browse.browse_quotes(db, speaker or None, q or None, page_no)

    @app.get("/api/outlets", tags=["api"], summary="Outlets by events covered, with blindspot counts; paged")
    def api_outlets(page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE),
                    db: Database = Depends(get_db)) -> dict[str, Any]:
        return browse.browse_outlets(db, page_no)

    @app.get("/api/outlets/{outlet:path}", tags=["api"],
             summary="One outlet: events covered and its blindspots (events >= 2 other outlets covered); paged")
    def api_outlet(outlet: str, page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE),
                   db: Database = Depends(get_db)) -> dict[str, Any]:
        return browse.outlet_blindspots(db, outlet, page_no)

    # -- pages ------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(request: Request, page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE),
                     sort: str = Query("recent", pattern="^(recent|size)$"),
                     db: Database = Depends(get_db)) -> Response:
        data = queries.list_stories(db, page_no, sort)
        for story in data["stories"]:
            story["spark"] = charts.sparkline(story["coverage"])
        return page(request, "stories.html", sort=sort, **data)

    @app.get("/stories/{story_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str, db: Database = Depends(get_db)) -> Response:
        story = queries.get_story(db, story_id)
        story["key_dates"] = story_key_dates(db, story_id)
        return page(request, "story.html", story=story, timeline=charts.timeline(story["events"]),
                    spark=charts.sparkline(story["coverage"], width=260, height=50, bins=40))

    @app.get("/events", response_class=HTMLResponse, include_in_schema=False)
    def events_index(request: Request, page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE),
                     date_from: str = Query("", alias="from"), date_to: str = Query("", alias="to"), outlet: str = "",
                     entity: str = "", db: Database = Depends(get_db)) -> Response:
        return page(request, "events_index.html",
                    **browse.browse_events(db, date_from or None, date_to or None, outlet or None, entity or None,
                                           page_no))

    @app.get("/entities", response_class=HTMLResponse, include_in_schema=False)
    def entities_index(request: Request, page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE), type: str = "",  # noqa: A002
                       name: str = "", db: Database = Depends(get_db)) -> Response:
        return page(request, "entities_index.html", **browse.browse_entities(db, type or None, name or None, page_no))

    @app.get("/quotes", response_class=HTMLResponse, include_in_schema=False)
    def quotes_index(request: Request, page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE), speaker: str = "",
                     q: str = "", db: Database = Depends(get_db)) -> Response:
        data = browse.browse_quotes(db, speaker or None, q or None, page_no)
        return page(request, "quotes_index.html", quote_q=data["filters"]["q"], **data)

    @app.get("/outlets", response_class=HTMLResponse, include_in_schema=False)
    def outlets_index(request: Request, page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE),
                      db: Database = Depends(get_db)) -> Response:
        return page(request, "outlets_index.html", **browse.browse_outlets(db, page_no))

    @app.get("/outlets/{outlet:path}", response_class=HTMLResponse, include_in_schema=False)
    def outlet_page(request: Request, outlet: str, page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE),
                    db: Database = Depends(get_db)) -> Response:
        return page(request, "outlet.html", **browse.outlet_blindspots(db, outlet, page_no))

    @app.get("/events/{event_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def event_page(request: Request, event_id: str, db: Database = Depends(get_db)) -> Response:
        return page(request, "event.html", event=queries.get_event(db, event_id))

    @app.get("/entities/{entity_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(request: Request, entity_id: str, db: Database = Depends(get_db)) -> Response:
        entity = queries.get_entity(db, entity_id)
        return page(request, "entity.html", entity=entity,
                    spark=charts.sparkline(entity["timeline"], width=1000, height=60, bins=60))

    @app.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str, db: Database = Depends(get_db)) -> Response:
        return page(request, "article.html", article=queries.get_article(db, article_id))

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = "", entity: str = "", outlet: str = "",
                    date_from: str = Query("", alias="from"), date_to: str = Query("", alias="to"),
                    kind: str = Query("", pattern="^(|articles|events|entities|quotes)$"),
                    page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE),
                    db: Database = Depends(get_db)) -> Response:
        data = browse.search_everything(db, q, kind or None, page_no, entity=entity or None, outlet=outlet or None,
                                        date_from=date_from or None, date_to=date_to or None)
        return page(request, "search.html", **data)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs_page(request: Request) -> Response:
        return page(request, "api.html", endpoints=api_endpoints(app.openapi()))

    return app


def api_endpoints(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The JSON API's GET endpoints with their summaries and parameters, from the OpenAPI schema."""
    out = []
    for path, methods in schema.get("paths", {}).items():
        op = methods.get("get")
        if op is None:
            continue
        params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                   "type": p.get("schema", {}).get("type", ""), "default": p.get("schema", {}).get("default")}
                  for p in op.get("parameters", [])]
        out.append({"path": path, "summary": op.get("summary", ""), "params": params})
    return out
