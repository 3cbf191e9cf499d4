"""Entity resolution on ECB+ cross-document entity coreference: MUC, B³, CEAF-e, CoNLL F1.

Usage::

    python benchmarks/entities_ecbplus.py [--topics N] [--json]

Reads the XML under ``../shared/data/ecbplus/ECB+/<topic>/*.xml``, keeping
the sentences ECB+ annotated for coreference (its
``ECBplus_coreference_sentences.csv``, as is usual). Gold chains are the
CROSS_DOC_COREF / INTRA_DOC_COREF instance a mention points to; mentions in
no relation are singletons. Entity mentions are those typed
HUMAN_PART_PER (person), HUMAN_PART_ORG (organisation), HUMAN_PART_GPE,
LOC_GEO, LOC_FAC (place).

This evaluates the RESOLVER, not NER: it is given the GOLD mention spans
with their gold coarse type (PERSON / ORG / GPE / FAC). Two subsets:

* ``named``: mentions whose first word is capitalised and not a pronoun or
  determiner (what NER would hand the resolver: "Lindsay Lohan", "Lohan");
* ``all``: every gold entity mention, pronouns and common nouns included
  ("she", "the actress") — beyond a name resolver, shown for scale.

``events`` = the gold sub-topic of each document is given as its event (the
product gets events from the clusterer); ``no events`` resolves over the
corpus alone. Baseline: mentions with the same lower-cased string are one
entity.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DATA = Path(os.environ.get("STORYLINE_SHARED", ROOT.parent / "shared")) / "data" / "ecbplus" / "ECB+"

TYPES = {"HUMAN_PART_PER": "PERSON", "HUMAN_PART_ORG": "ORG", "HUMAN_PART_GPE": "GPE", "LOC_GEO": "GPE",
         "LOC_FAC": "FAC"}
_NOT_NAMES = {"he", "she", "it", "they", "him", "her", "his", "its", "their", "them", "who", "which", "that",
              "the", "a", "an", "this", "these", "those", "i", "we", "you", "our", "my", "us", "one", "some"}


@dataclass
class GoldMention:
    key: str            # doc:m_id
    doc: str
    subtopic: str
    text: str
    start: int          # char offsets into the doc's space-joined tokens
    end: int
    label: str
    chain: str


def annotated_sentences() -> dict[str, set[int]]:
    """doc → sentence numbers that ECB+ annotated for coreference (ECBplus_coreference_sentences.csv).

    Markables outside these sentences carry no coreference links, so the
    usual evaluation (and this one) keeps only mentions inside them.
    """
    import csv

    out: dict[str, set[int]] = {}
    with (DATA.parent / "ECBplus_coreference_sentences.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            out.setdefault(f"{row['Topic']}_{row['File']}", set()).add(int(row["Sentence Number"]))
    return out


def read_document(path: Path, keep: dict[str, set[int]] | None = None) -> list[GoldMention]:
    """Gold entity mentions of one ECB+ XML file (in annotated sentences) with their chain ids."""
    root = ET.parse(path).getroot()
    tokens = {t.get("t_id"): t.text or "" for t in root.iter("token")}
    sentence = {t.get("t_id"): int(t.get("sentence") or 0) for t in root.iter("token")}
    wanted = (keep or {}).get(path.stem) if keep is not None else None
    offsets, pos = {}, 0
    for tid, text in tokens.items():
        offsets[tid] = (pos, pos + len(text))
        pos += len(text) + 1
    doc = path.stem
    topic, num = doc.split("_", 1)
    subtopic = f"{topic}{'plus' if 'plus' in num else ''}"
    chain_of: dict[str, str] = {}
    for rel in root.find("Relations") or []:
        target = rel.find("target")
        if target is None:
            continue
        chain = rel.get("note") or f"{doc}:{target.get('m_id')}"
        for src in rel.findall("source"):
            chain_of[src.get("m_id")] = chain
    out = []
    for mark in root.find("Markables") or []:
        label = TYPES.get(mark.tag)
        anchors = [a.get("t_id") for a in mark.findall("token_anchor")]
        if label is None or not anchors or (keep is not None and sentence[anchors[0]] not in (wanted or ())):
            continue
        start, end = offsets[anchors[0]][0], offsets[anchors[-1]][1]
        text = " ".join(tokens[a] for a in anchors)
        m_id = mark.get("m_id")
        out.append(GoldMention(f"{doc}:{m_id}", doc, subtopic, text, start, end, label,
                               chain_of.get(m_id, f"{doc}:{m_id}:singleton")))
    return out


def is_named(text: str) -> bool:
    """A proper-name mention: first word capitalised, not a pronoun or determiner."""
    first = text.split()[0] if text.split() else ""
    return bool(re.match(r"[A-Z]", first)) and first.lower() not in _NOT_NAMES


def resolve(mentions: list[GoldMention], use_events: bool, **options: bool) -> dict[str, str]:
    """Our EntityResolver over the gold spans; titles cut off as the extractor does."""
    from storyline.understand.entities import EntityResolver, RawMention, strip_titles

    raws = []
    for m in mentions:
        name, roles, shift = strip_titles(m.text)
        raws.append(RawMention(m.doc, m.start + shift, m.end, name or m.text, m.label, roles))
    event_of = {m.doc: m.subtopic for m in mentions} if use_events else None
    EntityResolver(**options).fit(raws, event_of)
    return {m.key: (r.entity_id or f"none:{m.key}") for m, r in zip(mentions, raws, strict=True)}


def exact_match(mentions: list[GoldMention]) -> dict[str, str]:
    """Baseline: same lower-cased string, same entity."""
    return {m.key: m.text.lower() for m in mentions}


def main() -> None:
    from storyline.evaluate.coref_metrics import conll

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--topics", type=int, default=None, help="Only the first N topics (quick look).")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--ablation", action="store_true", help="Also score the resolver with each step off.")
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"ECB+ not found at {DATA}")
    topics = sorted((p for p in DATA.iterdir() if p.is_dir()), key=lambda p: int(p.name))[:args.topics]
    keep = annotated_sentences()
    mentions = [m for t in topics for f in sorted(t.glob("*.xml")) for m in read_document(f, keep)]
    results: dict[str, dict] = {}
    for subset, pick in (("named", lambda m: is_named(m.text)), ("all", lambda m: True)):
        ms = [m for m in mentions if pick(m)]
        gold = {m.key: m.chain for m in ms}
        t0 = time.perf_counter()
        runs = {"exact-string baseline": exact_match(ms), "resolver, no events": resolve(ms, False),
                "resolver, gold sub-topic as event": resolve(ms, True)}
        if args.ablation and subset == "named":
            for off in ("variant_matching", "short_references", "acronyms", "corpus_fallback"):
                runs[f"  events, without {off}"] = resolve(ms, True, **{off: False})
        elapsed = time.perf_counter() - t0
        results[subset] = {"mentions": len(ms), "gold_chains": len(set(gold.values())),
                           "seconds": round(elapsed, 1), **{name: conll(pred, gold) for name, pred in runs.items()}}
    command = "python benchmarks/entities_ecbplus.py" + (f" --topics {args.topics}" if args.topics else "") \
        + (" --ablation" if args.ablation else "")
    if args.json:
        print(json.dumps({"command": command, "topics": len(topics), "results": results}, indent=2))
        return
    print(f"ECB+ entity coreference, {len(topics)} topics, GOLD mention spans and types (the resolver is "
          f"evaluated, not NER)\n$ {command}\n")
    for subset, res in results.items():
        print(f"[{subset}] {res['mentions']} mentions, {res['gold_chains']} gold chains")
        print(f"  {'system':38s} {'MUC F1':>7s} {'B3 P':>6s} {'B3 R':>6s} {'B3 F1':>6s} {'CEAFe':>6s} {'CoNLL':>6s}")
        for name, s in res.items():
            if not isinstance(s, dict):
                continue
            print(f"  {name:38s} {s['muc']['f1']:7.3f} {s['b3']['precision']:6.3f} {s['b3']['recall']:6.3f}"
                  f" {s['b3']['f1']:6.3f} {s['ceafe']['f1']:6.3f} {s['conll_f1']['f1']:6.3f}")
        print()


if __name__ == "__main__":
    main()
