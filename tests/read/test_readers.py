"""Readers: each format streams raw documents or rejects with a source and a reason."""
from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from storyline.errors import ConfigError, InputError
from storyline.read import iter_documents, iter_files
from storyline.records import RawDocument, Reject

PARAGRAPH = ("The city council approved the new transit budget on Tuesday after a long debate, "
             "officials said, and construction is expected to begin next spring.")


def html_page(title: str, body: str = PARAGRAPH) -> str:
    paragraphs = "".join(f"<p>{body} Paragraph {i}.</p>" for i in range(4))
    return (f"<html><head><title>{title}</title><meta charset='utf-8'></head>"
            f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>")


def read_all(*paths: Path | str, **options: object) -> list[RawDocument | Reject]:
    return list(iter_documents([str(p) for p in paths], **options))  # type: ignore[arg-type]


def test_text_header_is_split_from_the_first_line(tmp_path: Path) -> None:
    (tmp_path / "a1.txt").write_text(" date 2021-04-07 First line of the page\nSecond line\n", encoding="utf-8")
    (tmp_path / "b2.txt").write_text("No header here\nbody", encoding="utf-8")
    docs = read_all(tmp_path)
    assert [d.id for d in docs] == ["a1", "b2"]
    assert docs[0].date == "2021-04-07" and docs[0].extra["date_source"] == "header"
    assert docs[0].text.startswith("First line of the page\n")
    assert docs[1].date is None and docs[1].text.startswith("No header here")


def test_folders_are_walked_recursively_in_sorted_order_skipping_hidden(tmp_path: Path) -> None:
    for rel in ("b/z.txt", "b/a.txt", "a.txt", "c/d/e.txt", ".hidden/x.txt", ".x.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("text", encoding="utf-8")
    files = [p.relative_to(tmp_path).as_posix() for p in iter_files(tmp_path)]
    assert files == ["a.txt", "b/a.txt", "b/z.txt", "c/d/e.txt"]


def test_iter_documents_is_lazy(tmp_path: Path) -> None:
    corpus = tmp_path / "big.jsonl"
    corpus.write_text("".join(json.dumps({"id": i, "text": PARAGRAPH}) + "\n" for i in range(1000)))
    stream = iter_documents([str(corpus)])
    assert not isinstance(stream, list)
    first = next(stream)
    assert isinstance(first, RawDocument) and first.id == "0"


def test_jsonl_accepts_common_alternative_field_names(tmp_path: Path) -> None:
    records = [
        {"id": "r1", "url": "https://a.example/1", "title": "T1", "date": "2021-04-07", "text": PARAGRAPH,
         "source": "A News", "language": "en"},
        {"_id": "r2", "link": "https://b.example/2", "headline": "T2", "pubDate": "Wed, 07 Apr 2021 10:00:00 GMT",
         "body": PARAGRAPH, "publisher": "B Daily"},
        {"article_id": 3, "uri": "https://c.example/3", "published": 1617790000, "maintext": ["p1", "p2"],
         "source": {"id": "c", "name": "C Times"}, "lang": "en-GB"},
        {"doc_id": "r4", "content": PARAGRAPH, "datetime": "2021-04-07T10:00:00Z"},
    ]
    path = tmp_path / "r.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n\n", encoding="utf-8")
    docs = read_all(path)
    assert [d.id for d in docs] == ["r1", "r2", "3", "r4"]
    assert [d.url for d in docs[:3]] == ["https://a.example/1", "https://b.example/2", "https://c.example/3"]
    assert [d.title for d in docs[:2]] == ["T1", "T2"]
    assert docs[1].date.startswith("Wed") and docs[2].date == "2021-04-07"
    assert docs[2].text == "p1\n\np2"
    assert [d.outlet for d in docs[:3]] == ["A News", "B Daily", "C Times"]
    assert docs[2].language == "en-GB"
    assert docs[0].source.endswith("r.jsonl:1") and docs[3].source.endswith("r.jsonl:4")


def test_malformed_jsonl_line_is_a_reject_with_its_line_number(tmp_path: Path) -> None:
    path = tmp_path / "m.jsonl"
    path.write_text(json.dumps({"id": "a", "text": PARAGRAPH}) + "\n{not json\n[1, 2]\n"
                    + json.dumps({"id": "b", "text": PARAGRAPH}) + "\n", encoding="utf-8")
    docs = read_all(path)
    assert [type(d).__name__ for d in docs] == ["RawDocument", "Reject", "Reject", "RawDocument"]
    assert docs[1].source == f"{path}:2" and docs[1].reason == "unparseable"
    assert docs[2].source == f"{path}:3" and "not an object" in docs[2].detail


def test_over_long_jsonl_line_is_rejected_without_losing_the_next(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"id": "big", "text": "x " * 5000}) + "\n"
                    + json.dumps({"id": "ok", "text": PARAGRAPH}) + "\n", encoding="utf-8")
    docs = read_all(path, max_bytes=2000)
    assert isinstance(docs[0], Reject) and docs[0].reason == "too-large" and docs[0].source == f"{path}:1"
    assert isinstance(docs[1], RawDocument) and docs[1].id == "ok"


