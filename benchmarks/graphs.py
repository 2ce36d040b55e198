"""Synthetic knowledge graphs for the benchmark, written fast and straight into SQLite.

A graph of N facts is N / FACTS_PER_ENTITY people with FACTS_PER_ENTITY facts each
(one per relation of :data:`RELATIONS`), inserted with ``executemany`` in ONE
transaction: a million facts take seconds, where going through corrections would take
days. The rows look like the store's own (normalised entity keys, timestamps, no
correction, every fact and name with its vector, embedded in batches), so the store's
queries and indexes see what they would see after years of use.

Some people are also known by a description ("my piano teacher", through the store,
as a correction would add it), which questions naming no one call by other words
("the piano tutor"); some have a vet, an entity of its own, for two-hop questions.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlite_utils import Database

from assistant.api import GraphStore
from assistant.language.text import entity_key
from assistant.meaning.index import fill_missing
from assistant.store.database import write_transaction
from assistant.timeutil import utc_now

#: Every synthetic person has one fact per relation: 20, as the scoring workload wants.
RELATIONS = (
    "lives in",
    "works at",
    "eats",
    "likes",
    "owns",
    "was born in",
    "studies",
    "plays",
    "drives",
    "speaks",
    "is married to",
    "supports",
    "reads",
    "listens to",
    "collects",
    "is allergic to",
    "visits",
    "wears",
    "drinks",
    "fears",
)
FACTS_PER_ENTITY = len(RELATIONS)
_FIRST = (
    "Robin Alex Sam Jamie Casey Morgan Taylor Jordan Riley Avery Quinn Harper Rowan "
    "Emery Finley Dakota Skyler Reese Parker Hayden Sage Blake Drew Elliot Jules Kai "
    "Lane Marlow Noel Oakley Peyton Remy Shiloh Tatum Wren Ari Bellamy Cameron Devon "
    "Ellis Frankie Gray Hollis Indigo Jesse Kendall Lennon Micah Nico Onyx"
).split()
_LAST = (
    "Keller Novak Silva Moreau Berg Costa Laine Fischer Ward Okafor Rossi Tanaka Weber "
    "Lund Hale Ibarra Janssen Kowalski Lindqvist Marsh Nilsen Ortega Pike Quist Reyes "
    "Sato Thorne Ueda Vance Wolfe Xu Young Zeller Abbott Brandt Chen Dalton Eriksen "
    "Fontaine Garber Holm Ivanov Jovanovic Kerr Lowe Mercer Nolan Osei Park Quinlan"
).split()
_OBJECTS = (
    "Lisbon Oslo Kyoto Lima Dakar Quito Tallinn Perth Porto Cusco the bakery the library "
    "the harbour the clinic the museum pasta rice apples soup cheese chess jazz tennis "
    "the violin the drums a bicycle a red van Spanish Finnish Greek tea coffee cocoa "
    "poetry comics maps stamps shells coins peanuts pollen cats spiders thunder "
    "wool hats boots scarves"
).split()


@dataclass(frozen=True)
class CorrectionCase:
    """A question about a synthetic person, and the user's answer to it."""

    query: str
    answer: str
    subject: str
    #: The same question in words that name none of the person's relations, so the
    #: answer's facts are ranked by meaning (``query`` names its relation).
    paraphrase: str = ""
    #: The person's relation the question asks about.
    relation: str = ""
    #: A question about the person's vet (:func:`add_vets`): two facts chained.
    two_hop: str = ""


#: (question template, answer, paraphrase template, the relation asked about): what
#: users correct, about relations the people have; the paraphrase asks the same
#: without the relation's words.
_CASES = (
    ("What does {name} eat?", "vegetables", "What is {name}'s favourite food?", "eats"),
    ("Where does {name} work?", "the observatory", "What is {name}'s workplace?", "works at"),
    ("Which city does {name} live in?", "Marseille", "What is {name}'s home town?", "lives in"),
    (
        "Which language does {name} speak?",
        "Portuguese",
        "Which language is {name} fluent in?",
        "speaks",
    ),
    (
        "What instrument does {name} play?",
        "the cello",
        "Which instrument is {name} good at?",
        "plays",
    ),
    (
        "What does {name} drink in the morning?",
        "green tea",
        "What is {name}'s morning beverage?",
        "drinks",
    ),
    (
        "Which team does {name} support?",
        "the Falcons",
        "Which club is {name} a fan of?",
        "supports",
    ),
)


