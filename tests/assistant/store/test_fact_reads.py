"""Facts read by id and the replaced ones."""

from .graph_teaching import reads, teach


def test_facts_are_read_by_id_in_one_query_replaced_ones_too(store):
    first = teach(store, "meat", relations=("eats",))
    second = teach(store, "fish", relations=("eats",), removes=[first.added[0].id])
    meat, fish = first.added[0].id, second.added[0].id
    with reads(store) as queries:
        found = store.facts_by_id([fish, meat, fish, 999])
    assert len(queries) == 1
    assert {i: f.object for i, f in found.items()} == {meat: "meat", fish: "fish"}
    assert found[meat].invalid_at is not None and found[fish].invalid_at is None


def test_replaced_facts_are_the_invalidated_ones(store):
    first = teach(store, "meat")
    teach(store, "fish", removes=[first.added[0].id])
    assert [f.object for f in store.replaced_facts()] == ["meat"]
    assert store.replaced_facts()[0].invalid_at is not None


def test_facts_are_found_by_their_value_in_any_case(store, fake_model):
    from assistant.learning.correction import run_correction

    run_correction(fake_model, store, "Who does my brother Anselm live with?", "Joaquin")
    assert [f.object for f in store.facts_holding("joaquin")] == ["Joaquin"]
    assert store.facts_holding("Joaquín") == []
    plan = store.db.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM facts WHERE object = ? COLLATE NOCASE", ["x"]
    ).fetchall()
    assert "facts_by_value" in str(plan)  # an index search, not a scan
