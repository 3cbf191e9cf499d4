"""The scale benchmark's tools: a deterministic generator with planted gold, and the BENCHMARKS writer."""
from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))


def test_generator_is_deterministic_and_plants_events_stories_and_copies() -> None:
    from tests.conftest import shared_data

    shared_data("ecbplus")
    import generate

    a = generate.Generator(400, seed=5).generate()
    b = generate.Generator(400, seed=5).generate()
    assert a == b and len(a) == 400
    assert a != generate.Generator(400, seed=6).generate()
    records = [r for r, _ in a]
    assert [r["date"] for r in records] == sorted(r["date"] for r in records)   # publication order
    assert len({r["id"] for r in records}) == 400 and len({r["url"] for r in records}) == 400
    events: dict[str, list[dict]] = defaultdict(list)
    for rec, gold in a:
        events[gold["event"]].append(rec)
        assert set(rec) == {"id", "url", "title", "date", "text", "outlet"}
    multi = [arts for arts in events.values() if len(arts) > 1]
    assert multi and all(len({r["outlet"] for r in arts}) > 1 for arts in multi[:20])
    copies = [g for _, g in a if g["copy_of"]]
    assert copies and all(g["event"] == dict((x["id"], y) for x, y in a)[g["copy_of"]]["event"] for g in copies)


def test_record_writes_only_inside_the_scale_section(tmp_path: Path) -> None:
    import run

    path = tmp_path / "BENCHMARKS.md"
    path.write_text("## Other\n\nkeep me (see `## Scale`)\n\n## Scale\n\nold\n\n## Later\n\nme too\n", encoding="utf-8")
    run.record("### new result", path)
    text = path.read_text(encoding="utf-8")
    assert text.index("old") < text.index("### new result") < text.index("## Later")
    assert "keep me" in text and "me too" in text
