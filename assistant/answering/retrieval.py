"""Answer-time retrieval: the facts of what the question is about, the ones it asks for.

What the question is about: a known name, alias or description it uses ("my boss" is
"my manager"); else, for "he", "she", "it"..., what the conversation was about; else
the entity a question's words point at by meaning ("the ice rink" is "my
skating club", :mod:`assistant.meaning.search`); else, for an "I / my" question, the
user's own facts and those of what they described as theirs. Which of its facts: the
relation the question names in its words; else the facts closest to the question in
meaning (:mod:`assistant.answering.fact_meaning`: a fact's sentence and the questions it
answers, the subject's own words left out); the model's own P(r|q) ranking is kept for
comparison (``ranking="model"``). A chain of two facts, the first's object being the
second's subject, is taken where the question names both links' relations or where
the meaning of its whole path answers it (:mod:`assistant.answering.multi_hop`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from ..facts import Fact
from ..language.descriptions import USER, mentions_user
from ..language.question_statement import WH_WORDS
from ..language.references import referring_phrases
from ..language.relation_match import facts_named
from ..learning.scoring import retrieval_logprobs
from ..learning.subject import find_known_entity
from ..learning.tuning import retrieval_distribution
from ..llm import LanguageModel
from ..meaning.search import entity_meant, someone_described
from ..store.graph_store import GraphStore
from .fact_meaning import closeness, ranked_by_meaning, subject_words
from .multi_hop import MAX_FIRST_HOPS, ChainFound, best_chain, chains_from, named_chain


class ChosenBy(StrEnum):
    """How an answer's facts were chosen; the values appear in reports as they are."""

    ALL = "all"  # the subject has no more than top_n facts
    BY_NAME = "by name"  # the question names one of the subject's relations
    BY_MEANING = "by meaning"  # closest to the question in meaning (assistant.meaning.embedder)
    BY_MODEL = "by model"  # ranked by P(r|q)
    NONE = "none"  # no known subject, or one without facts


class SubjectBy(StrEnum):
    """How the question's subject was found."""

    GIVEN = "given"  # named by the caller (the editor's About field, --subject)
    NAME = "name"  # a name, alias or description the question uses
    CONVERSATION = "conversation"  # "she": what the conversation was about
    MEANING = "meaning"  # the entity its words point at by meaning
    DESCRIBED = "described"  # who it says someone is: "my sister" for Marisol
    UNKNOWN = "unknown"  # someone of the user's the graph does not know: "my brother"
    # (the subject is then the description, which names no entity)
    USER = "user"  # an "I / my" question: the user's world
    NONE = "none"


@dataclass(frozen=True)
class Retrieved:
    subject: str | None
    facts: list[Fact]
    probabilities: list[float]
    chosen_by: ChosenBy = ChosenBy.NONE
    #: A chain of two facts that answers the question (the first hop's object is the
    #: second hop's subject); empty for a one-hop answer.
    path: list[Fact] = field(default_factory=list)
    #: How the subject was found (UNKNOWN: someone of the user's the graph does not
    #: know, "my brother").
    about: SubjectBy = SubjectBy.NONE
    #: How close the chain's whole path is to the question (None: no chain, or one
    #: whose relations the question names).
    path_closeness: float | None = None
    #: For a chain: what retrieval found without it, the single facts a reply falls
    #: back on when the chain turns out not to answer (answers_asked).
    without_chain: Retrieved | None = None


#: Words that point back at what the conversation was about.
_REFERS_BACK = frozenset("he him his she her hers they them their it its".split())
#: How close in meaning (cosine, WordLlama) a fact of the user's must be to an "I / my"
#: question to be used: below it the question is small talk or about something never
#: taught, and the model answers alone. Dev scenarios: the asked fact scored 0.12-0.90
#: (a fifth below 0.2), questions that ask about no fact up to 0.26 (docs/METHOD.md).
USER_WORLD_MIN_SIMILARITY = 0.17
#: Similarities become retrieval shares P(z|q) by a softmax at this temperature: 0.1
#: apart is a factor e, so the closest fact leads unless the model's reasoning score
#: disagrees strongly.
MEANING_TEMPERATURE = 0.05
#: In the user's world (their own facts pooled with those of everything they describe
#: as theirs) a fact the question names loses to one closer in meaning by at least
#: this much (cosine): "Which sport am I learning?" names "am learning" (Portuguese)
#: but means the fencing lessons; "How late can I skate this Saturday?" names the
#: Saturday 5k but means the skating club's hours (docs/METHOD.md §7). A named person's
#: facts all share the name, which dominates their similarity, so for them the named
#: relation stands.
NAME_OVERRULED_BY_MEANING = 0.1
_QUESTION_VERBS = frozenset(
    "do does did is are was were am can could will would should has have".split()
)


