"""Scale benchmark: generated corpora of N articles through every stage, timed and scored.

For each ``--n`` it generates (or reuses) a corpus with ``benchmarks/generate.py``,
then runs the real CLI stage by stage on a fresh database, each stage in its
own process so that its wall time and peak resident memory (the process and
all its children, e.g. the process pool, polled every 0.1 s) are its own:

    ingest (read + clean + store) → build --only dedupe → events → stories
    → understand (entities, quotes, facts) → summarize

It also times the sentence encoder alone on a sample of the corpus (the
events stage embeds inside its own run), and scores events and stories
against the generator's gold with B³ (``storyline.evaluate.metrics``).
Two sums are printed: ingest → stories (ingest + dedupe + events + stories)
and the whole pipeline (every stage through summaries, what a user waits
for). With ``--run`` the whole pipeline is also timed as one ``storyline
run`` process on a fresh DB (no per-stage process start-up), then a second
``build`` with nothing new, then (``--add K``) K more generated articles
ingested and built. Results print as a table and, with ``--record``, go
under "## Scale" in BENCHMARKS.md with the machine, the command and the date::

    python benchmarks/run.py --n 10000 --n 100000 [--engine local|dask] [--stages ...] [--run] [--add 1000] [--record]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shlex
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402

from storyline.evaluate.metrics import b_cubed  # noqa: E402

STAGES = ["ingest", "dedupe", "events", "stories", "understand", "summarize"]
END_TO_END = ("ingest", "dedupe", "events", "stories")
WHOLE = tuple(STAGES)


def measure(cmd: list[str], env: dict[str, str], log: Path) -> tuple[float, int, int]:
    """Run ``cmd``; return (wall seconds, peak RSS bytes of it and its children, exit code)."""
    t0 = time.perf_counter()
    with log.open("a", encoding="utf-8") as out:
        out.write(f"$ {shlex.join(cmd)}\n")
        out.flush()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
        peak = 0
        parent = psutil.Process(proc.pid)
        while proc.poll() is None:
            try:
                procs = [parent] + parent.children(recursive=True)
                peak = max(peak, sum(_rss(p) for p in procs))
            except psutil.NoSuchProcess:
                pass
            time.sleep(0.1)
    return time.perf_counter() - t0, peak, proc.returncode


def _rss(p: psutil.Process) -> int:
    try:
        return int(p.memory_info().rss)
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return 0


def stage_command(stage: str, db: Path, corpus: Path) -> list[str]:
    """The CLI line that runs one stage."""
    base = [sys.executable, "-m", "storyline.cli.main", "--db", str(db), "-q"]
    if stage == "ingest":
        return base + ["ingest", str(corpus)]
    return base + ["build", "--only", stage]


def score(db: Path, gold_path: Path) -> dict[str, Any]:
    """B³ of events and stories against gold, over articles the DB kept (duplicates take their copy's labels)."""
    gold = generate.read_gold(gold_path)
    con = sqlite3.connect(db)
    rows = con.execute("SELECT id, event_id, story_id, duplicate_of FROM articles").fetchall()
    con.close()
    by_id = {r[0]: r for r in rows}

    def label(aid: str, col: int) -> str | None:
        row = by_id[aid]
        if row[col] is None and row[3] and row[3] in by_id:  # a copy may carry its original's label
            row = by_id[row[3]]
        return row[col]

    out: dict[str, Any] = {"stored": len(rows)}
    for name, col in (("events", 1), ("stories", 2)):
        pred = {aid: label(aid, col) for aid in by_id if aid in gold}
        labelled = {a: v for a, v in pred.items() if v is not None}
        if not labelled:
            out[name] = None
            continue
        key = "event" if name == "events" else "story"
        # unlabelled articles count as singletons, so missing output is penalised
        full = {a: (v if v is not None else f"none:{a}") for a, v in pred.items()}
        out[name] = b_cubed(full, {a: gold[a][key] for a in full}).as_dict()
        out[f"{name}_labelled"] = len(labelled)
    return out


def embed_rate(corpus: Path, sample: int = 1000) -> float:
    """docs/s of the encoder as the events stage calls it (title + lead, its token cap), on a sample."""
    from storyline.events import stage as events_stage
    from storyline.represent import get_encoder

    texts = []
    with corpus.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            texts.append(f"{rec.get('title') or ''}\n{rec['text']}"[: events_stage.EMBED_LEAD_CHARS])
            if len(texts) >= sample:
                break
    enc = get_encoder(max_length=events_stage.EMBED_MAX_TOKENS)
    enc.encode(texts[:32])
    t0 = time.perf_counter()
    enc.encode(texts)
    return len(texts) / (time.perf_counter() - t0)


def run_one(n: int, args: argparse.Namespace) -> dict[str, Any]:
    """Generate, run every stage, score: one row of results."""
    folder = Path(args.out) / f"n{n}"
    corpus, gold = folder / "corpus.jsonl", folder / "gold.jsonl"
    if not corpus.exists() or not gold.exists():
        t0 = time.perf_counter()
        generate.write(n, folder, seed=args.seed)
        print(f"[n={n}] generated in {time.perf_counter() - t0:.0f}s", flush=True)
    db = folder / f"storyline-{args.engine}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    if args.config:
        env["STORYLINE_CONFIG"] = str(Path(args.config).resolve())
    if args.engine == "dask":
        toml = folder / "dask.toml"
        scheduler = f'\nscheduler = "{args.scheduler}"' if args.scheduler else ""
        base = Path(args.config).read_text(encoding="utf-8") if args.config else ""
        toml.write_text(f'{base}\n[engine]\ntype = "dask"{scheduler}\n', encoding="utf-8")
        env["STORYLINE_CONFIG"] = str(toml)
    log = folder / f"run-{args.engine}.log"
    row: dict[str, Any] = {"n": n, "engine": args.engine, "stages": {}}
    for stage in args.stages:
        secs, peak, rc = measure(stage_command(stage, db, corpus), env, log)
        row["stages"][stage] = {"seconds": round(secs, 1), "per_s": round(n / secs, 1) if secs else None,
                                "peak_rss_mb": round(peak / 2**20), "rc": rc}
        print(f"[n={n}] {stage:<10} {secs:8.1f}s {n / secs:8.1f} art/s  peak {peak / 2**20:7.0f} MB  rc {rc}",
              flush=True)
        if rc != 0:
            print(f"[n={n}] {stage} failed; see {log}", flush=True)
        (folder / f"partial-{args.engine}.json").write_text(json.dumps(row, indent=1), encoding="utf-8")
    row["end_to_end"] = _sum_of(row, END_TO_END, n)
    row["whole"] = _sum_of(row, WHOLE, n)
    row["db_mb"] = _db_mb(db)
    for name in ("end_to_end", "whole"):
        print(f"[n={n}] {name:<10} {row[name]['seconds']:8.1f}s {row[name]['per_s']} art/s "
              f"({'+'.join(row[name]['stages'])})", flush=True)
    if args.run:
        row.update(time_run(n, folder, corpus, env, log, args))
    if args.embed_sample:
        row["embed_per_s"] = round(embed_rate(corpus, args.embed_sample), 1)
    row["quality"] = score(db, gold)
    print(f"[n={n}] end-to-end {row['end_to_end']['seconds']:.0f}s = {row['end_to_end']['per_s']} art/s; "
          f"quality {json.dumps(row['quality'])}; db {row['db_mb']} MB", flush=True)
    return row


def _sum_of(row: dict[str, Any], stages: tuple[str, ...], n: int) -> dict[str, Any]:
    """Seconds, articles/s and peak RSS of a run of stages (those measured)."""
    done = [s for s in stages if s in row["stages"]]
    wall = sum(row["stages"][s]["seconds"] for s in done)
    return {"stages": done, "seconds": round(wall, 1), "per_s": round(n / wall, 1) if wall else None,
            "peak_rss_mb": max((row["stages"][s]["peak_rss_mb"] for s in done), default=0)}


def _db_mb(db: Path) -> float:
    return round(sum(Path(f"{db}{s}").stat().st_size for s in ("", "-wal") if Path(f"{db}{s}").exists()) / 2**20, 1)


def time_run(n: int, folder: Path, corpus: Path, env: dict[str, str], log: Path,
             args: argparse.Namespace) -> dict[str, Any]:
    """`storyline run` as one process on a fresh DB, a second `build` with nothing new, and K more articles."""
    db = folder / f"storyline-{args.engine}-run.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    base = [sys.executable, "-m", "storyline.cli.main", "--db", str(db), "-q"]
    out: dict[str, Any] = {}
    secs, peak, rc = measure(base + ["run", str(corpus)], env, log)
    out["run"] = {"seconds": round(secs, 1), "per_s": round(n / secs, 1), "peak_rss_mb": round(peak / 2**20),
                  "rc": rc, "db_mb": _db_mb(db)}
    print(f"[n={n}] run (whole pipeline, one process) {secs:8.1f}s {n / secs:8.1f} art/s  peak {peak / 2**20:7.0f} MB"
          f"  db {out['run']['db_mb']} MB  rc {rc}", flush=True)
    secs, peak, rc = measure(base + ["build"], env, log)
    out["second_build"] = {"seconds": round(secs, 2), "peak_rss_mb": round(peak / 2**20), "rc": rc}
    print(f"[n={n}] second build, nothing new {secs:8.2f}s  rc {rc}", flush=True)
    if args.add:
        extra = folder / f"add{args.add}"
        if not (extra / "corpus.jsonl").exists():
            generate.write(args.add, extra, seed=args.seed + 1)
        t_ingest, peak_i, rc_i = measure(base + ["ingest", str(extra / "corpus.jsonl")], env, log)
        t_build, peak_b, rc_b = measure(base + ["build"], env, log)
        total = t_ingest + t_build
        out["add"] = {"articles": args.add, "ingest_s": round(t_ingest, 1), "build_s": round(t_build, 1),
                      "seconds": round(total, 1), "share_of_run": round(total / out["run"]["seconds"], 3),
                      "peak_rss_mb": round(max(peak_i, peak_b) / 2**20), "rc": max(rc_i, rc_b)}
        print(f"[n={n}] +{args.add} articles: ingest {t_ingest:.1f}s + build {t_build:.1f}s = "
              f"{100 * out['add']['share_of_run']:.1f}% of the full run", flush=True)
    return out


def machine() -> str:
    """nproc, memory, CPU model: the line every recorded result carries."""
    model = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} cores ({model}), {psutil.virtual_memory().total / 2**30:.0f} GiB RAM, "
            f"Python {platform.python_version()}; load average {os.getloadavg()[0]:.1f} at the end "
            "(other work shares the machine)")


