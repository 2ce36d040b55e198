"""What a new fact replaces: the fact answering the same question about the same
subject, and nothing else. Pairs written for these tests, learned end to end on the
fake model (the decision reads kinds, the questions' parse and meaning, never the
model's scores)."""

import pytest

from assistant.chat import ChatSession
from assistant.facts import Fact
from assistant.language.descriptions import USER
from assistant.learning.correction import drain, run_correction
from assistant.learning.tuning import Evidence, SameQuestion, same_question
from assistant.settings import Settings


def teach(store, model, *pairs):
    return [run_correction(model, store, q, a) for q, a in pairs]


def tell(store, model, message):
    session = ChatSession(model, store, Settings(temperature=0.0))
    turn, pieces = session.send(message)
    "".join(pieces)
    learning = session.learn_statement(turn)
    assert learning is not None, f"not read as a statement: {message!r}"
    return drain(learning)


def values(store, subject=None):
    return sorted(f.object for f in store.facts(subject))


def test_the_same_attribute_asked_again_in_other_words_is_replaced(store, fake_model):
    teach(store, fake_model, ("What is my favourite board game?", "Catan"))
    [result] = teach(store, fake_model, ("Which board game is my favourite now?", "Azul"))
    assert [f.object for f in result.applied.removed] == ["Catan"]
    assert values(store) == ["Azul"]


@pytest.mark.parametrize(
    "second",
    [
        ("Where was Bertrand born?", "Perth"),  # another action: born, not live
        ("What is Bertrand's favourite cheese?", "Stilton"),
        ("How old is Bertrand?", "71"),  # a quantity never replaces a place
    ],
)
def test_another_attribute_of_the_same_subject_is_never_removed(store, fake_model, second):
    teach(store, fake_model, ("Which city does my uncle Bertrand live in?", "Dundee"))
    [result] = teach(store, fake_model, second)
    assert result.applied.removed == []
    assert "Dundee" in values(store, "Bertrand")


def test_a_time_never_replaces_a_name(store, fake_model):
    teach(store, fake_model, ("What is my inhaler called?", "Clenil"))
    result = tell(store, fake_model, "My nurse says I should take my inhaler at 9:15 every night.")
    assert result.applied.removed == []
    assert {"Clenil", "9:15"} <= set(values(store))


def test_a_stated_change_replaces_the_attribute_and_keeps_the_rest(store, fake_model):
    teach(
        store,
        fake_model,
        ("Which netball team does my niece Priya play for?", "Manchester Thunder"),
        ("What position does Priya play?", "goal attack"),
    )
    result = tell(store, fake_model, "Priya has signed for Loughborough Lightning for next season.")
    [old] = result.applied.removed
    assert old.object == "Manchester Thunder"
    assert result.applied.because[old.id] == "Which netball team does my niece Priya play for?"
    # It answers the old fact's question, so it keeps the relation that named it.
    [new] = result.applied.added
    assert old.relation in new.relations
    assert values(store, "Priya") == ["Loughborough Lightning", "goal attack"]


def test_going_off_one_thing_for_another_is_an_update(store, fake_model):
    teach(
        store,
        fake_model,
        ("What does my stepson Tomasz eat for breakfast?", "cereal"),
        ("Which colour does Tomasz want for his bedroom?", "teal"),
    )
    result = tell(store, fake_model, "Tomasz has gone off cereal, he only wants toast now.")
    assert [f.object for f in result.applied.removed] == ["cereal"]
    assert values(store, "Tomasz") == ["teal", "toast"]


def test_a_statement_that_repeats_a_value_replaces_nothing_else(store, fake_model):
    teach(
        store,
        fake_model,
        ("What does my stepson Tomasz eat for breakfast?", "Cheerios"),
        ("Which colour does Tomasz want for his bedroom?", "teal"),
    )
    # However the statement is read, the fact it is about already has that value: the
    # bedroom colour is no candidate for it.
    result = tell(store, fake_model, "Tomasz has gone off Cheerios, he only wants toast now.")
    assert "teal" in values(store, "Tomasz")
    assert all(f.object != "teal" for f in result.applied.removed)


