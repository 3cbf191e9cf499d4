"""Understanding: who is involved (entities), who said what (quotes), who reported which fact (facts).

``run(db, settings, progress)`` is the build stage. It reads new articles
since its watermark through spaCy (mentions + sentences, one transaction
per batch together with the watermark; the raw lines the cleaner removed,
such as captions and credits, give margin mentions that may only add
aliases to entities the body names), then re-resolves entities over the
whole corpus, re-attributes quotes, and re-aligns facts of the events whose
article set changed. Each step commits whole, so a killed build resumes to
the same result.
"""
from __future__ import annotations

from typing import Any

from ..config import Settings
from ..progress import Progress
from ..store import Database
from .annotate import Annotator, annotate_new
from .entities import EntityResolver, RawMention, extract_mentions
from .facts import EventSentence, FactAligner
from .places import PLACES_VERSION, assign_places
from .quotes import QuoteExtractor, SpeakerMention

PLACED = "understand.placed"     # the resolution signature event places were last assigned from
NER_KEYS = ("model", "batch_size", "n_process", "skip_plain_sentences")     # the [entities] keys that set up annotation

__all__ = ["run", "start_annotation", "EntityResolver", "QuoteExtractor", "FactAligner", "RawMention", "SpeakerMention",
           "EventSentence", "extract_mentions"]


def run(db: Database, settings: Settings, progress: Progress, started: Annotator | None = None) -> dict[str, Any]:
    """Annotate new articles (``started``: the annotator the build began early), then resolve entities,
    attribute quotes and align facts."""
    from . import stage

    entity_kw = settings.section("entities")
    ner_kw = {k: entity_kw.pop(k) for k in NER_KEYS if k in entity_kw}
    n_new = annotate_new(db, progress, **ner_kw, started=started)
    resolved = stage.resolve_entities(db, EntityResolver(**entity_kw), force=n_new > 0)
    aligner = FactAligner(**settings.section("facts"))
    aligner.model = settings.get("embed", "model")
    done: dict[str, int] = {}

    def facts_and_places() -> None:
        """Facts and places read mentions, entities and events, never quotes: they run while the
        quote workers parse (on gva, 2 cores: the quote step's wall time hidden behind theirs)."""
        done["facts"] = stage.align_facts(db, aligner, progress)
        # places read resolved PLACE mentions and event membership: both change only with a resolution
        placed = db.get_state(PLACED)
        wanted = f"{db.get_state(stage.RESOLVED)}|{PLACES_VERSION}"   # a new place method re-places every event
        if resolved or placed != wanted:
            assign_places(db)
            with db.transaction():
                db.set_state(PLACED, wanted)

    n_quotes = stage.attribute_quotes(db, QuoteExtractor(**settings.section("quotes")), progress,
                                      meanwhile=facts_and_places)
    n_facts = done["facts"]
    return {"articles": n_new, "entities": db.scalar("SELECT count(*) FROM entities"),
            "quotes": n_quotes, "facts": n_facts, "places": db.scalar("SELECT count(place) FROM events")}


def start_annotation(db: Database, settings: Settings) -> Annotator:
    """An :class:`Annotator` whose workers start now, on articles past the watermark; the build
    calls this before the events stage, which annotation does not depend on."""
    entity_kw = settings.section("entities")
    return Annotator(db, **{k: entity_kw[k] for k in NER_KEYS if k in entity_kw}).start()
