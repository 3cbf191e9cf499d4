"""Opening input files safely: gzip, size limits, format sniffing and byte decoding.

Every reader goes through these helpers, so the rules for a too-large file,
a truncated ``.gz`` or undecodable bytes are the same for every format.
"""
from __future__ import annotations

import gzip
import re
import zlib
from pathlib import Path
from typing import BinaryIO

from ..errors import RecordError

# 10 MB: ten times the largest news page seen in the AEB benchmark HTML (about 1 MB);
# a record above this is almost surely a dump or a binary, not one article.
DEFAULT_MAX_BYTES = 10_000_000

SUFFIX_FORMATS = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".warc": "warc", ".arc": "warc",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
}
COMPRESSED = (".gz", ".gzip")
# Byte-order marks of the wide Unicode encodings, UTF-32 first (its little-endian BOM starts like UTF-16's).
WIDE_BOMS = ((b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe\x00\x00", "utf-32"),
             (b"\xfe\xff", "utf-16"), (b"\xff\xfe", "utf-16"))
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def base_suffix(path: Path) -> str:
    """The format suffix of a path, looking through a compression suffix (``a.html.gz`` → ``.html``)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in COMPRESSED:
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def record_stem(path: Path) -> str:
    """The file name without format and compression suffixes: the article id of a one-article file."""
    name = path.name
    for suffix in (*COMPRESSED, base_suffix(path)):
        if suffix and name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name or path.name


def is_compressed(path: Path) -> bool:
    return path.suffix.lower() in COMPRESSED


def open_binary(path: Path) -> BinaryIO:
    """Open a file for streaming bytes, decompressing ``.gz`` on the fly."""
    if is_compressed(path):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def read_limited(path: Path, max_bytes: int) -> bytes:
    """The whole file (decompressed), refusing to hold more than ``max_bytes`` in memory."""
    if not is_compressed(path):
        size = path.stat().st_size
        if size > max_bytes:
            raise RecordError("too-large", f"{size:,} bytes > limit {max_bytes:,} (ingest.max_bytes)")
    try:
        with open_binary(path) as handle:
            data = handle.read(max_bytes + 1)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise RecordError("unparseable", f"corrupt or truncated compressed file: {exc}") from exc
    if len(data) > max_bytes:
        raise RecordError("too-large", f"more than {max_bytes:,} bytes (ingest.max_bytes)")
    return data


def sniff_format(path: Path) -> str:
    """Guess a file's format from its suffix, else from its first bytes."""
    known = SUFFIX_FORMATS.get(base_suffix(path))
    if known:
        return known
    try:
        with open_binary(path) as handle:
            head = handle.read(4096)
    except (OSError, EOFError, zlib.error):
        return "text"   # the text reader will reject it with the precise reason
    return sniff_bytes(head)


def wide_encoding(data: bytes) -> str | None:
    """``utf-16`` or ``utf-32`` when the bytes start with that encoding's byte-order mark, else None."""
    return next((name for bom, name in WIDE_BOMS if data.startswith(bom)), None)


def sniff_bytes(head: bytes) -> str:
    """Format from the first bytes of a file (UTF-16/32 text with a BOM is looked at as text)."""
    wide = wide_encoding(head)
    if wide:
        head = head.decode(wide, errors="ignore").encode("utf-8")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    lower = stripped[:2048].lower()
    if stripped.startswith(b"WARC/"):
        return "warc"
    if stripped.startswith(b"{"):
        return "jsonl"
    if stripped.startswith(b"["):
        return "json"
    if b"<rss" in lower or b"<feed" in lower or b"<rdf:rdf" in lower:
        return "feed"
    if lower.startswith(b"<") and (b"<html" in lower or b"<!doctype html" in lower or b"<body" in lower):
        return "html"
    return "text"


def looks_binary(data: bytes | str) -> bool:
    """True for bytes no text file contains: NULs, or more than 1% control characters."""
    sample = data[:8192]
    if isinstance(sample, bytes):
        if b"\x00" in sample:
            return True
        sample = sample.decode("latin-1")
    if "\x00" in sample:
        return True
    return bool(sample) and len(_CONTROL.findall(sample)) > 0.01 * len(sample)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode text bytes as UTF-8, else as Windows-1252/Latin-1 when that reads as text; return (text, encoding).

    UTF-16 and UTF-32 are read when a byte-order mark says so (Windows tools write
    them); without one their NUL bytes make them look binary. Raises ``RecordError``
    with reason ``binary`` or ``undecodable``.
    """
    wide = wide_encoding(data)
    if wide:
        return _decode_wide(data, wide), wide
    if looks_binary(data):
        raise RecordError("binary", "contains NUL or control bytes")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _reads_as_latin_text(text):
            return text, encoding
    guessed = _guess_legacy_encoding(data)
    if guessed:
        return guessed
    raise RecordError("undecodable", f"not UTF-8 ({utf8_error.reason} at byte {utf8_error.start})"
                      " and no legacy encoding reads it as text")


def _decode_wide(data: bytes, encoding: str) -> str:
    """UTF-16/32 text after its BOM; bytes that do not decode, or decode to control characters, are rejected."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise RecordError("undecodable", f"starts with a {encoding} byte-order mark but is not {encoding}"
                          f" ({exc.reason} at byte {exc.start})") from exc
    if looks_binary(text):
        raise RecordError("binary", f"{encoding} text holds NUL or control characters")
    return text


def _guess_legacy_encoding(data: bytes) -> tuple[str, str] | None:
    """Other legacy encodings (cp1251, KOI8-R, Shift-JIS …) by charset-normalizer, only when it reads as clean text."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data[:50_000]))
    # chaos is charset-normalizer's share of "messy" characters; random bytes get no match at all.
    clean = [m for m in matches if m.chaos <= 0.1]
    if not clean:
        return None
    # Equally clean readings (cp1251 vs mac_cyrillic differ only in a few capitals): prefer the
    # Windows code pages, which web pages use far more often than Mac ones.
    lowest = min(m.chaos for m in clean)
    tied = [m for m in clean if m.chaos == lowest]
    best = next((m for m in tied if m.encoding.startswith("cp125")), tied[0])
    try:
        return data.decode(best.encoding), best.encoding
    except (UnicodeDecodeError, LookupError):
        return None


def _reads_as_latin_text(text: str) -> bool:
    """Western text in a legacy 8-bit encoding is mostly ASCII with a few accented letters.

    Random or foreign-encoded bytes decode to a soup of symbols and accented
    letters; real Latin-1 prose in any Western language stays well under 30%
    non-ASCII characters (French and German run at 2-5%).
    """
    sample = text[:20000]
    if not sample.strip():
        return False
    non_ascii = sum(1 for ch in sample if ord(ch) > 127)
    if non_ascii > 0.3 * len(sample):
        return False
    symbols = sum(1 for ch in sample if ord(ch) > 127 and not ch.isalpha())
    return symbols <= 0.05 * len(sample)
