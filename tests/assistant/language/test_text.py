"""Text as the app keeps it: one line, and the keys names are compared by."""

from assistant.language.text import counted, entity_key, one_line


def test_one_line_collapses_every_run_of_whitespace():
    assert one_line("  What does\n my dog\t\tBruno eat?  ") == "What does my dog Bruno eat?"
    assert one_line("\u00a0\n ") == ""
    assert one_line(None) == "" and one_line(42) == "42"


def test_entity_keys_ignore_case_punctuation_and_spacing_but_keep_emoji_names():
    assert entity_key("  Dr.  LEE! ") == entity_key("dr lee") == "dr lee"
    assert entity_key("🐶  Dog") == "dog" and entity_key(" 🐶\n🐱 ") == "🐶 🐱"


def test_a_count_takes_the_plural_unless_it_is_one():
    assert [counted(n, "message") for n in (0, 1, 2)] == ["0 messages", "1 message", "2 messages"]
