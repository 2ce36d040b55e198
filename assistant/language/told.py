"""What a chat message tells, read from its parse: who it is about, the new value,
and the words that lead to it.

"My sister Ilse moved to Antwerp last month." -> about "My sister Ilse", value
"Antwerp", query "My sister Ilse moved to", sentence "My sister Ilse moved to Antwerp
last month.". Each clause of the message is read from the dependency parse
(:mod:`.parse`): its subject (``nsubj``), its verb, and the value the verb gives (what
follows a copula, the thing a change leads to, the object of the verb or of its
prepositions, a name or number before plain words). A message of several clauses
("Matilda has gone off Weetabix, she only wants porridge now.") tells its last clause
that does not leave something behind or deny it. A question, a command, small talk
or a sentence with no subject tells nothing.

The word lists (verbs of change, verbs that leave a value behind, the state a move
leads to) are data in :mod:`.wordlists`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from lemminflect import getInflection

from .parse import parse
from .question_statement import is_base_verb
from .wordlists import (
    CHANGE_ADVERBS,
    CHANGE_MARKING_VERBS,
    CHANGE_PHRASES,
    CHANGE_VERBS,
    CURRENT_WORDS,
    LEAVING_VERBS,
    SMALL_TALK_WORDS,
    STATE_AFTER_CHANGE,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

#: Openers that frame a statement without being part of it ("Just so you know: ...").
FRAMING = re.compile(
    r"^\s*(?:(?:big |good |some )?news|heads up|fyi|update|by the way|btw|just so you know|"
    r"remember(?: that)?|note(?: that)?|please remember(?: that)?|for the record)\s*[:,!-]?\s*",
    re.IGNORECASE,
)
_ALSO = re.compile(r"\b(?:also|as well|too)\b", re.IGNORECASE)
_PRONOUNS = frozenset({"he", "she", "they", "it", "him", "her", "them"})
_ARTICLES = frozenset({"a", "an", "the"})
#: Clause heads: the root, and verbs joined to it ("..., she only wants porridge now").
_CLAUSE_DEPS = frozenset({"ROOT", "conj", "ccomp", "parataxis", "advcl"})
#: Parts of a clause that are not between its subject and its value.
_OTHER_CLAUSE = frozenset({"conj", "ccomp", "parataxis", "advcl", "cc", "punct"})
_AFTER_VALUE = frozenset({"relcl", "acl", "prep", "advmod", "npadvmod", "cc", "conj", "punct"})


@dataclass(frozen=True)
class Told:
    """One fact a message states."""

    #: Who or what it is about, as written ("My sister Ilse", "I"; "our broadband" of
    #: "We switched our broadband to ...").
    subject: str
    #: The clause up to its value ("My sister Ilse moved to").
    query: str
    #: The new value ("Antwerp").
    value: str
    #: The clause as a sentence ("My sister Ilse moved to Antwerp last month.").
    sentence: str
    #: The states a change leads to, where the change says it in other words ("moved
    #: to Antwerp" -> "My sister Ilse lives in Antwerp."; "started at" -> "works at",
    #: "goes to").
    states: tuple[str, ...] = ()
    #: "also", "as well", "too": a fact beside the others, never a replacement.
    adds_only: bool = False
    #: The message says something changed ("now", "moved", "no longer").
    says_change: bool = True

    @property
    def state(self) -> str | None:
        """The one state the change leads to, when it leads to one."""
        return self.states[0] if len(self.states) == 1 else None


def without_framing(message: str) -> str:
    return FRAMING.sub("", " ".join(message.split()))


def is_statement(doc: Doc | Span) -> bool:
    """A declarative sentence with a subject: not a question, a command, small talk."""
    said = [t for t in doc if not t.is_punct]
    if len(said) < 3 or doc.text.rstrip().endswith("?"):
        return False
    first = said[0]
    if first.lower_ in SMALL_TALK_WORDS or first.pos_ == "INTJ":
        return False
    if first.tag_ in {"WDT", "WP", "WP$", "WRB", "MD"}:
        return False  # "What ...", "Could you ..."
    if first.lemma_ in {"do", "be", "have"} and first.pos_ == "AUX":
        return False  # "Is Anna ...", "Do you ..."
    if first.tag_ == "VB" and first.dep_ == "ROOT":
        return False  # a command: "Tell me a riddle."
    return any(t.dep_ in {"nsubj", "nsubjpass"} for t in doc)


def told(message: str) -> Told | None:
    """The fact ``message`` states, or None when it states none."""
    readings = told_all(message)
    return readings[-1] if readings else None


def told_all(message: str) -> list[Told]:
    """Every clause's fact, in order, those that leave or deny their value ("gave up
    Hungarian") left out where another clause tells one; the last is what the message
    tells, unless the caller knows better who the message is about."""
    text = without_framing(message).rstrip()
    if not text:
        return []
    doc = parse(text)
    if not is_statement(doc):
        return []
    found: list[tuple[Token, Told]] = []
    last_named: str | None = None
    for verb in _clause_verbs(doc):
        subject = _subject_of(verb)
        if subject is None:
            continue
        phrase = _subject_phrase(subject, last_named)
        if subject.lower_ not in _PRONOUNS:
            last_named = phrase
        value = _value_of(verb)
        if value is None or _is_a_mood(subject, value):
            continue
        if _is_names_role(verb, subject, value):
            found.append((verb, _role_named(subject, value)))
            continue
        if _names_what_is_the_users(subject, value):
            found.append((verb, _name_of_the_users(doc, verb, subject, value)))
            continue
        changed = _thing_changed(verb, value)
        about = phrase if changed is None else _noun_phrase(changed)
        one = _told_by(doc, verb, subject, phrase, value, bool(_ALSO.search(text)))
        if one is not None and about != phrase:
            one = replace(one, subject=about)
        if one is not None:
            found.append((verb, one))
    kept = [one for verb, one in found if one is not None and not _leaves_or_denies(verb)]
    readings = kept or [one for _, one in found if one is not None]
    change = says_change(doc)
    return [replace(one, says_change=change) for one in readings]


def says_change(doc: Doc) -> bool:
    """A verb of change ("moved", "switched", "has left"), a denial ("doesn't ...
    any more"), or an adverb that dates the value ("now", "no longer", "instead")."""
    text = doc.text.lower()
    return any(phrase in text for phrase in CHANGE_PHRASES) or any(
        t.lower_ in CHANGE_ADVERBS
        or (t.pos_ == "VERB" and t.lemma_.lower() in CHANGE_MARKING_VERBS)
        or t.dep_ == "neg"
        for t in doc
    )


def _clause_verbs(doc: Doc):
    # A sentence the parser roots at a word other than a verb ("Since the spring I'm
    # enrolled at ...") has its clauses below it: any verb with its own subject.
    rooted = any(t.dep_ == "ROOT" and t.pos_ in {"VERB", "AUX"} for t in doc)
    for token in doc:
        if token.pos_ not in {"VERB", "AUX"} and not _verb_taken_for_noun(token):
            continue
        has_subject = any(c.dep_ in {"nsubj", "nsubjpass"} for c in token.children)
        if token.dep_ not in _CLAUSE_DEPS and token.head != token and (rooted or not has_subject):
            continue
        if token.dep_ == "advcl" and any(c.dep_ == "mark" for c in token.children):
            continue  # "when I travel", "because ...": a condition, not a fact
        yield token


def _verb_taken_for_noun(token: Token) -> bool:
    """ "... and sings with the Canongate Chorus": a joined word the tagger took for a
    plural noun that is a verb's third person, with its own preposition or object."""
    return (
        token.dep_ == "conj"
        and token.tag_ == "NNS"
        and token.head.pos_ in {"VERB", "AUX"}
        and is_base_verb(token.lower_[:-1])
        and any(c.dep_ in {"prep", "dobj"} for c in token.children)
    )


def _subject_of(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubjpass"}:
            return child
    # "... and plays the oboe": a joined verb shares its subject.
    return _subject_of(verb.head) if verb.dep_ == "conj" else None


def _subject_tokens(subject: Token) -> list[Token]:
    """The subject's words, without a clause that describes it; "My cat Pudding" parsed
    as two subjects side by side is one."""
    heads = [subject] + [
        c
        for c in subject.head.children
        if c.dep_ in {"nsubj", "nsubjpass"} and c != subject and abs(c.i - subject.i) <= 3
    ]
    ids: set[int] = set()
    for head in heads:
        described = {t.i for c in head.children if c.dep_ in {"relcl", "acl"} for t in c.subtree}
        ids |= {t.i for t in head.subtree} - described
    doc = subject.doc
    return [doc[i] for i in range(min(ids), max(ids) + 1)]


def _subject_phrase(subject: Token, last_named: str | None) -> str:
    """The subject as written, "she" as whom the message last named, without the
    words that only say it is current ("my new landlord" is "my landlord")."""
    if subject.lower_ in _PRONOUNS and last_named:
        return last_named
    kept = [t for t in _subject_tokens(subject) if t.lower_ not in CURRENT_WORDS]
    return "".join(t.text_with_ws for t in kept).strip()


def _noun_phrase(token: Token) -> str:
    described = {t.i for c in token.children if c.dep_ in {"relcl", "acl"} for t in c.subtree}
    kept = [t for t in token.subtree if t.i not in described and t.lower_ not in CURRENT_WORDS]
    return "".join(t.text_with_ws for t in kept).strip()


def _distinct(token: Token) -> bool:
    """A value that can be told apart: a name, a number, a time."""
    return any(
        t.pos_ in {"PROPN", "NUM"} or t.like_num or any(ch.isdigit() for ch in t.text)
        for t in token.subtree
    )


def _object_of(preposition: Token) -> Token | None:
    return next((c for c in preposition.children if c.dep_ == "pobj"), None)


def _values(verb: Token) -> list[Token]:
    """The clause's value words, likeliest first: what follows a copula, the thing a
    change leads to, the direct object, the objects of the verb's prepositions."""
    children = list(verb.children)
    found: list[Token] = []
    for child in children:
        if child.dep_ in {"attr", "oprd"}:
            found.append(child)
        elif child.dep_ == "acomp":
            # "allergic to peanuts": the preposition's object (or the word the parser
            # took for a verb after "to"), then the adjective.
            found += [_object_of(p) for p in child.children if p.dep_ == "prep"]
            found += [c for c in child.children if c.dep_ == "xcomp"]
            found.append(child)
        elif child.dep_ == "xcomp":
            found += _values(child) if child.pos_ in {"VERB", "AUX"} else [child]
    # "goes up to £950": the object an adverb or particle of the verb takes.
    found += [
        o for c in children if c.dep_ in {"advmod", "prt"} for o in c.children if o.dep_ == "pobj"
    ]
    # "has gone up to £920": a quantity the parser hangs on the verb.
    found += [c for c in children if c.dep_ == "npadvmod" and c.pos_ == "NUM"]
    prepositions = [c for c in children if c.dep_ in {"prep", "dative"}]
    direct = next((c for c in children if c.dep_ == "dobj"), None)
    if verb.lemma_.lower() in CHANGE_VERBS:
        found += [_object_of(p) for p in prepositions if p.lower_ in {"to", "for", "with", "into"}]
    if direct is not None:
        found += [
            o
            for p in direct.children
            if p.dep_ == "prep" and (o := _object_of(p)) is not None and _distinct(o)
        ]
        found.append(direct)
    found += [_object_of(p) for p in prepositions]
    return [t for t in found if t is not None]


def _value_of(verb: Token) -> Token | None:
    values = [n for v in _values(verb) if not _points(v) for n in _named_within(v)]
    # What follows the verb before what frames the clause ("Since January, Hild works
    # at Tesco").
    values.sort(key=lambda v: v.i < verb.i)
    distinct = [v for v in values if _distinct(v)]
    return (distinct or values or [None])[0]


def _thing_changed(verb: Token, value: Token) -> Token | None:
    """What a change of the user's changes: "my supplier" of "We switched our
    supplier to X" (the fact is about the supplier, not about "we")."""
    if verb.lemma_.lower() not in CHANGE_VERBS:
        return None
    direct = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if direct is None or direct.i == value.i:
        return None
    return direct if any(t.lower_ in {"my", "our"} for t in direct.subtree) else None


def _named_within(token: Token) -> list[Token]:
    """A value's own name or place, before it: "Kuba" of "his friend Kuba", "Tanner
    Street" of "a flat on Tanner Street"."""
    own = [token, *(c for c in token.children if c.dep_ in {"compound", "nummod"})]
    if any(t.pos_ in {"PROPN", "NUM"} or t.like_num for t in own):
        return [token]  # "9 pm" of "9 pm on Fridays", "Bath Rugby"
    inner = [c for c in token.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
    inner += [o for p in token.children if p.dep_ == "prep" and (o := _object_of(p)) is not None]
    return [t for t in inner if _distinct(t)] + [token]


def _points(token: Token) -> bool:
    """ "it", "this weather": a thing the conversation points at, not a value."""
    return token.pos_ == "PRON" or any(
        c.dep_ == "det" and c.lower_ in {"this", "that", "these", "those"} for c in token.children
    )


def _is_names_role(verb: Token, subject: Token, value: Token) -> bool:
    """ "Dr. Lindqvist is my new GP": a name said to be a role of the user's."""
    return (
        verb.lemma_ == "be"
        and subject.pos_ == "PROPN"
        and value.dep_ == "attr"
        and not _distinct(value)
        and any(c.dep_ == "poss" and c.lower_ in {"my", "our"} for c in value.children)
    )


def _role_named(subject: Token, value: Token) -> Told:
    """ "Dr. Lindqvist is my new GP." read as "My GP is Dr. Lindqvist."."""
    role = _noun_phrase(value)
    name = "".join(t.text_with_ws for t in _subject_tokens(subject)).strip()
    verb = "are" if value.tag_ == "NNS" else "is"
    return Told(role, f"{_capitalised(role)} {verb}", name, f"{_capitalised(role)} {verb} {name}.")


def _names_what_is_the_users(subject: Token, value: Token) -> bool:
    """ "Florin cuts my hair now": a name doing something of the user's is who the
    user's hairdresser is, a fact of the user's with the name as its value."""
    return (
        subject.pos_ == "PROPN"
        and not _distinct(value)
        and any(c.dep_ == "poss" and c.lower_ in {"my", "our"} for c in value.children)
        and subject.i > 0
    )


def _name_of_the_users(doc: Doc, verb: Token, subject: Token, value: Token) -> Told | None:
    names = _subject_tokens(subject)
    query = doc[: names[0].i].text.strip(" :;,-")
    if not query:
        return None
    clause = _capitalised(doc[names[0].i : max(_clause_ids(verb, value)) + 1].text.rstrip(" .!,;"))
    said = "".join(t.text_with_ws for t in names).strip()
    return Told("I", query, said, clause + ".")


def _is_a_mood(subject: Token, value: Token) -> bool:
    """ "I'm tired today": how the user is, not a fact to keep."""
    return subject.lower_ == "i" and value.pos_ == "ADJ" and not _distinct(value)


def _leaves_or_denies(verb: Token) -> bool:
    """ "gave up Hungarian", "has gone off Weetabix", "doesn't play rugby": the value is
    the one that no longer holds."""
    particle = next((c.lower_ for c in verb.children if c.dep_ == "prt"), None)
    lemma = verb.lemma_.lower()
    leaves = (lemma, particle) in LEAVING_VERBS or (lemma, None) in LEAVING_VERBS
    return leaves or any(c.dep_ == "neg" for c in verb.children)


def _told_by(
    doc: Doc, verb: Token, subject: Token, phrase: str, value: Token, adds_only: bool
) -> Told | None:
    value_span = _span(
        value, [c for c in value.children if c.dep_ in _AFTER_VALUE and c.i > value.i]
    )
    clause_ids = _clause_ids(verb, value)
    if value_span is None or not clause_ids:
        return None
    start, end = min(clause_ids), max(clause_ids) + 1
    while len(value_span) > 1 and (
        value_span[0].lower_ in _ARTICLES
        or value_span[0].dep_ in {"poss", "aux", "case"}
        or value_span[0].pos_ in {"ADP", "PART"}
    ):
        # The value is "tram driver", "harpsichord", "own florist's": the article or the
        # possessive stays in the clause, where it reads ("she's a tram driver").
        value_span = value_span[1:]
    subject_ids = {t.i for t in _subject_tokens(subject)}
    glue = " " if doc[max(subject_ids)].whitespace_ else ""
    # Words before the subject ("so I leave home at ...", "Last week I ...") frame it,
    # unless the value comes first ("At 7 my gym opens").
    rest = doc[value_span.start : end].text.rstrip(" .!,;:")
    # A joined verb shares the first verb's subject ("left X and sings with Y"): its
    # clause starts at the verb.
    lead_start = max(subject_ids) + 1 if subject.head == verb else verb.i
    if lead_start <= value_span.start:
        lead = doc[lead_start : value_span.start].text_with_ws
        query = f"{phrase}{glue}{lead}".strip()
        sentence = _capitalised(f"{phrase}{glue}{lead}{rest}".strip()) + "."
    else:  # the value first: the clause as written
        query = doc[start : value_span.start].text.strip()
        sentence = _capitalised(doc[start:end].text.rstrip(" .!,;:")) + "."
    said = value_span.text
    if not query or not said:
        return None
    return Told(phrase, query, said, sentence, _states_after(verb, phrase), adds_only)


def _clause_ids(verb: Token, value: Token) -> list[int]:
    others = [c for c in verb.children if c.dep_ in _OTHER_CLAUSE and c != value]
    left_out = {t.i for c in others for t in c.subtree}
    return [t.i for t in verb.subtree if t.i not in left_out]


def _span(token: Token, leave_out: list[Token]) -> Span | None:
    dropped = {t.i for c in leave_out for t in c.subtree}
    ids = sorted(t.i for t in token.subtree if t.i not in dropped)
    return token.doc[ids[0] : ids[-1] + 1] if ids else None


def _states_after(verb: Token, subject: str) -> tuple[str, ...]:
    """The states a change leads to, in the words a question about them uses: "X
    moved to Y" -> "X lives in Y"; "X started at Y" -> "X works at Y", "X goes to Y"
    (:data:`.wordlists.STATE_AFTER_CHANGE`: a change may lead to several)."""
    if any(c.dep_ in {"nsubjpass", "auxpass", "dobj"} for c in verb.children):
        # "My test has been moved to ...", "I moved my savings to ...": something
        # moved, not someone who now lives there.
        return ()
    for preposition in (c for c in verb.children if c.dep_ == "prep"):
        states = STATE_AFTER_CHANGE.get((verb.lemma_.lower(), preposition.lower_), ())
        place = _object_of(preposition)
        if not states or place is None:
            continue
        where = _span(place, [c for c in place.children if c.dep_ in {"relcl", "acl"}])
        plural = subject.lower() in {"i", "we", "you", "they"}
        said = []
        for state in states:
            verb_word, _, tail = state.partition(" ")
            form = verb_word if plural else (getInflection(verb_word, "VBZ") or [verb_word])[0]
            said.append(_capitalised(f"{subject} {form} {tail} {where.text}") + ".")
        return tuple(said)
    return ()


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
