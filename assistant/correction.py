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

from .errors import InputError
from .facts import AddFact, AppliedCorrection, CorrectionInput, Fact, RemoveFact
from .graph_store import GraphStore
from .llm import LanguageModel
from .relation_match import facts_named
from .relations import extract_relations
from .scoring import score_correction
from .subject import aliases_in, find_subject
from .text import normalize, one_line
from .timing import ms_since
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

    def planned_triples(self) -> tuple[list[tuple[str, str, str]], list[Fact]]:
        """(triples to add, facts to remove), for showing the user before saving."""
        by_id = {f.id: f for f in self.existing}
        added = [
            (self.correction.subject, e.relation, e.object)
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
) -> Generator[Progress, None, ProposedCorrection]:
    """Decide a correction's edits without writing anything."""
    query, answer = _require(query, "question"), _require(answer, "answer")
    timings: dict[str, float] = {}
    start = time.perf_counter()
    yield Progress(Stage.SUBJECT, 0.0)
    found = find_subject(query, store, model, explicit=subject)
    if not found:
        raise InputError("could not tell what the question is about; name the subject")
    correction = CorrectionInput(
        query, answer, found, model_answer, message_id, tuple(aliases_in(query, found))
    )
    timings["subject"] = ms_since(start)
    yield Progress(Stage.RELATIONS, 0.2)
    start = time.perf_counter()
    relations, generated, named = extract_relations(model, query, answer, found, k)
    timings["relation_extraction"] = ms_since(start)
    yield Progress(Stage.SCORING, 0.5)
    start = time.perf_counter()
    existing = store.valid_facts_of(found)
    asked = asked_for(store, query, found, existing)
    scores = score_correction(
        model,
        query,
        found,
        answer,
        relations,
        existing,
        named_relations=named,
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
        named_relations=named,
    )
    timings["planning"] = ms_since(start)
    return ProposedCorrection(correction, relations, plan, existing, timings, generated)


def asked_for(store: GraphStore, query: str, subject: str, facts: list[Fact]) -> set[int]:
    """Ids of the facts that answered this very question, which the correction replaces:
    those learned from the same question before, and those of the relation the question
    names ("What does Bruno eat?": his "eats" facts), which the answer found by name
    (:mod:`assistant.retrieval`) and would go on finding if they stayed."""
    asked = normalize(query)
    sources = {f.correction_id for f in facts} - {None}
    same = {cid for cid in sources if normalize(store.correction(cid).query) == asked}
    return {f.id for f in facts if f.correction_id in same} | {
        f.id for f in facts_named(query, subject, facts)
    }


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