def answer_subject(
    store: GraphStore,
    query: str,
    subject: str | None = None,
    previous_subject: str | None = None,
    *,
    by_meaning: bool = True,
) -> tuple[str | None, SubjectBy]:
    """What the query is about, no model: an explicit subject; else a known name,
    alias or description in it (index lookups); else the conversation's last subject
    when it points back at it; else, for a question, the person or animal it describes
    by what they are ("my brother": the one the user described so, or, for nobody
    known, the description itself with :data:`SubjectBy.UNKNOWN`), else the entity its
    referring words mean (for an "I / my" question only one outside the user's world,
    which is searched on its own); else the user, for "I / my". ``by_meaning=False``
    leaves out the search by meaning (to compare, scripts/meaning_subjects.py)."""
    if subject:
        return store.resolve_entity(subject) or subject, SubjectBy.GIVEN
    found = find_known_entity(query, store)
    if found is not None:
        return found, SubjectBy.NAME
    # "he", "it", "its" point back at a person or thing, never at the user themself.
    if previous_subject not in (None, USER) and _refers_back(query):
        return previous_subject, SubjectBy.CONVERSATION
    about_user = mentions_user(query)
    if not is_question(query):
        return (USER, SubjectBy.USER) if about_user else (None, SubjectBy.NONE)
    references = referring_phrases(query)
    someone = someone_described(store.db, references)
    if someone is not None and someone.entity is not None:
        return someone.entity, SubjectBy.DESCRIBED
    if someone is not None and someone.mine:
        return f"my {someone.words}", SubjectBy.UNKNOWN
    if by_meaning:
        meant = entity_meant(store.db, references, outside_users_world=about_user)
        if meant is not None:
            return meant.entity, SubjectBy.MEANING
    return (USER, SubjectBy.USER) if about_user else (None, SubjectBy.NONE)


def graph_candidates(
    store: GraphStore,
    query: str,
    subject: str | None = None,
    previous_subject: str | None = None,
    *,
    by_meaning: bool = True,
) -> tuple[str | None, list[Fact]]:
    """The graph's side of retrieval, no model: the query's subject
    (:func:`answer_subject`) and its valid facts."""
    subject, _ = answer_subject(store, query, subject, previous_subject, by_meaning=by_meaning)
    return subject, _facts_about(store, subject)


def _facts_about(store: GraphStore, subject: str | None) -> list[Fact]:
    if subject is None:
        return []
    if subject == USER:
        return store.user_world_facts()
    return store.valid_facts_of(subject)


def _refers_back(query: str) -> bool:
    return bool(_REFERS_BACK & {w.lower() for w in query.replace("?", " ").split()})


def retrieve(
    model: LanguageModel,
    store: GraphStore,
    query: str,
    subject: str | None = None,
    top_n: int = 3,
    *,
    by_name: bool = True,
    ranking: str = "meaning",
    previous_subject: str | None = None,
    by_meaning: bool = True,
) -> Retrieved:
    """Find what the query is about and return its best ``top_n`` facts.

    No model call: the subject comes from index lookups (names, aliases, descriptions,
    the conversation's last subject for a pronoun), the graph's vectors (what the
    question's words mean) or the user, for "I / my" (:func:`answer_subject`); the facts
    of the relation the question names in so many words (:mod:`assistant.language.relation_match`)
    are the ones asked for; else they are ranked by meaning (all of them when there are
    no more than ``top_n``, ranked so the reply knows which the question asks). The
    model's own P(r|q) ranking is ``ranking="model"``; ``by_name=False`` skips matching
    by name (to compare, scripts/answer_choice.py); ``by_meaning`` as for
    :func:`answer_subject`.
    """
    subject, about = answer_subject(store, query, subject, previous_subject, by_meaning=by_meaning)
    found = _retrieve_about(model, store, query, subject, top_n, by_name, ranking)
    if found.without_chain is not None:
        found = replace(found, without_chain=replace(found.without_chain, about=about))
    return replace(found, about=about)


def _retrieve_about(
    model: LanguageModel,
    store: GraphStore,
    query: str,
    subject: str | None,
    top_n: int,
    by_name: bool,
    ranking: str,
) -> Retrieved:
    facts = _facts_about(store, subject)
    if subject is None:
        return Retrieved(None, [], [])
    if subject == USER:
        return _from_users_world(store, query, facts, top_n)
    if not facts:
        return Retrieved(subject, [], [], ChosenBy.NONE)
    names = subject_words(store, subject)
    chosen = facts_named(query, subject, facts)[:top_n] if by_name else []
    if chosen:
        named = Retrieved(subject, chosen, [1.0 / len(chosen)] * len(chosen), ChosenBy.BY_NAME)
        return _with_chain(subject, named, _chain_from_named(store, query, chosen, names))
    # Ranked once, for the chains, all of few facts, and the ranking by meaning.
    needs_meaning = ranking == "meaning" or len(facts) <= top_n
    ranked = ranked_by_meaning(store, query, facts, names) if needs_meaning else []
    chain = None
    if ranking == "meaning":
        chain = best_chain(store, query, ranked[0][1], chains_from(store, facts), names)
    singles = _singles(model, query, subject, facts, ranked, top_n, ranking)
    return _with_chain(subject, singles, chain)


