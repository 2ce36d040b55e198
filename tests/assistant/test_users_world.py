"""Subjects without names: the user, descriptions, variants, merging, follow-ups."""

from assistant.answering.retrieval import retrieve
from assistant.chat import ChatSession
from assistant.language.descriptions import USER
from assistant.learning.correction import run_correction
from assistant.settings import Settings


def reply(session: ChatSession, message: str) -> str:
    turn, pieces = session.send(message)
    return "".join(pieces)


def test_questions_about_me_learn_facts_of_the_user(store, fake_model):
    result = run_correction(fake_model, store, "Which tea do I drink in the evening?", "rooibos")
    assert result.applied.subject == USER
    [fact] = result.applied.added
    assert fact.sentence == "I drink rooibos in the evening."
    session = ChatSession(fake_model, store, Settings(temperature=0.0))
    assert reply(session, "Which tea do I drink in the evening?") == (
        "You drink rooibos in the evening."
    )


def test_a_description_is_an_entity_found_again_by_its_variants(store, fake_model):
    result = run_correction(fake_model, store, "Which town does my mum live in?", "Whitby")
    assert result.applied.subject == "my mum"
    found = retrieve(fake_model, store, "Where does my mother live?")
    assert found.subject == "my mum" and [f.object for f in found.facts] == ["Whitby"]
    found = retrieve(fake_model, store, "Where does my mom live these days?")
    assert found.subject == "my mum"


def test_a_relative_named_alone_is_found_through_its_description(store, fake_model):
    run_correction(fake_model, store, "Where was my grandad Walter born?", "Aberdeen")
    found = retrieve(fake_model, store, "Which city is grandad originally from?")
    assert found.subject == "Walter"


def test_an_i_question_finds_the_users_fact_by_meaning(store, fake_model):
    run_correction(fake_model, store, "Which tea do I drink in the evening?", "rooibos")
    run_correction(fake_model, store, "What colour is my car?", "burgundy")
    run_correction(fake_model, store, "Which language am I learning?", "Welsh")
    found = retrieve(fake_model, store, "What do I usually drink before bed in the evening?")
    assert found.facts and found.facts[0].object == "rooibos"
    found = retrieve(fake_model, store, "What language am I studying?")
    assert found.facts[0].object == "Welsh"


def test_small_talk_about_me_uses_no_fact(store, fake_model):
    run_correction(fake_model, store, "Which tea do I drink in the evening?", "rooibos")
    found = retrieve(fake_model, store, "Can you help me write a poem about the sea?")
    assert found.facts == []


def test_a_follow_up_pronoun_continues_the_conversations_subject(store, fake_model):
    run_correction(fake_model, store, "Which city does my sister Anna live in?", "Lisbon")
    run_correction(fake_model, store, "What does Anna do for work?", "nurse")
    session = ChatSession(fake_model, store, Settings(temperature=0.0))
    assert "Lisbon" in reply(session, "Where does Anna live?")
    assert "nurse" in reply(session, "And what does she do for work?")


def test_another_attribute_of_the_same_subject_is_never_removed(store, fake_model):
    first = run_correction(fake_model, store, "What colour is my car?", "burgundy")
    second = run_correction(fake_model, store, "What make is my car?", "Skoda")
    third = run_correction(fake_model, store, "Which garage services my car?", "Dunmore Motors")
    assert second.applied.removed == [] and third.applied.removed == []
    assert {f.object for f in store.valid_facts_of("my car")} == {
        "burgundy",
        "Skoda",
        "Dunmore Motors",
    }
    # Either reading of "What colour is ...?", as the model finds it more fluent.
    assert first.applied.added[0].sentence in {
        "My car's colour is burgundy.",
        "My car is burgundy.",
    }


def test_the_same_attribute_asked_another_way_is_an_update(store, fake_model):
    run_correction(fake_model, store, "What phone do I have?", "Fairphone 5")
    result = run_correction(fake_model, store, "Which phone do I use now?", "iPhone 15")
    assert [f.object for f in result.applied.removed] == ["Fairphone 5"]


def test_a_description_joins_the_name_the_user_gives(store, fake_model):
    run_correction(fake_model, store, "Where does my father work?", "the harbour")
    result = run_correction(fake_model, store, "What does my father Jorge drink?", "coffee")
    assert result.applied.subject == "Jorge"
    assert {f.object for f in store.valid_facts_of("Jorge")} == {"the harbour", "coffee"}
    assert store.resolve_entity("my dad") == "Jorge"


def test_a_fact_is_found_by_the_question_it_answers(store, fake_model):
    # "practise tonight" is far from "I am learning Welsh." but close to the question
    # that taught it.
    run_correction(fake_model, store, "Which language am I learning?", "Welsh")
    run_correction(fake_model, store, "What phone do I use?", "Pixel 8")
    found = retrieve(fake_model, store, "Which language should I practise tonight?")
    assert found.facts[0].object == "Welsh"


def test_an_update_answers_the_question_of_the_fact_it_replaced(store, fake_model):
    run_correction(fake_model, store, "Which language am I learning?", "Welsh")
    first = store.valid_facts_of(USER)[0]
    run_correction(fake_model, store, "Which language am I learning now?", "Korean")
    [korean] = store.valid_facts_of(USER)
    answered = store.questions_answered([korean.id, first.id])
    assert sorted(answered[korean.id]) == [
        "Which language am I learning now?",
        "Which language am I learning?",
    ]
    assert answered[first.id] == ["Which language am I learning?"]


def test_in_the_users_world_meaning_overrules_a_shared_word(store, fake_model):
    # "learning" names the language fact; the question is about the dance class.
    run_correction(fake_model, store, "Which language am I learning?", "Welsh")
    run_correction(fake_model, store, "What dance class do I take on Thursdays?", "salsa")
    found = retrieve(fake_model, store, "Which dance am I learning?")
    assert found.facts[0].object == "salsa"
    found = retrieve(fake_model, store, "Which language am I learning?")
    assert found.facts[0].object == "Welsh"  # named and meant: by name


def test_a_pronoun_never_points_back_at_the_user(store, fake_model):
    run_correction(fake_model, store, "Which tea do I drink in the evening?", "rooibos")
    session = ChatSession(fake_model, store, Settings(temperature=0.0))
    reply(session, "Which tea do I drink in the evening?")
    turn, pieces = session.send("Which country is famous for its tea ceremony?")
    "".join(pieces)
    assert turn.facts == []


def test_the_subjects_own_words_do_not_pick_its_fact(store, fake_model):
    # Every fact of Walter's repeats "my grandad Walter"; the question's other words say
    # which one it asks.
    run_correction(fake_model, store, "Where was my grandad Walter born?", "Aberdeen")
    run_correction(
        fake_model, store, "What was Walter's job before he retired?", "lighthouse keeper"
    )
    run_correction(fake_model, store, "Which whisky does Walter drink at Christmas?", "Talisker")
    found = retrieve(fake_model, store, "What did my grandad do for a living?")
    assert found.subject == "Walter" and found.facts[0].object == "lighthouse keeper"
