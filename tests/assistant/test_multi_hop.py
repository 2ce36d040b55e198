"""Answers that chain two facts, and the path they show."""

from assistant.answering import answer_question
from assistant.correction import run_correction
from assistant.retrieval import retrieve


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
