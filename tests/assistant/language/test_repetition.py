"""A generated reply stops where it starts repeating itself, without the repeat."""

import re

from assistant.language.repetition import until_repetition


def streamed(text):
    return re.findall(r"\s*\S+", text)


def through(text):
    return "".join(until_repetition(iter(streamed(text))))


def test_a_repeated_sentence_ends_the_reply_and_is_never_shown():
    looping = "Lyon is in France. It has two rivers. Lyon is in France. It has two rivers."
    assert through(looping) == "Lyon is in France. It has two rivers."


def test_text_that_does_not_repeat_passes_unchanged():
    for text in (
        "Roses are red.\nViolets are blue.\nSugar is sweet.",
        "1. Flour\n2. Milk\n3. Eggs\n\nWhisk the eggs. Add the milk.",
        "Yes. Yes. Yes. I am sure.",  # short sentences say no loop
    ):
        assert through(text) == text


def test_a_loop_inside_a_sentence_stops_as_it_turns_a_third_time():
    assert through("and the waves and the waves and the waves and the waves") == (
        "and the waves and the waves and the"
    )


def test_a_sentence_that_only_starts_like_an_earlier_one_is_shown_whole():
    text = "The lake is cold. The lake is deep in winter."
    assert through(text) == text


def test_stopping_early_closes_the_model_stream():
    closed = []

    def pieces():
        try:
            yield from streamed("Here we go again. Here we go again. Here we go again.")
        finally:
            closed.append(True)

    assert "".join(until_repetition(pieces())) == "Here we go again."
    assert closed == [True]
