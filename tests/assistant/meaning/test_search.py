"""Questions that name neither the entity nor an alias: the entity found by meaning,
general questions and people named anew left alone, the search exact after edits, only the
question's phrases embedded."""

import pytest

import assistant.meaning.index
import assistant.meaning.search
from assistant.answering.retrieval import SubjectBy, answer_subject, retrieve
from assistant.language.descriptions import USER
from assistant.language.references import Reference, referring_phrases
from assistant.learning.correction import run_correction
from assistant.meaning.search import closest_entity
from assistant.store.database import open_database
from assistant.store.graph_store import GraphStore


@pytest.fixture
def taught(store, fake_model):
    for query, answer in (
        ("What does my dog Rex eat?", "kibble"),
        ("Where does my dog Rex sleep?", "the kitchen"),
        ("What time does my climbing gym close on Sundays?", "8 pm"),
        ("What instrument does my nephew Oskar play?", "trombone"),
        ("What position does my son Kasper play in football?", "goalkeeper"),
        ("What's my hairdresser called?", "Sunita"),
    ):
        run_correction(fake_model, store, query, answer)
    return store


@pytest.mark.parametrize(
    "question, entity, answer",
    [
        ("How late is the climbing wall open on a Sunday?", "my climbing gym", "8 pm"),
        # Known by what was said of him: "My nephew Oskar plays trombone."
        ("Which school does my little trombonist go to?", "Oskar", "trombone"),
    ],
)
def test_a_thing_called_by_other_words_is_found_by_meaning(taught, question, entity, answer):
    assert taught.find_entity_in(question) is None  # no name or alias finds it
    assert answer_subject(taught, question) == (entity, SubjectBy.MEANING)
    found = retrieve(None, taught, question)
    assert found.subject == entity and answer in [f.object for f in found.facts]


@pytest.mark.parametrize(
    "question, entity, answer",
    [
        ("What does my little pup eat?", "Rex", "kibble"),
        ("What does the little pup eat?", "Rex", "kibble"),
        ("Which team does my boy play for?", "Kasper", "goalkeeper"),
    ],
)
def test_a_pet_or_person_described_by_what_they_are_is_found_so(taught, question, entity, answer):
    assert taught.find_entity_in(question) is None
    assert answer_subject(taught, question) == (entity, SubjectBy.DESCRIBED)
    found = retrieve(None, taught, question)
    assert found.subject == entity and answer in [f.object for f in found.facts]


@pytest.mark.parametrize(
    "question, someone",
    [
        ("Where does my brother live?", "my brother"),  # a nephew and a son, no brother
        ("What does my cat eat?", "my cat"),  # a dog is known, no cat
        ("Who is my niece's favourite singer?", "my niece"),
        ("What does my daughter play?", "my daughter"),
    ],
)
def test_someone_of_the_users_the_graph_does_not_know_is_nobody_it_knows(taught, question, someone):
    assert answer_subject(taught, question) == (someone, SubjectBy.UNKNOWN)
    found = retrieve(None, taught, question)
    assert (found.subject, found.facts, found.about) == (someone, [], SubjectBy.UNKNOWN)


def test_a_general_question_about_a_kind_of_person_or_pet_stays_general(taught):
    for question in ("What does the vet do at a check-up?", "What do cats eat?"):
        found = retrieve(None, taught, question)
        assert (found.subject, found.about) == (None, SubjectBy.NONE)


def test_the_users_thing_is_not_found_by_the_letters_of_a_name(store, fake_model):
    # "tea" and "Teodora" share letters, and a name's vector is little else.
    run_correction(fake_model, store, "Which pool does my godmother Teodora swim at?", "Moorside")
    assert closest_entity(store.db, [Reference("tea", False)]).entity == "Teodora"
    assert answer_subject(store, "How do I like my tea?") == (USER, SubjectBy.USER)


@pytest.mark.parametrize(
    "question",
    [
        "What does the goalkeeper wear?",  # Kasper plays in goal: still a general question
        "Which dog breed is the fastest runner?",
        "How long do trombones last?",
        "What is the capital of Germany?",
        "What is the largest animal on Earth?",
        "Which company makes the Mustang car?",
        "When does the sun set in winter?",
    ],
)
def test_a_general_question_retrieves_nothing(taught, question):
    found = retrieve(None, taught, question)
    assert found.subject is None and found.facts == []


