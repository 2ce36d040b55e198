"""Teaching by telling: statements become KGT's (query, answer); updates by meaning."""

import pytest

from assistant.chat import ChatSession
from assistant.language.descriptions import USER
from assistant.learning.correction import drain, run_correction
from assistant.learning.statements import is_statement, stated_fact, statement_subject
from assistant.settings import Settings


@pytest.mark.parametrize(
    ("message", "query", "answer"),
    [
        ("Tobias has moved to Munich for his new job.", "Tobias has moved to", "Munich"),
        ("I've upped my Sunday run to 16 km.", "I've upped my Sunday run to", "16 km"),
        ("I gave up Welsh, I'm learning Korean now.", "I'm learning", "Korean"),
        ("Heads up: my climbing gym closes at 6 pm on Sundays now.",
         "my climbing gym closes at", "6 pm"),
        ("Oskar swapped the trombone for drums this term.",
         "Oskar swapped the trombone for", "drums"),
        ("Big news: Ingrid left the pharmacy and retrained, she's an airline pilot now.",
         "Ingrid's an", "airline pilot"),
        ("Remember that my gym opens at 6 now.", "my gym opens at", "6"),
    ],
)  # fmt: skip
def test_a_statement_becomes_a_query_and_its_new_value(store, message, query, answer):
    stated = stated_fact(message, store)
    assert stated is not None
    assert (stated.query, stated.answer) == (query, answer)
    assert stated.sentence.endswith(".") and not stated.sentence.startswith(("Heads", "Big"))


@pytest.mark.parametrize(
    "message",
    [
        "Where does my sister Anna live?",
        "Does Tobias live in Munich",
        "Thanks, that's great!",
        "Hello there!",
        "I'm tired today.",
        "Can you help me write an email?",
        "Please tell me a joke",
        "ok",
    ],
)
def test_questions_commands_and_small_talk_state_nothing(store, message):
    assert stated_fact(message, store) is None


@pytest.mark.parametrize(
    ("message", "about", "answer", "state"),
    [
        # A move of someone: the state it leads to is where they live.
        ("My uncle Farid relocated to Valencia in the spring.", "My uncle Farid",
         "Valencia", "My uncle Farid lives in Valencia."),
        ("We moved to Harrogate after the wedding.", "We", "Harrogate",
         "We live in Harrogate."),
        ("Noor has signed for Bath Rugby.", "Noor", "Bath Rugby", "Noor plays for Bath Rugby."),
        # Something moved by someone: no one lives there.
        ("My dentist appointment has been moved to Thursday.", "My dentist appointment",
         "Thursday", None),
        ("I've moved my pension to Aviva.", "my pension", "Aviva", None),
        # A change of the user's: the fact is about the thing changed.
        ("We switched our energy supplier to Octopus last winter.", "our energy supplier",
         "Octopus", None),
        # What someone left comes before what they do now; "she" is whom it named.
        ("Wilhelmina has given up the cello, she plays the harp now.", "Wilhelmina",
         "harp", None),
        ("Dario doesn't drink coffee any more, he drinks green tea.", "Dario",
         "green tea", None),
        # "new" only says which one is current.
        ("My new landlord is Mr. Achterberg.", "My landlord", "Mr. Achterberg", None),
        ("I'm allergic to penicillin.", "I", "penicillin", None),
        ("My heating bill has gone up to £140.", "My heating bill", "£140", None),
        # Words before the subject frame the clause; the value's own name or place.
        ("After the holidays, so I'm told, Rafa starts at Kingsmead School.", "Rafa",
         "Kingsmead School", "Rafa works at Kingsmead School."),
        ("Auntie Bea moved into a cottage on Mill Lane.", "Auntie Bea", "Mill Lane",
         "Auntie Bea lives in a cottage on Mill Lane."),
        ("Yusuf goes climbing with his colleague Maren.", "Yusuf", "Maren", None),
        ("My badminton club plays at 7 pm on Thursdays.", "My badminton club", "7 pm", None),
        # A name doing something of the user's is who does it for the user.
        ("I found a new barber: Idris cuts my hair now.", "I", "Idris", None),
        # A name said to be a role of the user's is the role's value.
        ("Ms. Oyelaran is my new accountant.", "my accountant", "Ms. Oyelaran", None),
        # The object of "up to", "down to".
        ("From April my gym membership goes up to £48.", "my gym membership", "£48", None),
        # A relative by kinship alone, with a capital.
        ("Nana's favourite flower is the sweet pea.", "Nana's favourite flower", "sweet pea",
         None),
    ],
)  # fmt: skip
def test_the_parse_gives_what_a_statement_is_about_and_its_value(
    store, message, about, answer, state
):
    stated = stated_fact(message, store)
    assert stated is not None
    assert (stated.about, stated.answer) == (about, answer)
    assert stated.states[:1] == ((state,) if state else ())


@pytest.mark.parametrize(
    "message", ["I love this weather.", "I'm exhausted tonight.", "It is raining again."]
)
def test_a_mood_or_a_thing_pointed_at_is_not_a_fact(store, message):
    assert stated_fact(message, store) is None


def test_the_query_is_the_clause_from_its_subject(store):
    stated = stated_fact("Since January, my sister Hild works at Tesco.", store)
    assert stated is not None
    assert (stated.query, stated.clause) == (
        "my sister Hild works at",
        "My sister Hild works at Tesco.",
    )


def test_a_clause_about_no_one_known_is_not_the_fact(store, fake_model):
    run_correction(fake_model, store, "What does my parrot Kiwi eat?", "sunflower seeds")
    stated = stated_fact("Kiwi is on pellets now, the shop said the seeds were too fatty.", store)
    assert stated is not None and stated.answer == "pellets"
    assert statement_subject(stated, store) == "Kiwi"


