"""Small lexicons of generic web-boilerplate cues, one compiled pattern per kind.

These are the phrases that web page templates put around an article in any
outlet (comment-section headers, "read more" link cues, photo credits,
connection banners, share buttons), not sentences from any one document.
Each pattern is only a *cue*: the line classifier in ``boilerplate.py`` also
checks the line's shape (length, final punctuation, position) before it drops
anything, so a news sentence that happens to contain a cue word stays.
"""
from __future__ import annotations

import re

_I = re.IGNORECASE

# Start of a reader-comment section.  Two strengths of cue:
# COMMENT_HEADER — labels and widgets ("COMMENTS (3)", "12 comments", "Replying to X",
#   "Post a comment"): only a cue on a line that is not a full sentence, since news
#   prose says "Replying to a question, the minister said ...";
# COMMENT_NOTICE — moderation/closure notices, specific enough even as a sentence.
COMMENT_HEADER = re.compile(
    r"^(?:\d+\s+)?(?:reader\s+)?comments?\s*(?:\(\d+\)|:)?\s*$"
    r"|^(?:leave|post|add|write|submit|show|view|load|read|see)\s+(?:a|your|the|all|more)?\s*"
    r"(?:\d+\s+)?(?:comments?|replies|reply|responses)\b"
    r"|^(?:replying|reply)\s+to\b"
    r"|^(?:join|start)\s+the\s+(?:discussion|conversation|debate)"
    r"|^(?:\d+\s+)?(?:responses?|replies)\s+to\b",
    _I,
)
COMMENT_NOTICE = re.compile(
    r"^comments?\s+(?:are|is)\s+(?:moderated|closed|disabled|now\s+closed)"
    r"|^(?:be\s+the\s+first\s+to\s+comment|no\s+comments\s+yet)"
    r"|^comment\s+(?:policy|guidelines|rules)\b",
    _I,
)


# A link to another article: the cue, then (usually) a headline.
CROSS_LINK_WITH_SEPARATOR = re.compile(
    r"^(?:read\s+more|also\s+read|read\s+also|see\s+also|also\s+see"
    r"|related(?:\s+(?:news|articles?|stories|reading|coverage))?"
    r"|recommended|more\s+(?:on|from)\s+[\w ]{1,30}|must\s+read|don'?t\s+miss|watch|listen|read"
    r"|suggested(?:\s+reading)?"
    r"|further\s+reading|in\s+(?:pictures|photos|video)|trending|top\s+stories)\s*[:|>»\-–—]\s*\S",
    _I,
)
# The same cues without a separator ("Read India denies ...", "Also read Pakistan ...");
# only a cue when what follows looks like a headline (checked by the classifier).
CROSS_LINK_BARE = re.compile(
    r"^(?i:read\s+more|also\s+read|read\s+also|see\s+also|also\s+see|read|must\s+read|don'?t\s+miss)\s+(?=[A-Z0-9‘“\"'])",
)

# Photo/video credits and captions ending in one: "PHOTO: REUTERS", "Photo Courtesy: X",
# "(File photo)", "Image credit: ...", "Getty Images".
PHOTO_CREDIT = re.compile(
    r"\b(?:photos?|photograph|images?|pictures?|pics?|videos?|graphics?|illustrations?|file\s+photo|screen\s*(?:shot|grab))"
    r"\s*(?:courtesy|credits?|source|by)?\s*[:|/©]\s*\S"
    r"|\b(?:photos?|images?|pictures?)\s+(?:courtesy|credits?)\b"
    r"|\b(?:photos?|images?|pictures?)\s+by\s+[A-Z]"
    r"|\((?:file\s+)?(?:photos?|images?|pictures?)\b[^)]*\)\s*$"
    r"|\bgetty\s+images\b|\bshutterstock\b",
    _I,
)

# Copyright and rights notices of the page template.
COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b|\ball\s+rights\s+reserved\b", _I)

