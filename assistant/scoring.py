"""KGT's two probabilities, computed with the model in one batched call.

- reasoning: mean log P(" a" | reasoning prompt with the single triple z), and the
  same with no triple (the model alone), for the mixture's empty-graph case;
- retrieval: mean log P(" r" | retrieval template), once per distinct relation.

All requests go to ``LanguageModel.score`` together, so a backend can decode each
shared prompt prefix once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .facts import Fact
from .llm import LanguageModel, ScoreRequest
from .prompts import reasoning_prompt, retrieval_context
from .tuning import ScoredCandidate, ScoredFact


@dataclass(frozen=True)
class CorrectionScores:
    candidates: list[ScoredCandidate]
    existing: list[ScoredFact]
    baseline_logprob: float
    n_requests: int


def score_correction(
    model: LanguageModel,
    query: str,
    subject: str,
    answer: str,
    relations: Sequence[str],
    existing: Sequence[Fact],
) -> CorrectionScores:
    continuation = f" {answer}"
    triples = [(subject, r, answer) for r in relations] + [f.triple for f in existing]
    distinct_relations = list(dict.fromkeys([*relations, *(f.relation for f in existing)]))
    requests = [ScoreRequest(reasoning_prompt(query, [t]), continuation) for t in triples]
    requests.append(ScoreRequest(reasoning_prompt(query, []), continuation))
    context = retrieval_context(query, subject)
    requests += [ScoreRequest(context, f" {r}") for r in distinct_relations]
    scores = [s.mean_logprob for s in model.score(requests)]
    reasoning, baseline = scores[: len(triples)], scores[len(triples)]
    retrieval = dict(zip(distinct_relations, scores[len(triples) + 1:]))
    candidates = [
        ScoredCandidate(r, answer, reasoning[i], retrieval[r]) for i, r in enumerate(relations)
    ]
    offset = len(relations)
    scored_existing = [
        ScoredFact(f, reasoning[offset + i], retrieval[f.relation]) for i, f in enumerate(existing)
    ]
    return CorrectionScores(candidates, scored_existing, baseline, len(requests))


def retrieval_logprobs(
    model: LanguageModel, query: str, subject: str, relations: Sequence[str]
) -> dict[str, float]:
    """Mean log-probability of each distinct relation after the retrieval template."""
    distinct = list(dict.fromkeys(relations))
    context = retrieval_context(query, subject)
    scores = model.score([ScoreRequest(context, f" {r}") for r in distinct])
    return {r: s.mean_logprob for r, s in zip(distinct, scores)}
