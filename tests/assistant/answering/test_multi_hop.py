"""Answers that chain two facts, and the path they show."""

from dataclasses import replace

import pytest

from assistant.answering.answer import answer_question
from assistant.answering.answers_asked import (
    ANSWERS_MIN_SIMILARITY,
    ANSWERS_SURE_SIMILARITY,
    answering_facts,
)
from assistant.answering.multi_hop import correction_target, stored_path
from assistant.answering.reply_choice import Say, answer_plan
from assistant.answering.retrieval import ChosenBy, Retrieved, retrieve
from assistant.chat import ChatSession
from assistant.learning.correction import drain, run_correction
from assistant.settings import Settings
from models.fake import FakeLanguageModel


def teach_the_vet(store, model):
    run_correction(model, store, "What breed is my dog Rex?", "beagle")
    run_correction(model, store, "Who is Rex's vet?", "Dr. Moreau")
    run_correction(model, store, "Where does Dr. Moreau work?", "Vetcare Lyon")


def test_a_question_about_the_second_hop_follows_the_chain(store, fake_model):
    teach_the_vet(store, fake_model)
    assert store.resolve_entity("Dr. Moreau") is not None
    found = retrieve(fake_model, store, "Where does my dog's vet work?")
    assert [f.object for f in found.path] == ["Dr. Moreau", "Vetcare Lyon"]
    answer = answer_question(fake_model, store, "Where does my dog's vet work?")
    assert "Vetcare Lyon" in answer.text and "Dr. Moreau" in answer.text
    assert [f["object"] for f in answer.to_json()["path"]] == ["Dr. Moreau", "Vetcare Lyon"]


def test_a_one_hop_question_has_no_path(store, fake_model):
    teach_the_vet(store, fake_model)
    answer = answer_question(fake_model, store, "Who is Rex's vet?")
    assert "Dr. Moreau" in answer.text and answer.path == []
    assert answer.to_json()["path"] == []


def test_correcting_a_chained_answer_corrects_the_last_link(store, fake_model):
    teach_the_vet(store, fake_model)
    session = ChatSession(fake_model, store, Settings(temperature=0.0))
    turn, pieces = session.send("Where does my dog's vet work?")
    "".join(pieces)
    assert [f.object for f in turn.path] == ["Dr. Moreau", "Vetcare Lyon"]
    result = drain(session.correct("PetCare Paris"))
    # The vet's workplace changed; the dog still has the same vet.
    assert store.resolve_entity(result.applied.subject) == store.resolve_entity("Dr. Moreau")
    # The place's preposition is the reading the model finds most fluent.
    [added] = [f.sentence for f in result.applied.added]
    assert added.startswith("Dr. Moreau works ") and added.endswith(" PetCare Paris.")
    assert [f.object for f in result.applied.removed] == ["Vetcare Lyon"]
    assert [f.object for f in store.valid_facts_of("Rex")] == ["beagle", "Dr. Moreau"]


def test_what_a_correction_teaches_the_link_or_the_subject_the_user_named(store, fake_model):
    teach_the_vet(store, fake_model)
    path = retrieve(fake_model, store, "Where does my dog's vet work?").path
    asked = "Where does my dog's vet work?"
    link = ("Where does Dr. Moreau work?", store.resolve_entity("Dr. Moreau"))
    assert correction_target(store, asked, path, None) == link
    assert correction_target(store, asked, path, "dr. moreau") == link
    assert correction_target(store, asked, path, "Rex") == (asked, "Rex")
    assert correction_target(store, asked, [], "Rex") == (asked, "Rex")


def test_a_correction_changes_a_chains_link_only_when_asked_for_it(store, fake_model):
    teach_the_optician(store, fake_model)
    path = [store.valid_facts_of("my optician")[0]]
    path.append(store.valid_facts_of(store.resolve_entity("Mr. Sato"))[0])
    link = ("What is Mr. Sato's phone number?", store.resolve_entity("Mr. Sato"))
    # About where the chain starts, naming the last link's relation: the number changes.
    asked = "What is my optician's phone number?"
    assert correction_target(store, asked, path, None) == link
    # Asked in other words, or about someone else the chain was followed for by
    # mistake: the question is taught as asked, and the link is left alone.
    for asked in ("What number do I ring when my glasses break?", "What's Anselm's number?"):
        assert correction_target(store, asked, path, None) == (asked, None)


def test_a_chain_is_judged_by_what_its_last_link_answers(store, fake_model):
    # The question names neither the manager's name nor Priya's relation in so many
    # words that match the manager's own fact; the chain's second hop answers it.
    run_correction(fake_model, store, "What is my manager's name?", "Priya")
    run_correction(fake_model, store, "Which football team does Priya support?", "Leeds United")
    found = retrieve(fake_model, store, "Which football team does my manager support?")
    assert [f.object for f in found.path] == ["Priya", "Leeds United"]
    # Asked about the first link itself: one hop.
    assert retrieve(fake_model, store, "What is my manager's name?").path == []


def test_a_chain_passes_through_an_entity_named_with_its_article(store, fake_model):
    run_correction(fake_model, store, "Which band does my brother Caleb play in?", "The Night Owls")
    run_correction(fake_model, store, "What kind of music do The Night Owls play?", "bluegrass")
    found = retrieve(fake_model, store, "What kind of music does my brother's band play?")
    assert [f.object for f in found.path] == ["The Night Owls", "bluegrass"]


