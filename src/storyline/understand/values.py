"""Numbers, dates and durations in a sentence, normalised so that outlets can be compared.

"first visit in nine years" published in 2021 and "first since 2012" both
become ``("year", 2012)``: a span of years counted back from the
publication date is the year it started. Percentages, money and counts keep
their unit (the word after a count), so "46 per cent increase" is compared
only with other percentages.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a": 1, "an": 1, "a dozen": 12,
    "dozen": 12, "dozens": 24,
}
_NUM = r"(\d[\d,]*(?:\.\d+)?|" + "|".join(sorted((k for k in NUMBER_WORDS if k not in ("a", "an")), key=len,
                                                  reverse=True)) + r")"
_YEAR = r"((?:19|20)\d\d)"
# "in nine years", "after a gap of nine years", "nine years ago", "for the first time in 9 years"
_YEARS_AGO = re.compile(r"\b(?:in|after|of|for|over|within)\s+(?:a\s+gap\s+of\s+|the\s+last\s+|the\s+past\s+|nearly\s+|"
                        r"almost\s+|about\s+|more\s+than\s+|over\s+)?" + _NUM + r"\s+years?\b|\b" + _NUM +
                        r"\s+years?\s+ago\b", re.IGNORECASE)
_SINCE_YEAR = re.compile(r"\b(?:since|in|from|until|till|by|of|during)\s+(?:early\s+|late\s+|mid-?)?" + _YEAR + r"\b",
                         re.IGNORECASE)
_PERCENT = re.compile(_NUM + r"\s*(?:%|per\s*cent|percent)", re.IGNORECASE)
_MONEY = re.compile(r"(?:\$|US\$|€|£|₹|Rs\.?|USD|EUR|INR|PKR)\s?(\d[\d,]*(?:\.\d+)?)"
                    r"\s*(million|billion|trillion|crore|lakh|m|bn)?",
                    re.IGNORECASE)
# "COVID-19 pandemic" is no count of pandemics: a number glued to a word by a hyphen is part of a name
_COUNT = re.compile(r"(?<![A-Za-z]-)\b" + _NUM + r"[\s-]+([a-z]{3,})\b", re.IGNORECASE)
_SCALE = {"million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12, "crore": 1e7, "lakh": 1e5}
_SKIP_UNITS = {"years", "year", "per", "percent", "of", "and", "the", "to", "in", "on", "at", "for", "or"}


def to_number(token: str) -> float | None:
    """'nine' → 9, '1,200' → 1200.0; None for anything else."""
    t = token.lower().strip()
    if t in NUMBER_WORDS:
        return float(NUMBER_WORDS[t])
    try:
        return float(t.replace(",", ""))
    except ValueError:
        return None


def extract_values(sentence: str, published: dt.date | None) -> set[tuple[str, str, float]]:
    """(kind, unit, value) triples: years referred to, percentages, money, counts of things."""
    out: set[tuple[str, str, float]] = set()
    for m in _SINCE_YEAR.finditer(sentence):
        out.add(("year", "", float(m.group(1))))
    if published is not None:
        for m in _YEARS_AGO.finditer(sentence):
            n = to_number(m.group(1) or m.group(2))
            if n is not None and 0 < n < 200:
                out.add(("year", "", float(published.year - int(n))))
    for m in _PERCENT.finditer(sentence):
        n = to_number(m.group(1))
        if n is not None:
            out.add(("percent", "", n))
    for m in _MONEY.finditer(sentence):
        n = to_number(m.group(1))
        if n is not None:
            out.add(("money", "", n * _SCALE.get((m.group(2) or "").lower(), 1.0)))
    for m in _COUNT.finditer(sentence):
        unit = m.group(2).lower()
        n = to_number(m.group(1))
        if n is not None and unit not in _SKIP_UNITS and not unit.startswith("per") and not _is_year(m.group(1)):
            out.add(("count", _singular(unit), n))
    return out


def _is_year(token: str) -> bool:
    return bool(re.fullmatch(_YEAR, token))


def _singular(word: str) -> str:
    """Crude singular so "two-day" and "two days" share a unit."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def compare_values(by_outlet: dict[str, set[tuple[str, str, float]]],
                   ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Agreements and disagreements between outlets on values of the same kind and unit.

    Only outlets that state exactly one value of a kind+unit are compared,
    so a sentence listing several counts never makes a false conflict.
    """
    per_key: dict[tuple[str, str], dict[str, float]] = {}
    for outlet, values in by_outlet.items():
        grouped: dict[tuple[str, str], set[float]] = {}
        for kind, unit, value in values:
            grouped.setdefault((kind, unit), set()).add(value)
        for key, vals in grouped.items():
            if len(vals) == 1:
                per_key.setdefault(key, {})[outlet] = next(iter(vals))
    agree: list[dict[str, Any]] = []
    disagree: list[dict[str, Any]] = []
    for (kind, unit), stated in per_key.items():
        if len(stated) < 2:
            continue
        entry = {"kind": kind, "unit": unit, "values": {o: _show(v) for o, v in stated.items()}}
        (agree if len(set(stated.values())) == 1 else disagree).append(entry)
    return agree, disagree


def _show(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value