# Banners and chrome of the page's own interface: connection/retry notices,
# ad labels, share buttons, newsletter and donation prompts, navigation skips.
INTERFACE_CHROME = re.compile(
    r"\b(?:can'?t|cannot|could\s+not|unable\s+to)\s+(?:connect|load)\b|\bretry\b|\btry\s+again\b"
    r"|\b(?:you\s+are|you're)\s+offline\b|\bcheck\s+your\s+(?:internet\s+)?connection\b"
    r"|^(?:advertisement|advertising|sponsored(?:\s+content)?|ad|story\s+continues\s+below(?:\s+advertisement)?)$"
    r"|^(?:share|share\s+this(?:\s+(?:article|story|post))?|tweet|email|e-mail|print|whatsapp|facebook|twitter|linkedin|reddit|copy\s+link)"
    r"(?:\s*[|,/·•]?\s*(?:share|tweet|email|e-mail|print|whatsapp|facebook|twitter|linkedin|reddit|copy\s+link))*$"
    r"|\b(?:subscribe|sign\s+up)\s+(?:to|for)\s+(?:our|the)\s+(?:\w+\s+)?newsletter"
    r"|\bmake\s+a\s+(?:\w+\s+)?donation\b|\bdonate\s+(?:now|today|here)\b"
    r"|\bsupport\s+(?:our|independent|quality)\s+journalism\b|\bbecome\s+a\s+(?:member|subscriber|supporter)\b"
    r"|^follow\s+(?:us|@?\w+)\s+on\b|\benable\s+javascript\b|\bskip\s+to\s+(?:main\s+)?content\b"
    r"|^loading\.{0,3}$|^(?:click|tap)\s+here\b|^(?:sign\s+in|log\s+in|register|subscribe)(?:\s+(?:now|today))?$"
    r"|^\d+\s+min(?:ute)?s?\s+read$",          # a reading-time label left alone once its timestamp is cut
    _I,
)

# The subset of INTERFACE_CHROME specific enough to drop even a full sentence
# ("An error has occurred, please try again later."); the rest ("retry", "share")
# are words news prose uses too, so they only drop lines that are not sentences.
INTERFACE_NOTICE = re.compile(
    r"\bplease\s+try\s+again\b|\btry\s+again\s+later\b|\bcheck\s+your\s+(?:internet\s+)?connection\b"
    r"|\benable\s+javascript\b|\b(?:you\s+are|you're)\s+offline\b|\b(?:can'?t|cannot|unable\s+to)\s+connect\b"
    # a donation or membership prompt as an imperative opening the line or after a site name and a dash
    r"|(?:^|[-–—|:]\s*)(?:make\s+a\s+(?:\w+\s+)?donation|donate\s+(?:now|today|here)"
    r"|support\s+(?:our|independent|quality)\s+journalism|become\s+a\s+(?:member|subscriber|supporter))\b",
    _I,
)

# Social-media embeds: tweet picture links, short links, the signature line
# of an embedded tweet ("— Name (@handle) April 6, 2021"), Instagram captions.
SOCIAL_EMBED = re.compile(
    r"pic\.twitter\.com/|https?://t\.co/|twitter\.com/\w+/status|x\.com/\w+/status"
    r"|^\s*[—–-]+\s*.{0,80}\(@\w{1,30}\)"
    r"|\(@\w{1,30}\)\s+\w+\s+\d{1,2},\s+\d{4}\s*$"
    r"|^a\s+post\s+shared\s+by\b",
    _I,
)

# Byline / timestamp cues: "By Jane Doe", "Published: ...", "Updated 2 hours ago".
BYLINE_CUE = re.compile(
    r"^(?-i:By|BY)\s+(?-i:[A-Z])|^(?:published|updated|posted|last\s+updated|first\s+published)\b\s*(?:on|at|:)?"
    r"|\b\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago\b",
    _I,
)

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
# A calendar date in the common news spellings, with an optional clock time.
DATE = re.compile(
    rf"\b(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})"
    r"(?:\s*(?:,|at|-|\|)?\s*\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?",
    _I,
)

# A labelled keyword list: "Tags: a, b, c", "Topics: ...", "Filed under: ...".
TAG_LABEL = re.compile(r"^(?:tags?|topics?|keywords?|filed\s+under|categories|more\s+about)\s*[:|]", _I)

