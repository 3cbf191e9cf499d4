"""Where story B³ goes: gold stories split, predicted stories merged, and what fixing each kind would reach.

On a corpus built through events by ``benchmarks/stories_cv.py`` (its
``--work`` folder), the stories stage is re-run with the default
configuration (or ``--set KEY=V``) on a copy, and the result is read
against the gold story of every article:

- *split*: the pieces of each gold story, each piece's size, its best
  candidate host among the gold story's larger pieces (link = mean cosine of
  the piece's articles to the host's) against the host's weakest member;
- *merged*: predicted stories holding more than one gold story;
- oracles: B³-F1 if every piece went to its gold story's largest piece
  (splits fixed), if each predicted story were cut by gold (merges fixed),
  and if only the pieces of at most 1, 3, 10 articles were moved.

    python benchmarks/stories_errors.py t17 [--work /tmp/stories_cv] [--set tail_articles=3] [--show 15]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import storyline
from storyline.evaluate.metrics import b_cubed
from storyline.stories import stage as stories_stage
from storyline.stories.linker import StoryLinker
from storyline.stories.merge import Profile, sparse_dot


def build(name: str, work: Path, settings: dict[str, str]) -> Path:
    """A copy of the corpus's events DB with the stories stage run on it (default configuration + ``settings``)."""
    copy = work / f"{name}.errors.db"
    shutil.copy(work / f"{name}.db", copy)
    cfg = work / "errors.toml"
    cfg.write_text("[stories]\n" + "".join(f"{k} = {v}\n" for k, v in settings.items()))
    os.environ["STORYLINE_CONFIG"] = str(cfg)
    sl = storyline.open(copy)
    sl.build(only=["stories"])
    sl.close()
    return copy


def gold_of(name: str, work: Path) -> dict[str, str]:
    """Article id -> gold story (NSC: connected components of the positive pairs, singletons alone)."""
    gold = json.loads((work / f"{name}.gold.json").read_text())
    if name != "nsc":
        return gold
    parent = {i: i for i in gold["ids"]}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in gold["pairs"]:
        parent[find(a)] = find(b)
    return {i: find(i) for i in gold["ids"]}


def oracle(pred: dict[str, str], gold: dict[str, str], max_size: int | None, cut: bool) -> float:
    """B³-F1 with merged stories cut by gold (``cut``), or whole stories moved into their gold story's largest.

    A predicted story goes to the largest predicted story of its majority gold
    story when it holds at most ``max_size`` articles (any size: None), so the
    oracle fixes splits without fixing what each story holds.
    """
    if cut:
        return b_cubed({a: f"{pred[a]}|{gold[a]}" for a in gold}, gold).f1
    size = Counter(pred[a] for a in gold)
    majority = {p: c.most_common(1)[0][0] for p, c in _by_story(pred, gold).items()}
    home: dict[str, str] = {}
    for p, g in sorted(majority.items(), key=lambda pg: (-size[pg[0]], pg[0])):
        home.setdefault(g, p)
    limit = max_size if max_size is not None else 10 ** 9
    moved = {a: home[majority[pred[a]]] if size[pred[a]] <= limit else pred[a] for a in gold}
    return b_cubed(moved, gold).f1


def _by_story(pred: dict[str, str], gold: dict[str, str]) -> dict[str, Counter[str]]:
    found: dict[str, Counter[str]] = defaultdict(Counter)
    for a, p in pred.items():
        found[p][gold[a]] += 1
    return found


def analyse(name: str, db: Path, gold: dict[str, str], show: int) -> None:
    """Print the score, the oracles, the merged stories and the split gold stories of a built corpus."""
    sl = storyline.open(db)
    rows = {r["id"]: r for r in sl.db.query("SELECT id, title, text, duplicate_of, story_id, date FROM articles")}
    kept = {a: g for a, g in gold.items() if a in rows and rows[a]["story_id"]}
    pred = {a: rows[a]["story_id"] for a in kept}
    score = b_cubed(pred, kept)
    print(f"## {name}: B3 P {score.precision:.3f} R {score.recall:.3f} F1 {score.f1:.3f}, "
          f"{len(set(pred.values()))} stories for {len(set(kept.values()))} gold stories, {len(kept)} articles")
    print(f"oracles: splits fixed {oracle(pred, kept, None, False):.3f}; "
          f"merges cut {oracle(pred, kept, None, True):.3f}; "
          + "; ".join(f"stories <= {k} moved home {oracle(pred, kept, k, False):.3f}" for k in (1, 3, 10)))
    held = _by_story(pred, kept)
    merged = sorted(((p, c) for p, c in held.items() if len(c) > 1),
                    key=lambda pc: pc[1].most_common(1)[0][1] - sum(pc[1].values()))
    print(f"\nmerged: {len(merged)} predicted stories hold more than one gold story")
    for p, c in merged[:show]:
        print(f"  {p} ({sum(c.values())}): " + ", ".join(f"{g} {k}" for g, k in c.most_common(6)))
    members: dict[str, list[str]] = defaultdict(list)
    for a, p in pred.items():
        members[p].append(a)
    print_splits(sl, kept, pred, members, rows, show)
    sl.close()


