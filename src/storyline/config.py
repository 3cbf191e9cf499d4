"""Settings: one TOML file, one section per stage; keys equal constructor parameters.

Defaults live in the stage classes themselves, so storyline works with no file
at all. A section only overrides what it names::

    [events]
    use_embeddings = false

    [embed]
    model = "all-MiniLM-L6-v2"     # or a path, or any sentence-transformers name
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError

SECTIONS = ("ingest", "clean", "dedupe", "embed", "events", "stories", "entities", "quotes",
            "facts", "summarize", "engine", "web")


@dataclass
class Settings:
    """All stage settings; ``section(name)`` gives the kwargs for that stage's constructor."""

    sections: dict[str, dict[str, Any]] = field(default_factory=dict)
    path: str | None = None

    def section(self, name: str) -> dict[str, Any]:
        if name not in SECTIONS:
            raise ConfigError(f"unknown config section [{name}]; known: {', '.join(SECTIONS)}")
        return dict(self.sections.get(name, {}))

    def get(self, name: str, key: str, default: Any = None) -> Any:
        return self.sections.get(name, {}).get(key, default)

    def with_values(self, name: str, **values: Any) -> "Settings":
        """A copy with some values of one section replaced (CLI flags use this)."""
        sections = {k: dict(v) for k, v in self.sections.items()}
        sections.setdefault(name, {}).update({k: v for k, v in values.items() if v is not None})
        return Settings(sections, self.path)


def load_settings(path: str | os.PathLike[str] | None = None) -> Settings:
    """Read the config file named, or ``$STORYLINE_CONFIG``, or ``./storyline.toml`` if present."""
    candidate = path or os.environ.get("STORYLINE_CONFIG")
    if candidate is None and Path("storyline.toml").exists():
        candidate = "storyline.toml"
    if candidate is None:
        return Settings()
    file = Path(candidate)
    if not file.is_file():
        raise ConfigError(f"config file not found: {file}")
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {file} is not valid TOML: {exc}") from exc
    unknown = [k for k in data if k not in SECTIONS]
    if unknown:
        raise ConfigError(f"unknown config section(s) {unknown} in {file}; known: {', '.join(SECTIONS)}")
    for name, values in data.items():
        if not isinstance(values, dict):
            raise ConfigError(f"[{name}] in {file} must be a table of key = value")
    return Settings({k: dict(v) for k, v in data.items()}, str(file))
