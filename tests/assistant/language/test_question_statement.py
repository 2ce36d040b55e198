"""A question and its answer read back as the sentence a person would write."""

import pytest

from assistant.language.question_statement import attribute_of, forget_remembered_text, statement_of


@pytest.mark.parametrize(
    ("question", "answer", "sentence", "subject"),
    [
        ("Which city does my sister Anna live in?", "Lisbon",
         "My sister Anna lives in Lisbon.", "my sister Anna"),
        ("What instrument does my nephew Oskar play?", "trombone",
         "My nephew Oskar plays trombone.", "my nephew Oskar"),
        ("Where was my grandad Walter born?", "Aberdeen",
         "My grandad Walter was born in Aberdeen.", "my grandad Walter"),
        ("What time does Freya go to bed?", "7:30", "Freya goes to bed at 7:30.", "Freya"),
        # A place one works or plays at; "now" closes the sentence after the place.
        ("Where does my sister Anna work now?", "Microsoft",
         "My sister Anna works at Microsoft now.", "my sister Anna"),
        ("Which city does Tobias live in now?", "Munich", "Tobias lives in Munich now.",
         "Tobias"),
        ("Where does Jonah play?", "the Crown", "Jonah plays at the Crown.", "Jonah"),
        ("Where is my manager based now?", "Rotterdam",
         "My manager is based in Rotterdam now.", "my manager"),
        ("Who is my dentist now?", "Dr. Mensah", "My dentist is Dr. Mensah now.",
         "my dentist"),
        ("Where is my dentist?", "Harcourt Road", "My dentist is on Harcourt Road.",
         "my dentist"),
        # "When": a clock time takes "at", a month or year "in", a day "on".
        ("When does my climbing gym close on Sundays?", "8 pm",
         "My climbing gym closes on Sundays at 8 pm.", "my climbing gym"),
        ("When is my birthday?", "November", "My birthday is in November.", "my birthday"),
        ("When does Anna arrive?", "Friday", "Anna arrives on Friday.", "Anna"),
        ("Which tea do I drink in the evening?", "rooibos",
         "I drink rooibos in the evening.", "I"),
        ("What medicine am I allergic to?", "penicillin", "I am allergic to penicillin.", "I"),
        ("What colour is my car?", "burgundy", "My car's colour is burgundy.", "my car"),
        ("Which office is my manager based in?", "Rotterdam",
         "My manager is based in Rotterdam.", "my manager"),
        ("What's my hairdresser called?", "Sunita", "My hairdresser is called Sunita.",
         "my hairdresser"),
        ("Which garage services my car?", "Dunmore Motors",
         "Dunmore Motors services my car.", "my car"),
        ("What does my rabbit Clover like to eat most?", "parsnips",
         "My rabbit Clover likes to eat parsnips most.", "my rabbit Clover"),
        ("What does my friend Ingrid do for work?", "pharmacist",
         "My friend Ingrid works as a pharmacist.", "my friend Ingrid"),
        ("How old is my tortoise Gus?", "52", "My tortoise Gus is 52 years old.",
         "my tortoise Gus"),
        ("What was Walter's job before he retired?", "lighthouse keeper",
         "Walter's job before he retired was lighthouse keeper.",
         "Walter's job before he retired"),
        # "do", not "does": a plural subject keeps the bare verb.
        ("What kind of music do The Night Owls play?", "bluegrass",
         "The Night Owls play bluegrass.", "The Night Owls"),
        # A name made of common words stays whole.
        ("Which street is Bean There on?", "Mill Lane", "Bean There is on Mill Lane.",
         "Bean There"),
    ],
)  # fmt: skip
def test_a_question_answered_reads_as_a_sentence(question, answer, sentence, subject):
    statement = statement_of(question, answer)
    assert statement is not None
    assert statement.text == sentence
    assert statement.subject == subject


@pytest.mark.parametrize(
    "question",
    ["The mother tongue of Lea is", "Tell me a joke", "", "?", "Robert'); DROP TABLE facts;--"],
)
def test_shapes_the_rules_do_not_cover_give_none(question):
    assert statement_of(question, "x") is None


def test_an_empty_answer_gives_none():
    assert statement_of("Which city does Anna live in?", "  ") is None


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("What phone do I have?", "Which phone do I use now?", True),
        ("Where does Tobias live?", "Which city does my cousin Tobias live in?", True),
        ("Which city was Anna born in?", "Which city does Anna live in?", False),
        ("What colour is my car?", "What make is my car?", False),
        ("Which school does Oskar go to?", "What instrument does Oskar play?", False),
        ("What is my star sign?", "Which month is my birthday in?", False),
        ("The mother tongue of Lea is", "The mother tongue of Lea is", False),
    ],
)
def test_questions_asking_for_the_same_attribute(first, second, same):
    assert attribute_of(first).same_as(attribute_of(second)) is same


def test_the_memo_of_questions_can_be_forgotten():
    statement_of("Which city does my sister Anna live in?", "Porto")
    assert statement_of.cache_info().currsize > 0
    forget_remembered_text()
    assert statement_of.cache_info().currsize == 0
