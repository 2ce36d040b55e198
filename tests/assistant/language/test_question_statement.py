"""A question and its answer read back as the sentence a person would write."""

import pytest

from assistant.language.question_statement import (
    attribute_of,
    best_statement,
    forget_remembered_text,
    statement_candidates,
    statement_of,
)


@pytest.mark.parametrize(
    ("question", "answer", "sentence", "subject"),
    [
        # do-support: the verb takes back its ending; a stranded preposition keeps the
        # answer after it.
        ("Which town does my aunt Greta live in?", "Ghent", "My aunt Greta lives in Ghent.",
         "my aunt Greta"),
        ("What did my brother Lukas study at university?", "geology",
         "My brother Lukas studied geology at university.", "my brother Lukas"),
        ("What instrument do my twins play?", "violin", "My twins play violin.", "my twins"),
        ("Who does my cousin Halvard live with?", "his grandparents",
         "My cousin Halvard lives with his grandparents.", "my cousin Halvard"),
        ("Which team does my brother-in-law Callum support?", "Hibernian",
         "My brother-in-law Callum supports Hibernian.", "my brother-in-law Callum"),
        ("What does my rabbit Biscuit like to chew?", "cardboard",
         "My rabbit Biscuit likes to chew cardboard.", "my rabbit Biscuit"),
        # A particle stays with its verb; a time takes its preposition.
        ("What time does Kasia get up?", "6:15", "Kasia gets up at 6:15.", "Kasia"),
        ("When did my parents get married?", "1987", "My parents got married in 1987.",
         "my parents"),
        ("Which day of the month is my rent due?", "the 3rd", "My rent is due on the 3rd.",
         "my rent"),
        ("When is my mother's birthday?", "12 March", "My mother's birthday is on 12 March.",
         "my mother's birthday"),
        # A place: "at" after a verb done at a place, "on" a street, else "in".
        ("Where does my stepdad Gordon work now?", "the docks",
         "My stepdad Gordon works at the docks now.", "my stepdad Gordon"),
        ("Where was my uncle Bertrand born?", "Lyon", "My uncle Bertrand was born in Lyon.",
         "my uncle Bertrand"),
        ("Where is my osteopath?", "Mercer Street", "My osteopath is on Mercer Street.",
         "my osteopath"),
        ("In which year was my grandma Ines born?", "1948",
         "My grandma Ines was born in 1948.", "my grandma Ines"),
        # The copula: the answer after "is", a participle or adjective kept with it.
        ("Who is my landlord now?", "Ms. Novak", "My landlord is Ms. Novak now.", "my landlord"),
        ("Who is the caretaker of my building?", "Mr. Okoro",
         "The caretaker of my building is Mr. Okoro.", "the caretaker of my building"),
        ("What is my son Theo allergic to?", "sesame", "My son Theo is allergic to sesame.",
         "my son Theo"),
        ("Where is my physio based?", "Camden", "My physio is based in Camden.", "my physio"),
        ("What's my niece Odile called at school?", "Dilly",
         "My niece Odile is called Dilly at school.", "my niece Odile"),
        ("What language is my colleague Sunniva learning?", "Japanese",
         "My colleague Sunniva is learning Japanese.", "my colleague Sunniva"),
        ("What colour is my bike?", "green", "My bike's colour is green.", "my bike"),
        ("What was my grandfather's trade?", "carpenter",
         "My grandfather's trade was carpenter.", "my grandfather's trade"),
        # How many / old / often / long.
        ("How many grandchildren does Mrs. Oduya have?", "seven",
         "Mrs. Oduya has seven grandchildren.", "Mrs. Oduya"),
        ("How old is my tortoise Shelby?", "52", "My tortoise Shelby is 52 years old.",
         "my tortoise Shelby"),
        ("How often do I water the ferns?", "every Sunday", "I water the ferns every Sunday.",
         "I"),
        ("How long has Dmitri been learning the cello?", "three years",
         "Dmitri has been learning the cello for three years.", "Dmitri"),
        # The answer goes after the verb that governs it.
        ("What exercise did my physio tell me to do every day?", "wall squats",
         "My physio told me to do wall squats every day.", "my physio"),
        # The wh-phrase is the subject.
        ("Which company makes my boiler?", "Wexford Heating", "Wexford Heating makes my boiler.",
         "my boiler"),
        ("Who taught my daughter Maia to swim?", "Coach Ellis",
         "Coach Ellis taught my daughter Maia to swim.", "my daughter Maia"),
        # A describing answer keeps the noun asked for; a kind is the answer as it stands.
        ("Which diet does my friend Chiara follow?", "vegetarian",
         "My friend Chiara follows a vegetarian diet.", "my friend Chiara"),
        ("What kind of car does Noor drive?", "estate", "Noor drives estate.", "Noor"),
        ("What does Hamid do for a living?", "plumber", "Hamid works as a plumber.", "Hamid"),
        # A name made of common words stays whole.
        ("Which street is Bean There on?", "Mill Lane", "Bean There is on Mill Lane.",
         "Bean There"),
        # A cloze after the question is not part of it.
        ("What is the twin city of Tromsø? It is", "Murmansk",
         "The twin city of Tromsø is Murmansk.", "the twin city of Tromsø"),
    ],
)  # fmt: skip
def test_a_question_answered_reads_as_a_sentence(question, answer, sentence, subject):
    statement = statement_of(question, answer)
    assert statement is not None
    assert statement.text == sentence
    assert statement.subject == subject


