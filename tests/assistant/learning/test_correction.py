"""A correction end to end with the fake model, and answering with the graph."""

import pytest

from assistant.answering.answer import answer_question
from assistant.errors import ContextOverflowError, InputError
from assistant.learning.correction import (
    Progress,
    correct,
    drain,
    propose_correction,
    run_correction,
)
from assistant.learning.tuning import TuningConfig
from models.fake import FakeLanguageModel

QUESTION = "What does my dog Bruno eat?"


def test_correction_learns_a_fact_that_the_answer_then_uses(store, fake_model):
    result = run_correction(fake_model, store, QUESTION, "vegetables")
    assert result.applied.subject == "Bruno"
    # One fact, written as the sentence a person would write, said back to them.
    [added] = result.applied.added
    assert added.object == "vegetables" and added.sentence == "My dog Bruno eats vegetables."
    answer = answer_question(fake_model, store, QUESTION)
    assert answer.text == "Your dog Bruno eats vegetables."
    assert [f.id for f in answer.facts] == [added.id]


def test_paraphrase_through_the_learned_alias_finds_the_facts(store, fake_model):
    run_correction(fake_model, store, QUESTION, "vegetables")
    answer = answer_question(fake_model, store, "Which food should I buy for my dog?")
    assert answer.subject == "Bruno" and "vegetables" in answer.text


def test_other_entities_are_untouched(store, fake_model):
    run_correction(fake_model, store, QUESTION, "vegetables")
    answer = answer_question(fake_model, store, "What do dogs eat?")
    assert answer.subject is None and answer.facts == []


def test_a_second_correction_replaces_the_first(store, fake_model):
    first = run_correction(fake_model, store, QUESTION, "vegetables")
    second = run_correction(fake_model, store, QUESTION, "fish")
    removed = {f.id for f in second.applied.removed}
    assert removed and removed <= {f.id for f in first.applied.added}
    assert {f.object for f in store.facts("Bruno")} == {"fish"}


def test_scoring_is_one_batched_call(store):
    model = FakeLanguageModel()
    result = run_correction(model, store, QUESTION, "vegetables", k=5)
    # subject found by name (no model call), then one batch: the fact's sentence (every
    # phrasing is written the same way) + the model alone + each phrasing's retrieval
    relations = result.proposal.relations
    assert 1 <= len(relations) <= 5 and all("dog" not in r for r in relations)
    assert model.score_calls == [2 + len(relations)]


def test_progress_is_reported_and_cancelling_writes_nothing(store, fake_model):
    steps = correct(fake_model, store, QUESTION, "vegetables")
    seen = [next(steps) for _ in range(3)]
    assert all(isinstance(s, Progress) for s in seen)
    steps.close()  # the user cancelled
    assert store.facts() == [] and store.corrections() == []


def test_proposal_writes_nothing_until_applied(store, fake_model):
    proposal = drain(propose_correction(fake_model, store, QUESTION, "vegetables"))
    added, removed = proposal.planned_triples()
    assert added and removed == []
    assert store.facts() == []


@pytest.mark.parametrize("question,answer", [("", "x"), ("   ", "x"), ("q?", " \n ")])
def test_empty_input_is_refused(store, fake_model, question, answer):
    with pytest.raises(InputError):
        run_correction(fake_model, store, question, answer)


def test_a_question_too_long_for_the_context_is_refused(store):
    model = FakeLanguageModel(context_length=50)
    with pytest.raises(ContextOverflowError):
        answer_question(model, store, "word " * 100)


def test_subjectless_question_needs_a_subject(store):
    model = FakeLanguageModel(replies=lambda p: " nothing" if p.endswith("Entity:") else None)
    with pytest.raises(InputError, match="subject"):
        run_correction(model, store, "what is it?", "blue")


def test_teaching_something_else_about_the_subject_keeps_its_other_facts(store, fake_model):
    diet = run_correction(fake_model, store, QUESTION, "vegetables")
    care = run_correction(fake_model, store, "Who takes care of Bruno?", "Anna")
    assert care.applied.removed == []
    assert {f.id for f in diet.applied.added} <= {f.id for f in store.facts("Bruno")}


def test_teaching_about_a_pet_keeps_the_owners_unrelated_facts(store):
    # Seen with the real model: "What is the name of my sister Anna's dog?" -> Bruno
    # invalidates Anna's generic "is associated with" fact if the generic fallback
    # relation, added to fill K, counts as a relation of the answer.
    def replies(prompt):
        case = prompt.split("<query>:")[-1]
        if not prompt.rstrip().endswith("<relation>:"):
            return None
        return " dog" if "Bruno" in case else " is associated with"

    model = FakeLanguageModel(replies=replies)
    run_correction(model, store, "Anna is associated with", "Microsoft", subject="Anna")
    before = {f.id for f in store.facts("Anna")}
    assert any(f.object == "Microsoft" for f in store.facts("Anna"))
    result = run_correction(
        model,
        store,
        "What is the name of my sister Anna's dog?",
        "Bruno",
        subject="Anna",
        config=TuningConfig(eps=0.01),
    )
    assert "is associated with" in result.proposal.relations  # a fallback was scored...
    assert result.applied.removed == []  # ...but removed nothing
    assert before <= {f.id for f in store.facts("Anna")}


def test_facts_about_other_things_are_not_scored_again(store):
    # A subject with years of facts: a correction about its diet scores the candidates,
    # its diet facts and the few the answer would show, not every fact it has.
    model = FakeLanguageModel()
    unrelated = [
        ("breed", "labrador"),
        ("colour", "brown"),
        ("vet", "Dr Ruiz"),
        ("born in", "Lyon"),
        ("toy", "a ball"),
        ("sleeps in", "the kitchen"),
        ("walks with", "Anna"),
        ("weighs", "30 kg"),
    ]
    for relation, obj in unrelated:
        run_correction(model, store, f"Bruno {relation}", obj, subject="Bruno", k=1)
    model.score_calls.clear()
    first = run_correction(model, store, QUESTION, "vegetables", k=5)
    assert len(model.score_calls) == 2
    assert model.score_calls[1] < len(unrelated)  # only a few existing facts re-scored
    second = run_correction(model, store, QUESTION, "fish", k=5)
    assert {f.id for f in second.applied.removed} == {f.id for f in first.applied.added}
    assert {f.object for f in store.valid_facts_of("Bruno")} >= {o for _, o in unrelated}
