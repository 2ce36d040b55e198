"""Answers about what was true before a fact changed, from the fact it replaced.

"Where did Kwame live before Accra?": the question without its "before Accra" is
retrieved as any question is (:func:`retrieve`, :mod:`answers_asked`), which finds the
fact that holds now; the facts its correction replaced (kept, invalidated, with the
edit log saying which correction replaced them) are what held before, and the reply
says the latest of them in the past, with when it stopped holding (:func:`said_before`).
A question naming the later value ("before Larchmont Bank") starts from the fact that holds
it. Nothing replaced: no history answer, and the question is answered as any other
(an honest "I don't know" when it asks about the user's world).
"""

from __future__ import annotations

from dataclasses import replace

from ..facts import Fact
from ..language.descriptions import USER
from ..language.fact_wording import said_to_user
from ..language.history import PastAsk, about_the_past, said_before
from ..language.text import content_words
from ..llm import LanguageModel
from ..store.graph_store import GraphStore
from .answers_asked import answering_facts
from .retrieval import Retrieved, SubjectBy, retrieve


def history_reply(
    model: LanguageModel,
    store: GraphStore,
    query: str,
    *,
    top_n: int = 3,
    previous_subject: str | None = None,
) -> tuple[Retrieved, str] | None:
    """(the replaced fact as retrieved, the reply) for a question about the past that
    memory can answer; None otherwise."""
    past = about_the_past(query, held=lambda value: bool(store.facts_holding(value)))
    if past is None:
        return None
    found = retrieve(model, store, past.question, top_n=top_n, previous_subject=previous_subject)
    if found.subject is None or found.about == SubjectBy.UNKNOWN or found.path:
        return None
    now = _holding_now(model, store, past, found)
    before = store.replaced_by(f.id for f in now)
    earlier = [old for fact in now for old in before.get(fact.id, ())]
    if not earlier:
        return None
    old = max(earlier, key=lambda f: f.invalid_at or "")
    since = past.since or next(f.object for f in now if old in before.get(f.id, ()))
    text = said_before(said_to_user(old), since, old.invalid_at)
    return replace(found, facts=[old], probabilities=[1.0], path=[]), text


def _holding_now(
    model: LanguageModel, store: GraphStore, past: PastAsk, found: Retrieved
) -> list[Fact]:
    """The facts that hold now for what the question asks: the one whose value it
    names ("before Larchmont Bank"), else those that answer the question without its
    "before"."""
    if past.since:
        subject = found.subject
        pool = store.user_world_facts() if subject == USER else store.valid_facts_of(subject)
        named = [f for f in pool if holds(f, past.since)]
        if named:
            return named
    return answering_facts(model, store, past.question, found).facts


def holds(fact: Fact, value: str) -> bool:
    """ "Fernhill" names "Fernhill Pet Hospital", "the florist's" "her own florist's"."""
    named = {w.lower() for w in content_words(value)}
    return bool(named) and named <= {w.lower() for w in content_words(fact.object)}
