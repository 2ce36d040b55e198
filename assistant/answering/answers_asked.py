"""Whether a fact answers what a question asks, not merely whom it is about.

Retrieval finds a subject's facts; a question about that subject may ask for
something none of them holds ("What is Ilse's phone number?" when her city and
employer were taught). Every word that names the subject is left out of each test, so
the name, which all the subject's facts share, carries none of the decision. A fact
does not answer a question:
- that asks for a kind of answer the fact's kind does not meet (a time never answers
  "Who...?", a name never "How old...?"; assistant/language/answer_kind.py), or, asking
  for no kind, when the fact answers only where or only when ("What does Kwame do for a
  living?" is not answered by where he lives);
- whose every question names another thing than the one asked ("What car does Dana
  drive?" does not answer "What colour is Dana's car?"), or asks for a companion where
  the question asks for a place ("live with", "live in");
- that names a thing ("What's my favourite season?": "season", said to be "favourite")
  the fact does not mention while it mentions the words that qualify it ("My
  favourite pizza topping is olives."): a neighbouring attribute, not this one;
- that names the same thing with another qualifier ("football coach" against the
  "swimming coach" the fact answers), unless the fact's words (its sentence, KGT's
  relation phrasings, its questions) also say the asked one. Closeness in meaning
  cannot tell a qualifier that means the same from one that means another: in
  WordLlama "zodiac" is 0.16 from "star", "violin" 0.19 from "piano";
- found by meaning rather than named, when it is less close in meaning than
  :data:`ANSWERS_MIN_SIMILARITY` (its sentence and the questions it answers), or only
  loosely close (below :data:`ANSWERS_SURE_SIMILARITY`) and the model, shown the fact
  under the question, does not expect its value as the answer: KGT's reasoning score,
  the mean log-probability of the object, below :data:`REASONING_MIN_LOGPROB`.
A fact the question names, and any fact found closely, needs no model call: the word
tests and the stored vectors decide (the question is embedded once, with the texts
retrieval compares anyway); a loosely close one costs one scoring request, the one the
reply's choice between facts makes anyway (:mod:`grounded_reply`).

A chain of two facts (:mod:`multi_hop`) is judged the same way as a whole: retrieval
has held its path to the same floor and its last link to the kind asked, and a path
only loosely close is said when the model, shown both links, expects the last one's
value; otherwise the facts retrieval found without the chain are judged instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from ..facts import Fact
from ..language.answer_kind import AnswerKind, fact_kinds, kind_allows, question_kinds
from ..language.asked_thing import AskedThing, asked_thing
from ..language.descriptions import USER
from ..language.fact_wording import in_users_voice
from ..language.prompts import reasoning_prompt
from ..language.question_statement import Attribute, attribute_of
from ..language.relation_match import word_forms
from ..language.roles import kinds_of_word
from ..language.text import content_words
from ..learning.scoring import reasoning_request
from ..llm import LanguageModel, ScoreRequest
from ..meaning.embedder import embed
from ..store.graph_store import GraphStore
from .fact_meaning import closeness, subject_words
from .retrieval import ChosenBy, Retrieved, is_question

#: How close in meaning (cosine, names left out) a fact must be to a question it is
#: not named by to answer it. docs/METHOD.md §12: the curve of paraphrases kept
#: against abstentions won on the dev scenarios.
ANSWERS_MIN_SIMILARITY = 0.22
#: Found by meaning at least this close, a fact answers on meaning alone; between the
#: two bars the model's reasoning score decides (docs/METHOD.md §12).
ANSWERS_SURE_SIMILARITY = 0.31
#: The mean log-probability per token of a loosely close fact's object, under the
#: reasoning prompt that shows it, for the fact to answer.
REASONING_MIN_LOGPROB = -2.2
#: Two nouns a question's wh-phrase names ("Which town", "Which city") ask for the same
#: thing at least this close (WordLlama, word against word): "town"/"city" 0.44,
#: "breed"/"dog" 0.22, "team"/"club" 0.24 against "colour"/"car" 0.00, "bus"/"school"
#: 0.14, "colour"/"make" 0.11 (docs/METHOD.md §12).
THING_SAME_SIMILARITY = 0.20
#: The words that say a question is the user's own, left out like a subject's name.
_USERS_WORDS = frozenset({"my", "i", "me", "mine", "myself"})


def answering_facts(
    model: LanguageModel, store: GraphStore, query: str, found: Retrieved
) -> Retrieved:
    """``found`` with only the facts that answer ``query`` (none: nothing answers). A
    message that asks nothing ("Tell me about Anna", a statement to complete) keeps
    what it found; a chain of two facts is kept whole (:func:`_chain_answers`), or
    else what retrieval found without it is judged."""
    if not found.facts or not is_question(query):
        return found
    if found.path:
        if _chain_answers(model, store, query, found):
            return found
        if found.without_chain is None:
            return _only(found, [])
        return answering_facts(model, store, query, found.without_chain)
    names = _names(store, found)
    answered = store.questions_answered(f.id for f in found.facts)
    thing = asked_thing(query, names)
    asked = attribute_of(query)
    named_thing = _names_a_thing_of_its_relation(query, found, thing)
    kept = [
        i
        for i, fact in enumerate(found.facts)
        if (
            _thing_may_answer(named_thing, answered.get(fact.id, ()), fact.object)
            or kind_allows(query, answered.get(fact.id, ()), fact.object)
        )
        and not (thing and _other_thing(thing, fact, answered.get(fact.id, ()), names))
        and not _asked_of_another_thing(asked, answered.get(fact.id, ()))
    ]
    if kept and found.chosen_by != ChosenBy.BY_NAME:
        kept = _close_enough(model, store, query, found.facts, kept, names)
    return _only(found, kept)


def _close_enough(
    model: LanguageModel,
    store: GraphStore,
    query: str,
    facts: list[Fact],
    kept: list[int],
    names: frozenset[str],
) -> list[int]:
    """The facts (by index) close enough in meaning, a loosely close one only when the
    model expects its value as the answer."""
    close = dict(zip(kept, closeness(store, query, [facts[i] for i in kept], [names] * len(kept))))
    loose = [i for i in kept if ANSWERS_MIN_SIMILARITY <= close[i] < ANSWERS_SURE_SIMILARITY]
    scores = model.score([reasoning_request(query, facts[i], facts[i].object) for i in loose])
    expected = {i for i, s in zip(loose, scores) if s.mean_logprob >= REASONING_MIN_LOGPROB}
    return [i for i in kept if close[i] >= ANSWERS_SURE_SIMILARITY or i in expected]


def _names_a_thing_of_its_relation(query: str, found: Retrieved, thing: AskedThing | None) -> bool:
    """A question that names the fact's relation and asks which thing ("Which company
    does Ezra work for?" of "Ezra works at Airbus") is not held back by the kind the
    fact's own question asked ("Where does Ezra work?")."""
    return found.chosen_by == ChosenBy.BY_NAME and thing is not None and not question_kinds(query)