# Cheap substring pre-checks (lower-cased line) before the slower cue patterns:
# a line without any of these words cannot match the pattern named beside it.
PHOTO_KEYS = ("photo", "image", "picture", "pic", "video", "graphic", "illustration", "screen", "getty",
              "shutterstock")                                                   # PHOTO_CREDIT
COPYRIGHT_KEYS = ("©", "(c)", "copyright", "rights reserved")                   # COPYRIGHT
SOCIAL_KEYS = ("twitter.com", "t.co/", "x.com/", "(@", "post shared")          # SOCIAL_EMBED


def has_any(lower: str, keys: tuple[str, ...]) -> bool:
    """Whether the lower-cased line contains one of the keys (C-speed substring search)."""
    return any(k in lower for k in keys)


# Arrows and delta signs used by market tickers and score widgets.
TICKER_SYMBOLS = re.compile(r"[▲▼△▽↑↓⬆⬇]")

# A dateline standing on its own line ("ISLAMABAD:", "NEW DELHI -"): it belongs
# to the paragraph below, so it is joined to it rather than dropped.
DATELINE = re.compile(r"^[A-Z][A-Z .'’-]{1,40}(?:,\s*[A-Z][A-Za-z .'-]{1,30})?\s*[:—–-]$")

# Symbol bullets only: numbered items ("3. Take inventory") are listicle headings, not summaries.
BULLET = re.compile(r"^\s*[•·▪●◦‣∙■□➤►\-*–]\s+")

# A signed change beside a quote: "+0.25", "-1.2%", "(0.6%)", "(-0.27%)".
SIGNED_CHANGE = re.compile(r"(?:^|\s)[+\-−–]\d[\d.,]*%?(?=\s|$)|\(\s*[+\-−]?\d[\d.,]*\s*%\s*\)")

# English function words: a sentence has many, a keyword/tag list has almost none.
STOPWORDS = frozenset(
    "a an the and or but if of to in on at by for with from as into about over after before "
    "is are was were be been being has have had do does did will would shall should can could may might must "
    "that this these those it its he she they we you i his her their our your them him us "
    "not no so than then there here which who whom whose what when where why how also said says".split()
)


