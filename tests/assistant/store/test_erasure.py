"""Facts and entities deleted for good, with their log and the corrections' text."""

import pytest

from assistant.errors import NotFoundError

from .graph_teaching import teach


def test_delete_really_deletes_the_fact_its_log_and_the_correction_text(store):
    applied = teach(store, "vegetables")
    store.delete_fact(applied.added[0].id)
    assert store.facts(include_invalid=True) == []
    assert store.db.execute("SELECT count(*) FROM edit_log").fetchone()[0] == 0
    assert store.db.execute("SELECT count(*) FROM corrections").fetchone()[0] == 0
    with pytest.raises(NotFoundError):
        store.delete_fact(applied.added[0].id)


def test_forget_entity_removes_everything_about_it(store):
    teach(store, "vegetables")
    assert store.forget_entity("my dog") == 1
    assert store.entity_names() == [] and store.corrections() == []


def test_ids_of_deleted_facts_and_corrections_are_never_reused(store):
    first = teach(store, "vegetables")
    store.delete_fact(first.added[0].id)  # the newest fact and, orphaned, its correction
    second = teach(store, "fish")
    assert second.correction_id > first.correction_id
    assert second.added[0].id > first.added[0].id
    with pytest.raises(NotFoundError):
        store.correction(first.correction_id)  # a stale Undo finds nothing, not "fish"
