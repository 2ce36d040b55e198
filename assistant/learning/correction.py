"""One correction, end to end: subject, relations, scores, plan, one transaction.

Long work is a generator: it yields :class:`Progress` between steps, so a UI worker
can report progress and cancel (stop iterating) before anything is written; the
result is the generator's return value. :func:`run_correction` drains it for callers
that just want the result. Proposing and applying are separate, so the app can ask
the user before saving.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from dataclasses import dataclass, field
from enum import StrEnum

from ..errors import InputError
from ..facts import AddFact, AppliedCorrection, CorrectionInput, Fact, RemoveFact
from ..language.prompts import is_cloze
from ..language.question_statement import attribute_of, best_statement, statement_of
from ..language.relation_match import facts_named
from ..language.text import content_words, normalize, one_line
from ..llm import LanguageModel
from ..store.graph_store import GraphStore
from ..timing import ms_since
from .relations import GENERIC_RELATION, clean_relation, extract_relations
from .scoring import score_correction
from .statements import (
    StatedFact,
    facts_it_updates,
    sentence_for,
    statement_subject,
    statement_subject_facts,
)
from .subject import aliases_in, correction_subject
from .tuning import TuningConfig, TuningPlan, plan_edits


class Stage(StrEnum):
    """The steps of a correction, in order, as :class:`Progress` reports them."""

    SUBJECT = "subject"
    RELATIONS = "relations"
    SCORING = "scoring"
    PLANNING = "planning"
    SAVING = "saving"


@dataclass(frozen=True)
class Progress:
    stage: Stage
    fraction: float


@dataclass
class ProposedCorrection:
    """A decided but not yet saved correction."""

    correction: CorrectionInput
    relations: list[str]
    plan: TuningPlan
    existing: list[Fact]
    timings_ms: dict[str, float] = field(default_factory=dict)
    generated_tokens: int = 0

    def planned_triples(self) -> tuple[list[Fact], list[Fact]]:
        """(facts to add, not saved yet: id 0; facts to remove), for showing the user
        before saving."""
        by_id = {f.id: f for f in self.existing}
        added = [
            Fact(0, self.correction.subject, e.relation, e.object, "", sentence=e.sentence)
            for e in self.plan.edits
            if isinstance(e, AddFact)
        ]
        removed = [by_id[e.fact_id] for e in self.plan.edits if isinstance(e, RemoveFact)]
        return added, removed


@dataclass
class CorrectionResult:
    applied: AppliedCorrection
    proposal: ProposedCorrection
    latency_ms: float

    def to_json(self) -> dict:
        return {
            "subject": self.applied.subject,
            "added": [f.to_json() for f in self.applied.added],
            "removed": [f.to_json() for f in self.applied.removed],
            "loss_before": self.proposal.plan.loss_before,
            "loss_after": self.proposal.plan.loss_after,
            "latency_ms": self.latency_ms,
            "correction_id": self.applied.correction_id,
        }


def _require(text: str, what: str) -> str:
    cleaned = one_line(text)
    if not cleaned:
        raise InputError(f"the {what} is empty")
    return cleaned


def propose_correction(
    model: LanguageModel,
    store: GraphStore,
    query: str,
    answer: str,
    *,
    subject: str | None = None,
    model_answer: str = "",
    message_id: str | None = None,
    k: int = 5,
    config: TuningConfig = TuningConfig(),
    stated: StatedFact | None = None,
) -> Generator[Progress, None, ProposedCorrection]:
    """Decide a correction's edits without writing anything. With ``stated`` (a chat
    message that stated a fact, :mod:`assistant.learning.statements`), the query and answer
    come from the statement, the fact is the user's own sentence, and what it updates
    is decided by meaning."""
    query, answer = _require(query, "question"), _require(answer, "answer")
    timings: dict[str, float] = {}
    start = time.perf_counter()
    yield Progress(Stage.SUBJECT, 0.0)
    if stated is not None:
        found = subject or statement_subject(stated, store)
    else:
        found = correction_subject(query, answer, store, model, explicit=subject)
    if not found:
        raise InputError("could not tell what the question is about; name the subject")
    sentence = stated.sentence if stated else fact_sentence_of(query, answer, model)
    correction = CorrectionInput(
        query, answer, found, model_answer, message_id, tuple(aliases_in(query, found))
    )
    timings["subject"] = ms_since(start)
    yield Progress(Stage.RELATIONS, 0.2)
    start = time.perf_counter()
    relations, generated, _named = extract_relations(model, query, answer, found, k)
    named_as = " ".join([found, *correction.aliases])  # "Anna my sister"
    relations = with_question_relation(relations, query, answer, named_as, k)
    timings["relation_extraction"] = ms_since(start)
    yield Progress(Stage.SCORING, 0.5)
    start = time.perf_counter()
    if stated is not None:
        existing = statement_subject_facts(found, store)
        asked = facts_it_updates(stated, existing)
        sentence = sentence_for(stated, found, existing, asked)
    else:
        existing = store.valid_facts_of(found)
        asked = asked_for(store, query, found, existing)
    scores = score_correction(
        model,
        query,
        found,
        answer,
        relations,
        existing,
        sentence=sentence,
        asked_for=asked,
        top_n=config.top_n,
    )
    timings["scoring"] = ms_since(start)
    yield Progress(Stage.PLANNING, 0.8)
    start = time.perf_counter()
    plan = plan_edits(
        answer,
        scores.candidates,
        scores.existing,
        scores.baseline_logprob,
        config,
        sentence=sentence,
    )
    timings["planning"] = ms_since(start)
    return ProposedCorrection(correction, relations, plan, existing, timings, generated)


def asked_for(store: GraphStore, query: str, subject: str, facts: list[Fact]) -> set[int]:
    """Ids of the facts that answered what this question asks, which the correction
    replaces: those learned from the same question before or from a question asking
    for the same attribute ("What phone do I have?" and "Which phone do I use now?",
    :class:`question_statement.Attribute`); a fact with no question of its own
    (imported) when the question names its relation ("What does Bruno eat?": his
    "eats" facts), which the answer would go on finding by name if it stayed."""
    asked, attribute = normalize(query), attribute_of(query)
    sources = {f.correction_id for f in facts} - {None}
    questions = {cid: store.correction(cid).query for cid in sources}
    same = {
        cid
        for cid, question in questions.items()
        if normalize(question) == asked or attribute.same_as(attribute_of(question))
    }
    unsourced = [f for f in facts if f.correction_id is None]
    return {f.id for f in facts if f.correction_id in same} | {
        f.id for f in facts_named(query, subject, unsourced)
    }


def fact_sentence_of(query: str, answer: str, model: LanguageModel | None = None) -> str:
    """The learned fact as a person would write it, in their own voice: the question
    answered ("Which city does my sister Anna live in?" -> "My sister Anna lives in
    Lisbon.", the reading ``model`` finds most fluent where there are several), or a
    statement to complete, completed ("The mother tongue of Lea is" -> "The mother
    tongue of Lea is Finnish."). A question of another shape keeps its words and the
    answer as typed: a fact never reads as its triple."""
    statement = best_statement(query, answer, model) if model else statement_of(query, answer)
    if statement:
        return statement.text
    if is_cloze(query):
        return f"{query} {answer}."
    return f"{one_line(query)} {one_line(answer)}"


def with_question_relation(
    relations: list[str], query: str, answer: str, subject: str, k: int
) -> list[str]:
    """The relation the question itself states ("lives in" of "Which city does Anna
    live in?") first among the K phrasings, when it says more than "is"."""
    statement = statement_of(query, answer)
    own = clean_relation(statement.predicate, subject, answer) if statement else None
    # Every phrasing is shown in the panel: none may repeat the subject's own words
    # ("city sister live" for my sister Anna) or the answer's.
    kept = [r for r in relations if clean_relation(r, subject, answer) == r]
    if own and content_words(own):
        kept.insert(0, own)
    return list(dict.fromkeys(kept))[:k] or [GENERIC_RELATION]


def apply_proposal(store: GraphStore, proposal: ProposedCorrection) -> AppliedCorrection:
    start = time.perf_counter()
    applied = store.apply_correction(
        proposal.correction,
        proposal.plan.edits,
        proposal.plan.loss_before,
        proposal.plan.loss_after,
    )
    proposal.timings_ms["apply"] = ms_since(start)
    return applied


def correct(
    model: LanguageModel,
    store: GraphStore,
    query: str,
    answer: str,
    **options,
) -> Generator[Progress, None, CorrectionResult]:
    """Propose and apply a correction (one transaction), yielding progress."""
    start = time.perf_counter()
    proposal = yield from propose_correction(model, store, query, answer, **options)
    yield Progress(Stage.SAVING, 0.95)
    applied = apply_proposal(store, proposal)
    return CorrectionResult(applied, proposal, ms_since(start))


def run_correction(
    model: LanguageModel, store: GraphStore, query: str, answer: str, **options
) -> CorrectionResult:
    return drain(correct(model, store, query, answer, **options))


def drain(generator: Generator):
    """Run a progress generator to its end and return its result."""
    while True:
        try:
            next(generator)
        except StopIteration as stop:
            return stop.value
