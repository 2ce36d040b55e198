"""Where each fact was learned, what it replaced, and the questions it answers."""

from assistant.facts import AddFact, CorrectionInput, FactSource

from .graph_teaching import LEARNED, reads, teach


def test_sources_say_which_question_and_message_taught_each_fact(store):
    applied = store.apply_correction(
        CorrectionInput("What does Bruno eat?", "fish", "Bruno", message_id="12"),
        [AddFact("eats", "fish", 0, 0)],
    )
    tagged = store.apply_correction(
        CorrectionInput("Where does Anna live?", "Lisbon", "Anna", message_id="cli-run"),
        [AddFact("lives in", "Lisbon", 0, 0)],
    )
    store.import_facts([("Bruno", "colour", "brown", LEARNED, None)])
    fish, lisbon, imported = (applied.added[0].id, tagged.added[0].id, store.facts()[-1].id)
    with reads(store) as queries:
        sources = store.sources_of([fish, lisbon, imported])
    assert len(queries) == 1
    assert sources == {
        fish: FactSource("What does Bruno eat?", "12"),
        lisbon: FactSource("Where does Anna live?", "cli-run"),
    }
    assert sources[fish].conversation_message == 12
    assert sources[lisbon].conversation_message is None


def test_a_fact_answers_its_own_question_and_those_of_the_facts_it_replaced(store):
    meat = teach(store, "meat").added[0]
    fish = teach(store, "fish", removes=[meat.id], query="What is Bruno fed?").added[0]
    rice = teach(store, "rice", removes=[fish.id], query="Bruno's food?").added[0]
    answered = store.questions_answered([rice.id, meat.id])
    assert sorted(answered[rice.id]) == sorted(
        ["Bruno's food?", "What is Bruno fed?", "What does my dog Bruno eat?"]
    )
    assert answered[meat.id] == ["What does my dog Bruno eat?"]
    replaced = store.replaced_by([rice.id, fish.id, meat.id])
    assert {i: [f.object for f in facts] for i, facts in replaced.items()} == {
        rice.id: ["fish"],
        fish.id: ["meat"],
    }
