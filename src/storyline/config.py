"""Settings: one TOML file, one section per stage; keys equal constructor parameters.

Defaults live in the stage classes themselves, so storyline works with no file
at all. A section only overrides what it names::

    [events]
    use_embeddings = false

    [embed]
    model = "all-MiniLM-L6-v2"     # or a path, or any sentence-transformers name
"""
from __future__ import annotations

import importlib
import inspect
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError

# Who reads each section: ("module:Callable", key prefix). A section's keys are the parameters of
# its readers (with the prefix), plus the stage options in EXTRA_KEYS; anything else is a typo.
SECTION_READERS: dict[str, tuple[tuple[str, str], ...]] = {
    "ingest": (("storyline.read:iter_documents", ""),),
    "clean": (("storyline.clean:make_article", ""),),
    "dedupe": (("storyline.dedupe.minhash:DuplicateFinder", ""),),
    "embed": (("storyline.represent.embed:Encoder", ""),),
    "events": (("storyline.events.clusterer:EventClusterer", ""),),
    "stories": (("storyline.stories.linker:StoryLinker", ""),),
    "entities": (("storyline.understand.entities:EntityResolver", ""),),
    "quotes": (("storyline.understand.quotes:QuoteExtractor", ""),),
    "facts": (("storyline.understand.facts:FactAligner", ""),),
    "summarize": (("storyline.summarize.extractive:EventSummarizer", ""),
                  ("storyline.summarize.abstractive:AbstractiveSummarizer", "abstractive_")),
    "engine": (("storyline.engine:LocalEngine", ""), ("storyline.engine.dask:DaskEngine", "")),
}
EXTRA_KEYS: dict[str, tuple[str, ...]] = {
    "events": ("chunk_size",),                          # the stage's batch size, not a clusterer parameter
    "entities": ("model", "batch_size", "n_process", "skip_plain_sentences"),   # how the stage runs spaCy
    "engine": ("type",),                                # local | dask
}
SECTIONS = tuple(SECTION_READERS)


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

    def with_values(self, name: str, **values: Any) -> Settings:
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
        check_keys(name, values, file)
    return Settings({k: dict(v) for k, v in data.items()}, str(file))


def allowed_keys(section: str) -> list[str]:
    """The keys ``section`` accepts: its readers' constructor parameters and the stage's own options."""
    keys = set(EXTRA_KEYS.get(section, ()))
    for target, prefix in SECTION_READERS[section]:
        module_name, _, attr = target.partition(":")
        try:
            reader = getattr(importlib.import_module(module_name), attr)
        except ImportError:          # an optional extra (dask) not installed: its keys are unknown here
            continue
        for param in inspect.signature(reader).parameters.values():
            if param.kind in (param.POSITIONAL_OR_KEYWORD, param.KEYWORD_ONLY) and param.default is not param.empty:
                keys.add(prefix + param.name)
    return sorted(keys)


def check_keys(section: str, values: dict[str, Any], file: Path | str) -> None:
    """One-line :class:`ConfigError` for a key no reader of ``section`` takes, naming the allowed ones."""
    allowed = allowed_keys(section)
    unknown = sorted(k for k in values if k not in allowed)
    if unknown:
        raise ConfigError(f"unknown key(s) {', '.join(unknown)} in [{section}] of {file}; "
                          f"allowed: {', '.join(allowed)}")
