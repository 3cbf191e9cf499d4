"""The foundation commands, end to end, through the real CLI on the seed articles."""
from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXPECTED_DATES = {
    "000_468fb4437cf128b2": "2021-04-07",
    "001_8e996adc80db6a17": "2021-04-06",
    "002_75e992cbffc40e33": "2021-04-07",
    "003_59184ea88735fe72": "2021-04-07",
    "004_852cc368e871173c": "2023-05-04",
}


def cli(*args: str, db: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STORYLINE_DB": str(db)}
    return subprocess.run([sys.executable, "-m", "storyline.cli.main", "-q", *args], input=stdin,
                          capture_output=True, text=True, env=env, timeout=120)


def balance(stderr: str) -> tuple[int, int, int, int]:
    match = re.search(r"read (\d+) = stored (\d+) \+ duplicates (\d+) \+ rejected (\d+)", stderr)
    assert match, stderr
    return tuple(map(int, match.groups()))  # type: ignore[return-value]


@pytest.fixture(scope="module")
def seeds_cli_db(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    db = tmp_path_factory.mktemp("cli") / "seeds.db"
    done = cli("ingest", str(seeds_dir), db=db)
    assert done.returncode == 0, done.stderr
    assert balance(done.stderr) == (5, 5, 0, 0)
    return db


def test_seeds_ingest_with_dates_and_titles(seeds_cli_db: Path) -> None:
    done = cli("articles", "--json", db=seeds_cli_db)
    assert done.returncode == 0, done.stderr
    rows = {r["id"]: r for r in json.loads(done.stdout)}
    assert {k: r["date"] for k, r in rows.items()} == EXPECTED_DATES
    assert rows["000_468fb4437cf128b2"]["title"] == "Pakistan, Russian FMs to hold delegation-level talks in Islamabad today"
    assert rows["002_75e992cbffc40e33"]["title"].startswith("Russia offers military support")
    assert rows["004_852cc368e871173c"]["title"] == "Bilawal meets Russian FM Lavrov on sidelines of SCO meeting"
    lead_title = rows["001_8e996adc80db6a17"]["title"]            # no title line: made from the lead sentence
    assert lead_title and 4 <= len(lead_title.split()) <= 16 and not lead_title.isupper()
    assert "ISLAMABAD" not in lead_title and "Lavrov" in lead_title
    assert all(r["language"] == "en" for r in rows.values())


def test_reingesting_adds_nothing(seeds_cli_db: Path, seeds_dir: Path) -> None:
    done = cli("ingest", str(seeds_dir), db=seeds_cli_db)
    assert done.returncode == 0 and balance(done.stderr) == (5, 0, 5, 0)
    stats = json.loads(cli("stats", "--json", db=seeds_cli_db).stdout)
    assert stats["articles"] == 5 and stats["rejects"] == 0


def test_show_json_gives_clean_text_beside_raw_text(seeds_cli_db: Path) -> None:
    done = cli("show", "004_852cc368e871173c", "--json", db=seeds_cli_db)
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert record["date"] == "2023-05-04" and record["date_source"] == "text"
    assert record["text"] and record["raw_text"] and record["text"] != record["raw_text"]
    assert "Comments are moderated" in record["raw_text"] and "Comments are moderated" not in record["text"]
    plain = cli("show", "004_852cc368e871173c", db=seeds_cli_db)
    assert plain.returncode == 0 and "Bilawal" in plain.stdout


def test_show_unknown_id_is_one_line_and_exit_1(seeds_cli_db: Path) -> None:
    done = cli("show", "no-such-id", db=seeds_cli_db)
    assert done.returncode == 1 and done.stderr.strip().count("\n") == 0 and "no-such-id" in done.stderr


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_export_articles(seeds_cli_db: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"articles.{fmt}"
    done = cli("export", "articles", "--format", fmt, "-o", str(out), db=seeds_cli_db)
    assert done.returncode == 0, done.stderr
    if fmt == "csv":
        rows = list(csv.DictReader(out.open(encoding="utf-8")))
    else:
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 5
    assert {"id", "url", "title", "date", "outlet", "language"} <= set(rows[0])
    assert {r["id"]: r["date"] for r in rows} == EXPECTED_DATES


def test_rejects_and_stats_list_what_was_not_stored(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("")
    (tmp_path / "in" / "bad.jsonl").write_text('{"id": 1, "text": "x"\n')
    done = cli("ingest", str(tmp_path / "in"), db=db)
    assert done.returncode == 0 and balance(done.stderr) == (2, 0, 0, 2)
    rejects = json.loads(cli("rejects", "--json", db=db).stdout)
    assert {(Path(r["source"]).name, r["reason"]) for r in rejects} == {("empty.txt", "empty"),
                                                                       ("bad.jsonl:1", "unparseable")}
    table = cli("rejects", db=db)
    assert table.returncode == 0 and "empty" in table.stdout
    stats = json.loads(cli("stats", "--json", db=db).stdout)
    assert stats["rejects"] == 2 and stats["reject_reasons"] == {"empty": 1, "unparseable": 1}


def test_jsonl_from_stdin_keeps_record_ids(tmp_path: Path) -> None:
    body = ("The port authority said on Friday that shipping traffic had returned to normal after the storm, "
            "and that all terminals were open again.")
    lines = "\n".join(json.dumps({"id": f"s{i}", "headline": f"Port reopens {i}", "body": f"{body} ({i})",
                                  "published": "2022-01-0%d" % (i + 1)}) for i in range(3))
    db = tmp_path / "stdin.db"
    done = cli("ingest", "-", db=db, stdin=lines + "\n")
    assert done.returncode == 0 and balance(done.stderr) == (3, 3, 0, 0), done.stderr
    rows = json.loads(cli("articles", "--json", db=db).stdout)
    assert [(r["id"], r["date"], r["title"]) for r in rows] == [
        (f"s{i}", f"2022-01-0{i + 1}", f"Port reopens {i}") for i in range(3)]


def test_missing_path_is_one_line_and_exit_1(tmp_path: Path) -> None:
    done = cli("ingest", str(tmp_path / "does-not-exist"), db=tmp_path / "m.db")
    assert done.returncode == 1
    assert done.stderr.strip().startswith("error:") and "does-not-exist" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_bad_settings_are_one_line_errors(tmp_path: Path, seeds_dir: Path) -> None:
    config = tmp_path / "storyline.toml"
    for section in ("[ingest]\nmax_byte = 5\n", "[clean]\nmin_chars = -1\n"):
        config.write_text(section)
        done = cli("--config", str(config), "ingest", str(seeds_dir), db=tmp_path / "c.db")
        assert done.returncode == 1, done.stderr
        assert done.stderr.startswith("error:") and len(done.stderr.strip().splitlines()) == 1, done.stderr


@pytest.mark.parametrize("args", [["export", "bogus", "-o", "x.jsonl"], ["articles", "--no-such-flag"],
                                  ["export", "articles", "--format", "xml", "-o", "x"]])
def test_bad_flag_or_choice_is_one_line_and_exit_1(seeds_cli_db: Path, args: list[str]) -> None:
    done = cli(*args, db=seeds_cli_db)
    assert done.returncode == 1, done
    assert done.stderr.startswith("error: ") and done.stderr.strip().count("\n") == 0
    assert "Traceback" not in done.stderr
