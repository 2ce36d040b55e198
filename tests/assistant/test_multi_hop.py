"""Answers that chain two facts, and the path they show."""

from assistant.answering import answer_question
from assistant.chat import ChatSession
from assistant.correction import drain, run_correction
from assistant.retrieval import retrieve
from assistant.settings import Settings


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
    assert [f.sentence for f in result.applied.added] == ["Dr. Moreau works in PetCare Paris."]
    assert [f.object for f in result.applied.removed] == ["Vetcare Lyon"]
    assert [f.object for f in store.valid_facts_of("Rex")] == ["beagle", "Dr. Moreau"]