def print_splits(sl: Any, kept: dict[str, str], pred: dict[str, str], members: dict[str, list[str]],
                 rows: dict[str, Any], show: int) -> None:
    """Each gold story's pieces; for pieces of up to 3 articles, the best larger piece's link vs its weakest member."""
    probe = _Probe(sl, rows)
    by_gold: dict[str, Counter[str]] = defaultdict(Counter)
    for a, g in kept.items():
        by_gold[g][pred[a]] += 1
    piece_sizes: Counter[int] = Counter()
    lines = []
    for g, counts in sorted(by_gold.items(), key=lambda kv: -sum(kv[1].values())):
        pieces = [p for p, _ in counts.most_common()]
        lines.append(f"  {g} ({sum(counts.values())} articles, {len(pieces)} pieces): "
                     + " ".join(str(counts[p]) for p in pieces[:20]))
        for p in pieces[1:]:
            piece_sizes[min(len(members[p]), 11)] += 1
            if len(members[p]) <= 3 and len(lines) <= show * 8:
                lines.extend(probe.describe(members, p, [h for h in pieces if h != p and len(members[h]) >= 4]))
    print("\nsizes of the stories holding pieces outside their gold story's largest (11 = more than 10): "
          + ", ".join(f"{k}: {v}" for k, v in sorted(piece_sizes.items())))
    print("split gold stories (piece sizes, largest first):")
    print("\n".join(lines[: show * 8]))


class _Probe:
    """The stories stage's own vectors and weakest-member test, for reading one piece against its hosts."""

    def __init__(self, sl: Any, rows: dict[str, Any]) -> None:
        from storyline.config import load_settings
        from storyline.events.features import ArticleFeaturizer

        self.sl, self.rows = sl, rows
        self.linker = StoryLinker(**load_settings().section("stories"))
        self.featurizer, self.cache = ArticleFeaturizer(), stories_stage.TermCache()
        df, n_docs = stories_stage.update_document_frequencies(sl.db, self.featurizer, self.cache)
        self.idf = stories_stage._idf(df, n_docs)
        self.floors: dict[str, float] = {}

    def vector(self, articles: list[str]) -> tuple[Any, int]:
        return stories_stage.article_sum(self.linker, self.featurizer, self.cache, self.idf,
                                         [self.rows[a] for a in articles])

    def describe(self, members: dict[str, list[str]], piece: str, hosts: list[str]) -> list[str]:
        """One line: the piece's best link among ``hosts``, that host's weakest member, the dates, a title."""
        own, n = self.vector(members[piece])
        scored = []
        for h in hosts:
            vec, hn = self.vector(members[h])
            scored.append((sparse_dot(own, vec) / (n * hn), h, vec, hn))
        if not scored:
            return []
        link, h, vec, hn = max(scored, key=lambda s: s[0])
        if h not in self.floors:
            self.floors[h] = stories_stage.weakest_member(self.sl.db.conn, self.linker, self.featurizer, self.cache,
                                                          self.idf, Profile(h, 0, vec[0], vec[1], hn, 0.0, Counter()))
        dates = sorted(d for d in (self.rows[a]["date"] for a in members[piece]) if d)
        host_dates = sorted(d for d in (self.rows[a]["date"] for a in members[h]) if d)
        first = self.rows[members[piece][0]]
        title = (first["title"] or first["text"][:60]).replace("\n", " ")[:70]
        return [f"      piece {len(members[piece])}: link {link:.3f} to host of {hn} (weakest {self.floors[h]:.3f})"
                f" dates {dates[:1]} host {host_dates[:1]}..{host_dates[-1:]}: {title}"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", choices=("nsc", "newsdev", "wikiref", "t17", "gva"))
    parser.add_argument("--work", type=Path, default=Path("/tmp/stories_cv"))
    parser.add_argument("--set", action="append", default=[], help="KEY=V: a [stories] setting")
    parser.add_argument("--show", type=int, default=15)
    args = parser.parse_args(argv)
    settings = dict(item.split("=", 1) for item in args.set)
    db = build(args.corpus, args.work, settings)
    analyse(args.corpus, db, gold_of(args.corpus, args.work), args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