@pytest.mark.parametrize(
    "question",
    [
        "The mother tongue of Lea is",
        "Tell me a joke",
        "",
        "?",
        "Robert'); DROP TABLE facts;--",
        "Where Ada Lovelace was born, people speak the language of",
    ],
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
    assert statement_candidates.cache_info().currsize > 0
    forget_remembered_text()
    assert statement_candidates.cache_info().currsize == 0


class _PrefersWords:
    """A model stand-in that reads a sentence more fluently the more of ``liked`` it
    has: which candidate wins is then known."""

    def __init__(self, liked: str):
        self.liked = liked
        self.scored: list[str] = []

    def score(self, requests):
        from assistant.llm import Score

        self.scored += [r.continuation for r in requests]
        return [Score(-1.0 + (self.liked in r.continuation), 1, False) for r in requests]


def test_the_model_chooses_among_the_readings_it_is_given():
    question, answer = "Where does my stepdad Gordon go fishing?", "Loch Awe"
    readings = [s.text for s in statement_candidates(question, answer)]
    assert len(readings) > 1 and readings[0] == "My stepdad Gordon goes fishing in Loch Awe."
    model = _PrefersWords("at Loch Awe")
    chosen = best_statement(question, answer, model)
    assert chosen.text == "My stepdad Gordon goes fishing at Loch Awe."
    assert len(model.scored) == len(readings)


def test_one_reading_needs_no_model():
    model = _PrefersWords("anything")
    chosen = best_statement("Which town does my aunt Greta live in?", "Ghent", model)
    assert chosen.text == "My aunt Greta lives in Ghent." and model.scored == []


@pytest.mark.parametrize(
    ("first", "second", "differs"),
    [
        # "with" asks for a companion; any other preposition for a place or employer.
        ("Who does my aunt Odette live with?", "Which town does Odette live in?", True),
        ("Who does Caspar play tennis with?", "Which club does Caspar play for?", True),
        ("Where does Leontine work?", "Who does Leontine work for?", False),
        ("Who does Leontine work for?", "Which firm does Leontine work at?", False),
    ],
)
def test_a_companion_asked_is_another_attribute_than_a_place(first, second, differs):
    assert attribute_of(first).differs(attribute_of(second)) is differs
    assert attribute_of(first).companion_differs(attribute_of(second)) is differs


@pytest.mark.parametrize(
    ("question", "answer", "sentence"),
    [
        # An adjective or an article's noun before a stranded preposition is the
        # predicate, whatever the tagger took it for.
        ("What is my flatmate Bruno allergic to?", "latex",
         "My flatmate Bruno is allergic to latex."),
        ("What is my niece Elif good at?", "gymnastics", "My niece Elif is good at gymnastics."),
        ("Which club is my uncle Ravi a member of?", "Tynedale Golf Club",
         "My uncle Ravi is a member of Tynedale Golf Club."),
        ("Which choir is Agnieszka the conductor of?", "Hallé Youth Choir",
         "Agnieszka is the conductor of Hallé Youth Choir."),
    ],
)  # fmt: skip
def test_the_predicate_before_a_stranded_preposition_is_not_the_subject(question, answer, sentence):
    assert statement_of(question, answer).text == sentence


@pytest.mark.parametrize(
    ("question", "answer", "sentence"),
    [
        # A preposition left without its object takes the answer where it stands.
        ("Who does Ingeborg report to at the bank?", "Mr. Falk",
         "Ingeborg reports to Mr. Falk at the bank."),
        ("Who does my cousin Aoife look after on Tuesdays?", "her nephew",
         "My cousin Aoife looks after her nephew on Tuesdays."),
        ("Who was my bike serviced by last month?", "Spokes and Co",
         "My bike was serviced by Spokes and Co last month."),
        # A participle before a stranded preposition is the verb, not the subject.
        ("Which exam is Tadeusz revising for?", "the bar exam",
         "Tadeusz is revising for the bar exam."),
        # A preposition with its own object further on is no gap.
        ("How many spoons of honey do I put in my porridge?", "three",
         "I put three spoons of honey in my porridge."),
    ],
)  # fmt: skip
def test_the_answer_fills_the_preposition_left_without_its_object(question, answer, sentence):
    assert statement_of(question, answer).text == sentence
