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

Decision (documented in docs/METHOD.md): the loop stops when the *mixture loss*
L_mix = -log P(a|q; G) <= eps, i.e. when the graph-enhanced model gives the answer's
tokens at least exp(-eps) probability on average (eps = ln 2: better than even odds,
"the model now generates the correct answer"), or when nothing is left to add or remove.
Each step adds the best-scoring candidate not yet in G, then removes the worst-scoring
*conflicting* existing triple: one that is not a candidate, whose object is not the
answer, and that shares a relation the model named for this answer, or answered this very
question (learned from it before, or of the relation it names in its words), or would be
retrieved into the answer prompt (top-n) at least as strongly as the best candidate
relation. Facts that answered this very question with another object are removed
whatever the loss: the user has just said they are wrong. Unrelated facts of the
subject are never touched.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass, field
from enum import StrEnum

from .facts import AddFact, Edit, Fact, RemoveFact
from .text import normalize

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
    #: The fact answered this very question: learned from it before (the user corrects
    #: it again), or of the relation the question names, which the answer found by name.
    asked_for: bool = False


@dataclass(frozen=True)
class TuningConfig:
    #: Stop once the mixture loss -log P(a|q; G) is at most this (nats per token).
    eps: float = LN2
    #: Floor on a retrieval probability inside the reported paper loss.
    retrieval_floor: float = 1e-6
    #: How many of the subject's facts the answer pipeline puts into its prompt.
    top_n: int = 3


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
    asked_for: bool = False


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
    named_relations: Collection[str] | None = None,
) -> TuningPlan:
    """Decide which candidate triples to add and which existing triples to invalidate.

    ``named_relations``: the candidate relations the model itself named for this answer
    (None: all of them). Only those make an existing fact with the same relation a
    conflict; fallback relations made from the query's words or the generic one do not.
    """
    graph = [
        _Triple(
            _key(s.fact.relation, s.fact.object),
            s.reasoning_logprob,
            s.retrieval_logprob,
            fact=s.fact,
            asked_for=s.asked_for,
        )
        for s in existing
    ]
    hypotheses = _unique_candidates(candidates)
    to_add = _addition_order(hypotheses, {t.key for t in graph})
    candidate_keys = {c.key for c in hypotheses}
    if named_relations is None:
        conflict_relations = {key[0] for key in candidate_keys}
    else:
        conflict_relations = {normalize(r) for r in named_relations}
    plan = TuningPlan(
        loss_before=paper_loss(graph, hypotheses, config.retrieval_floor),
        mixture_loss_before=mixture_loss(graph, baseline_logprob),
    )
    while mixture_loss(graph, baseline_logprob) > config.eps:
        progressed = False
        if to_add:
            added = to_add.pop(0)
            graph.append(added)
            plan.edits.append(
                AddFact(
                    added.candidate.relation,
                    added.candidate.object,
                    added.reasoning,
                    added.retrieval,
                )
            )
            progressed = True
        conflict = _worst_conflict(graph, candidate_keys, conflict_relations, answer, config.top_n)
        if conflict is not None:
            graph.remove(conflict)
            plan.edits.append(RemoveFact(conflict.fact.id, conflict.reasoning, conflict.retrieval))
            progressed = True
        if not progressed:
            plan.stopped_because = StopReason.EXHAUSTED
            break
    # What answered this very question with another object is what the user just
    # said is wrong: it goes even when the loss was low enough without removing it
    # (an answer finds these facts by name, whatever the mixture says).
    for stale in [t for t in graph if _replaced_outright(t, candidate_keys, answer)]:
        graph.remove(stale)
        plan.edits.append(RemoveFact(stale.fact.id, stale.reasoning, stale.retrieval))
    plan.loss_after = paper_loss(graph, hypotheses, config.retrieval_floor)
    plan.mixture_loss_after = mixture_loss(graph, baseline_logprob)
    return plan


