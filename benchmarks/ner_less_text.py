"""What NER on less text costs in mentions (issue 11).

    python benchmarks/ner_less_text.py [N] [whole|context]   # the first N gva articles (default 300)

``context`` (the default) is what the build does since the seventh session
(``nlp.blank_plain_sentences``: runs of plain sentences blanked inside, 6
words kept where a run touches a read sentence); ``whole`` is the sixth
session's measurement, every plain sentence blanked whole.

The understanding layer keeps only PERSON, ORG, GPE, LOC and FAC spans
(``entities.LABEL_TYPES``), and in cased news each holds a capital letter.
This blanks out (with spaces, so offsets hold) every sentence whose only
capitalised word is its first and whose first word is a function word
("The", "He", "But"...: a general English list, not fitted), runs the NER
on both texts, alternating, and prints the CPU seconds and how many kept
mentions (start, end, label) are lost or new.
"""
from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
GVA = ROOT.parent / "shared" / "data" / "gva" / "articles.jsonl"

_CAPITAL = re.compile(r"(?<![\w'’])[A-Z0-9]")
_FIRST = re.compile(r"\W*\w+")
FUNCTION_WORDS = frozenset("""the a an he she it they we i you his her its their our this that these those there but
and or in on at for after before when while as if so then one some no not all both each other such what who which
where why how it's he's she's according during about by from with without because although though since until once
also however meanwhile later earlier now today yesterday tonight tomorrow several many most few""".split())


def blank_whole_plain_sentences(text: str) -> str:
    """The text with sentences that can hold no name blanked out whole (newlines kept)."""
    from storyline.understand.nlp import split_sentences

    chars = list(text)
    for a, b in split_sentences(text):
        first = _FIRST.match(text, a, b)
        word = first.group().strip(" \"“‘'(").lower() if first else ""
        if not _CAPITAL.search(text, first.end() if first else a, b) and (word in FUNCTION_WORDS or not first):
            chars[a:b] = [c if c == "\n" else " " for c in chars[a:b]]
    return "".join(chars)


def main(n: int, how: str = "context") -> None:
    from storyline.understand.entities import extract_mentions
    from storyline.understand.nlp import blank_plain_sentences, load_nlp

    with GVA.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"][:100_000] for _, line in zip(range(n), fh, strict=False)]
    blank = blank_whole_plain_sentences if how == "whole" else blank_plain_sentences
    reduced = [blank(t) for t in texts]
    kept = sum(len(r.replace(" ", "")) for r in reduced) / sum(len(t.replace(" ", "")) for t in texts)
    print(f"{n} articles; non-space characters left after blanking: {kept:.1%}")
    nlp = load_nlp()
    found: dict[str, list[set[tuple[int, int, str]]]] = {}
    for name, batch in (("full", texts), ("blanked", reduced), ("full", texts), ("blanked", reduced)):
        c0 = time.process_time()
        found[name] = [{(m.start, m.end, m.label) for m in extract_mentions(d, "a")} for d in nlp.pipe(batch)]
        print(f"{name}: {time.process_time() - c0:.2f} CPU-s, {sum(map(len, found[name]))} mentions", flush=True)
    lost = sum(len(a - b) for a, b in zip(found["full"], found["blanked"], strict=True))
    new = sum(len(b - a) for a, b in zip(found["full"], found["blanked"], strict=True))
    print(f"mentions lost: {lost}, new: {new}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300, sys.argv[2] if len(sys.argv) > 2 else "context")
