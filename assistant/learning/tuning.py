"""Knowledge Graph Tuning's decision: a pure function from scores to graph edits.

Notation (paper): query q, user's answer a, subject e_q, the subject's triples G_eq,
candidates H (the K relations the model named, each as (e_q, r, a)).

- Reasoning score of a triple z: mean per-token log P(a | q, z) under the reasoning prompt.
- Retrieval score of z: mean per-token log-probability of its relation text after the
  retrieval template; P(z|q; G) is its softmax over the triples of G_eq (0 outside G).
- The KG-enhanced model's answer probability (the paper's own marginal):
  P(a|q; G) = sum over z in G_eq of P(a|q,z) P(z|q; G); with no triple, the model alone.
- Paper loss, reported: L = -(1/|H|) sum over z in H of [log P(a|q,z) + log max(P(z|q;G), delta)].
  The floor delta keeps L finite while a candidate is missing (read literally it is +inf).

Decision (documented in docs/METHOD.md): the K candidates are K phrasings of ONE fact
(the user taught one thing). The best by reasoning, then retrieval score becomes the
fact's relation and the others its phrasings; the person sees one fact, written as a
sentence, and the reasoning score is measured with that sentence in the prompt that
answers. Removing is the destructive half of KGT, so it is decided by what a fact
answers, not by its scores: an existing fact is replaced only when it answers the
same question about the same subject with another object (:func:`same_question`, on
the evidence :mod:`assistant.learning.replacement` gathers); a fact about anything
else is never touched, however it scores. Whether the graph now makes the model give
the answer (mixture loss <= eps, eps = ln 2) is reported in ``stopped_because``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

from ..facts import AddFact, Edit, Fact, RemoveFact
from ..language.text import normalize

LN2 = math.log(2.0)


@dataclass(frozen=True)
class ScoredCandidate:
    relation: str
    object: str
    reasoning_logprob: float
    retrieval_logprob: float


@dataclass(frozen=True)
class ScoredFact:
    fact: Fact
    reasoning_logprob: float
    retrieval_logprob: float
    #: The question this fact and the new one both answer (:func:`same_question`), or
    #: "" when they answer different questions: only such a fact may be replaced.
    same_question: str = ""


@dataclass(frozen=True)
class Evidence:
    """What an existing fact and the new fact answer, side by side (gathered by
    :func:`assistant.learning.replacement.evidence`)."""

    fact: Fact
    #: The old fact's own question (the one it was learned from), or its sentence.
    question: str
    #: The new fact is about the old fact's entity (not another thing of the user's).
    same_subject: bool
    #: Their kinds of answer can meet (:func:`answer_kind.kinds_meet`).
    kinds_meet: bool
    #: Both questions name their attribute and name different ones (their parse).
    attribute_differs: bool
    #: The new fact's question is the old fact's question, word for word; or the old
    #: fact has no question of its own and the new question names its relation.
    asked_before: bool
    #: Cosine closeness of what each answers (questions, sentences), the subject's own
    #: words left out.
    meaning: float
    #: Cosine closeness of the two values ("21 km" and "18 km", "Norwich" and "Bristol").
    values: float
    #: A statement that names the old value ("traded the cello for a clarinet").
    names_old_value: bool
    same_value: bool


@dataclass(frozen=True)
class SameQuestion:
    """The thresholds of :func:`same_question`, measured on the dev scenarios
    (docs/METHOD.md §5, ``scripts/replacement_curve.py``)."""

    #: A question's closeness to what an existing fact answers (dev: every update at
    #: least 0.84, every other fact of a kind that meets below 0.55: the middle).
    question: float = 0.70
    #: A statement's closeness plus its values', for the subject's own facts (dev: the
    #: 12 facts changed that way all at least 0.22, 1 other fact, never the closest).
    statement: float = 0.22
    #: The same for a fact of another thing of the user's world ("I" and "my GP
    #: surgery"; dev: both such changes above 0.5, other facts below 0.3 but one).
    statement_other_subject: float = 0.45
    #: A statement that says no change ("Grandad loves custard creams.") replaces only
    #: a fact it reads this much like (dev: such statements' closest other fact at
    #: most 0.33; every statement that changed a fact says so).
    statement_no_change: float = 0.60


@dataclass(frozen=True)
class TuningConfig:
    #: Stop once the mixture loss -log P(a|q; G) is at most this (nats per token).
    eps: float = LN2
    #: Floor on a retrieval probability inside the reported paper loss.
    retrieval_floor: float = 1e-6
    #: How many of the subject's facts the answer pipeline puts into its prompt.
    top_n: int = 3
    #: When a new fact answers the same question as an existing one.
    same: SameQuestion = SameQuestion()


class StopReason(StrEnum):
    """Why the tuning loop stopped."""

    THRESHOLD = "threshold"  # the mixture loss reached eps
    EXHAUSTED = "exhausted"  # nothing was left to add or remove


@dataclass
class TuningPlan:
    edits: list[Edit] = field(default_factory=list)
    loss_before: float = 0.0
    loss_after: float = 0.0
    mixture_loss_before: float = 0.0
    mixture_loss_after: float = 0.0
    stopped_because: StopReason = StopReason.THRESHOLD


@dataclass(frozen=True)
class _Triple:
    key: tuple[str, str]
    reasoning: float
    retrieval: float
    fact: Fact | None = None
    candidate: ScoredCandidate | None = None
    same_question: str = ""


def retrieval_distribution(retrieval_logprobs: list[float]) -> list[float]:
    """Softmax of retrieval scores over the subject's triples: P(z|q; G)."""
    if not retrieval_logprobs:
        return []
    top = max(retrieval_logprobs)
    weights = [math.exp(x - top) for x in retrieval_logprobs]
    total = sum(weights)
    return [w / total for w in weights]


