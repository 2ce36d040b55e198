"""What a new fact replaces: an existing fact that answers the same question about the
same subject, and nothing else.

KGT's removal step is the destructive half of the method, so it is decided by what the
two facts answer, never by how low an old fact scores. The facts a new one could
replace (:func:`candidate_facts`) are the subject's own and, for the user or something
they describe as theirs ("I" and "my prescription" are one person's world), the closest
facts of the user's world by their stored vectors. Each is compared with the new fact
(:func:`evidence`) on what both answer:

- **kinds** (:func:`answer_kind.fact_kinds`): a time never replaces a name, a quantity
  never a place: facts whose kinds are both known and never meet answer different
  questions, whatever else they share;
- **the questions' parse** (:meth:`question_statement.Attribute.differs`): two
  questions that name different things asked about it ("What make is my van?", "What
  colour is my van?") or different actions ("born in", "live in");
- **the same question asked again**, word for word;
- **meaning**: how close what the new fact answers (its question, or the statement that
  told it, and its sentence) is to what the old one answers (its sentence and every
  question it was learned from), the values and the words that only say who it is
  about left out;
- **the values** (a statement): a stated value close to the old one ("21 km" to "18
  km"), or the old value named ("Jory traded the cello for a clarinet").

:func:`tuning.same_question`, pure, decides on this evidence with thresholds measured on
the dev scenarios (docs/METHOD.md §5). The model's own scores were measured as a test
too (shown both facts, does the model answer the old fact's question with the new
value as readily as with the old one?) and do not tell the two apart with the embedded
model: a small model copies whichever value it is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..facts import Fact
from ..language.answer_kind import fact_kinds, kinds_meet
from ..language.descriptions import USER, is_users_own
from ..language.fact_wording import in_users_voice
from ..language.question_statement import attribute_of
from ..language.relation_match import facts_named, word_forms
from ..language.text import normalize, without_words, words
from ..meaning.embedder import embed, from_blobs
from ..store.graph_store import GraphStore
from .tuning import Evidence, SameQuestion, same_question

#: Facts of the user's world other than the subject's own compared in full: the closest
#: to the new fact by their stored vectors (a person's world may hold years of facts).
WORLD_PRESELECTED = 24
#: The words that say "the user" in any fact.
FIRST_PERSON = frozenset("i me my mine we us our ours you your yours".split())
_ARTICLES = frozenset({"the", "a", "an", "my", "our"})


@dataclass(frozen=True)
class NewFact:
    """The fact being learned, as the replacement decision reads it."""

    subject: str
    value: str
    #: The question it answers (a thumbs-down correction), or the query KGT learns it
    #: from (a statement's words up to the value).
    query: str
    #: How it reads: its question and learned sentence, or the statement that told it.
    texts: tuple[str, ...]
    #: The chat message's statement ("Anselm has moved to Graz."), None for a question.
    statement: str | None = None
    #: "also": a new fact beside the others, never a replacement.
    adds_only: bool = False
    #: The states a stated change leads to ("Anselm lives in Graz." of "Anselm has
    #: moved to Graz."): read, like a question, without their value.
    states: tuple[str, ...] = ()
    #: A statement that says something changed ("now", "moved"); one that does not
    #: replaces only a fact it reads much like.
    says_change: bool = True

    @property
    def question(self) -> str | None:
        return None if self.statement is not None else self.query


def replaced_facts(
    store: GraphStore, new: NewFact, thresholds: SameQuestion = SameQuestion()
) -> tuple[list[Fact], dict[int, str]]:
    """The facts ``new`` could replace, and those it does (by id, with the question
    both answer)."""
    candidates = candidate_facts(store, new)
    if new.adds_only:
        return candidates, {}
    found = evidence(store, new, candidates)
    return candidates, same_question(
        found, new.statement is not None, thresholds, says_change=new.says_change
    )


def candidate_facts(store: GraphStore, new: NewFact) -> list[Fact]:
    """The subject's own facts and, for the user or what they describe as theirs, the
    closest facts of the user's world."""
    subject = store.resolve_entity(new.subject) or new.subject
    own = store.valid_facts_of(subject)
    if not is_users_own(subject):
        return own
    seen = {f.id for f in own}
    world = [f for f in store.user_world_facts() if f.id not in seen]
    return own + _closest_stored(store, " ".join(new.texts), world, WORLD_PRESELECTED)


def _closest_stored(store: GraphStore, text: str, facts: list[Fact], keep: int) -> list[Fact]:
    if len(facts) <= keep:
        return facts
    marks = ",".join("?" * len(facts))
    stored = dict(
        store.db.execute(
            f"SELECT fact_id, vector FROM fact_vectors WHERE fact_id IN ({marks})",
            [f.id for f in facts],
        ).fetchall()
    )
    with_vector = [f for f in facts if f.id in stored]
    rows = from_blobs([stored[f.id] for f in with_vector])
    close = rows @ embed([text])[0]
    return [with_vector[i] for i in sorted(np.argsort(-close)[:keep])]


