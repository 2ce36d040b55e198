"""The corrections and their edits, read back for the history."""

from assistant.facts import EditOp

from .graph_teaching import reads, teach


def test_history_lists_each_correction_with_its_edits_in_two_queries(store):
    first = teach(store, "meat")
    second = teach(store, "fish", removes=[first.added[0].id])
    third = teach(store, "rice", query="What is Bruno's favourite food?")
    store.undo(third.correction_id)
    with reads(store) as queries:
        history = store.history()
    assert len(queries) == 2
    assert [h.record.id for h in history] == [
        first.correction_id,
        second.correction_id,
        third.correction_id,
    ]
    assert [(op, f.object) for op, f in history[1].edits] == [
        (EditOp.ADD, "fish"),
        (EditOp.REMOVE, "meat"),
    ]
    assert history[2].edits == ()  # undo deleted the fact it had added
    assert [h.record.id for h in store.history(include_undone=False)] == [
        first.correction_id,
        second.correction_id,
    ]
    assert [list(h.edits) for h in history] == [store.edits_of(h.record.id) for h in history]