# --- Scraping residue stuck to a line (stripped, the rest of the line kept) ---------------------------
# A weekday, a date with or without a clock time, a time zone: what a web template prints as a timestamp.
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?"
_CLOCK = r"\d{1,2}(?::\d{2}){1,2}\s*(?:[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?"
_TZ = r"(?:[ECMPA][SD]?T|UTC|GMT|BST|CET|IST|ET|CT|PT)\b"
_STAMP = (rf"(?:{_WEEKDAY},?\s*)?(?:{DATE.pattern})(?:,?\s*(?:at\s+)?(?:{_CLOCK}))?(?:\s*{_TZ})?")
# "Headline Posted: Thursday, July 11, 2013 2:53 PM EDT Updated: Saturday, August 10, 2013 ...":
# template timestamps glued after a headline; only dates, times and the labels follow the label.
STAMP_SUFFIX = re.compile(
    rf"\s*[|–—-]?\s*\b(?:posted|published|updated|last\s+updated)\s*(?:on|at)?\s*:?\s*{_STAMP}"
    rf"(?:\s*[|,;]?\s*(?:posted|published|updated|last\s+updated)?\s*(?:on|at)?\s*:?\s*{_STAMP})*\s*$",
    _I,
)
# A headline ending in a bare timestamp with a clock time ("... Julian Sims January 1, 2013 5:05 PM"); a date
# alone stays ("sign gas deal on May 4, 2023" is a dated headline).
CLOCK_STAMP_SUFFIX = re.compile(
    rf"\s+(?:{_WEEKDAY},?\s*)?(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}),?\s*(?:at\s+)?"
    rf"\d{{1,2}}:\d{{2}}\s*[ap]\.?m\.?(?:\s*{_TZ})?\s*$",
    _I,
)
# A parenthesised credit or timestamp closing a caption: "(Source: CBS4)", "(Credit: X/Y)",
# "(Published Thursday, Mar 14, 2013)", "(Posted on: February 13, 2014)".
CREDIT_SUFFIX = re.compile(
    r"\s*\((?:sources?|credits?|photo|video|image|courtesy)\s*:\s*[^()]{1,60}\)\s*$"
    rf"|\s*\((?:published|posted|updated)(?:\s+on)?\s*:?\s*{_STAMP}\s*\)\s*$",
    _I,
)
# "UPDATE (8/14/13):", "Update 10:00 a.m.:", "***UPDATED at 11:37 A.M. on Monday, March 17th***", "UPDATE:":
# an update label with a timestamp before the sentence it introduces.  A bare "UPDATE:" stays: it is the
# author's word (CleanEval's gold keeps it) and carries no names.
UPDATE_PREFIX = re.compile(
    rf"^[*\s]*(?:update[sd]?|updated)\b(?=[\w\s(@./,]*?\d)\s*(?:at|@|on)?\s*[(\[]?\s*"
    rf"(?:(?:{_WEEKDAY},?\s*)?(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?|{_CLOCK}"
    rf"|{_TZ}|on|at|\d{{4}})[,\s]*)*[)\]]?\s*(?:[:\-–—]+|\*{{2,}})\s*(?=[\w\"“'‘(])",
    _I,
)
# A close-button or play glyph left before the headline ("× Five Shot in ..."): a lone symbol token.
GLYPH_PREFIX = re.compile(r"^[×✕✖✗⨯▶⏵]\s+(?=\w)")
# Video-player controls run into a line: "play pause Violent Night ...", "CLOSE Skip in Skip x Embed x Share A
# fifth person ...", "... Housing Project playpause", "... road problems Pause".  Two or more control words
# in a row, at least one of them a player verb; or a lone "Pause"/"playpause" glued to the end.
_CONTROL = r"(?:close|skip(?:\s+in)?|embed|share|play|pause|replay|mute|unmute|ad|loading\.{0,3}|x|<>)"
PLAYER_PREFIX = re.compile(
    rf"^(?=(?:{_CONTROL}\s+)*?(?:play|pause|embed|skip|replay)\b)(?:{_CONTROL}\s+){{2,}}(?=\S)", _I)
PLAYER_SUFFIX = re.compile(r"\s+(?:(?i:play\s*pause)|Pause)$")
# A wiki section heading's edit link: "Victims [ edit ]".
EDIT_LINK_SUFFIX = re.compile(r"\s*\[\s*edit\s*\]$", _I)

# A video playlist entry: a duration, then the clip's headline ("0:48 Clint Didier calls out ..."); only a
# playlist when several follow each other (a live blog's "14:30 Police arrive." is one line, and a sentence).
DURATION_LED = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?\s+(?![ap]\.?m\b)(?=\S)", _I)
# A line that is only timestamps: "03:49", "0:00 0:00", "12:45 p.m.:", "Update 1:30 p.m.", "UPDATED: 9 P.M.".
TIMESTAMP_ONLY = re.compile(
    rf"^(?=.*\d)[*\W]*(?:(?:update[sd]?|updated|posted|published)\b\s*(?:at|@|on)?\s*:?\s*)?[(\[]?\s*"
    rf"(?:(?:{_CLOCK}|{_TZ}|{_WEEKDAY}|{_MONTH}\s*\d{{1,2}}(?:st|nd|rd|th)?(?:\s*,?\s*\d{{4}})?"
    rf"|\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?|on|at)[,\s()]*)+[:*\W]*$",
    _I,
)
# Player and gallery chrome standing alone on its line.
PLAYER_CHROME = re.compile(
    r"^(?:play\s*pause|slideshow|skip\s+ad|up\s+next|link\s+to\s+this\s+video|more\s+videos|embed\s*<>\s*more\s+videos"
    r"|(?:this\s+)?video\s+(?:is\s+)?(?:no\s+longer|not|un)\s*available\.?|powered\s+by\s+automated\s+translation"
    r"|(?:oops!?\s*)?something\s+went\s+wrong\.?|oops!?)$",
    _I,
)