def _thing_may_answer(named_thing: bool, questions: Sequence[str], value: str) -> bool:
    """A place may answer which thing is asked ("Which company ..." of where Ezra
    works); a time never does ("Which school ..." of when Caspian gets up)."""
    return named_thing and AnswerKind.TIME not in fact_kinds(questions, value)


def _asked_of_another_thing(asked: Attribute, questions: Sequence[str]) -> bool:
    """Every question the fact was learned from asks for another thing than the one
    asked: a companion where the other asks for a place ("live with", "live in"), or
    a thing named in the wh-phrase that is far in meaning from the one asked ("What
    car does Dana drive?" for "What colour is Dana's car?"; "Which city" and "Which
    town" are near, :data:`THING_SAME_SIMILARITY`)."""
    if not questions:
        return False
    others = [attribute_of(q) for q in questions]
    if all(asked.companion_differs(other) for other in others):
        return True
    wanted, named = asked.things(), [other.things() for other in others]
    if not wanted or not all(named) or any(wanted & things for things in named):
        return False
    words = sorted(wanted | frozenset().union(*named))
    vectors = dict(zip(words, embed(words)))
    return all(
        max(float(vectors[a] @ vectors[b]) for a in wanted for b in things) < THING_SAME_SIMILARITY
        for things in named
    )


