"""Questions that name neither the entity nor an alias: found by meaning, before and after.

    python scripts/meaning_subjects.py --data tests/data/scenarios-dev.json

No language model: the graph is what the scenarios teach, learned with the app's own
model-free steps (the correction's subject, aliases and sentence, the facts a
correction replaces; a statement's subject, sentence and the fact it updates), each
fact written through ``GraphStore.apply_correction`` with its vectors. KGT's relation
phrasings, which need the model, are left out: they do not enter a fact's vector.

Each ``ask`` is retrieved where it stands in its scenario (the graph as taught so far),
without and with the search by meaning (``retrieve(..., by_meaning=...)``). Reported:
per kind, how many replies would have the expected fact, and for the asks that no
name or alias finds, how each was found; every neighbour question that retrieves any
fact; the closest entity's similarity for every question the search ran on (what the
threshold in assistant/meaning_search.py is set against). Then the same for a list of
questions written for this check on the whole dev graph (``OTHER_WORDS``: things
referred to by other words; ``GENERAL``: questions about the world at large).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.answering.retrieval import answer_subject, is_question, retrieve  # noqa: E402
from assistant.facts import AddFact, CorrectionInput, RemoveFact  # noqa: E402
from assistant.language.descriptions import mentions_user  # noqa: E402
from assistant.language.references import referring_phrases  # noqa: E402
from assistant.learning.correction import (  # noqa: E402
    fact_sentence_of,
    new_fact,
    with_question_relation,
)
from assistant.learning.replacement import replaced_facts  # noqa: E402
from assistant.learning.statements import sentence_for, stated_fact, statement_subject  # noqa: E402
from assistant.learning.subject import aliases_in, correction_subject, find_known_entity  # noqa: E402
from assistant.meaning.search import REFERENCE_MIN_SIMILARITY, closest_entity  # noqa: E402
from assistant.store.database import open_database  # noqa: E402
from assistant.store.graph_store import GraphStore  # noqa: E402

#: (question, the entity it means): written for this check, on the dev graph.
OTHER_WORDS = [
    ("What does the bunny like to eat?", "Clover"),
    ("How old is the turtle?", "Gus"),
    ("What breed is the pooch?", "Pepper"),
    ("When does the bouldering gym close on Sundays?", "my climbing gym"),
    ("When does the gym shut on Sundays?", "my climbing gym"),
    ("What does my little boy read?", "Kasper"),
    ("Which sport does my other half coach?", "Jonah"),
    ("What is the whippet called?", "Pepper"),
    ("Where was the lighthouse keeper born?", "Walter"),
    ("Which whisky does the old lighthouse keeper drink?", "Walter"),
    ("What time does the little one go to bed?", "Freya"),
    ("Where does the lacrosse coach play bass?", "Jonah"),
    ("How old is my whippet?", "Pepper"),
    ("What does my lacrosse coach play in his band?", "Jonah"),
    ("What job does my pharmacist friend have now?", "Ingrid"),
]
#: Questions about the world at large: none may retrieve a fact.
GENERAL = [
    "Which breed of dog is best for flats?",
    "What do rabbits eat?",
    "How long do tortoises live?",
    "Who invented the telephone?",
    "What is the tallest building?",
    "Where is the Eiffel Tower?",
    "What does the fox say?",
    "What is the best way to learn a language?",
    "Which city is the capital of Scotland?",
    "What is the boiling point of water?",
    "What does a pharmacist do?",
    "Who plays in goal for the national team?",
    "What is the hamster's name?",
    "What does the goalkeeper wear?",
    "How heavy is the trombone?",
    "What do whippets eat?",
    "When does the sun set in winter?",
    "Who painted the Mona Lisa?",
]


def teach(store: GraphStore, query: str, answer: str) -> None:
    """A thumbs-down correction, as the app decides it without scores."""
    subject = correction_subject(query, answer, store, None)
    aliases = tuple(aliases_in(query, subject))
    sentence = fact_sentence_of(query, answer)
    _, replaced = replaced_facts(store, new_fact(query, answer, subject, sentence, None))
    relation = with_question_relation([], query, answer, " ".join([subject, *aliases]), 5)[0]
    fact = AddFact(relation, answer, 0.0, 0.0, sentence=sentence)
    store.apply_correction(
        CorrectionInput(query, answer, subject, aliases=aliases),
        [fact, *(RemoveFact(i, 0.0, 0.0) for i in replaced)],
    )


def tell(store: GraphStore, message: str) -> None:
    """A statement in the chat, as the app learns it without scores."""
    stated = stated_fact(message, store)
    if stated is None:
        return
    subject = statement_subject(stated, store)
    new = new_fact(stated.query, stated.answer, subject, stated.sentence, stated)
    facts, updated = replaced_facts(store, new)
    fact = AddFact(
        stated.query, stated.answer, 0.0, 0.0, sentence_for(stated, subject, facts, updated)
    )
    store.apply_correction(
        CorrectionInput(stated.query, stated.answer, subject),
        [fact, *(RemoveFact(i, 0.0, 0.0) for i in updated)],
    )


def has_expected(found, expect: list[str]) -> bool:
    text = " ".join(f"{f.object} {f.sentence or ''}" for f in found.facts).lower()
    return any(e.lower() in text for e in expect)


def holder_of(store: GraphStore, expect: list[str]) -> str | None:
    """The entity whose valid fact holds an expected answer: the one the ask means."""
    for fact in store.facts():
        if any(e.lower() in f"{fact.object} {fact.sentence or ''}".lower() for e in expect):
            return fact.subject
    return None


def search_line(store: GraphStore, question: str) -> str:
    references = referring_phrases(question)
    meant = closest_entity(store.db, references)
    phrases = [("my " if r.mine else "the ") + r.words for r in references]
    if meant is None:
        return f"phrases {phrases}: no search"
    return f"phrases {phrases}: closest {meant.entity!r} {meant.similarity:.3f}"


def play(store: GraphStore, scenarios: list[dict]) -> None:
    counts: dict[str, Counter] = {}
    unnamed: list[str] = []
    for scenario in scenarios:
        for step in scenario["steps"]:
            if "teach" in step:
                teach(store, step["teach"], step["answer"])
            elif "tell" in step:
                tell(store, step["tell"])
            else:
                ask(store, step, counts.setdefault(step["kind"], Counter()), unnamed)
    print(f"dev asks, reply would hold an expected answer (threshold {REFERENCE_MIN_SIMILARITY})")
    for kind, count in sorted(counts.items()):
        print(
            f"  {kind:10s} {count['asks']:2d} asks: before {count['before']:2d}, "
            f"after {count['after']:2d}; retrieving any fact: before {count['any_before']}, "
            f"after {count['any_after']}"
        )
        print(
            f"  {'':10s} {count['unnamed']:2d} name no entity or alias ({count['unnamed_user']} "
            f"about the user): expected answer before {count['unnamed_before']}, after "
            f"{count['unnamed_after']}; subject found by meaning {count['by_meaning']}, "
            f"the right one {count['by_meaning_right']}"
        )
    print("asks that no name or alias finds:")
    for line in unnamed:
        print(f"  {line}")


def ask(store: GraphStore, step: dict, count: Counter, unnamed: list[str]) -> None:
    question, expect = step["ask"], step["expect"]
    before = retrieve(None, store, question, by_meaning=False)
    after = retrieve(None, store, question)
    count.update(
        asks=1,
        before=has_expected(before, expect),
        after=has_expected(after, expect),
        any_before=bool(before.facts),
        any_after=bool(after.facts),
    )
    if find_known_entity(question, store) is None:
        _, how = answer_subject(store, question)
        right = holder_of(store, expect) if step["kind"] != "neighbour" else None
        count.update(
            unnamed=1,
            unnamed_user=mentions_user(question),
            unnamed_before=has_expected(before, expect),
            unnamed_after=has_expected(after, expect),
            by_meaning=how == "meaning",
            by_meaning_right=how == "meaning" and after.subject == right,
        )
        unnamed.append(
            f"{step['kind']:10s} {question!r} (I/my: {mentions_user(question)}, question: "
            f"{is_question(question)}) right entity {right!r}; found by {how}: "
            f"{after.subject!r}; {search_line(store, question)}"
        )


def other_words(store: GraphStore) -> None:
    print("written for this check, on the dev graph:")
    found = 0
    for question, entity in OTHER_WORDS:
        subject, how = answer_subject(store, question)
        found += subject == entity
        print(f"  {question!r} -> {subject!r} by {how} (want {entity!r}); "
              f"{search_line(store, question)}")  # fmt: skip
    print(f"  other words: {found} of {len(OTHER_WORDS)} find their entity")
    retrieving = 0
    for question in GENERAL:
        got = retrieve(None, store, question)
        retrieving += bool(got.facts)
        print(f"  general {question!r} -> {got.subject!r}; {search_line(store, question)}")
    print(f"  general: {retrieving} of {len(GENERAL)} retrieve a fact")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="a scenarios JSON file")
    args = parser.parse_args()
    store = GraphStore(open_database(None))
    play(store, json.loads(args.data.read_text()))
    other_words(store)
    return 0


if __name__ == "__main__":
    sys.exit(main())
