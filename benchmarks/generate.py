"""Generate a news corpus of N articles with known gold events and stories, from real articles.

Method (deterministic from ``--seed``):

* **Event templates** are the 86 ECB+ gold events (sub-topics; ~11 real
  articles each, detokenized). ECB+ pairs two confusable happenings per topic.
* **Synthetic events.** 86 templates cannot fill 100k articles, so each
  synthetic event re-uses one template with its *own world*: every proper
  name word of the template (a capitalized word whose lower-case form never
  occurs lower-cased in the corpus) is replaced, consistently within the
  event, by an invented name; numbers by other numbers of the same size;
  years by the event's year. Two events made from one template then read
  like two real confusable happenings: same kind of thing, other actors,
  other place, other figures, other date.
* **Articles of an event**: k real articles of the template (k drawn from a
  heavy-tailed distribution), each published by a different outlet 0-3 days
  after the event date, re-titled from its own lead in the outlet's style,
  wrapped in outlet-specific boilerplate lines (by-line, "Read more",
  copyright), and with probability ``--syndication`` a syndicated copy in a
  second outlet (same body, other title and boilerplate, one sentence
  dropped or one word changed).
* **Stories** are chains of 1-4 events 20-90 days apart on templates of one
  ECB+ topic; the events of a story share the story's main actors (the
  template topic's most frequent name words are mapped once per story) while
  every other name, number and the date is drawn per event.
* **Background**: singleton articles (their own event and story) from the
  Times of India articles of india_police_events (each real article once,
  dates shifted into the corpus span), then composites of their sentences
  with new numbers, and the News Story Chains articles with new names.
* Publication rate is fixed (``--per-day``, default 100 articles/day), so the
  time span grows with N and a 10k and a 100k corpus have the same density of
  confusable events per day: their quality should match.

Output: ``corpus.jsonl`` (``id, url, title, date, text, outlet``, one article
a line, in publication order; what ``storyline ingest`` reads) and
``gold.jsonl`` (``id, event, story, copy_of``)::

    python benchmarks/generate.py --n 10000 --out bench-output/n10000 [--seed 1]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterator

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
START = dt.date(2019, 1, 1)
MONTHS_DAYS = {m.lower() for m in ("January February March April May June July August September October "
                                   "November December Monday Tuesday Wednesday Thursday Friday Saturday "
                                   "Sunday").split()}
SYLLABLES = ("ka ro ven mar tel di sa lo bri an ther cor vo len mi do ra su gal fen hol ki ne pra "
             "zan tor bel or es um quin dra ves lyn mo cha ru pel gor tam").split()
EDITS = [("said", "stated"), ("killed", "left dead"), ("announced", "unveiled"), ("police", "officers"),
         ("Tuesday", "on Tuesday"), ("people", "residents"), ("after", "following"), ("told", "informed")]
WORD = re.compile(r"\b[A-Z][a-zA-Z\-]+\b")
NUMBER = re.compile(r"\b\d[\d,]*(?:\.\d+)?\b")


@dataclass
class Template:
    """One real gold cluster: its articles, topic, and the proper-name words it uses."""

    key: str
    topic: str
    docs: list[str]
    names: list[str] = field(default_factory=list)


@dataclass
class Outlet:
    """A fake publisher with its own boilerplate."""

    name: str
    domain: str
    byline: str
    footer: str
    title_style: int


def detokenize(text: str) -> str:
    """Undo ECB+/PTB tokenization so articles read like scraped text."""
    text = text.replace("`` ", '"').replace(" ''", '"').replace("``", '"').replace("''", '"')
    text = re.sub(r" ([.,;:!?%)])", r"\1", text)
    text = re.sub(r"([($]) ", r"\1", text)
    text = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", text)
    return text.replace(" -- ", " - ")


def load_ecb(path: Path) -> tuple[list[Template], set[str]]:
    """ECB+ sub-topics as templates, and the words mostly written lower-case (to tell names apart)."""
    clusters: dict[str, list[str]] = defaultdict(list)
    topics: dict[str, str] = {}
    low: Counter[str] = Counter()
    cap: Counter[str] = Counter()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            text = detokenize(" ".join(rec["sentences"]))
            key = str(rec["subtopic"])
            clusters[key].append(text)
            topics[key] = str(rec["topic"])
            low.update(re.findall(r"\b[a-z][a-z\-]+\b", text))
            cap.update(w.lower() for w in WORD.findall(text))
    # A name is written capitalized at least 3 times as often as lower-case
    # ("Page" the surname vs "page"); sentence-initial common words fail this.
    lower = {w for w, c in low.items() if c * 3 > cap.get(w, 0)}
    templates = [Template(k, topics[k], docs) for k, docs in sorted(clusters.items())]
    for t in templates:
        counts = Counter(w for d in t.docs for w in WORD.findall(d) if is_name(w, lower))
        t.names = [w for w, _ in counts.most_common()]
    return templates, lower


def is_name(word: str, lower: set[str]) -> bool:
    """A capitalized word that the corpus never writes in lower case, and not a month/day."""
    return word.lower() not in lower and word.lower() not in MONTHS_DAYS and len(word) > 1


def load_india(path: Path) -> list[tuple[str, str]]:
    """(title, text) of each Times of India article, its 'This story is from' header removed."""
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            text = re.sub(r"^This story is from [^\n]*\n+", "", rec.get("full_text") or "").strip()
            if len(text) < 200:
                continue
            slug = (rec.get("url") or "").rstrip("/").split("/")
            title = slug[-3].replace("-", " ") if len(slug) >= 3 else text[:60]
            out.append((title, text))
    return out


def load_chains(path: Path) -> list[tuple[str, str]]:
    """(title, text) of the News Story Chains articles."""
    import csv

    csv.field_size_limit(10**8)
    with path.open(encoding="utf-8") as fh:
        sample = fh.read(4096)
        fh.seek(0)
        dialect = csv.Sniffer().sniff(sample, delimiters=",;")
        return [(r["title"], r["text"]) for r in csv.DictReader(fh, dialect=dialect) if r.get("text")]


def make_outlets(rng: random.Random, n: int = 40) -> list[Outlet]:
    """``n`` publishers, each with a by-line, a footer and a title style."""
    outlets = []
    for i in range(n):
        name = invent(rng, 2).capitalize() + rng.choice([" Times", " Post", " Herald", " News", " Daily",
                                                         " Tribune", " Observer", " Wire"])
        domain = name.lower().replace(" ", "") + rng.choice([".com", ".co.uk", ".net", ".in"])
        byline = rng.choice([f"By {name} Staff", f"{name} | Staff Reporter", f"From {name} correspondents",
                             f"Published by {name}"])
        footer = rng.choice([f"Copyright {name}. All rights reserved.", f"Read more stories at {domain}",
                             f"Follow {name} for the latest updates. Share this article.",
                             f"(c) {name} Media Group. Subscribe for unlimited access."])
        outlets.append(Outlet(name, domain, byline, footer, i % 4))
    return outlets


def invent(rng: random.Random, parts: int) -> str:
    """A pronounceable invented word."""
    return "".join(rng.choice(SYLLABLES) for _ in range(parts))


def name_map(rng: random.Random, words: list[str]) -> dict[str, str]:
    """A fresh invented name for each of ``words``."""
    return {w: invent(rng, rng.choice((2, 2, 3))).capitalize() for w in words}


def substitute(text: str, names: dict[str, str], numbers: dict[str, str], rng: random.Random,
               year: int) -> str:
    """Apply an event's world: its names, its numbers, its year."""
    text = WORD.sub(lambda m: names.get(m.group(0), m.group(0)), text)

    def number(m: re.Match[str]) -> str:
        tok = m.group(0)
        if re.fullmatch(r"(19|20)\d\d", tok):
            return str(year - (2019 - int(tok)) if int(tok) < 2019 and int(tok) > 1990 else year)
        if tok not in numbers:
            digits = len(tok.replace(",", "").split(".")[0])
            numbers[tok] = str(rng.randint(10 ** (digits - 1) if digits > 1 else 1, 10 ** digits - 1))
        return numbers[tok]

    return NUMBER.sub(number, text)