def _chain_answers(model: LanguageModel, store: GraphStore, query: str, found: Retrieved) -> bool:
    """Whether a chain answers the question, judged as a fact found by meaning is: a
    path only loosely close (below ANSWERS_SURE_SIMILARITY) needs the model, shown both
    links, to expect the last one's value as the answer. Retrieval has already held
    the path to the floor (multi_hop.CHAIN_MIN_SIMILARITY) and its last link to the
    kind of answer asked."""
    last = found.path[-1]
    close = found.path_closeness
    if close is None or close >= ANSWERS_SURE_SIMILARITY:
        return True
    [score] = model.score([ScoreRequest(reasoning_prompt(query, found.path), f" {last.object}")])
    return score.mean_logprob >= REASONING_MIN_LOGPROB


def _other_thing(
    thing: AskedThing, fact: Fact, questions: Sequence[str], names: frozenset[str]
) -> bool:
    """The fact is about a neighbouring thing: it lacks the asked thing but has its
    qualifiers, or answers the same thing qualified otherwise (module docstring)."""
    held = _forms([in_users_voice(fact), *fact.relations, *questions], names)
    if not (word_forms(thing.head) & held or _same_someone(thing.head, held)):
        return any(word_forms(m) & held for m in thing.modifiers)
    for question in questions:
        own = asked_thing(question, names)
        if own is None or not word_forms(own.head) & word_forms(thing.head):
            continue
        qualified = thing.modifiers and own.modifiers
        if qualified and not any(word_forms(m) & held for m in thing.modifiers):
            return True
    return False


def _same_someone(word: str, held: frozenset[str]) -> bool:
    """ "best mate" and "best friend": words for one kind of person (language/roles.py)."""
    kinds = kinds_of_word(word)
    return bool(kinds) and any(kinds & kinds_of_word(h) for h in held)


def _forms(texts: Iterable[str], names: frozenset[str]) -> frozenset[str]:
    return frozenset(
        form
        for text in texts
        for word in content_words(text)
        if word.lower() not in names
        for form in word_forms(word)
    )


def _names(store: GraphStore, found: Retrieved) -> frozenset[str]:
    if found.subject in (None, USER):
        return _USERS_WORDS
    return subject_words(store, found.subject) | _USERS_WORDS


def _only(found: Retrieved, kept: list[int]) -> Retrieved:
    facts: list[Fact] = [found.facts[i] for i in kept]
    shares = found.probabilities
    probabilities = [shares[i] for i in kept] if len(shares) == len(found.facts) else []
    return replace(found, facts=facts, probabilities=probabilities)


def fact_signals(
    model: LanguageModel, store: GraphStore, query: str, found: Retrieved
) -> list[dict]:
    """Per fact found, what :func:`answering_facts` weighs (scripts/answers_curve.py
    records it to draw the thresholds' curves): named by the question, the kind and
    thing tests, closeness in meaning, the model's reasoning score of its object."""
    if not found.facts:
        return []
    scores = model.score([reasoning_request(query, f, f.object) for f in found.facts])
    names = _names(store, found)
    answered = store.questions_answered(f.id for f in found.facts)
    thing = asked_thing(query, names)
    asked = attribute_of(query)
    named_thing = _names_a_thing_of_its_relation(query, found, thing)
    close = closeness(store, query, found.facts, [names] * len(found.facts))
    return [
        {
            "named": found.chosen_by == ChosenBy.BY_NAME,
            "kind_allows": _thing_may_answer(named_thing, answered.get(fact.id, ()), fact.object)
            or kind_allows(query, answered.get(fact.id, ()), fact.object),
            "another_thing": _asked_of_another_thing(asked, answered.get(fact.id, ())),
            "other_thing": bool(
                thing and _other_thing(thing, fact, answered.get(fact.id, ()), names)
            ),
            "closeness": c,
            "reasoning": score.mean_logprob,
        }
        for fact, c, score in zip(found.facts, close, scores)
    ]