def mixture_loss(graph: list[_Triple], baseline_logprob: float) -> float:
    """-log P(a|q; G): the paper's marginal over retrieved triples."""
    if not graph:
        return -baseline_logprob
    shares = retrieval_distribution([t.retrieval for t in graph])
    p = sum(math.exp(t.reasoning) * s for t, s in zip(graph, shares))
    return -math.log(max(p, 1e-300))


def paper_loss(graph: list[_Triple], candidates: list[_Triple], floor: float) -> float:
    """L = -(1/|H|) sum_{z in H} log[P(a|q,z) P(z|q; G)], with P(z|q) floored."""
    if not candidates:
        return 0.0
    shares = dict(zip((t.key for t in graph), retrieval_distribution([t.retrieval for t in graph])))
    total = 0.0
    for c in candidates:
        total += c.reasoning + math.log(max(shares.get(c.key, 0.0), floor))
    return -total / len(candidates)


def _key(relation: str, obj: str) -> tuple[str, str]:
    return (normalize(relation), normalize(obj))


def plan_edits(
    answer: str,
    candidates: list[ScoredCandidate],
    existing: list[ScoredFact],
    baseline_logprob: float,
    config: TuningConfig = TuningConfig(),
    *,
    sentence: str | None = None,
) -> TuningPlan:
    """Decide the one fact to add and the existing facts it replaces.

    The candidates are K phrasings of one fact (subject, r, answer): the best by
    reasoning, then retrieval score is the fact's relation, the others are kept with
    it as phrasings, and the person sees one fact (``sentence``). Nothing is added
    when the subject already has the answer to the same question. Removed: every
    existing fact that answers the same question with another object
    (``ScoredFact.same_question``); a fact about anything else is never touched,
    whatever its scores. The paper's and the mixture losses are reported before and
    after.
    """
    graph = [
        _Triple(
            _key(s.fact.relation, s.fact.object),
            s.reasoning_logprob,
            s.retrieval_logprob,
            fact=s.fact,
            same_question=s.same_question,
        )
        for s in existing
    ]
    hypotheses = _unique_candidates(candidates)
    plan = TuningPlan(
        loss_before=paper_loss(graph, hypotheses, config.retrieval_floor),
        mixture_loss_before=mixture_loss(graph, baseline_logprob),
    )
    answer_key = normalize(answer)
    order = _addition_order(hypotheses, {t.key for t in graph})
    already_known = any(t.same_question and t.key[1] == answer_key for t in graph)
    if order and not already_known:
        best = order[0]
        graph.append(best)
        plan.edits.append(
            AddFact(
                best.candidate.relation,
                best.candidate.object,
                best.reasoning,
                best.retrieval,
                sentence=sentence,
                phrasings=tuple(c.candidate.relation for c in order[1:]),
            )
        )
    replaced = [t for t in graph if _replaced_outright(t, answer_key)]
    for stale in sorted(replaced, key=lambda t: t.reasoning):
        graph.remove(stale)
        plan.edits.append(
            RemoveFact(stale.fact.id, stale.reasoning, stale.retrieval, stale.same_question)
        )
    mixture = mixture_loss(graph, baseline_logprob)
    plan.stopped_because = StopReason.THRESHOLD if mixture <= config.eps else StopReason.EXHAUSTED
    plan.loss_after = paper_loss(graph, hypotheses, config.retrieval_floor)
    plan.mixture_loss_after = mixture
    return plan