def table(rows: list[dict[str, Any]], stages: list[str]) -> str:
    """Markdown table: per-stage seconds and articles/s, end-to-end, memory, DB, quality."""
    head = ["N", "engine"] + [f"{s} s (art/s)" for s in stages] + [
        "ingest→stories s (art/s)", "whole s (art/s)", "`run` s (art/s)", "2nd build s", "+K build",
        "peak RSS MB", "DB MB", "embed docs/s", "event B³-F1", "story B³-F1"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [f"{r['n']:,}", r["engine"]]
        for s in stages:
            st = r["stages"].get(s)
            cells.append("-" if st is None
                         else f"{st['seconds']} ({st['per_s']})" + ("" if st["rc"] == 0 else " FAILED"))
        e, w = r["end_to_end"], r["whole"]
        peak = max([st["peak_rss_mb"] for st in r["stages"].values()] + [r.get("run", {}).get("peak_rss_mb", 0)])
        q = r["quality"]
        run, second, add = r.get("run"), r.get("second_build"), r.get("add")
        cells += [f"{e['seconds']} ({e['per_s']})", f"{w['seconds']} ({w['per_s']})",
                  f"{run['seconds']} ({run['per_s']})" if run else "-", f"{second['seconds']}" if second else "-",
                  f"+{add['articles']}: {add['seconds']} s ({100 * add['share_of_run']:.1f}%)" if add else "-",
                  str(peak), str(r["db_mb"]), str(r.get("embed_per_s", "-")),
                  str(q["events"]["f1"]) if q.get("events") else "-",
                  str(q["stories"]["f1"]) if q.get("stories") else "-"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def verdicts(rows: list[dict[str, Any]]) -> list[str]:
    """The issue's targets, met or not, from what was measured."""
    by_n = {r["n"]: r for r in rows}
    out = []
    for n, r in sorted(by_n.items()):
        rate = r["end_to_end"]["per_s"] or 0
        out.append(f"ingest→stories at {n:,}: {rate} art/s (target >= 400): {'met' if rate >= 400 else 'NOT met'}")
        whole = r["whole"]["per_s"] or 0
        out.append(f"whole pipeline at {n:,}: {whole} art/s (target >= 100): {'met' if whole >= 100 else 'NOT met'}")
        peak = max(st["peak_rss_mb"] for st in r["stages"].values())
        out.append(f"peak RSS at {n:,}: {peak} MB (target <= 2048): {'met' if peak <= 2048 else 'NOT met'}")
        if "second_build" in r:
            sb = r["second_build"]["seconds"]
            out.append(f"second build at {n:,}, nothing new: {sb} s (target <= 1): {'met' if sb <= 1 else 'NOT met'}")
        if "add" in r:
            share = r["add"]["share_of_run"]
            out.append(f"+{r['add']['articles']} at {n:,}: {100 * share:.1f}% of the full run (target <= 5%): "
                       f"{'met' if share <= 0.05 else 'NOT met'}")
    if 10_000 in by_n and 100_000 in by_n:
        a, b = by_n[10_000], by_n[100_000]
        ratio = b["whole"]["seconds"] / a["whole"]["seconds"]
        out.append(f"wall(100k)/wall(10k) whole pipeline: {ratio:.2f} (target <= 11): "
                   f"{'met' if ratio <= 11 else 'NOT met'}")
        if "events" in a["stages"] and "events" in b["stages"]:
            ev = b["stages"]["events"]["seconds"] / a["stages"]["events"]["seconds"]
            out.append(f"wall(100k)/wall(10k) events stage: {ev:.2f} (target <= 12): "
                       f"{'met' if ev <= 12 else 'NOT met'}")
        qa, qb = a["quality"].get("events"), b["quality"].get("events")
        if qa and qb:
            gap = qa["f1"] - qb["f1"]
            out.append(f"event B³-F1 10k {qa['f1']} vs 100k {qb['f1']} (gap {gap:+.3f}, target <= 0.03): "
                       f"{'met' if gap <= 0.03 else 'NOT met'}")
    return out


def record(text: str, path: Path = ROOT / "BENCHMARKS.md") -> None:
    """Add a block at the end of the "## Scale" section (created if missing), leaving other sections alone."""
    content = path.read_text(encoding="utf-8") if path.exists() else ""
    marker = "## Scale"
    heading = re.search(rf"^{marker}$", content, re.M)   # the heading line, not a mention in the text
    if heading is None:
        content = content.rstrip("\n") + f"\n\n{marker}\n\nRecorded by `benchmarks/run.py --record`.\n"
        heading = re.search(rf"^{marker}$", content, re.M)
    start = heading.start()
    nxt = content.find("\n## ", start + len(marker))
    end = len(content) if nxt < 0 else nxt
    content = content[:end].rstrip("\n") + "\n\n" + text.strip("\n") + "\n" + content[end:]
    path.write_text(content, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, action="append", help="corpus size (repeatable; default 10000)")
    ap.add_argument("--engine", choices=("local", "dask"), default="local")
    ap.add_argument("--scheduler", default=None, help="Dask scheduler address (default: a LocalCluster)")
    ap.add_argument("--stages", nargs="+", default=STAGES, choices=STAGES)
    ap.add_argument("--out", default=str(ROOT / "bench-output"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--config", default=None, help="storyline.toml for every stage (default: none, the defaults)")
    ap.add_argument("--embed-sample", type=int, default=500, help="articles to time the encoder on (0: skip)")
    ap.add_argument("--run", action="store_true",
                    help="also time `storyline run` as one process, then a second build with nothing new")
    ap.add_argument("--add", type=int, default=0, help="with --run: ingest and build this many more articles")
    ap.add_argument("--record", action="store_true", help="append the results to BENCHMARKS.md ## Scale")
    args = ap.parse_args()
    args.stages = [s for s in STAGES if s in args.stages]
    sizes = args.n or [10_000]
    rows = [run_one(n, args) for n in sizes]
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = "python benchmarks/run.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    text = "\n".join([f"### {when}: `{command}`", "", f"Machine: {machine()}.", "",
                      table(rows, args.stages), ""] + [f"- {v}" for v in verdicts(rows)])
    print(text)
    out = Path(args.out) / f"results-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    if args.record:
        record(text)


if __name__ == "__main__":
    main()
