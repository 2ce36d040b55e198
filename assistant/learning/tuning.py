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
answers, not by its scores: an existing fact is replaced only when it answered the
same attribute of the subject with another object (the same question, or a question
asking for the same kind of thing about it, see ``question_statement.Attribute``);
a fact about anything else is never touched, however it scores. Whether the graph now
makes the model give the answer (mixture loss <= eps, eps = ln 2) is reported in
``stopped_because``.
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
    sentence: str | None = None,
) -> TuningPlan:
    """Decide the one fact to add and the existing facts it replaces.

    The candidates are K phrasings of one fact (subject, r, answer): the best by
    reasoning, then retrieval score is the fact's relation, the others are kept with
    it as phrasings, and the person sees one fact (``sentence``). Nothing is added
    when the subject already has the answer for the same attribute. Removed: every
    existing fact of the subject that answered the same attribute with another object
    (``ScoredFact.asked_for``); a fact about anything else is never touched, whatever
    its scores. The paper's and the mixture losses are reported before and after.
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
    plan = TuningPlan(
        loss_before=paper_loss(graph, hypotheses, config.retrieval_floor),
        mixture_loss_before=mixture_loss(graph, baseline_logprob),
    )
    answer_key = normalize(answer)
    order = _addition_order(hypotheses, {t.key for t in graph})
    already_known = any(t.asked_for and t.key[1] == answer_key for t in graph)
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
        plan.edits.append(RemoveFact(stale.fact.id, stale.reasoning, stale.retrieval))
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
    may remove (``asked_for``: they answered the same attribute), those stating the
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
    return t.fact is not None and t.asked_for and t.key[1] != answer_key
