"""Parsing the model's relation output robustly, and the fallbacks."""

from hypothesis import given
from hypothesis import strategies as st

from assistant.learning.relations import (
    GENERIC_RELATION,
    complete_relations,
    extract_relations,
    parse_relations,
)
from models.fake import FakeLanguageModel


def test_parses_sep_separated_relations_and_dedupes():
    text = " eats <sep> Diet <sep> eats <sep> favourite food <sep>  is fed"
    assert parse_relations(text) == ["eats", "diet", "favourite food", "is fed"]


def test_accepts_other_separators_and_numbering():
    assert parse_relations("1. works at, 2) employer; job") == ["works at", "employer", "job"]


def test_ignores_an_invented_next_example_and_markup():
    text = " lives in <sep> home <query>: Where is Paris? <relation>: capital"
    assert parse_relations(text) == ["lives in", "home"]


def test_drops_the_subject_the_answer_and_overlong_phrases():
    text = "Bruno <sep> vegetables <sep> this is a much too long relation phrase indeed <sep> eats"
    assert parse_relations(text, subject="Bruno", answer="vegetables") == ["eats"]


def test_garbage_falls_back_to_the_querys_words():
    relations = complete_relations(
        parse_relations("<<<>>> ???"), "What does my dog Bruno eat?", "Bruno", 5
    )
    assert relations[0] == "dog eat"
    assert GENERIC_RELATION in relations
    assert len(relations) == len(set(relations))


@given(st.text())
def test_parser_never_raises_on_arbitrary_text(text):
    result = parse_relations(text, subject="Bruno", answer="x")
    assert all(r and r == r.strip() for r in result)


def test_extraction_stops_after_k_relations_and_counts_tokens():
    model = FakeLanguageModel(replies=lambda p: " a1 <sep> b2 <sep> c3 <sep> d4 <sep> e5 <sep> f6")
    relations, generated, named = extract_relations(model, "Q?", "A", "S", 3)
    assert relations == ["a1", "b2", "c3"]
    assert named == {"a1", "b2", "c3"}
    assert generated < 12  # stopped early, did not stream all pieces


@given(st.text(), st.text(min_size=1), st.integers(min_value=1, max_value=8))
def test_extraction_never_fails_whatever_the_model_prints(reply, answer, k):
    model = FakeLanguageModel(replies=lambda prompt: reply)
    relations, _, named = extract_relations(
        model, "What does my dog Bruno eat?", answer, "Bruno", k
    )
    assert named <= set(relations)
    assert 1 <= len(relations) <= k
    assert len(set(relations)) == len(relations)
    assert all(r and r == r.strip() and "\n" not in r for r in relations)


def test_fallback_relations_are_not_reported_as_named_by_the_model():
    model = FakeLanguageModel(replies=lambda p: " owner <sep> is associated with")
    relations, _, named = extract_relations(
        model, "What is the name of my sister Anna's dog?", "Bruno", "Anna", 5
    )
    assert len(relations) == 5 and "sister" in " ".join(relations)
    assert named == {"owner"}  # not the query's words, never the generic relation