def test_the_users_own_things_stay_with_the_users_world(taught):
    # "my hair" means "my hairdresser", which the user's own search already covers.
    assert answer_subject(taught, "Who cuts my hair?") == (USER, SubjectBy.USER)
    assert "Sunita" in [f.object for f in retrieve(None, taught, "Who cuts my hair?").facts]


def test_someone_new_named_with_a_description_is_not_someone_else(taught):
    # "daughter" is close to "my son Kasper" in meaning, and never compared by it;
    # Lena, not yet known, is not Kasper.
    question = "Which school does my daughter Lena go to?"
    assert closest_entity(taught.db, [Reference("daughter", True)]) is None
    assert answer_subject(taught, question) == (USER, SubjectBy.USER)


def test_a_statement_is_not_searched(taught):
    assert answer_subject(taught, "The little pup ate the slippers.") == (None, SubjectBy.NONE)


def test_forgetting_an_entity_stops_it_being_found_from_any_connection(taught, tmp_path):
    question = "What does the little pup eat?"
    other = GraphStore(open_database(tmp_path / "graph.db"))  # the CLI beside the app
    assert answer_subject(other, question)[0] == "Rex"  # its copy of the names is warm
    taught.forget_entity("Rex")
    assert answer_subject(other, question) == (None, SubjectBy.NONE)
    assert answer_subject(taught, question) == (None, SubjectBy.NONE)


def test_an_undone_alias_stops_finding_by_meaning(store, fake_model):
    result = run_correction(fake_model, store, "What does my dog Rex eat?", "kibble")
    assert answer_subject(store, "What does my little doggo eat?")[0] == "Rex"
    store.undo(result.applied.correction_id)
    assert answer_subject(store, "What does my little doggo eat?")[0] == USER


def test_the_search_embeds_the_question_and_nothing_of_the_graph(taught, monkeypatch):
    # Names, aliases and the user's things' facts are compared by their stored vectors.
    calls = []

    def counting(texts):
        calls.append(list(texts))
        return embed(texts)

    embed = assistant.meaning.search.embed
    for module in (assistant.meaning.index, assistant.meaning.search):
        monkeypatch.setattr(module, "embed", counting)
    question = "Which school does my little trombonist go to?"
    assert answer_subject(taught, question) == ("Oskar", SubjectBy.MEANING)
    assert calls == [["little trombonist"]]
    calls.clear()
    found = retrieve(None, taught, "What is Rex's favourite meal?", top_n=1)
    assert found.chosen_by == "by meaning" and found.facts[0].object == "kibble"
    assert calls == []  # a question naming its subject searches nothing by meaning


@pytest.mark.parametrize(
    "question, references",
    [
        ("How late is the climbing wall open on a Sunday?", [("climbing wall open", False)]),
        ("What does my little boy read?", [("little boy", True)]),
        ("When does the gym close on Sundays?", [("gym", False)]),
        ("Where does the lacrosse coach play bass?", [("lacrosse coach", False)]),
        ("What is the hamster's name?", [("hamster", False)]),
        ("What is my best friend called?", [("best friend", True)]),
        ("What book is my son reading?", [("son", True)]),
        # Named: "my sister Anna" is Anna, whom a name or alias finds if she is known.
        ("Where does my sister Anna live?", []),
        ("Who is my son Milo's teacher?", []),
        # Not a particular thing of the user's: a superlative, a part of something
        # else, a name, a number, a kind.
        ("What is the largest animal on Earth?", []),
        ("What is the capital of Germany?", []),
        ("Which company makes the Mustang car?", []),
        ("Which company builds the 747 jumbo jet?", []),
        ("What do koalas eat?", []),
    ],
)
def test_referring_phrases(question, references):
    assert referring_phrases(question) == [Reference(w, mine) for w, mine in references]


def test_a_role_named_by_another_word_finds_whose_it_is(store, fake_model):
    run_correction(fake_model, store, "What is my GP practice called?", "Riverbend Clinic")
    question = "Which practice is my family doctor at?"
    assert answer_subject(store, question) == ("my GP practice", SubjectBy.DESCRIBED)
    assert [f.object for f in retrieve(None, store, question).facts] == ["Riverbend Clinic"]


def test_of_several_people_of_one_kind_the_closest_description_is_meant(store, fake_model):
    run_correction(fake_model, store, "Where does my piano teacher Ana live?", "Sintra")
    run_correction(fake_model, store, "Where does my yoga teacher Bea live?", "Cascais")
    question = "Where does my yoga instructor live?"
    assert answer_subject(store, question) == ("Bea", SubjectBy.DESCRIBED)