def _unique_candidates(candidates: list[ScoredCandidate]) -> list[_Triple]:
    unique: dict[tuple[str, str], _Triple] = {}
    for c in candidates:
        key = _key(c.relation, c.object)
        if key not in unique:
            unique[key] = _Triple(key, c.reasoning_logprob, c.retrieval_logprob, candidate=c)
    return list(unique.values())


def _addition_order(hypotheses: list[_Triple], in_graph: set[tuple[str, str]]) -> list[_Triple]:
    """The candidates :func:`plan_edits` adds, in the order it adds them: best
    reasoning score first (a stable sort: ties keep the model's order)."""
    return sorted(
        (c for c in hypotheses if c.key not in in_graph), key=lambda c: c.reasoning, reverse=True
    )


def needs_reasoning(
    answer: str,
    existing: list[tuple[Fact, float]],
    candidates: list[ScoredCandidate],
    named_relations: Collection[str],
    asked_for: set[int],
    top_n: int,
) -> set[int]:
    """Ids of the existing facts whose own reasoning score the tuner needs.

    Given the candidates' scores and the facts' retrieval scores, this is a superset of
    every fact :func:`plan_edits` can ever remove: a named relation, asked for,
    or retrieved at least as strongly as the best candidate *in the graph*. A removal
    only ever follows the first addition, and that is the candidate with the best
    reasoning score, so the bar is never below that candidate's retrieval score (no
    addition at all: nothing is retrieved "as strongly as a candidate"). Added to them,
    the facts that weigh most on the answer: those stating the answer and those the
    answer prompt shows (top-n by retrieval). Any other fact is about something else;
    it is taken to leave the answer where the model alone puts it.
    """
    if not existing:
        return set()
    in_graph = {_key(f.relation, f.object) for f, _ in existing}
    first = next(iter(_addition_order(_unique_candidates(candidates), in_graph)), None)
    bar = math.inf if first is None else first.retrieval
    named = {normalize(r) for r in named_relations}
    answer_key = normalize(answer)
    shown = {f.id for f, _ in sorted(existing, key=lambda pair: pair[1], reverse=True)[:top_n]}
    return {
        f.id
        for f, retrieval in existing
        if f.id in shown
        or f.id in asked_for
        or retrieval >= bar
        or normalize(f.relation) in named
        or normalize(f.object) == answer_key
    }


def _replaced_outright(t: _Triple, candidate_keys: set[tuple[str, str]], answer: str) -> bool:
    return (
        t.fact is not None
        and t.asked_for
        and t.key not in candidate_keys
        and t.key[1] != normalize(answer)
    )


def _worst_conflict(
    graph: list[_Triple],
    candidate_keys: set[tuple[str, str]],
    conflict_relations: set[str],
    answer: str,
    top_n: int,
) -> _Triple | None:
    """The existing, non-candidate triple that most pulls the answer elsewhere.

    An existing fact of the subject conflicts with the new answer only when it is about
    the same thing: it shares a relation with a candidate, or it answered this very
    question (``asked_for``), or the query retrieves it into the answer prompt at least
    as strongly as the *best* relation the model named for this answer. Everything else about the
    subject ("Bruno's breed" when teaching his diet) is never touched.
    """
    best_candidate = max((t.retrieval for t in graph if t.candidate is not None), default=math.inf)
    retrieved = sorted(graph, key=lambda t: t.retrieval, reverse=True)[:top_n]
    strongly_retrieved = {t.key for t in retrieved if t.retrieval >= best_candidate}
    answer_key = normalize(answer)
    conflicts = [
        t
        for t in graph
        if t.fact is not None
        and t.key not in candidate_keys
        and t.key[1] != answer_key
        and (t.key[0] in conflict_relations or t.asked_for or t.key in strongly_retrieved)
    ]
    if not conflicts:
        return None
    return min(conflicts, key=lambda t: t.reasoning)