def test_json_arrays_and_wrapped_lists(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps([{"id": "x", "text": PARAGRAPH}, {"id": "y", "text": PARAGRAPH}]))
    (tmp_path / "b.json").write_text(json.dumps({"articles": [{"id": "z", "body": PARAGRAPH}]}))
    assert [d.id for d in read_all(tmp_path)] == ["x", "y", "z"]


def test_json_array_above_the_limit_is_streamed_element_by_element(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text(json.dumps([{"id": str(i), "text": PARAGRAPH} for i in range(50)]))
    docs = read_all(path, max_bytes=1000)
    assert [d.id for d in docs] == [str(i) for i in range(50)]


def test_jsonl_gz_and_truncated_gz(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"id": str(i), "text": PARAGRAPH * 3}) + "\n" for i in range(200)).encode()
    good = tmp_path / "good.jsonl.gz"
    good.write_bytes(gzip.compress(lines))
    assert len(read_all(good)) == 200
    truncated = tmp_path / "cut.jsonl.gz"
    truncated.write_bytes(gzip.compress(lines)[:-300])
    docs = read_all(truncated)
    assert isinstance(docs[-1], Reject) and docs[-1].reason == "unparseable"
    assert all(isinstance(d, RawDocument) for d in docs[:-1]) and len(docs) > 1


def test_html_and_gzipped_html(tmp_path: Path) -> None:
    (tmp_path / "p1.html").write_text(html_page("One"), encoding="utf-8")
    (tmp_path / "p2.html.gz").write_bytes(gzip.compress(html_page("Two").encode("utf-8")))
    docs = read_all(tmp_path)
    assert [d.id for d in docs] == ["p1", "p2"]
    assert all(d.format == "html" and "<title>" in (d.html or "") for d in docs)


def _warc_bytes(pages: list[tuple[str, str]], compressed: bool = True) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compressed)
    for url, html in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode()),
                                                      http_headers=headers))
    image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://n.example/logo.png", "response",
                                                  payload=io.BytesIO(b"\x89PNG"), http_headers=image))
    return out.getvalue()


def test_warc_response_records_with_html(tmp_path: Path) -> None:
    pages = [(f"https://n.example/2021/04/0{i}/story", html_page(f"Story {i}")) for i in range(1, 4)]
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(_warc_bytes(pages))
    docs = read_all(path)
    assert [d.url for d in docs] == [u for u, _ in pages]          # the image record is not a page
    assert all(isinstance(d, RawDocument) and d.format == "warc" for d in docs)
    assert len({d.id for d in docs}) == 3


@pytest.mark.parametrize("compressed", [True, False])
@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.95])
def test_truncated_warc_keeps_what_was_read_and_rejects_the_rest(tmp_path: Path, compressed: bool,
                                                                 fraction: float) -> None:
    pages = [(f"https://n.example/{i}", html_page(f"Story {i}")) for i in range(5)]
    data = _warc_bytes(pages, compressed)
    path = tmp_path / ("cut.warc.gz" if compressed else "cut.warc")
    path.write_bytes(data[: int(len(data) * fraction)])
    docs = read_all(path)
    kept = [d for d in docs if isinstance(d, RawDocument)]
    assert all(d.html and "</html>" in d.html for d in kept)      # no half page passes as a page
    assert len(kept) <= 5
    assert isinstance(docs[-1], Reject) and docs[-1].reason == "unparseable" and ":" in docs[-1].source


RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>N</title><language>en</language>
<item><title>First</title><link>https://www.n.example/a</link><pubDate>Wed, 07 Apr 2021 10:00:00 GMT</pubDate>
<description>&lt;p&gt;{p}&lt;/p&gt;&lt;p&gt;Second paragraph.&lt;/p&gt;</description></item>
<item><title>Second</title><link>https://www.n.example/b</link><description>{p}</description></item>
</channel></rss>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
<entry><title>Atom one</title><link href="https://a.example/x"/><id>tag:a,1</id><updated>2021-04-06T00:00:00Z</updated>
<content type="html">&lt;p&gt;{p}&lt;/p&gt;</content></entry></feed>"""


def test_rss_and_atom_items(tmp_path: Path) -> None:
    (tmp_path / "n.rss").write_text(RSS.format(p=PARAGRAPH), encoding="utf-8")
    (tmp_path / "x.atom").write_text(ATOM.format(p=PARAGRAPH), encoding="utf-8")
    docs = read_all(tmp_path)
    assert [d.title for d in docs] == ["First", "Second", "Atom one"]
    assert docs[0].date == "2021-04-07" and docs[2].date == "2021-04-06"
    assert docs[0].text == f"{PARAGRAPH}\n\nSecond paragraph."
    assert docs[0].outlet == "n.example" and docs[0].language == "en"


def test_undecodable_binary_and_latin1_text(tmp_path: Path) -> None:
    (tmp_path / "bin.txt").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "latin1.txt").write_bytes(("Le café de la gare a été rénové. " * 10).encode("latin-1"))
    (tmp_path / "noise.txt").write_bytes(bytes(range(0x80, 0x100)) * 30)
    docs = {Path(d.source).stem: d for d in read_all(tmp_path)}
    assert isinstance(docs["bin"], Reject) and docs["bin"].reason == "binary"
    assert isinstance(docs["latin1"], RawDocument) and "café" in docs["latin1"].text
    assert isinstance(docs["noise"], Reject) and docs["noise"].reason == "undecodable"


def test_other_legacy_encodings_are_decoded(tmp_path: Path) -> None:
    russian = "Министр иностранных дел России прибыл в Исламабад с двухдневным визитом. " * 5
    (tmp_path / "cp1251.txt").write_bytes(russian.encode("cp1251"))
    (tmp_path / "koi8.txt").write_bytes(russian.encode("koi8-r"))
    docs = read_all(tmp_path)
    assert all(isinstance(d, RawDocument) and d.text == russian for d in docs), docs


def test_huge_file_is_rejected_without_being_read(tmp_path: Path) -> None:
    import tracemalloc

    path = tmp_path / "huge.txt"
    with path.open("wb") as out:
        out.truncate(50_000_000)              # a sparse 50 MB file: cheap to make, costly to read
    tracemalloc.start()
    docs = read_all(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert isinstance(docs[0], Reject) and docs[0].reason == "too-large"
    assert peak < 5_000_000
    assert read_all(path, max_bytes=60_000_000)[0].reason == "binary"   # the limit is configurable


def test_missing_path_and_bad_options_raise_user_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        iter_documents([str(tmp_path / "nope")])
    with pytest.raises(ConfigError, match="max_bytes"):
        iter_documents([str(tmp_path)], max_bytes=0)


def test_json_lines_named_json_and_an_array_named_jsonl(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("\n".join(json.dumps({"id": f"a{i}", "text": PARAGRAPH}) for i in range(3)))
    (tmp_path / "b.jsonl").write_text(json.dumps([{"id": "b0", "text": PARAGRAPH}, {"id": "b1", "text": PARAGRAPH}],
                                                 indent=2))
    assert [d.id for d in read_all(tmp_path)] == ["a0", "a1", "a2", "b0", "b1"]


def test_a_file_without_any_record_leaves_an_empty_reject(tmp_path: Path) -> None:
    (tmp_path / "none.jsonl").write_text("\n\n")
    (tmp_path / "none.rss").write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>x</title></channel></rss>")
    docs = read_all(tmp_path)
    assert [(Path(d.source).name, d.reason) for d in docs] == [("none.jsonl", "empty"), ("none.rss", "empty")]
