"""The optional abstractive summarizer against a local fake OpenAI-compatible server (never a real one)."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from collections.abc import Iterator
from typing import Any

import pytest

from storyline.errors import ConfigError, StorylineError
from storyline.records import SummarySentence
from storyline.summarize.abstractive import AbstractiveSummarizer


class _Fake(BaseHTTPRequestHandler):
    seen: list[dict[str, Any]] = []

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Fake.seen.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
        if body["model"] == "broken":
            self.send_response(500)
            self.end_headers()
            return
        answer = {"choices": [{"message": {"role": "assistant", "content": "Two ministers met [1][2]."}}]}
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture()
def fake_url() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Fake)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def test_rewrite_posts_numbered_sentences_and_returns_the_answer(fake_url: str, monkeypatch: Any) -> None:
    monkeypatch.setenv("FAKE_KEY", "secret")
    rewriter = AbstractiveSummarizer(fake_url, model="m", api_key_env="FAKE_KEY")
    text = rewriter.rewrite([SummarySentence("A met B.", "a1"), SummarySentence("They agreed.", "a2")])
    assert text == "Two ministers met [1][2]."
    call = _Fake.seen[-1]
    assert call["path"] == "/v1/chat/completions" and call["auth"] == "Bearer secret"
    assert "[1] A met B." in call["body"]["messages"][0]["content"]


def test_endpoint_failure_is_a_storyline_error(fake_url: str) -> None:
    with pytest.raises(StorylineError):
        AbstractiveSummarizer(fake_url, model="broken").rewrite([SummarySentence("x y z.", "a")])
    with pytest.raises(ConfigError):
        AbstractiveSummarizer("not a url")


def test_build_stores_abstracts_only_when_configured(seeds_db_copy: Path, fake_url: str) -> None:
    import storyline
    from storyline import summarize
    from storyline.config import Settings
    from storyline.progress import NO_PROGRESS

    sl = storyline.open(seeds_db_copy)
    assert sl.db.scalar("SELECT count(*) FROM abstracts") == 0          # off by default
    with sl.db.transaction():
        sl.db.conn.execute("DELETE FROM event_signatures WHERE stage = 'summaries'")
    settings = Settings({"summarize": {"abstractive_url": fake_url, "abstractive_model": "m"}})
    summarize.run(sl.db, settings, NO_PROGRESS)
    rows = sl.db.query("SELECT text, error FROM abstracts")
    assert rows and all(r["text"] == "Two ministers met [1][2]." and r["error"] is None for r in rows)
    sl.close()
