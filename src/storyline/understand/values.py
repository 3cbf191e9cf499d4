"""Numbers, dates and durations in a sentence, normalised so that outlets can be compared.

"first visit in nine years" published in 2021 and "first since 2012" both
become ``("year", 2012)``: a span of years counted back from the
publication date is the year it started. Percentages, money and counts keep
their unit (the word after a count), so "46 per cent increase" is compared
only with other percentages.

Day words ("on Tuesday", "yesterday", "next week") become the span of days
they name, counted from the publication date, so that "arrived here
Tuesday" and "due next week" are seen to say different things
(:func:`day_spans`, :func:`same_days`).
"""
from __future__ import annotations

import datetime as dt
import re
import zlib
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
_DIGIT = re.compile(r"\d")
_LETTERS = re.compile(r"[a-z]+")
# the words _NUM can match ("a dozen" needs "dozen"): a sentence with none of them and no digit counts nothing
_NUMBER_WORD_SET = frozenset(w for k in NUMBER_WORDS for w in k.split() if w not in ("a", "an"))
# characters other than A-Z that re.IGNORECASE matches to a-z (found by trying every code point)
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
# "in nine years", "after a gap of nine years", "nine years ago", "for the first time in 9 years"
_YEARS_AGO = re.compile(r"\b(?:in|after|of|for|over|within)\s+(?:a\s+gap\s+of\s+|the\s+last\s+|the\s+past\s+|nearly\s+|"
                        r"almost\s+|about\s+|more\s+than\s+|over\s+)?" + _NUM + r"\s+years?\b|\b" + _NUM +
                        r"\s+years?\s+ago\b", re.IGNORECASE)
_SINCE_YEAR = re.compile(r"\b(?:since|in|from|until|till|by|of|during)\s+(?:early\s+|late\s+|mid-?)?" + _YEAR + r"\b",
                         re.IGNORECASE)
_PERCENT = re.compile(_NUM + r"\s*(?:%|per\s*cent|percent)", re.IGNORECASE)
_MONEY = re.compile(r"(?:\$|US\$|€|£|₹|Rs\.?|USD|EUR|INR|PKR)\s?(\d[\d,]*(?:\.\d+)?)"
                    r"[\s-]*(million|billion|trillion|crore|lakh|m|bn)?\b",
                    re.IGNORECASE)
# Words between a number and the thing counted ("two other men", "three more people", "two Russian
# diplomats"): skipped, so the unit is the noun. A general English list, not fitted to a corpus.
_QUALIFIERS = ("more", "other", "additional", "further", "young", "old", "older", "younger", "new", "separate",
               "different", "unidentified", "unnamed", "armed", "masked", "small", "large", "adult", "male",
               "female", "local", "foreign", "senior", "junior", "top", "key", "major", "minor", "innocent",
               "alleged", "suspected", "teenage", "elderly", "unarmed", "fellow")
_QUALIFIER = r"(?:(?i:" + "|".join(_QUALIFIERS) + r")\s+|[A-Z][a-z]+\s+(?=[a-z]))"
# "COVID-19 pandemic" is no count of pandemics: a number glued to a word by a hyphen is part of a name
_COUNT = re.compile(r"(?<![A-Za-z]-)(?<![.,$€£₹\d])\b(?i:" + _NUM + r")[\s-]+" + _QUALIFIER + r"{0,2}([a-z]{3,})\b")
# What happened to the people counted, so "six people were shot" is not compared with "two people were
# killed": the verb next to the count, read as one of a few outcomes (general English, not fitted).
_OUTCOMES = {"killed": "killed", "dead": "killed", "died": "killed", "slain": "killed", "shot": "shot",
             "wounded": "injured", "injured": "injured", "hurt": "injured", "hospitalized": "injured",
             "hospitalised": "injured", "arrested": "arrested", "detained": "arrested", "charged": "charged",
             "missing": "missing", "rescued": "rescued", "evacuated": "evacuated", "displaced": "displaced"}
_OUTCOME_AFTER = re.compile(r"^\s+(?:(?:were|was|are|have|has|had|been|be|being|reportedly|also|later|all)\s+){0,3}"
                            r"(" + "|".join(_OUTCOMES) + r")\b", re.IGNORECASE)
_OUTCOME_BEFORE = re.compile(r"\b(" + "|".join(_OUTCOMES) + r")\s+(?:at\s+least\s+|about\s+|nearly\s+|some\s+|"
                             r"more\s+than\s+|over\s+|another\s+|an?\s+estimated\s+)?$", re.IGNORECASE)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_WORD = re.compile(r"\b(?:(last|next|this|on|past)\s+)?(" + "|".join(_WEEKDAYS) + r")\b"
                       r"|\b(yesterday|today|tonight|tomorrow)\b|\b(last|next|this)\s+(week|weekend)\b",
                       re.IGNORECASE)
