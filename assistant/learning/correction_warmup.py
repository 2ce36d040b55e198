"""A correction's head start: what it can evaluate before the user's answer is known.

When the user clicks thumbs-down they still have to type the right answer, which takes
seconds. Most of a correction's prompts do not depend on that answer: the
relation-extraction prompt up to "<answer>:", the model alone's reasoning prompt, and
the reasoning prompts of the subject's best-ranked facts (those the tuner scores).
:func:`warm_up_correction` has the model evaluate them then, so that after the user
presses Enter only the answer's own tokens are left to evaluate.

Only a speed-up: the correction computes exactly what it would have computed without
it (the prompts are token prefixes of its own, and the backend reuses what it cached),
and a model that caches nothing ignores it.
"""

from __future__ import annotations

from ..language.prompts import reasoning_prompt, relation_prompt_head, retrieval_context
from ..language.text import one_line
from ..llm import LanguageModel
from ..store.graph_store import GraphStore
from .correction import asked_for
from .scoring import retrieval_logprobs
from .subject import correction_subject

#: Facts whose prompts a warm-up evaluates. The tuner scores the answer's top-n facts
#: and any fact retrieved at least as strongly as the best candidate: the best-ranked
#: ones (3 to 8 of 20 on bench corrections). Each costs ~8 tokens while the user types.
WARM_UP_FACTS = 8


def warm_up_prompts(
    model: LanguageModel,
    store: GraphStore,
    query: str,
    *,
    subject: str | None = None,
    k: int = 5,
    top_n: int = 3,
) -> list[str]:
    """The prompts a correction of ``query`` will start with, whatever the answer.

    The subject comes from the graph only (an explicit one, else a known name or
    alias): asking the model for it would be a generation the correction repeats.
    The facts that answered the question (:func:`correction.asked_for`) come first, then
    the others by retrieval score (the backend remembers those scores when the answer
    ranked the facts; an answer that found them by name leaves them to be computed
    here, while the user types).
    """
    query = one_line(query)
    if not query:
        return []
    # The subject is in the question's own words; the answer is not known yet.
    found = correction_subject(query, "", store, None, explicit=subject)
    prompts = [relation_prompt_head(query, found, k), reasoning_prompt(query, [])]
    if not found:
        return prompts
    facts = store.valid_facts_of(found)
    prompts.append(retrieval_context(query, found))
    if facts:
        scores = retrieval_logprobs(model, query, found, [f.relation for f in facts])
        asked = asked_for(store, query, found, facts)
        ranked = sorted(facts, key=lambda f: (f.id in asked, scores[f.relation]), reverse=True)
        prompts += [reasoning_prompt(query, [f]) for f in ranked[: max(top_n, WARM_UP_FACTS)]]
    return prompts


def warm_up_correction(
    model: LanguageModel,
    store: GraphStore,
    query: str,
    *,
    subject: str | None = None,
    k: int = 5,
    top_n: int = 3,
) -> list[str]:
    """Evaluate a correction's answer-independent prompts now; returns them."""
    prompts = warm_up_prompts(model, store, query, subject=subject, k=k, top_n=top_n)
    if prompts:
        model.prefill(prompts)
    return prompts
