"""Fixtures for the web tests: a seeds DB with every table filled, a live server, a headless chromium."""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from collections.abc import Iterator

import pytest

from storyline.web import create_app
from tests.helpers import LiveServer

from .data import add_hostile_article, add_many, synthetic_seeds_db

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output" / "web"
CHROMIUM = os.environ.get("STORYLINE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    """The seeds with rows for every later stage written directly (see data.py): fast, every table filled."""
    return synthetic_seeds_db(tmp_path_factory.mktemp("web") / "seeds.db", seeds_dir)


@pytest.fixture(scope="session")
def built_server(seeds_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app over a copy of the seeds ingested and built by the real pipeline (tests/conftest.py)."""
    target = tmp_path_factory.mktemp("built") / "seeds.db"
    shutil.copy(seeds_db, target)
    with LiveServer(create_app(target)) as server:
        yield server


@pytest.fixture(scope="session")
def hostile_db(web_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The seeds DB plus an article (and rows of every stage) full of script payloads."""
    target = tmp_path_factory.mktemp("hostile") / "hostile.db"
    shutil.copy(web_db, target)
    return target, add_hostile_article(target)


@pytest.fixture(scope="session")
def live_server(hostile_db: tuple[Path, dict[str, str]]) -> Iterator[LiveServer]:
    with LiveServer(create_app(hostile_db[0])) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} absent (make chromium installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    """A fresh page that records dialogs (any dialog means a script ran)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.dialogs = []  # type: ignore[attr-defined]
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return OUTPUT


@pytest.fixture(scope="session")
def many_db(web_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """The seeds DB plus 120 articles, 40 events, 120 entities and 120 quotes: every index has pages."""
    target = tmp_path_factory.mktemp("many") / "many.db"
    shutil.copy(web_db, target)
    return target, add_many(target)


@pytest.fixture(scope="session")
def many_server(many_db: tuple[Path, dict[str, int]]) -> Iterator[LiveServer]:
    with LiveServer(create_app(many_db[0])) as server:
        yield server