_RELATIVE_DAYS = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}
_SCALE = {"million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12, "crore": 1e7, "lakh": 1e5}
# "9 p.m.", "an 8-year-old", "310,000": numbers that count nothing

_SKIP_UNITS = {"years", "year", "per", "percent", "of", "and", "the", "to", "in", "on", "at", "for", "or",
               "a.m", "p.m", "old", "th", "st", "nd", "rd", "hundred", "thousand", "million", "billion",
               "trillion", "crore", "lakh", "caliber", "calibre", "mm"}


# "the 5700 block of Pavot Court": the same address helps match two sentences, but two addresses are no
# figure outlets disagree on
_ADDRESS_UNITS = {"block"}


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
    """(kind, unit, value) triples: years referred to, percentages, money, counts of things.

    Each pattern runs only on a sentence holding what it cannot match without
    (a digit, a number word, "year", "cent" or "%"): most sentences hold none,
    and the patterns' leading alternations cost a try at every character.
    """
    out: set[tuple[str, str, float]] = set()
    digit = _DIGIT.search(sentence) is not None
    folded = sentence.translate(_FOLD).lower()      # the letters IGNORECASE takes for a-z
    for m in _SINCE_YEAR.finditer(sentence) if digit else ():
        out.add(("year", "", float(m.group(1))))
    if published is not None and "year" in folded:
        for m in _YEARS_AGO.finditer(sentence):
            n = to_number(m.group(1) or m.group(2))
            if n is not None and 0 < n < 200:
                out.add(("year", "", float(published.year - int(n))))
    for m in _PERCENT.finditer(sentence) if "%" in sentence or "cent" in folded else ():
        n = to_number(m.group(1))
        if n is not None:
            out.add(("percent", "", n))
    for m in _MONEY.finditer(sentence) if digit else ():
        n = to_number(m.group(1))
        if n is not None:
            out.add(("money", "", n * _SCALE.get((m.group(2) or "").lower(), 1.0)))
    # a count starts at a word boundary with a digit or a whole number word ("one-day": "one")
    counts = digit or not _NUMBER_WORD_SET.isdisjoint(_LETTERS.findall(folded))
    for m in _COUNT.finditer(sentence) if counts else ():
        if not m.group(1)[0].isdigit() and m.group(1)[0].isupper() and m.start() > 0:
            continue          # "Four Seasons", "One Direction": a capitalised number word inside a sentence is a name
        unit = m.group(2).lower()
        n = to_number(m.group(1))
        if n is not None and unit not in _SKIP_UNITS and not unit.startswith("per") and not _is_year(m.group(1)):
            outcome = _outcome(sentence, m.start(), m.end())
            out.add(("count", f"{_singular(unit)} {outcome}" if outcome else _singular(unit), n))
    return out


def _outcome(sentence: str, start: int, end: int) -> str | None:
    """What the counted were or had done to them, from the verb right after or before the count."""
    m = _OUTCOME_AFTER.match(sentence[end:end + 40]) or _OUTCOME_BEFORE.search(sentence[max(0, start - 40):start])
    return _OUTCOMES[m.group(1).lower()] if m else None


def day_spans(sentence: str, published: dt.date | None) -> frozenset[tuple[int, int]]:
    """The days a sentence's day words name, as (first, last) ordinals counted from ``published``.

    "Tuesday" is the last Tuesday on or before publication (news reports what
    happened), "last Tuesday" the one before, "next Tuesday" the one after;
    "yesterday"/"today"/"tomorrow" are one day, "last/this/next week" seven.
    Without a publication date the words themselves are kept, hashed to
    spans of their own so equal words still match.
    """
    out: set[tuple[int, int]] = set()
    for m in _DAY_WORD.finditer(sentence):
        words = " ".join(w.lower() for w in m.groups() if w)
        if published is None:
            key = -1 - zlib.crc32(words.removeprefix("on ").encode())    # negative: never a real ordinal
            out.add((key, key))
            continue
        today = published.toordinal()
        if m.group(2):
            lag = (published.weekday() - _WEEKDAYS.index(m.group(2).lower())) % 7
            before = (m.group(1) or "").lower()
            if before == "next":
                day = today + (7 - lag if lag else 7)
            elif before in ("last", "past"):
                day = today - (lag or 7)
            else:
                day = today - lag
            out.add((day, day))
        elif m.group(3):
            day = today + _RELATIVE_DAYS[m.group(3).lower()]
            out.add((day, day))
        else:
            monday = today - published.weekday()
            shift = {"last": -7, "this": 0, "next": 7}[m.group(4).lower()]
            if m.group(5).lower() == "weekend":
                out.add((monday + shift + 5, monday + shift + 6))
            else:
                out.add((monday + shift, monday + shift + 6))
    return frozenset(out)


def same_days(a: frozenset[tuple[int, int]], b: frozenset[tuple[int, int]]) -> bool:
    """Whether two sentences agree on when: neither names a day, or some day of one overlaps one of the other.

    A sentence that names a day and one that names none do not agree:
    "arrived on Tuesday" is confirmed only by outlets that say Tuesday.
    """
    if not a or not b:
        return not a and not b
    return any(x0 <= y1 and y0 <= x1 for x0, x1 in a for y0, y1 in b)


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
        for kind, unit, value in sorted(values):     # a set: its order (and so the lists') follows the hash seed
            if unit.split(" ")[0] in _ADDRESS_UNITS:
                continue
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