def _unique_candidates(candidates: list[ScoredCandidate]) -> list[_Triple]:
    unique: dict[tuple[str, str], _Triple] = {}
    for c in candidates:
        key = _key(c.relation, c.object)
        if key not in unique:
            unique[key] = _Triple(key, c.reasoning_logprob, c.retrieval_logprob, candidate=c)
    return list(unique.values())


def _addition_order(hypotheses: list[_Triple], in_graph: set[tuple[str, str]]) -> list[_Triple]:
    """The candidates not in the graph, best first: by reasoning score, then (the
    phrasings of one sentence tie on reasoning) by retrieval score; a stable sort, so
    full ties keep the model's order."""
    return sorted(
        (c for c in hypotheses if c.key not in in_graph),
        key=lambda c: (c.reasoning, c.retrieval),
        reverse=True,
    )


def needs_reasoning(
    answer: str,
    existing: list[tuple[Fact, float]],
    asked_for: set[int],
    top_n: int,
) -> set[int]:
    """Ids of the existing facts whose own reasoning score the tuner needs: those it
    may remove (``asked_for``: they answer the same question), those stating the
    answer, and those the answer prompt shows (top-n by retrieval), which weigh most
    on the reported losses. Any other fact is about something else; it is taken to
    leave the answer where the model alone puts it."""
    answer_key = normalize(answer)
    shown = {f.id for f, _ in sorted(existing, key=lambda pair: pair[1], reverse=True)[:top_n]}
    return {
        f.id
        for f, _ in existing
        if f.id in shown or f.id in asked_for or normalize(f.object) == answer_key
    }


def _replaced_outright(t: _Triple, answer_key: str) -> bool:
    return t.fact is not None and bool(t.same_question) and t.key[1] != answer_key


def same_question(
    evidence: list[Evidence],
    statement: bool,
    thresholds: SameQuestion = SameQuestion(),
    *,
    says_change: bool = True,
) -> dict[int, str]:
    """The existing facts that answer the same question as the new fact, by id, each
    with that question. Never a fact whose kind of answer cannot meet the new one's (a
    time never answers what a name answers), nor one whose question names another
    attribute ("Which city was Anna born in?" against "... does Anna live in?").

    A question replaces every fact it asks again (the same words), or that answers a
    question this close in meaning. A statement changes one thing: the fact that
    answers most like it (its closeness plus its values'), when it names that fact's
    value ("I gave up Hungarian") or is close enough; a fact of another thing of the
    user's world only when much closer; a statement that says no change only when it
    reads much like the fact."""
    open_ = [e for e in evidence if e.kinds_meet and not e.attribute_differs]
    if not statement:
        return {
            e.fact.id: e.question
            for e in open_
            if e.asked_before or e.meaning >= thresholds.question
        }
    if not open_:
        return {}
    best = max(open_, key=lambda e: (e.names_old_value, statement_closeness(e)))
    bar = thresholds.statement if best.same_subject else thresholds.statement_other_subject
    if not says_change:
        bar = max(bar, thresholds.statement_no_change)
    if best.names_old_value or statement_closeness(best) >= bar:
        return {best.fact.id: best.question}
    return {}


def statement_closeness(e: Evidence) -> float:
    """How much a statement reads like what an existing fact answers: the closeness of
    their words plus that of their values (a street for a street, a job for a job)."""
    return e.meaning + e.values