def sentences(text: str) -> list[str]:
    """Rough sentence split (good enough to drop or pick a sentence)."""
    return [s for s in re.split(r"(?<=[.!?\"])\s+(?=[A-Z\"a-z])", text) if s]


def make_title(text: str, style: int) -> str:
    """A headline from the article's lead, in one of four outlet styles."""
    first = sentences(text)[0] if text else ""
    words = re.sub(r"[\"']", "", first).split()
    head = " ".join(words[: 6 + style * 2]).rstrip(",.;:")
    if style == 1:
        return head.title()
    if style == 2:
        return "UPDATE: " + head
    if style == 3 and len(sentences(text)) > 1:
        return " ".join(re.sub(r"[\"']", "", sentences(text)[1]).split()[:10]).rstrip(",.;:")
    return head


def light_edit(text: str, rng: random.Random) -> str:
    """A syndicated copy's edit: drop one later sentence, or change one word."""
    sents = sentences(text)
    if len(sents) > 3 and rng.random() < 0.5:
        del sents[rng.randrange(2, len(sents))]
        return " ".join(sents)
    a, b = rng.choice(EDITS)
    return re.sub(rf"\b{a}\b", b, text, count=1)


def wrap(body: str, outlet: Outlet) -> str:
    """Body inside the outlet's boilerplate lines."""
    return f"{outlet.byline}\n\n{body}\n\n{outlet.footer}"


