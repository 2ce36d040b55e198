"""KGT's decision rule, exactly: which facts are added and removed for given scores."""

import math

import pytest

from assistant.facts import AddFact, Fact, RemoveFact
from assistant.learning.tuning import (
    ScoredCandidate,
    ScoredFact,
    TuningConfig,
    _Triple,
    mixture_loss,
    needs_reasoning,
    plan_edits,
    retrieval_distribution,
)

LOG = math.log


def fact(fid, relation, obj):
    return Fact(fid, "Bruno", relation, obj, "2026-01-01T00:00:00")


def cand(relation, reasoning, retrieval=-1.0, obj="vegetables"):
    return ScoredCandidate(relation, obj, reasoning, retrieval)


def test_one_fact_is_added_its_best_phrasing_as_relation_the_others_kept_with_it():
    plan = plan_edits(
        "vegetables",
        [cand("eats", LOG(0.6)), cand("diet", LOG(0.9)), cand("food", LOG(0.3))],
        existing=[],
        baseline_logprob=LOG(0.01),
        sentence="My dog Bruno eats vegetables.",
    )
    assert plan.edits == [
        AddFact(
            "diet",
            "vegetables",
            LOG(0.9),
            -1.0,
            sentence="My dog Bruno eats vegetables.",
            phrasings=("eats", "food"),
        )
    ]
    assert plan.stopped_because == "threshold"
    assert plan.mixture_loss_after == pytest.approx(-LOG(0.9))


def test_equal_reasoning_scores_leave_the_choice_to_retrieval():
    # Every phrasing is written as the same sentence, so reasoning ties.
    plan = plan_edits(
        "vegetables",
        [cand("eats", LOG(0.4), -3.0), cand("diet", LOG(0.4), -1.0)],
        existing=[],
        baseline_logprob=LOG(0.01),
    )
    assert [e.relation for e in plan.edits] == ["diet"]
    assert plan.stopped_because == "exhausted"  # 0.4 < 0.5: reported, nothing more added


def test_nothing_changes_when_the_graph_already_gives_the_answer():
    existing = [
        ScoredFact(
            fact(1, "diet", "vegetables"), LOG(0.95), -0.5, same_question="What does Bruno eat?"
        )
    ]
    plan = plan_edits("vegetables", [cand("diet", LOG(0.95), -0.5)], existing, LOG(0.01))
    assert plan.edits == []
    assert plan.loss_before == plan.loss_after


def test_only_a_fact_answering_the_same_attribute_is_replaced():
    existing = [
        ScoredFact(fact(1, "eats", "meat"), LOG(0.05), -0.5, same_question="What does Bruno eat?"),
        # Strongly retrieved and a low reasoning score, but about something else.
        ScoredFact(fact(2, "breed", "labrador"), LOG(0.001), -0.1),
        # Shares the candidates' relation, but answered another question.
        ScoredFact(fact(3, "diet", "kibble on Sundays"), LOG(0.001), -0.6),
    ]
    plan = plan_edits(
        "vegetables",
        [cand("diet", LOG(0.9), -0.6), cand("food", LOG(0.8), -0.7)],
        existing,
        baseline_logprob=LOG(0.01),
    )
    assert plan.edits[0].relation == "diet"
    assert [e.fact_id for e in plan.edits if isinstance(e, RemoveFact)] == [1]


def test_a_fact_learned_from_the_same_question_is_replaced():
    existing = [
        ScoredFact(
            fact(4, "dog eat", "vegetables"), LOG(0.01), -9.0, same_question="What does Bruno eat?"
        )
    ]
    plan = plan_edits(
        "fish", [cand("eats", LOG(0.9), -1.0, "fish")], existing, LOG(0.01), TuningConfig(eps=0.01)
    )
    assert RemoveFact(4, LOG(0.01), -9.0, "What does Bruno eat?") in plan.edits


def test_a_fact_that_already_states_the_answer_is_never_removed():
    existing = [
        ScoredFact(
            fact(3, "likes", "vegetables"), LOG(0.1), -0.1, same_question="What does Bruno eat?"
        )
    ]
    plan = plan_edits("vegetables", [cand("diet", LOG(0.2), -0.2)], existing, LOG(0.01))
    assert not any(isinstance(e, RemoveFact) for e in plan.edits)


def test_duplicate_candidates_are_considered_once():
    plan = plan_edits(
        "vegetables", [cand("Diet", LOG(0.9)), cand("diet ", LOG(0.9))], [], LOG(0.01)
    )
    assert len(plan.edits) == 1


def test_paper_loss_drops_when_candidates_enter_the_graph():
    plan = plan_edits("vegetables", [cand("diet", LOG(0.9)), cand("eats", LOG(0.7))], [], LOG(0.01))
    assert plan.loss_after < plan.loss_before
    assert math.isfinite(plan.loss_before)  # the retrieval floor keeps it finite


def test_mixture_of_an_empty_graph_is_the_model_alone():
    assert mixture_loss([], LOG(0.25)) == pytest.approx(-LOG(0.25))
    triples = [_Triple(("a", "x"), LOG(0.5), 0.0), _Triple(("b", "x"), LOG(0.1), 0.0)]
    assert mixture_loss(triples, 0.0) == pytest.approx(-LOG(0.3))


def test_retrieval_distribution_is_a_softmax():
    shares = retrieval_distribution([0.0, LOG(3.0)])
    assert shares == pytest.approx([0.25, 0.75])
    assert retrieval_distribution([]) == []


def test_only_facts_the_tuner_could_remove_or_that_weigh_on_the_answer_need_scoring():
    existing = [
        (fact(1, "diet", "meat"), -9.0),  # about something else, weakly retrieved
        (fact(2, "eats", "meat"), -0.5),  # shown in the answer prompt (top-1)
        (fact(4, "likes", "vegetables"), -8.0),  # states the answer: weighs on it
        (fact(5, "dog eat", "fish"), -9.5),  # answered the same attribute
    ]
    assert needs_reasoning("vegetables", existing, {5}, top_n=1) == {2, 4, 5}
    assert needs_reasoning("vegetables", existing, set(), top_n=4) == {1, 2, 4, 5}


def test_every_fact_the_plan_removes_was_scored():
    # Whatever the scores, plan_edits never removes a fact needs_reasoning left out.
    import random

    rng = random.Random(7)
    removals = 0
    for _ in range(200):
        facts = [
            fact(
                i,
                rng.choice(["eats", "diet", "breed", "owner", "likes"]),
                rng.choice(["meat", "fish", "vegetables", "labrador"]),
            )
            for i in range(8)
        ]
        retrieval = [rng.uniform(-8, 0) for _ in facts]
        candidates = [
            cand(r, LOG(rng.uniform(0.01, 0.9)), rng.uniform(-8, 0))
            for r in rng.sample(["diet", "food", "eats", "is fed"], 2)
        ]
        same = {i for i in range(8) if rng.random() < 0.3}
        chosen = needs_reasoning("vegetables", list(zip(facts, retrieval)), same, 3)
        existing = [
            ScoredFact(
                f, LOG(rng.uniform(0.001, 0.5)), r, same_question="Q?" if f.id in same else ""
            )
            for f, r in zip(facts, retrieval)
        ]
        plan = plan_edits("vegetables", candidates, existing, LOG(0.01), TuningConfig(eps=0.01))
        removed = {e.fact_id for e in plan.edits if isinstance(e, RemoveFact)}
        assert removed <= chosen
        assert removed == {f.id for f in facts if f.id in same and f.object != "vegetables"}
        removals += len(removed)
    assert removals > 0