def test_a_chat_turn_carries_the_path_and_a_stored_answer_gives_it_back(store, fake_model):
    teach_the_vet(store, fake_model)
    turn, pieces = ChatSession(fake_model, store).send("Where does my dog's vet work?")
    "".join(pieces)
    assert [f.object for f in turn.path] == ["Dr. Moreau", "Vetcare Lyon"]
    # A message keeps its facts' ids in order: the path is found again from them.
    kept = [store.fact(f.id) for f in turn.facts]
    assert stored_path(store, kept) == turn.path
    assert stored_path(store, kept[::-1]) == []
    one_hop, pieces = ChatSession(fake_model, store).send("Who is Rex's vet?")
    "".join(pieces)
    assert one_hop.path == [] and stored_path(store, one_hop.facts) == []


def teach_the_violin_teacher(store, model):
    run_correction(model, store, "Who teaches my son Arlo the violin?", "Ms. Brandt")
    run_correction(model, store, "Which town does Ms. Brandt live in?", "Kendal")


def teach_the_optician(store, model):
    run_correction(model, store, "Who is my optician?", "Mr. Sato")
    run_correction(model, store, "What is Mr. Sato's phone number?", "01632 960111")
    run_correction(model, store, "Which gym do I go to?", "Pulse Fitness")


def test_a_question_in_everyday_words_follows_the_whole_path(store, fake_model):
    # Neither the teacher nor where she lives is named; the two links together answer.
    teach_the_violin_teacher(store, fake_model)
    found = retrieve(fake_model, store, "Which town do I drive Arlo to for his music lessons?")
    assert [f.object for f in found.path] == ["Ms. Brandt", "Kendal"]
    assert found.path_closeness >= ANSWERS_SURE_SIMILARITY
    # Asked about the first link alone: one hop.
    assert retrieve(fake_model, store, "Who teaches Arlo the violin?").path == []


def test_a_path_is_taken_where_a_single_link_is_closer_than_the_other(store, fake_model):
    # "Dev hosts my poker night." alone is closer to the question than Dev's village;
    # the two together are closer still.
    run_correction(fake_model, store, "Who hosts my poker night?", "Dev")
    run_correction(fake_model, store, "Which village does Dev live in?", "Kirkby")
    plan = answer_plan(fake_model, store, "Which village do I go to on poker nights?")
    assert plan.say == Say.FACTS
    assert [f.object for f in plan.found.path] == ["Dev", "Kirkby"]


def test_the_users_chain_starts_at_a_fact_far_from_the_question(store, fake_model):
    # "My optician is Mr. Sato." says nothing of glasses breaking or ringing; the path
    # through the optician's number does.
    teach_the_optician(store, fake_model)
    plan = answer_plan(fake_model, store, "What number do I ring when my glasses break?")
    assert plan.say == Say.FACTS
    assert [f.object for f in plan.found.path] == ["Mr. Sato", "01632 960111"]
    assert answer_plan(fake_model, store, "Which gym do I go to?").found.path == []


class DoubtfulModel(FakeLanguageModel):
    """The fake model, except that it expects no value as an answer."""

    def score(self, requests):
        return [replace(s, sum_logprob=-5.0 * s.n_tokens) for s in super().score(requests)]


def test_a_loosely_close_path_is_said_only_when_the_model_expects_its_end(store, fake_model):
    teach_the_optician(store, fake_model)
    question = "What number do I ring when my glasses break?"
    found = retrieve(fake_model, store, question)
    assert ANSWERS_MIN_SIMILARITY <= found.path_closeness < ANSWERS_SURE_SIMILARITY
    # The fake model expects a value its prompt shows; the doubtful one expects none.
    assert answer_plan(fake_model, store, question).found.path
    doubtful = answer_plan(DoubtfulModel(), store, question)
    assert doubtful.say == Say.NOT_KNOWN and "01632" not in doubtful.text


def test_a_chain_the_model_does_not_expect_gives_way_to_the_facts_found_without_it(
    store, fake_model
):
    teach_the_optician(store, fake_model)
    [first] = store.valid_facts_of("my optician")
    [second] = store.valid_facts_of(store.resolve_entity("Mr. Sato"))
    single = Retrieved("my optician", [first], [1.0], ChosenBy.BY_NAME)
    path = [first, second]
    chained = Retrieved(
        "my optician", path, [0.5, 0.5], ChosenBy.BY_MEANING, path, path_closeness=0.25
    )
    chained = replace(chained, without_chain=single)
    question = "Who is my optician?"
    assert answering_facts(fake_model, store, question, chained).path == path
    kept = answering_facts(DoubtfulModel(), store, question, chained)
    assert kept.facts == [first] and kept.path == []
    # With nothing found beside the chain, nothing answers.
    alone = replace(chained, without_chain=None)
    assert answering_facts(DoubtfulModel(), store, question, alone).facts == []


@pytest.mark.parametrize(
    "question",
    ["What is Arlo's favourite food?", "When is Arlo's violin lesson?"],
)
def test_a_chain_does_not_answer_what_its_path_does_not_say(store, fake_model, question):
    # Nothing taught answers these: no chain through the teacher is said instead
    # (the first too far in meaning, the second asks a time and the chain ends in a
    # place).
    teach_the_violin_teacher(store, fake_model)
    plan = answer_plan(fake_model, store, question)
    assert plan.say == Say.NOT_KNOWN
    assert plan.found.path == [] and "Kendal" not in plan.text
