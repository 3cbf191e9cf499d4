"""Config files: every key of every section is checked against the stage that reads it."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from storyline.config import SECTIONS, allowed_keys, load_settings
from storyline.errors import ConfigError


@pytest.mark.parametrize("section", SECTIONS)
def test_an_unknown_key_in_any_section_is_refused_naming_the_allowed_ones(tmp_path: Path, section: str) -> None:
    path = tmp_path / "storyline.toml"
    path.write_text(f"[{section}]\nno_such_key = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=f"unknown key\\(s\\) no_such_key in \\[{section}\\]") as info:
        load_settings(path)
    assert "allowed: " + allowed_keys(section)[0] in str(info.value)


@pytest.mark.parametrize("section", SECTIONS)
def test_every_allowed_key_is_accepted(tmp_path: Path, section: str) -> None:
    keys = allowed_keys(section)
    assert keys, section
    path = tmp_path / "storyline.toml"
    path.write_text(f"[{section}]\n{keys[0]} = 1\n", encoding="utf-8")
    assert load_settings(path).section(section) == {keys[0]: 1}


def test_positional_inputs_are_not_settings() -> None:
    assert "paths" not in allowed_keys("ingest") and "raw" not in allowed_keys("clean")


def test_cli_unknown_key_is_one_line_exit_1(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text("[stories]\nthreshhold = 0.2\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "storyline.cli", "--config", str(tmp_path / "bad.toml"),
                           "--db", str(tmp_path / "x.db"), "stats"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "threshhold in [stories]" in done.stderr