def person_name(index: int) -> str:
    """A distinct, name-like entity name for every index below 65,000."""
    first = _FIRST[index % len(_FIRST)]
    last = _LAST[(index // len(_FIRST)) % len(_LAST)]
    initial = chr(ord("A") + (index // (len(_FIRST) * len(_LAST))) % 26)
    return f"{first} {initial}. {last}"


def max_facts() -> int:
    """The largest graph the name generator can make."""
    return len(_FIRST) * len(_LAST) * 26 * FACTS_PER_ENTITY


def entity_count(n_facts: int) -> int:
    return max(1, -(-n_facts // FACTS_PER_ENTITY))


def populate(db: Database, n_facts: int) -> int:
    """Write ``n_facts`` facts about ``entity_count(n_facts)`` people into an empty
    graph database, with their vectors, in one transaction; returns the number of
    people."""
    people = entity_count(n_facts)
    if n_facts > max_facts():
        raise ValueError(f"{n_facts} facts need more distinct names than the generator has")
    now = utc_now()
    with write_transaction(db):
        db.conn.executemany(
            "INSERT INTO entities (id, name, key, created_at) VALUES (?, ?, ?, ?)",
            ((i + 1, person_name(i), entity_key(person_name(i)), now) for i in range(people)),
        )
        db.conn.executemany(
            "INSERT INTO facts (subject_id, relation, object, created_at) VALUES (?, ?, ?, ?)",
            _fact_rows(n_facts, now),
        )
        fill_missing(db)
    return people


def _fact_rows(n_facts: int, now: str) -> Iterator[tuple[int, str, str, str]]:
    for i in range(n_facts):
        person, k = divmod(i, FACTS_PER_ENTITY)
        obj = _OBJECTS[(person * 7 + k * 3) % len(_OBJECTS)]
        yield (person + 1, RELATIONS[k], obj, now)


def correction_cases(people: int, count: int, shift: int = 0) -> list[CorrectionCase]:
    """``count`` different corrections, each about a different person (cycling when
    the graph has fewer people), spread over the whole graph. ``shift`` moves every
    case to another person: the same questions about other people."""
    cases = []
    for i in range(count):
        person = (i * 7919 + shift) % people  # a prime stride reaches people far apart
        template, answer, paraphrase, relation = _CASES[i % len(_CASES)]
        name = person_name(person)
        cases.append(
            CorrectionCase(
                template.format(name=name),
                answer,
                name,
                paraphrase.format(name=name),
                relation,
                f"Where is {name}'s vet based?",
            )
        )
    return cases


def add_vets(store: GraphStore, names: list[str]) -> None:
    """Each named person gets a vet, "Dr. <name>", based in a city: the first hop is
    the person's (vet, Dr. X), the second the vet's (is based in, city)."""
    now = utc_now()
    rows = []
    for i, name in enumerate(names):
        rows.append((name, "vet", f"Dr. {name}", now, None))
        rows.append((f"Dr. {name}", "is based in", _OBJECTS[i % 10], now, None))
    store.import_facts(rows)


#: Descriptions some people are also known by, and other words for each (WordLlama
#: puts each pair 0.45-0.82 apart, above the search's threshold).
DESCRIBED = (
    ("my landlord", "landlady"),
    ("my piano teacher", "piano tutor"),
    ("my dentist", "dental surgeon"),
    ("my yoga teacher", "yoga instructor"),
    ("my neighbour", "next-door neighbour"),
    ("my driving instructor", "driving teacher"),
    ("my gardener", "garden help"),
    ("my physiotherapist", "physio"),
    ("my hairdresser", "hair stylist"),
)


def describe_people(store: GraphStore, people: int) -> list[CorrectionCase]:
    """Give the last people a description each (an alias, through the store) and
    return questions that call them by other words, naming no one: "What is the piano
    tutor's favourite food?", "What is my landlady's home town?"."""
    cases = []
    for k, (description, other_words) in enumerate(DESCRIBED[:people]):
        name = person_name(people - 1 - k)
        store.add_alias(name, description)
        _, answer, paraphrase, relation = _CASES[k % len(_CASES)]
        called = f"{'my' if k % 2 else 'the'} {other_words}"
        question = paraphrase.format(name=called)
        cases.append(CorrectionCase(question, answer, name, question, relation))
    return cases
