"""KGT's two probabilities, computed with the model in as few batched calls as possible.

- reasoning: mean log P(" a" | reasoning prompt with the single triple z), and the
  same with no triple (the model alone), for the mixture's empty-graph case;
- retrieval: mean log P(" r" | retrieval template), once per distinct relation.

The first call scores every relation's retrieval, the candidates' reasoning and the
model alone. An existing fact of the subject needs its own reasoning score only when
the tuner could touch it or it weighs on the answer (:func:`tuning.needs_reasoning`);
those go in a second call, so a correction about a subject with years of unrelated
facts costs what one about a new subject costs. The others are taken to leave the
answer where the model alone puts it (their reasoning score is the baseline's).
All requests of a call go to ``LanguageModel.score`` together, so a backend can decode
each shared prompt prefix once.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from .facts import Fact
from .llm import LanguageModel, ScoreRequest
from .prompts import reasoning_prompt, retrieval_context
from .tuning import ScoredCandidate, ScoredFact, needs_reasoning


@dataclass(frozen=True)
class CorrectionScores:
    candidates: list[ScoredCandidate]
    existing: list[ScoredFact]
    baseline_logprob: float
    n_requests: int


def reasoning_request(query: str, triple: tuple[str, str, str] | None, answer: str) -> ScoreRequest:
    return ScoreRequest(reasoning_prompt(query, [triple] if triple else []), f" {answer}")


def retrieval_request(query: str, subject: str, relation: str) -> ScoreRequest:
    return ScoreRequest(retrieval_context(query, subject), f" {relation}")


def _distinct_relations(relations: Sequence[str], existing: Sequence[Fact]) -> list[str]:
    """Each relation once (retrieval depends on the relation only), candidates first."""
    return list(dict.fromkeys([*relations, *(f.relation for f in existing)]))


def all_requests(
    query: str, subject: str, answer: str, relations: Sequence[str], existing: Sequence[Fact]
) -> list[ScoreRequest]:
    """Every request a correction could need: each candidate's and each existing fact's
    reasoning, the model alone, and each distinct relation's retrieval (the benchmark
    compares scoring them batched and one by one)."""
    triples = [(subject, r, answer) for r in relations] + [f.triple for f in existing]
    distinct = _distinct_relations(relations, existing)
    return (
        [reasoning_request(query, t, answer) for t in triples]
        + [reasoning_request(query, None, answer)]
        + [retrieval_request(query, subject, r) for r in distinct]
    )


def score_correction(
    model: LanguageModel,
    query: str,
    subject: str,
    answer: str,
    relations: Sequence[str],
    existing: Sequence[Fact],
    *,
    named_relations: Collection[str] | None = None,
    asked_for: Collection[int] = (),
    top_n: int = 3,
) -> CorrectionScores:
    """Score a correction's candidates and the subject's facts.

    ``named_relations`` and ``asked_for`` (ids of the facts that answered this very
    question, :func:`correction.asked_for`) are what the tuner will use to find
    conflicts; see :func:`tuning.needs_reasoning`.
    """
    distinct = _distinct_relations(relations, existing)
    first = (
        [reasoning_request(query, (subject, r, answer), answer) for r in relations]
        + [reasoning_request(query, None, answer)]
        + [retrieval_request(query, subject, r) for r in distinct]
    )
    scores = [s.mean_logprob for s in model.score(first)]
    reasoning, baseline = scores[: len(relations)], scores[len(relations)]
    retrieval = dict(zip(distinct, scores[len(relations) + 1 :]))
    candidates = [
        ScoredCandidate(r, answer, reasoning[i], retrieval[r]) for i, r in enumerate(relations)
    ]
    chosen = needs_reasoning(
        answer,
        [(f, retrieval[f.relation]) for f in existing],
        candidates,
        relations if named_relations is None else named_relations,
        set(asked_for),
        top_n,
    )
    to_score = [f for f in existing if f.id in chosen]
    second = [reasoning_request(query, f.triple, answer) for f in to_score]
    own = dict(
        zip(
            (f.id for f in to_score),
            (s.mean_logprob for s in model.score(second)) if second else (),
        )
    )
    scored_existing = [
        ScoredFact(f, own.get(f.id, baseline), retrieval[f.relation], asked_for=f.id in asked_for)
        for f in existing
    ]
    return CorrectionScores(candidates, scored_existing, baseline, len(first) + len(second))


def retrieval_logprobs(
    model: LanguageModel, query: str, subject: str, relations: Sequence[str]
) -> dict[str, float]:
    """Mean log-probability of each distinct relation after the retrieval template."""
    distinct = list(dict.fromkeys(relations))
    scores = model.score([retrieval_request(query, subject, r) for r in distinct])
    return {r: s.mean_logprob for r, s in zip(distinct, scores)}