def test_a_name_says_who_before_a_description_someone_else_holds(store, fake_model):
    run_correction(fake_model, store, "Where does my colleague Ottilie sit?", "desk 4")
    run_correction(fake_model, store, "Which team is my colleague in?", "payroll")
    stated = stated_fact("My colleague Barnaby is allergic to wasps.", store)
    assert statement_subject(stated, store) == "Barnaby"


def test_a_kinship_word_with_a_capital_is_the_relative_memory_knows(store, fake_model):
    run_correction(fake_model, store, "Which town does my grandma Edith live in?", "Whitby")
    stated = stated_fact("Grandma loves lemon drizzle cake.", store)
    assert statement_subject(stated, store) == "Edith"


def test_also_adds_without_replacing(store):
    stated = stated_fact("Jonah also plays bass guitar in a covers band at weekends.", store)
    assert stated is not None and stated.adds_only and stated.answer == "bass guitar"


def test_a_stated_move_replaces_the_old_city_and_keeps_the_rest(store, fake_model):
    run_correction(fake_model, store, "Which city does my cousin Tobias live in?", "Hamburg")
    run_correction(fake_model, store, "Which sport does Tobias play?", "rugby")
    session = ChatSession(fake_model, store, Settings(temperature=0.0))
    turn, pieces = session.send("Tobias has moved to Munich for his new job.")
    "".join(pieces)
    result = drain(session.learn_statement(turn))
    assert [f.object for f in result.applied.removed] == ["Hamburg"]
    assert {f.object for f in store.valid_facts_of("Tobias")} == {"Munich", "rugby"}
    [new] = result.applied.added
    assert new.sentence == "My cousin Tobias lives in Munich."  # the old fact, its new value
    old = [f for f in store.facts("Tobias", include_invalid=True) if f.object == "Hamburg"]
    assert old and old[0].invalid_at  # kept in history, not deleted


def test_a_statement_about_the_user_updates_the_users_fact(store, fake_model):
    run_correction(fake_model, store, "Which language am I learning?", "Welsh")
    session = ChatSession(fake_model, store, Settings(temperature=0.0))
    turn, pieces = session.send("I gave up Welsh, I'm learning Korean now.")
    "".join(pieces)
    result = drain(session.learn_statement(turn))
    assert result.applied.subject == USER
    assert [f.object for f in store.valid_facts_of(USER)] == ["Korean"]


def test_incognito_and_questions_learn_nothing(store, fake_model):
    session = ChatSession(fake_model, store, Settings(temperature=0.0, incognito=True))
    turn, pieces = session.send("My sister Anna moved to Porto.")
    "".join(pieces)
    assert session.learn_statement(turn) is None
    session = ChatSession(fake_model, store, Settings(temperature=0.0))
    turn, pieces = session.send("Where does Anna live?")
    "".join(pieces)
    assert session.learn_statement(turn) is None


@pytest.mark.parametrize(
    "message",
    [
        "My sister Anna moved to Porto'); DROP TABLE facts;--",
        "My sister Anna moved to \u202eotroP\u202c.",
        "My sister Anna moved to " + "Porto " * 2000,
    ],
)
def test_hostile_statements_never_give_a_garbled_relation(store, fake_model, message):
    stated = stated_fact(message, store)
    if stated is None:
        return  # refused outright is fine
    session = ChatSession(fake_model, store, Settings(temperature=0.0))
    try:
        turn, pieces = session.send(message)
        "".join(pieces)
        result = drain(session.learn_statement(turn))
    except Exception as error:  # a clear, typed refusal
        assert type(error).__module__.startswith("assistant")
        return
    for fact in result.applied.added:
        assert "drop" not in fact.relation and "table" not in fact.relation
        assert all(ch.isalnum() or ch in " '-" for ch in fact.relation)


def test_is_statement_needs_a_declarative_sentence():
    assert is_statement("My gym opens at 6 now.")
    assert not is_statement("What time does my gym open?")
    assert not is_statement("Is my gym open?")


@pytest.mark.parametrize(
    ("message", "change"),
    [
        ("Wendell is a plumber now.", True),
        ("My cousin Mirela moved to Cluj.", True),
        ("I no longer eat meat.", True),
        ("Sabine has joined the Royal Navy.", True),
        ("I drink oat milk instead of cow's milk.", True),
        ("Sabine loves Danish pastries.", False),
        ("My nephew Aurelio plays the oboe in a wind band.", False),
    ],
)
def test_a_statement_says_whether_something_changed(store, message, change):
    stated = stated_fact(message, store)
    assert stated is not None and stated.says_change is change


def test_a_relative_named_by_kinship_alone_is_the_users(store):
    stated = stated_fact("Nana's favourite flower is the sweet pea.", store)
    assert statement_subject(stated, store) == "my nana"
    stated = stated_fact("Ms. Oyelaran is my new accountant.", store)
    assert statement_subject(stated, store) == "my accountant"


def test_a_change_may_lead_to_several_states_and_the_old_fact_says_which(store):
    stated = stated_fact("Rosheen started at Ulster Bank in June.", store)
    assert stated.states == (
        "Rosheen works at Ulster Bank.",
        "Rosheen goes to Ulster Bank.",
        "Rosheen studies at Ulster Bank.",
    )


@pytest.mark.parametrize("message", ["My running club these days is Parkside Harriers."])
def test_a_phrase_that_dates_a_value_says_it_changed(store, message):
    assert stated_fact(message, store).says_change


def test_a_joined_verb_the_tagger_took_for_a_noun_is_a_clause(store):
    stated = stated_fact(
        "Wojtek left the Harmonia Choir and sings with the Lark Ensemble now.", store
    )
    assert (stated.query, stated.answer) == ("Wojtek sings with the", "Lark Ensemble")