def test_the_user_and_what_they_describe_as_theirs_are_one_world(store, fake_model):
    teach(store, fake_model, ("Which pharmacy is my prescription sent to?", "Boots"))
    [result] = teach(
        store, fake_model, ("Which pharmacy do I get my prescription from now?", "Lloyds")
    )
    assert [(f.subject, f.object) for f in result.applied.removed] == [("my prescription", "Boots")]
    assert result.applied.subject == USER


def test_another_thing_of_the_users_world_keeps_its_facts(store, fake_model):
    teach(store, fake_model, ("Which town was I born in?", "Kendal"))
    [result] = teach(store, fake_model, ("Which town is my caravan parked in?", "Hexham"))
    assert result.applied.removed == []
    assert values(store) == ["Hexham", "Kendal"]


def test_a_replacement_is_undone_and_the_old_value_is_kept_in_history(store, fake_model):
    teach(store, fake_model, ("Which city does my aunt Rosalind live in?", "Leeds"))
    [result] = teach(store, fake_model, ("Which city does Rosalind live in now?", "Bristol"))
    [old] = result.applied.removed
    history = store.facts("Rosalind", include_invalid=True)
    assert [(f.object, bool(f.invalid_at)) for f in history] == [
        ("Leeds", True),
        ("Bristol", False),
    ]
    store.undo(result.applied.correction_id)
    assert values(store, "Rosalind") == ["Leeds"]
    assert old.id in {f.id for f in store.facts("Rosalind")}


def _evidence(fact_id, **changes):
    fields = dict(
        fact=Fact(fact_id, "Anna", "lives in", f"value {fact_id}", ""),
        question=f"question {fact_id}",
        same_subject=True,
        kinds_meet=True,
        attribute_differs=False,
        asked_before=False,
        meaning=0.0,
        values=0.0,
        names_old_value=False,
        same_value=False,
    )
    return Evidence(**(fields | changes))


def test_a_question_replaces_what_answers_it_however_many_and_never_another_kind():
    found = [
        _evidence(1, meaning=0.9),
        _evidence(2, asked_before=True),
        _evidence(3, meaning=0.95, kinds_meet=False),
        _evidence(4, meaning=0.95, attribute_differs=True),
        _evidence(5, meaning=0.6),
    ]
    assert same_question(found, statement=False) == {1: "question 1", 2: "question 2"}


def test_a_statement_replaces_only_the_one_fact_it_reads_most_like():
    thresholds = SameQuestion(statement=0.2, statement_other_subject=0.5)
    found = [_evidence(1, meaning=0.3), _evidence(2, meaning=0.25, values=0.2)]
    assert same_question(found, True, thresholds) == {2: "question 2"}
    # Naming the old value outweighs closeness ("gave up Welsh").
    named = [_evidence(1, meaning=0.9), _evidence(2, meaning=0.0, names_old_value=True)]
    assert same_question(named, True, thresholds) == {2: "question 2"}
    # Nothing close enough: nothing replaced; another thing of the user's needs more.
    assert same_question([_evidence(1, meaning=0.1)], True, thresholds) == {}
    other = [_evidence(1, meaning=0.4, same_subject=False)]
    assert same_question(other, True, thresholds) == {}


def test_a_statement_that_says_no_change_replaces_only_what_it_reads_much_like():
    thresholds = SameQuestion(statement=0.2, statement_no_change=0.6)
    loose = [_evidence(1, meaning=0.3, values=0.05)]
    assert same_question(loose, True, thresholds) == {1: "question 1"}
    assert same_question(loose, True, thresholds, says_change=False) == {}
    close = [_evidence(1, meaning=0.55, values=0.2)]
    assert same_question(close, True, thresholds, says_change=False) == {1: "question 1"}


def test_a_new_detail_told_beside_another_attribute_keeps_it(store, fake_model):
    teach(store, fake_model, ("Which care home is my grandma Odile in?", "Rosewood Court"))
    result = tell(store, fake_model, "Odile loves ginger nuts.")
    assert result.applied.removed == []
    assert values(store, "Odile") == ["Rosewood Court", "ginger nuts"]


def test_whom_someone_lives_with_is_not_replaced_by_where(store, fake_model):
    teach(store, fake_model, ("Who does my aunt Odette live with?", "Clemence"))
    [result] = teach(store, fake_model, ("Which town does Odette live in?", "Arles"))
    assert result.applied.removed == []
    assert values(store, "Odette") == ["Arles", "Clemence"]
