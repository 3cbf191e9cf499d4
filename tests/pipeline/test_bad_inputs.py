"""A corpus of bad inputs, generated here, ingests without a crash and accounts for every record."""
from __future__ import annotations

import gzip
import io
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

import storyline

PARA = ("The regional government announced on Monday a new plan to repair flood defences along the river, "
        "after heavy rains damaged several embankments last month, officials said.")
REASONS = {"empty", "binary", "undecodable", "too-short", "unparseable", "too-large", "duplicate-id", "unreadable"}


def article(i: int) -> str:
    return "\n\n".join(f"{PARA} Item {i}, paragraph {k}." for k in range(3))


def html(title: str, body: str) -> str:
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>"


def make_warc(n: int) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for i in range(n):
        page = html(f"Page {i}", "".join(f"<p>{p}</p>" for p in article(100 + i).split("\n\n")))
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"https://w.example/{i}", "response",
                                                      payload=io.BytesIO(page.encode()), http_headers=headers))
    return out.getvalue()


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every kind of bad input named in the issue, beside a few good ones."""
    root = tmp_path_factory.mktemp("bad")
    rng = random.Random(7)
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.txt").write_text("  \n\n \t\n")
    (root / "short.txt").write_text("Too short to be news.")
    (root / "binary.bin").write_bytes(bytes(rng.randrange(256) for _ in range(4096)))
    (root / "invalid_utf8.txt").write_bytes(bytes(rng.randrange(0x80, 0x100) for _ in range(3000)))
    (root / "latin1.txt").write_bytes(("Le gouvernement régional a annoncé lundi un nouveau plan de réparation "
                                       "des digues le long du fleuve, après les fortes pluies. " * 4).encode("latin-1"))
    with (root / "huge.txt").open("w") as out:                 # 50 MB of real text
        line = (PARA + "\n") * 100
        while out.tell() < 50_000_000:
            out.write(line)
    lines = [json.dumps({"id": f"j{i}", "title": f"Story {i}", "text": article(i)}) for i in range(6)]
    lines.insert(2, '{"id": "broken", "text": "unterminated')
    lines.append(json.dumps({"id": "j0", "title": "Story 0", "text": article(0)}))        # same id, same text
    lines.append(json.dumps({"id": "j1", "title": "Story 1", "text": article(999)}))      # same id, other text
    (root / "records.jsonl").write_text("\n".join(lines) + "\n")
    gz = gzip.compress("".join(json.dumps({"id": f"g{i}", "text": article(200 + i) * 20}) + "\n"
                               for i in range(50)).encode())
    (root / "truncated.jsonl.gz").write_bytes(gz[: len(gz) // 2])
    warc = make_warc(6)
    (root / "truncated.warc.gz").write_bytes(warc[: int(len(warc) * 0.7)])
    (root / "nobody.html").write_text("<html><head><title>Nothing</title></head></html>")
    (root / "page.html").write_text(html("A good page", "".join(f"<p>{p}</p>" for p in article(50).split("\n\n"))))
    (root / "good.txt").write_text(" date 2021-04-07 Good headline here\n\n" + article(60))
    return root


def test_bad_corpus_ingests_and_every_record_is_accounted_for(bad_corpus: Path, tmp_path: Path) -> None:
    sl = storyline.open(tmp_path / "bad.db")
    counts = sl.ingest([str(bad_corpus)])
    assert counts.balanced, counts
    rejects = sl.rejects()
    assert len(rejects) == counts.rejected
    assert all(r["source"] and r["reason"] in REASONS for r in rejects), rejects
    by_source = {Path(r["source"].split(":")[0]).name: r["reason"] for r in rejects}
    assert by_source["empty.txt"] == "empty" and by_source["blank.txt"] == "empty"
    assert by_source["short.txt"] == "too-short"
    assert by_source["binary.bin"] == "binary"
    assert by_source["invalid_utf8.txt"] == "undecodable"
    assert by_source["huge.txt"] == "too-large"
    assert by_source["truncated.jsonl.gz"] == "unparseable"
    assert by_source["truncated.warc.gz"] == "unparseable"
    assert by_source["nobody.html"] in ("empty", "too-short")
    jsonl = {r["source"]: r["reason"] for r in rejects if "records.jsonl" in r["source"]}
    assert jsonl == {f"{bad_corpus / 'records.jsonl'}:3": "unparseable",
                     f"{bad_corpus / 'records.jsonl'}:9": "duplicate-id"}
    stored = {a["id"] for a in sl.articles()}
    assert {"latin1", "good", "page", "j0", "j1", "j5"} <= stored
    assert sl.article("latin1").text.count("régional") == 4
    assert counts.duplicates >= 1                                # j0 again with the same text
    assert sl.db.integrity_ok()
    again = sl.ingest([str(bad_corpus)])
    assert again.balanced and again.stored == 0 and again.read == counts.read
    sl.close()


def test_max_bytes_is_configurable(bad_corpus: Path, tmp_path: Path) -> None:
    from storyline.config import Settings

    settings = Settings({"ingest": {"max_bytes": 500}})
    sl = storyline.open(tmp_path / "small.db", settings)
    counts = sl.ingest([str(bad_corpus / "good.txt")])
    assert counts.balanced and counts.stored == 0 and counts.reasons == {"too-large": 1}
    sl.close()


def run_cli(*args: str, db: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STORYLINE_DB": str(db)}
    return subprocess.run([sys.executable, "-m", "storyline.cli.main", "-q", *args], input=stdin,
                          capture_output=True, text=True, env=env, timeout=120)


def test_cli_ingest_of_the_bad_corpus_prints_the_balance(bad_corpus: Path, tmp_path: Path) -> None:
    done = run_cli("ingest", str(bad_corpus), db=tmp_path / "cli.db")
    assert done.returncode == 0, done.stderr
    match = re.search(r"read (\d+) = stored (\d+) \+ duplicates (\d+) \+ rejected (\d+)", done.stderr)
    assert match, done.stderr
    read, stored, dups, rejected = map(int, match.groups())
    assert read == stored + dups + rejected and rejected >= 10
    assert "Traceback" not in done.stderr


def test_random_bytes_under_every_suffix_never_crash_an_ingest(tmp_path: Path) -> None:
    rng = random.Random(11)
    corpus = tmp_path / "fuzz"
    corpus.mkdir()
    suffixes = [".txt", ".jsonl", ".json", ".html", ".htm", ".rss", ".xml", ".warc", ".warc.gz",
                ".jsonl.gz", ".html.gz", ""]
    seeds = [b"", b"{", b"[", b"<html>", b"<rss>", b"WARC/1.0\r\n", b"\x1f\x8b", b" date 2021-01-01 "]
    for i in range(48):
        body = rng.choice(seeds) + bytes(rng.randrange(256) for _ in range(rng.randrange(0, 3000)))
        (corpus / f"f{i}{suffixes[i % len(suffixes)]}").write_bytes(body)
    sl = storyline.open(tmp_path / "fuzz.db")
    counts = sl.ingest([str(corpus)])
    assert counts.balanced and counts.read >= 48              # a file without any record is an 'empty' reject
    assert all(r["reason"] in REASONS for r in sl.rejects())
    assert sl.db.integrity_ok()
    sl.close()


def test_warc_and_feed_articles_are_stored_with_url_outlet_and_date(tmp_path: Path) -> None:
    corpus = tmp_path / "web"
    corpus.mkdir()
    (corpus / "crawl.warc.gz").write_bytes(make_warc(3))
    items = "".join(
        f"<item><title>Flood plan {i}</title><link>https://www.river.example/news/{i}</link>"
        f"<pubDate>Mon, 0{i + 1} Mar 2021 09:00:00 GMT</pubDate><description><![CDATA["
        + "".join(f"<p>{p}</p>" for p in article(300 + i).split("\n\n")) + "]]></description></item>"
        for i in range(2))
    (corpus / "news.rss").write_text(f"<?xml version='1.0'?><rss version='2.0'><channel><title>R</title>{items}"
                                     "</channel></rss>", encoding="utf-8")
    sl = storyline.open(tmp_path / "web.db")
    counts = sl.ingest([str(corpus)])
    assert counts.balanced and counts.stored == 5, (counts, sl.rejects())
    rows = {r["url"]: r for r in sl.articles()}
    feed = rows["https://www.river.example/news/1"]
    assert feed["title"] == "Flood plan 1" and feed["date"] == "2021-03-02" and feed["outlet"] == "river.example"
    page = rows["https://w.example/2"]
    assert page["outlet"] and page["language"] == "en"
    assert "Item 102, paragraph 1" in sl.article(page["id"]).text
    sl.close()
