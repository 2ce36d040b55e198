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
from ..language.question_statement import best_statement, statement_of
from ..language.text import content_words, one_line
from ..llm import LanguageModel
from ..store.graph_store import GraphStore
from ..timing import ms_since
from .relations import GENERIC_RELATION, clean_relation, extract_relations
from .replacement import NewFact, replaced_facts
from .scoring import score_correction
from .statements import StatedFact, sentence_for, statement_subject
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

    def planned_reasons(self) -> dict[int, str]:
        """Why each planned removal: the question the old and the new fact both answer."""
        return {e.fact_id: e.question for e in self.plan.edits if isinstance(e, RemoveFact)}


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
            "replaced": self.applied.replacements_json(),
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
    candidates, replaced = replaced_facts(
        store, new_fact(query, answer, found, sentence, stated), config.same
    )
    if stated is not None:
        sentence = sentence_for(stated, found, candidates, set(replaced))
        relations = with_replaced_relations(relations, candidates, replaced, k)
    # Scored: the subject's own facts, and what the correction replaces elsewhere in
    # the user's world ("I" replacing a fact of "my prescription").
    existing = store.valid_facts_of(found)
    own = {f.id for f in existing}
    existing += [f for f in candidates if f.id in replaced and f.id not in own]
    scores = score_correction(
        model,
        query,
        found,
        answer,
        relations,
        existing,
        sentence=sentence,
        same_question=replaced,
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


def new_fact(
    query: str, answer: str, subject: str, sentence: str | None, stated: StatedFact | None
) -> NewFact:
    """The fact a correction teaches, as the replacement decision reads it: the
    question and its sentence, or the statement."""
    if stated is not None:
        return NewFact(
            subject,
            answer,
            query,
            (stated.sentence,),
            stated.sentence,
            stated.adds_only,
            states=stated.states,
            says_change=stated.says_change,
        )
    return NewFact(subject, answer, query, tuple(t for t in (query, sentence) if t))


def asked_for(store: GraphStore, query: str, subject: str, facts: list[Fact]) -> set[int]:
    """Ids of the facts among ``facts`` that answer what ``query`` asks, before its
    answer is known (the warm-up ranks their prompts first)."""
    _, replaced = replaced_facts(store, new_fact(query, "", subject, None, None))
    ids = {f.id for f in facts}
    return {i for i in replaced if i in ids}


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


def with_replaced_relations(
    relations: list[str], candidates: list[Fact], replaced: dict[int, str], k: int
) -> list[str]:
    """A statement that replaces a fact answers that fact's question, so it keeps the
    fact's relation among its phrasings ("signed for" takes "plays for"): the question
    that named the old fact by its relation names the new one."""
    old = [r for f in candidates if f.id in replaced for r in f.relations]
    return list(dict.fromkeys([*old[:1], *relations, *old[1:]]))[: max(k, 1)]


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
