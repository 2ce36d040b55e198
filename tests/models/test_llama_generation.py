"""Streaming generation's pure parts: stops, split characters, drafts (no model)."""

from models.llama_generation import StopFilter, stream_text


def test_stop_filter_holds_back_only_what_may_become_a_stop():
    stop = StopFilter(["\n", "<query>"])
    assert stop.feed("works at <") == "works at "
    assert stop.feed("sep> job") == "<sep> job"
    assert stop.feed(" <que") == " "
    assert stop.feed("ry> more") == "" and stop.stopped


def test_stream_text_joins_split_characters_and_cuts_at_stops():
    pieces = {1: b"caf", 2: "é".encode()[:1], 3: "é".encode()[1:], 4: b"!\nnext"}
    assert "".join(stream_text(iter([1, 2, 3, 4]), pieces.__getitem__, ["\n"])) == "café!"
    assert "".join(stream_text(iter([1, 2, 3]), pieces.__getitem__, [])) == "café"


def test_drafts_come_from_the_last_earlier_occurrence_of_the_latest_ngram():
    from models.llama_generation import draft_after

    history = [5, 1, 2, 9, 9, 7, 1, 2, 3, 4, 1, 2]
    assert draft_after(history, 3) == [3, 4, 1]  # after the latest earlier "1 2"
    assert draft_after(history, 0) == []
    assert draft_after([1, 2, 3], 2) == []  # nothing occurred before
    assert draft_after([4, 8, 4], 2) == [8, 4]  # a 1-gram when no longer one matches
