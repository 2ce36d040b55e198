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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..facts import Fact
from ..language.prompts import PromptFact, reasoning_prompt, retrieval_context
from ..llm import LanguageModel, ScoreRequest
from .tuning import ScoredCandidate, ScoredFact, needs_reasoning


@dataclass(frozen=True)
class CorrectionScores:
    candidates: list[ScoredCandidate]
    existing: list[ScoredFact]
    baseline_logprob: float
    n_requests: int


def reasoning_request(query: str, fact: PromptFact | None, answer: str) -> ScoreRequest:
    """P(answer | question, fact) under the prompt that answers (``fact`` as the
    answer prompt writes it: its sentence, or its triple)."""
    return ScoreRequest(reasoning_prompt(query, [fact] if fact else []), f" {answer}")


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
    triples = [(subject, r, answer) for r in relations] + list(existing)
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
    sentence: str | None = None,
    same_question: Mapping[int, str] | None = None,
    top_n: int = 3,
) -> CorrectionScores:
    """Score a correction's candidates and the subject's facts.

    With ``sentence`` every candidate is the same fact written the same way (the
    phrasings differ in retrieval only), so its reasoning is scored once.
    ``same_question`` (the facts that answer the same question, by id, with that
    question: :func:`replacement.replaced_facts`) is what the tuner may replace; see
    :func:`tuning.needs_reasoning`.
    """
    same_question = dict(same_question or {})
    distinct = _distinct_relations(relations, existing)
    written = [sentence or (subject, r, answer) for r in relations]
    shapes = list(dict.fromkeys(written))
    first = (
        [reasoning_request(query, w, answer) for w in shapes]
        + [reasoning_request(query, None, answer)]
        + [retrieval_request(query, subject, r) for r in distinct]
    )
    scores = [s.mean_logprob for s in model.score(first)]
    by_shape = dict(zip(shapes, scores))
    baseline = scores[len(shapes)]
    retrieval = dict(zip(distinct, scores[len(shapes) + 1 :]))
    candidates = [
        ScoredCandidate(r, answer, by_shape[written[i]], retrieval[r])
        for i, r in enumerate(relations)
    ]
    chosen = needs_reasoning(
        answer, [(f, retrieval[f.relation]) for f in existing], set(same_question), top_n
    )
    to_score = [f for f in existing if f.id in chosen]
    second = [reasoning_request(query, f, answer) for f in to_score]
    own = dict(
        zip(
            (f.id for f in to_score),
            (s.mean_logprob for s in model.score(second)) if second else (),
        )
    )
    scored_existing = [
        ScoredFact(f, own.get(f.id, baseline), retrieval[f.relation], same_question.get(f.id, ""))
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