def evidence(store: GraphStore, new: NewFact, facts: Sequence[Fact]) -> list[Evidence]:
    """Each of ``facts`` side by side with ``new``: one query for their questions and
    one embedding call for every text."""
    if not facts:
        return []
    answered = store.questions_answered(f.id for f in facts)
    subject = store.resolve_entity(new.subject) or new.subject
    texts: dict[str, int] = {}

    def index(text: str, leave_out: frozenset[str] = frozenset()) -> list[int]:
        kept = without_words(text, leave_out) if leave_out else text.strip()
        return [texts.setdefault(kept, len(texts))] if kept else []

    pairs: list[tuple[int, int, int]] = []  # (fact index, new text, old text)
    for i, fact in enumerate(facts):
        left = _words_of_who(store, subject, new) if fact.subject == subject else FIRST_PERSON
        left |= _shared_words(new.value, fact.object)
        mine = [m for t in _asked(new.texts, new) for m in index(t, left)]
        olds = [
            in_users_voice(fact) if new.statement else _without(in_users_voice(fact), fact.object)
        ]
        olds += answered.get(fact.id, ())
        pairs += [(i, m, t) for m in mine for old in olds if old for t in index(old, left)]
        if new.states:
            # What the change leads to ("lives in") against what the old fact answers
            # ("lives in", "Where does she live?"), both without their values.
            states = [m for st in new.states for m in index(_without(st, new.value), left)]
            plain = [_without(in_users_voice(fact), fact.object), *answered.get(fact.id, ())]
            pairs += [(i, m, t) for m in states for old in plain if old for t in index(old, left)]
    values = [index(v) for v in (new.value, *(f.object for f in facts))]
    vectors = embed(list(texts))
    meaning = [-1.0] * len(facts)
    for i, m, t in pairs:
        meaning[i] = max(meaning[i], float(vectors[m] @ vectors[t]))
    value_close = [
        float(vectors[values[0][0]] @ vectors[v[0]]) if values[0] and v else 0.0 for v in values[1:]
    ]
    unsourced = [f for f in facts if f.correction_id is None]  # imported: no question
    named = {f.id for f in facts_named(new.question, subject, unsourced)} if new.question else set()
    return [
        _evidence(new, fact, answered.get(fact.id, []), subject, close, value, fact.id in named)
        for fact, close, value in zip(facts, meaning, value_close)
    ]


def _evidence(new, fact, questions, subject, close, value, named) -> Evidence:
    asked = attribute_of(new.question) if new.question else None
    return Evidence(
        fact=fact,
        question=questions[0] if questions else in_users_voice(fact),
        same_subject=fact.subject == subject,
        kinds_meet=kinds_meet(
            fact_kinds([new.question] if new.question else [], new.value),
            fact_kinds(questions, fact.object),
        ),
        attribute_differs=asked is not None
        and bool(questions)
        and all(asked.differs(attribute_of(q)) for q in questions),
        asked_before=new.question is not None
        and (
            any(normalize(q) == normalize(new.question) for q in questions)
            or (not questions and named)
        ),
        meaning=close,
        values=value,
        names_old_value=new.statement is not None and names_value(new.statement, fact.object),
        same_value=_plain(fact.object) == _plain(new.value),
    )


def _words_of_who(store: GraphStore, subject: str, new: NewFact) -> frozenset[str]:
    """The words that only say who a fact is about: a name's and its aliases' ("my
    cousin Anselm"), and the user's. A thing the user describes instead of naming ("my
    energy supplier") keeps its words in a statement, where they may be all that says
    what changed ("We switched our energy supplier to ...")."""
    if new.statement is not None and subject != USER and is_users_own(subject):
        return FIRST_PERSON
    names = store.names_of(subject) or [subject]
    return frozenset(w.lower() for name in names for w in words(name)) | FIRST_PERSON


def _asked(texts: Sequence[str], new: NewFact) -> list[str]:
    """What a question's texts ask, without the answer: a question and its sentence
    ("Halima lives in Loughborough now." answers where she lives, whatever the town is
    called). A statement is read whole: its value's words say what it is about
    ("moved to Graz"), and its value is also compared on its own."""
    return list(texts) if new.statement else [_without(t, new.value) for t in texts]


def _without(text: str, value: str) -> str:
    if not value.strip():
        return text
    at = text.lower().rfind(value.lower())
    return text if at < 0 else f"{text[:at]} {text[at + len(value) :]}"


def _shared_words(value: str, other: str) -> frozenset[str]:
    """Words two values share ("Loughborough" of "Loughborough" and "Loughborough
    Lightning"): they make any two texts that hold them look alike."""
    return (
        frozenset(w.lower() for w in words(value))
        & frozenset(w.lower() for w in words(other)) - _ARTICLES
    )


def _plain(text: str) -> str:
    return " ".join(w.lower() for w in words(text) if w.lower() not in _ARTICLES)


def names_value(statement: str, value: str) -> bool:
    """The statement names ``value``: each of its words, in any of its forms, or a
    word that starts with it ("quit chemistry" names "chemist")."""
    said = {f for w in words(statement) for f in word_forms(w)}
    wanted = [w.lower() for w in words(value) if w.lower() not in _ARTICLES]
    return bool(wanted) and all(
        word_forms(w) & said or (len(w) >= 5 and any(s.startswith(w) for s in said)) for w in wanted
    )