class Generator:
    """Writes articles until N: planted event/story chains mixed with background singletons."""

    def __init__(self, n: int, seed: int = 1, per_day: int = 100, syndication: float = 0.2,
                 background: float = 0.3) -> None:
        self.n = n
        self.rng = random.Random(seed)
        self.per_day = per_day
        self.syndication = syndication
        self.background = background
        self.days = max(30, n // per_day)
        self.templates, self.lower = load_ecb(SHARED / "ecbplus" / "ecbplus_docs.jsonl")
        self.by_topic: dict[str, list[Template]] = defaultdict(list)
        for t in self.templates:
            self.by_topic[t.topic].append(t)
        self.india = load_india(SHARED / "india_police_events" / "data" / "final" / "metadata.jsonl")
        self.chains = load_chains(SHARED / "news_story_chains" /
                                  "gedikli-business_energy_news_dataset-2021-06-29-article_texts.csv")
        self.chain_lower = self.lower
        self.outlets = make_outlets(self.rng)

    def date(self, day: int) -> dt.date:
        return START + dt.timedelta(days=day)

    def story(self, sid: str) -> Iterator[dict]:
        """The articles of one story: 1-4 events of one topic, 20-90 days apart."""
        rng = self.rng
        topic = rng.choice(sorted(self.by_topic))
        pool = self.by_topic[topic]
        n_events = rng.choices((1, 2, 3, 4), weights=(45, 30, 15, 10))[0]
        core = Counter(w for t in pool for w in t.names[:6])
        story_names = name_map(rng, [w for w, _ in core.most_common(4)])
        day = rng.randrange(self.days)
        for e in range(n_events):
            if day >= self.days:
                break
            yield from self.event(f"{sid}.e{e}", sid, pool[e % len(pool)], story_names, day)
            day += rng.randint(20, 90)

    def event(self, eid: str, sid: str, template: Template, story_names: dict[str, str],
              day: int) -> Iterator[dict]:
        """The articles of one event: real articles of its template in the event's own world."""
        rng = self.rng
        names = name_map(rng, [w for w in template.names if w not in story_names])
        names.update(story_names)
        numbers: dict[str, str] = {}
        when = self.date(day)
        k = min(len(template.docs), max(1, int(rng.paretovariate(1.2) * 1.5)))
        outlets = rng.sample(self.outlets, min(len(self.outlets), k * 2))
        for j, doc in enumerate(rng.sample(template.docs, k)):
            body = substitute(doc, names, numbers, rng, when.year)
            pub = when + dt.timedelta(days=rng.choice((0, 0, 0, 1, 1, 2, 3)))
            yield self.article(body, outlets[j], pub, eid, sid)
            if rng.random() < self.syndication:
                copy = light_edit(body, rng)
                other = (outlets[k + j] if k + j < len(outlets)
                         else rng.choice([o for o in self.outlets if o is not outlets[j]]))
                yield self.article(copy, other, pub + dt.timedelta(days=rng.choice((0, 0, 1))),
                                   eid, sid, copy_of=True)

    def background_article(self, i: int) -> dict:
        """A singleton: a real Times of India article, a composite of them, or a renamed chains article."""
        rng = self.rng
        key = f"bg{i}"
        day = rng.randrange(self.days)
        if i < len(self.india):
            title, text = self.india[i]
        elif rng.random() < 0.15:
            title, text = rng.choice(self.chains)
            names = name_map(rng, sorted({w for w in WORD.findall(text) if is_name(w, self.lower)}))
            text = substitute(text, names, {}, rng, self.date(day).year)
            title = substitute(title, names, {}, rng, self.date(day).year)
        else:
            parts = [sentences(rng.choice(self.india)[1]) for _ in range(3)]
            picked = parts[0][:2] + [s for p in parts[1:] for s in rng.sample(p, min(len(p), 3))]
            text = substitute(" ".join(picked), {}, {}, rng, self.date(day).year)
            title = " ".join(text.split()[:8])
        art = self.article(text, rng.choice(self.outlets), self.date(day), key, key)
        art["title"] = title
        return art

    def article(self, body: str, outlet: Outlet, pub: dt.date, eid: str, sid: str,
                copy_of: bool = False) -> dict:
        """One output record with its gold labels."""
        title = make_title(body, outlet.title_style)
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "story"
        return {"title": title, "date": pub.isoformat(), "text": wrap(body, outlet), "outlet": outlet.name,
                "_domain": outlet.domain, "_slug": slug, "_event": eid, "_story": sid, "_copy": copy_of}

    def generate(self) -> list[dict]:
        """All N articles in publication order, with ids and urls."""
        target_bg = int(self.n * self.background)
        target_ev = self.n - target_bg
        arts: list[dict] = []
        s = 0
        while len(arts) < target_ev:
            arts.extend(self.story(f"s{s}"))
            s += 1
        arts = arts[:target_ev]
        arts.extend(self.background_article(i) for i in range(self.n - len(arts)))
        order = sorted(range(len(arts)), key=lambda i: (arts[i]["date"], self.rng.random()))
        out = []
        first_of: dict[str, str] = {}
        for rank, i in enumerate(order):
            a = arts[i]
            aid = f"g{self.n}-{rank:07d}"
            d = a["date"].replace("-", "/")
            rec = {"id": aid, "url": f"https://www.{a['_domain']}/{d}/{a['_slug']}-{rank}", "title": a["title"],
                   "date": a["date"], "text": a["text"], "outlet": a["outlet"]}
            gold = {"id": aid, "event": a["_event"], "story": a["_story"],
                    "copy_of": first_of.get(a["_event"]) if a["_copy"] else None}
            first_of.setdefault(a["_event"], aid)
            out.append((rec, gold))
        return out


def write(n: int, out_dir: Path, seed: int = 1, **kwargs: float) -> tuple[Path, Path]:
    """Generate and write ``corpus.jsonl`` and ``gold.jsonl`` under ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    corpus, gold = out_dir / "corpus.jsonl", out_dir / "gold.jsonl"
    pairs = Generator(n, seed, **kwargs).generate()  # type: ignore[arg-type]
    with corpus.open("w", encoding="utf-8") as fc, gold.open("w", encoding="utf-8") as fg:
        for rec, g in pairs:
            fc.write(json.dumps(rec, ensure_ascii=False) + "\n")
            fg.write(json.dumps(g) + "\n")
    return corpus, gold


def read_gold(path: Path) -> dict[str, dict]:
    """id → gold record."""
    with path.open(encoding="utf-8") as fh:
        return {g["id"]: g for g in map(json.loads, fh)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-day", type=int, default=100)
    args = ap.parse_args()
    if not (SHARED / "ecbplus").is_dir():
        sys.exit(f"shared data not found at {SHARED}")
    corpus, gold = write(args.n, Path(args.out), args.seed, per_day=args.per_day)
    golds = read_gold(gold)
    events = len({g["event"] for g in golds.values()})
    stories = len({g["story"] for g in golds.values()})
    copies = sum(1 for g in golds.values() if g["copy_of"])
    print(f"wrote {corpus} ({len(golds)} articles, {events} events, {stories} stories, {copies} syndicated copies)")


if __name__ == "__main__":
    main()