def _singles(
    model: LanguageModel,
    query: str,
    subject: str,
    facts: list[Fact],
    ranked: list[tuple[Fact, float]],
    top_n: int,
    ranking: str,
) -> Retrieved:
    """The subject's best ``top_n`` facts by meaning (``ranked``), all of few, or by the
    model's P(r|q)."""
    if len(facts) <= top_n:
        # All of them go into the answer; their shares say which the question asks.
        found = _by_closeness(subject, ranked, top_n)
        return Retrieved(subject, found.facts, found.probabilities, ChosenBy.ALL)
    if ranking == "meaning":
        return _by_closeness(subject, ranked, top_n)
    scores = retrieval_logprobs(model, query, subject, [f.relation for f in facts])
    shares = retrieval_distribution([scores[f.relation] for f in facts])
    by_model = sorted(zip(facts, shares), key=lambda pair: pair[1], reverse=True)[:top_n]
    return Retrieved(subject, [f for f, _ in by_model], [p for _, p in by_model], ChosenBy.BY_MODEL)


def _chain_from_named(
    store: GraphStore, query: str, named: list[Fact], leave_out: frozenset[str]
) -> ChainFound | None:
    """A chain that starts at a fact the question names by its relation: one whose
    second link's relation it names too (:func:`named_chain`), else one whose whole
    path is close enough to it beside the named facts ("Which number do I ring when
    the dog walker is late?" names who walks the dog, and asks for that person's
    number)."""
    chain = named_chain(store, query, named)
    if chain is not None:
        return chain
    chains = chains_from(store, named)
    if not chains:
        return None
    single = max(closeness(store, query, named, [leave_out] * len(named)))
    return best_chain(store, query, single, chains, leave_out)


def _with_chain(subject: str, without: Retrieved, chain: ChainFound | None) -> Retrieved:
    """The chain's two facts as what was retrieved about ``subject``, with its path and
    what was found without it; ``without`` itself when there is no chain."""
    if chain is None:
        return without
    by = ChosenBy.BY_NAME if chain.closeness is None else ChosenBy.BY_MEANING
    return Retrieved(
        subject,
        chain.path,
        [0.5, 0.5],
        by,
        chain.path,
        path_closeness=chain.closeness,
        without_chain=without,
    )


def _named_unless_meaning_disagrees(
    named: list[Fact], ranked: list[tuple[Fact, float]]
) -> list[Fact]:
    """The facts whose relation the question names (:func:`facts_named`), unless
    another fact is clearly closer to the question in meaning (``ranked``): among the
    many things of the user's world a shared word ("learning", "Saturday") is weaker
    evidence than what the whole question is about."""
    closest, closest_score = ranked[0]
    named_score = max(score for fact, score in ranked if fact in named)
    if closest not in named and closest_score >= named_score + NAME_OVERRULED_BY_MEANING:
        return []
    return named


def _by_closeness(
    subject: str, ranked: list[tuple[Fact, float]], top_n: int, floor: float = -1.0
) -> Retrieved:
    """The first ``top_n`` of facts ranked by closeness, at least ``floor`` close, with
    P(z|q) as a softmax of their similarities (MEANING_TEMPERATURE)."""
    kept = [(f, s) for f, s in ranked[:top_n] if s >= floor]
    shares = retrieval_distribution([s / MEANING_TEMPERATURE for _, s in kept])
    return Retrieved(subject, [f for f, _ in kept], shares, ChosenBy.BY_MEANING)


def _from_users_world(store: GraphStore, query: str, facts: list[Fact], top_n: int) -> Retrieved:
    """An "I / my" question: the user's facts it names, else those close to it in
    meaning; none when nothing is close, or when the message asks nothing (small talk,
    a request: "Tell me a riddle, I need a laugh"). The facts are ranked by meaning at
    most once, for both uses."""
    named = facts_named(query, USER, facts)[:top_n]
    ranked: list[tuple[Fact, float]] | None = None
    if named and len(named) < len(facts):
        ranked = ranked_by_meaning(store, query, facts)
        named = _named_unless_meaning_disagrees(named, ranked)
    if named:
        chosen = Retrieved(USER, named, [1.0 / len(named)] * len(named), ChosenBy.BY_NAME)
        return _with_chain(USER, chosen, _chain_from_named(store, query, named, frozenset()))
    if not facts or not is_question(query):
        return Retrieved(None, [], [], ChosenBy.NONE)
    if ranked is None:
        ranked = ranked_by_meaning(store, query, facts)
    found = _by_closeness(USER, ranked, top_n, USER_WORLD_MIN_SIMILARITY)
    if not found.facts:
        found = Retrieved(None, [], [], ChosenBy.NONE)
    # A path may start at a fact that is not itself close to the question ("What
    # number do I ring when my glasses break?" and "My optician is ..."): the closest
    # few are first hops.
    firsts = [f for f, _ in ranked[:MAX_FIRST_HOPS]]
    chain = best_chain(store, query, ranked[0][1], chains_from(store, firsts))
    return _with_chain(USER, found, chain)


def is_question(message: str) -> bool:
    text = message.strip()
    first = text.split()[0].lower() if text else ""
    return text.endswith("?") or first in WH_WORDS or first in _QUESTION_VERBS
