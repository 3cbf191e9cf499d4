"""Repair of mojibake: UTF-8 text that was once decoded as Windows-1252 (``â€™`` for ``’``).

Scraped corpora carry it often (the India police-events corpus has it in
most documents). Each suspicious run is re-encoded as cp1252 and decoded as
UTF-8; a run that does not round-trip is left exactly as it was, so clean
text is never changed.
"""
from __future__ import annotations

import re

# Characters cp1252 maps the bytes 0x80-0xBF to: the continuation bytes of UTF-8.
_CONT = "\x80-\xbf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018\u2019" \
        "\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122\ufffd"
_RUN = re.compile(f"[\u00c2-\u00f4][{_CONT}]{{1,3}}")
_HINT = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152-\u2122\ufffd]")


def repair_mojibake(text: str) -> str:
    """Undo UTF-8-read-as-cp1252 damage run by run; text without such runs comes back unchanged."""
    if not _HINT.search(text):
        return text
    return _RUN.sub(_repair_run, text)


def _repair_run(match: re.Match[str]) -> str:
    run = match.group(0)
    try:
        fixed = _cp1252_bytes(run).decode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return run
    return fixed if fixed and len(fixed) < len(run) else run


def _cp1252_bytes(run: str) -> bytes:
    """The bytes a cp1252 decoder read; U+FFFD after "â€" stands for 0x9D ("”"), the common lost byte."""
    out = bytearray()
    for ch in run:
        if ch == "\ufffd":
            out.append(0x9D)
        elif ord(ch) < 256 and not 0x80 <= ord(ch) <= 0x9F:
            out.append(ord(ch))
        elif ord(ch) <= 0x9F:
            out.append(ord(ch))          # undefined cp1252 bytes passed through by lenient decoders
        else:
            out += ch.encode("cp1252")
    return bytes(out)
