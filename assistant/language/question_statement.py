"""A question and its answer, turned into the sentence a person would write.

"Which city does my sister Anna live in?" + "Lisbon" -> "My sister Anna lives in
Lisbon." This is how a learned fact reads in the notice, the knowledge panel and the
answer prompt: one readable sentence instead of KGT's relation phrasings.

The question is read from its parse (:mod:`.parse`): its wh-phrase ("Which city",
"How many cats", "What time"), the auxiliary after it, the subject after that and
the verb with its particles. The statement puts the subject first, gives the verb
back the ending "do" took from it ("does ... live" -> "lives", "did ... study" ->
"studied"), and puts the answer where the wh-phrase stood: after the verb or the
preposition it left stranded ("live in Lisbon"), after the copula ("is Ms. Novak"),
or as the place or time at the end ("at 8:15"). Where the reading is open (which
preposition a place takes, where a time goes, where the subject ends when the tagger
is unsure) there are up to three candidates; :func:`best_statement` lets the model
choose by its fluency, :func:`statement_of` takes the first. A question of no such
shape gives None, and the caller keeps the question and answer as typed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .parse import forget_parses, parse
from .text import one_line
from .wordlists import (
    AT_PLACE_VERBS,
    ATTACHED_ANSWER_WORDS,
    CLOCK_TIME,
    CLOSING_WORDS,
    COMPANION_PREPOSITIONS,
    HOW_MEASURES,
    IDENTITY_WORDS,
    IN_TIME_WORDS,
    JOB_WORDS,
    KIND_WORDS,
    STREET_WORDS,
    TIME_NOUNS,
    WH_WORDS,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

    from ..llm import LanguageModel

DO_FORMS = {"do": "present", "does": "present", "did": "past"}
BE_FORMS = {"is", "are", "was", "were", "am"}
HAVE_FORMS = {"has", "have", "had"}
PREPOSITIONS = {
    "in", "on", "at", "to", "from", "for", "with", "by", "of", "into", "about", "near",
    "after", "before", "during", "under", "over", "through", "like",
}  # fmt: skip
#: The most statements one question gives for the model to choose from.
MAX_CANDIDATES = 3
#: What the model reads before a candidate sentence when it chooses among them.
FLUENCY_CONTEXT = "A fact about my life, in one sentence:"

_DO_TAGS = {"do": "VB", "does": "VBZ", "did": "VBD"}  # the verb form each leaves
_CONTRACTED_BE = {"'s": "is", "’s": "is", "'re": "are", "’re": "are", "'m": "am", "’m": "am"}
_NOMINAL_BEFORE = {"PRP$", "DT", "POS", "IN"}


@dataclass(frozen=True)
class Statement:
    """A question rewritten as a sentence that states its answer."""

    text: str  # "My sister Anna lives in Lisbon."
    subject: str  # "my sister Anna": the words that name what the fact is about
    predicate: str  # "lives in": the sentence without its subject and the answer


# ----- words ------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _lemmas(word: str) -> dict:
    from lemminflect import getAllLemmas

    return getAllLemmas(word.lower())


def word_classes(word: str) -> dict[str, tuple[str, ...]]:
    """The word's lemmas by word class: "diet" -> {"NOUN": ("diet",), "VERB": ("diet",)}."""
    return _lemmas(word)


def is_base_verb(word: str) -> bool:
    """A verb in its bare form ("live", "play"), as "do" leaves it."""
    return word.lower() in _lemmas(word).get("VERB", ())


def is_superlative(word: str) -> bool:
    """ "largest", "best", "most": an adjective's superlative (lemminflect gives its
    base, "large"), not a word that only ends so ("west", "honest", "forest")."""
    lower = word.lower()
    return lower.endswith("st") and any(base != lower for base in _lemmas(lower).get("ADJ", ()))


def is_participle_or_adjective(word: str) -> bool:
    """Words that follow "is" in a statement: "based", "born", "called", "singing",
    "allergic" (not "is" + noun)."""
    lower = word.lower()
    lemmas = _lemmas(lower)
    verb_forms = lemmas.get("VERB", ())
    if verb_forms and lower not in verb_forms and not lower.endswith("s"):
        return True
    return "ADJ" in lemmas and "NOUN" not in lemmas and "VERB" not in lemmas


def _could_be_participle(word: str) -> bool:
    lower = word.lower()
    forms = _lemmas(lower).get("VERB", ())
    return bool(forms) and lower not in forms and lower.endswith(("ing", "ed", "en"))


def _inflect(verb: str, tag: str) -> str:
    from lemminflect import getInflection

    forms = getInflection(verb.lower(), tag=tag)
    return forms[0] if forms else verb


def _sentence(words: Sequence[str]) -> str:
    text = " ".join(w for w in words if w)
    text = re.sub(r"\s+(['’]s?)(?=\s|$)", r"\1", text)  # "Anna 's" -> "Anna's"
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _words(tokens: Sequence[Token]) -> str:
    """Tokens as written: "my mother's birthday", not "my mother 's birthday"."""
    return "".join(t.text_with_ws for t in tokens).strip()


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


# ----- the question's parts -----------------------------------------------------------


def _question_text(question: str) -> str:
    """The question alone: a cloze after it ("... Sofia? It is") is not part of it."""
    text = one_line(question)
    return text[: text.index("?") + 1] if "?" in text else text


def _is_wh(token: Token) -> bool:
    return token.lower_ in WH_WORDS


def _is_verbal(token: Token) -> bool:
    return (
        token.pos_ in {"AUX", "VERB"}
        or token.tag_ in {"MD", "VBZ", "VBP", "VBD"}
        or token.lower_ in _CONTRACTED_BE
    )


def _wh_phrase_end(tokens: list[Token], start: int) -> int:
    """The first token after the wh-phrase: "Which day of the month | is", "How many
    cats | does", "What | does"."""
    end = start + 1
    if tokens[start].lower_ == "how":
        if end < len(tokens) and tokens[end].tag_ in {"JJ", "RB", "JJR", "RBR"}:
            end += 1
            if tokens[end - 1].lower_ in {"many", "much"}:
                while end < len(tokens) and not _is_verbal(tokens[end]):
                    end += 1
        return end
    if tokens[start].lower_ in {"what", "which", "whose"}:
        while end < len(tokens) and (
            not _is_verbal(tokens[end]) or _is_auxiliary_next(tokens, end)
        ):
            nominal = tokens[end].pos_ in {"NOUN", "PROPN", "ADJ", "DET", "NUM"}
            if not (nominal or tokens[end].lower_ == "of" or _is_auxiliary_next(tokens, end)):
                break
            end += 1
    return end


def _is_auxiliary(token: Token) -> bool:
    return token.lower_ in _DO_TAGS or token.lemma_ in {"be", "have"} or token.tag_ == "MD"


def _is_auxiliary_next(tokens: list[Token], at: int) -> bool:
    """ "make" of "What make is my van?": a word the tagger took for a verb, right
    before the auxiliary, belongs to the wh-phrase."""
    return (
        at + 1 < len(tokens)
        and not _is_auxiliary(tokens[at])
        and _is_auxiliary(tokens[at + 1])
        and tokens[at + 1].lower_ not in {"'s", "’s"}
    )


def _in_subordinate_clause(token: Token) -> bool:
    """ "Where she was born, people speak ...": a wh-word that opens a clause."""
    while token.head is not token:
        if token.dep_ in {"advcl", "ccomp", "relcl", "acl", "csubj"}:
            return True
        token = token.head
    return False


def _subject_ends(tokens: list[Token], aux_at: int, do_support: bool) -> list[int]:
    """Where the subject after the auxiliary may end (the index of the word after it),
    the tagger's reading first; a second reading only when the tagger marks no verb."""
    tagged, fallback = [], []
    for i in range(aux_at + 2, len(tokens)):
        token, before = tokens[i], tokens[i - 1]
        if token.tag_ == "POS" or (token.is_title and token.tag_ != "PRP"):
            continue  # "Anna's", the words of a name ("Daily Grind")
        if do_support:
            if token.tag_ in {"VB", "VBP"}:
                tagged.append(i)
            elif is_base_verb(token.text) and before.tag_ not in _NOMINAL_BEFORE:
                fallback.append(i)  # "study" tagged as a noun, "close" as an adverb
            continue
        if token.lower_ in CLOSING_WORDS:
            tagged.append(i)
            break
        if token.tag_ in {"VBN", "VBG", "VB", "VBD", "RP", "TO"}:
            tagged.append(i)
        elif token.tag_ in {"JJ", "RB"} and not (
            i + 1 < len(tokens) and tokens[i + 1].pos_ in {"NOUN", "PROPN", "ADJ"}
        ):
            tagged.append(i)  # "allergic", "due"
        elif token.tag_ == "IN" and not any(c.dep_ == "pobj" for c in token.children):
            # A stranded preposition, not "the caretaker of my building"; an adjective
            # it follows is the predicate, whatever the tagger took it for ("allergic
            # to", "good at").
            adjective = (
                i - 1 > aux_at + 1
                and not before.is_title
                and ("ADJ" in word_classes(before.text) or _could_be_participle(before.text))
            )
            # "a member of", "the captain of": a noun with its article is the predicate.
            nominal = i - 2 > aux_at + 1 and tokens[i - 2].lower_ in {"a", "an", "the"}
            tagged.append(i - 2 if nominal else i - 1 if adjective else i)
        elif (
            _could_be_participle(token.text)
            and before.tag_ not in _NOMINAL_BEFORE
            and not (token.dep_ in {"amod", "compound"} and token.head.i > token.i)
        ):
            fallback.append(i)  # "learning" tagged as a noun
    ends = tagged[:1] if tagged else fallback[:2]
    return ends or [len(tokens)]


# ----- where the answer goes ----------------------------------------------------------


@dataclass(frozen=True)
class _Slot:
    """How the answer joins the statement: its forms, and its role."""

    leads: tuple[str, ...]  # "in Lisbon", "at Lisbon"; or just "Lisbon"
    role: str  # "object" (after the verb), "complement" (after "is"), "adverbial" (last)


def _attached(preps: Sequence[str], answer: str) -> tuple[str, ...]:
    if answer.split()[0].lower() in ATTACHED_ANSWER_WORDS:
        return (answer,)
    return tuple(f"{p} {answer}" for p in preps)


def _time_preposition(answer: str) -> str:
    if CLOCK_TIME.match(answer.strip()):
        return "at"
    first = answer.split()[0].lower()
    return "in" if first in IN_TIME_WORDS or (first.isdigit() and len(first) == 4) else "on"


def _is_adjective(answer: str, noun: str) -> bool:
    """A one-word answer that describes the noun asked for ("vegetarian" diet), as
    the tagger reads it before that noun and as the lexicon knows it."""
    if len(answer.split()) != 1 or not answer.islower() or "ADJ" not in _lemmas(answer):
        return False
    return parse(f"It is a {answer} {noun}.")[3].tag_ == "JJ"


def _slot(wh: list[Token], aux: Token, rest: list[Token], answer: str) -> _Slot:
    word = wh[0].lower_
    copula_only = aux.lemma_ == "be" and not any(t.pos_ == "VERB" for t in rest)
    if word == "how" and len(wh) > 1:
        how = wh[1].lower_
        if how in {"many", "much"}:
            noun = " ".join(t.text for t in wh[2:])
            whole = not noun or noun.lower() in answer.lower()
            return _Slot((answer if whole else f"{answer} {noun}",), "object")
        if how == "old":
            return _Slot((f"{answer} years old", answer) if answer.isdigit() else (answer,),
                         "complement")  # fmt: skip
        if copula_only:
            return _Slot((answer,), "complement")
        if how in HOW_MEASURES:
            return _Slot((answer,), "object")  # "I run 18 km on Sundays"
        if how == "long":
            return _Slot((*_attached(["for"], answer), answer), "adverbial")
        return _Slot((answer,), "adverbial")
    if word == "how":
        return _Slot((answer,), "adverbial")
    if word == "where":
        verbs = {t.lemma_.lower() for t in rest if not t.is_title}
        preps = ["at", "in", "on"] if verbs & AT_PLACE_VERBS else ["in", "at", "on"]
        if answer.split()[-1].lower() in STREET_WORDS:
            preps = ["on", "in", "at"]
        return _Slot(_attached(preps, answer), "adverbial")
    if word == "when":
        return _Slot(_attached([_time_preposition(answer)], answer), "adverbial")
    time_noun = next((t.lower_ for t in wh[1:] if t.lower_ in TIME_NOUNS), None)
    if time_noun:
        return _Slot((*_attached([TIME_NOUNS[time_noun]], answer), answer), "adverbial")
    noun = " ".join(t.lower_ for t in wh[1:])
    kinds = {t.lower_ for t in wh} & KIND_WORDS
    if (
        noun
        and not kinds
        and aux.lemma_ != "be"
        and _is_adjective(answer, noun)
        and wh[-1].lower_ not in answer
    ):
        # "Which diet does Chiara follow?" + "vegetarian": "follows a vegetarian diet".
        # A word the lexicon calls a noun stays as it is: the embedded model finds "plays
        # a tennis sport" and "has a hamster pet" more fluent than "plays tennis".
        return _Slot((f"{_article(answer)} {answer} {noun}", answer), "object")
    return _Slot((answer,), "object")


# ----- statements -----------------------------------------------------------------------


@lru_cache(maxsize=1024)  # a correction asks for its subject, its sentence and its relation
def statement_candidates(question: str, answer: str) -> tuple[Statement, ...]:
    """The sentences that may state ``answer`` to ``question``, the likeliest first (at
    most :data:`MAX_CANDIDATES`); none for a question of another shape."""
    answer = one_line(answer).rstrip(".")
    text = _question_text(question)
    if not answer or not text:
        return ()
    tokens = [t for t in parse(text) if not (t.is_punct and t.i == len(t.doc) - 1)]
    if len(tokens) < 2:
        return ()
    start, fronted = 0, None
    if tokens[0].tag_ == "IN" and len(tokens) > 2 and _is_wh(tokens[1]):
        start, fronted = 1, tokens[0].lower_  # "In which year was Beatriz born?"
    if not _is_wh(tokens[start]):
        return ()
    if not text.endswith("?") and _in_subordinate_clause(tokens[start]):
        return ()
    end = _wh_phrase_end(tokens, start)
    if end >= len(tokens):
        return ()
    wh, aux = tokens[start:end], tokens[end]
    if not _is_auxiliary(aux):
        # The wh-phrase is the subject: "Which company makes my boiler?"
        body = [answer, *(t.text for t in tokens[end:])]
        about = next((c for c in aux.children if c.dep_ == "dobj"), None)
        said = _words(list(about.subtree) if about is not None else tokens[end + 1 :])
        return (Statement(_sentence(body), said, aux.text),)
    slot = _slot(wh, aux, tokens[end + 1 :], answer)
    if fronted:
        slot = _Slot((f"{fronted} {answer}",), "adverbial")
    do_tag = _DO_TAGS.get(aux.lower_)
    found: list[Statement] = []
    for subject_end in _subject_ends(tokens, end, do_tag is not None):
        subject = [_words(tokens[end + 1 : subject_end])] if subject_end > end + 1 else []
        after = tokens[subject_end:]
        if not subject or (do_tag and not after):
            continue
        if do_tag and after[0].lemma_.lower() == "do" and JOB_WORDS & {t.lower_ for t in after}:
            found += _job_statements(subject, do_tag, answer)
            continue
        verb, tail = _verb_group(aux, do_tag, after)
        if slot.role == "object":
            verb, tail = _through_governor(wh[-1], verb, tail)
        found += _arrangements(subject, verb, tail, slot, wh, aux, answer)
    return tuple(dict.fromkeys(found))[:MAX_CANDIDATES]


def _verb_group(
    aux: Token, do_tag: str | None, after: list[Token]
) -> tuple[list[str], list[Token]]:
    """The statement's verb ("lives", "is based", "has been learning", "gets up") and
    the words after it."""
    if do_tag is None:
        verb, tail = [_CONTRACTED_BE.get(aux.lower_, aux.text)], list(after)
        while (
            tail
            and tail[0].lower_ not in CLOSING_WORDS
            and (
                tail[0].tag_ in {"VBN", "VBG", "VB", "VBD", "JJ"}
                or _could_be_participle(tail[0].text)
                or (tail[0].tag_ == "RB" and len(tail) > 1)
            )
        ):
            verb.append(tail[0].text)
            tail = tail[1:]
    else:
        first = after[0]
        lemma = first.lemma_.lower() if first.pos_ in {"VERB", "AUX"} else first.lower_
        verb, tail = [first.lower_ if do_tag == "VB" else _inflect(lemma, do_tag)], after[1:]
        while len(tail) > 1 and tail[0].tag_ == "TO" and tail[1].tag_ == "VB":
            verb += [tail[0].text, tail[1].text]  # "likes to eat"
            tail = tail[2:]
    while tail and _is_particle(tail[0]):  # "gets up"
        verb.append(tail[0].text)
        tail = tail[1:]
    return verb, tail


def _is_particle(token: Token) -> bool:
    """ "up" of "gets up"; not "on" of "on Thursdays", which has an object (the
    tagger's particle before a noun is read as a preposition)."""
    if token.tag_ != "RP" or any(c.dep_ == "pobj" for c in token.children):
        return False
    after = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return after is None or after.pos_ not in {"NOUN", "PROPN", "DET", "NUM", "PRON"}


def _through_governor(
    head: Token, verb: list[str], tail: list[Token]
) -> tuple[list[str], list[Token]]:
    """An object answer follows the verb that governs it: "told me to do | wall squats"."""
    if head.dep_ not in {"dobj", "attr", "oprd"}:
        return verb, tail
    at = next((j for j, t in enumerate(tail) if t.i == head.head.i), None)
    if at is None:
        return verb, tail
    at += 1
    while at < len(tail) and _is_particle(tail[at]):
        at += 1
    return [*verb, *(t.text for t in tail[:at])], tail[at:]


def _arrangements(
    subject: list[str],
    verb: list[str],
    tail: list[Token],
    slot: _Slot,
    wh: list[Token],
    aux: Token,
    answer: str,
) -> list[Statement]:
    words = [t.text for t in tail]
    closing: list[str] = []
    while words and words[-1].lower() in CLOSING_WORDS:
        closing.insert(0, words.pop())
    stranded = bool(words) and tail[len(words) - 1].tag_ in {"IN", "TO"}
    # A preposition left without its object before other words ("report to | at
    # work", "look after | on Fridays", "tuned by | last spring"): the answer is its
    # object, wherever it stands.
    gap = next(
        (
            j + 1
            for j, t in enumerate(tail[: len(words) - 1])
            if (t.tag_ in {"IN", "TO", "RP"} or t.dep_ in {"prep", "agent"})
            # Its object, if the parser found one, is the wh-word before it ("Who ... to"),
            # or a time it took for one ("by | last spring").
            and not any(
                c.dep_ == "pobj" and c.i > t.i and not _is_time_phrase(c) for c in t.children
            )
            # What follows starts another phrase ("at work", "on Fridays", "last spring"),
            # not the preposition's own object the parser hung elsewhere ("in | my coffee").
            and _starts_another_phrase(tail[j + 1])
        ),
        None,
    )
    said = " ".join(subject)
    predicate = " ".join([*verb, *words])
    out = []
    for lead in slot.leads:
        bodies = []
        if stranded:
            bodies.append([*subject, *verb, *words, answer, *closing])
        elif gap is not None and slot.role in {"object", "complement"}:
            bodies.append([*subject, *verb, *words[:gap], answer, *words[gap:], *closing])
        elif slot.role in {"object", "complement"}:
            # An object stays next to its verb: "likes to eat radishes most".
            bodies.append([*subject, *verb, lead, *words, *closing])
        else:
            bodies.append([*subject, *verb, *words, lead, *closing])
            if words and tail[0].tag_ == "IN":
                # Two places or times in either order: "at 9 am on Sundays".
                bodies.append([*subject, *verb, lead, *words, *closing])
        noun = " ".join(t.lower_ for t in wh[1:]) if wh[0].lower_ != "how" else ""
        if aux.lemma_ == "be" and noun and slot.role == "object" and not words and len(verb) == 1:
            # "What colour is my bike?" -> "My bike's colour is green." (and "My bike is
            # green.", where the answer can stand after "is" alone: no "is beagle").
            owner = f"{said}'" if said.endswith("s") else f"{said}'s"
            bodies.insert(0, [owner, noun, *verb, lead, *closing])
            if not _stands_after_is(answer):
                bodies.pop()
        out += [Statement(_sentence(body), said, predicate) for body in bodies]
    return out


def _starts_another_phrase(token: Token) -> bool:
    return (
        token.tag_ in {"IN", "TO", "RB"} or _is_time_phrase(token.head) or (_is_time_phrase(token))
    )


def _is_time_phrase(token: Token) -> bool:
    """ "last spring", "next week", "this month": a time, not a preposition's object."""
    said = {t.lower_ for t in token.subtree}
    return bool(said & {"last", "next", "this", "every"}) and (
        token.lower_ in TIME_NOUNS or token.lower_ in IN_TIME_WORDS or token.lower_ == "week"
    )


def _stands_after_is(answer: str) -> bool:
    """A name, a phrase with its article, or a describing word: "is Bosch", "is a
    beagle", "is green"; a bare common noun is not ("is beagle")."""
    first = answer.split()[0]
    return (
        first[:1].isupper()
        or first.lower() in {"a", "an", "the"}
        or (len(answer.split()) == 1 and "ADJ" in _lemmas(first) and "NOUN" not in _lemmas(first))
    )


def _job_statements(subject: list[str], do_tag: str, answer: str) -> list[Statement]:
    """ "What does Hamid do for a living?" + "plumber": "Hamid works as a plumber."."""
    said = " ".join(subject)
    works = "work" if do_tag == "VB" else _inflect("work", do_tag)
    be = {"VBZ": "is", "VBD": "was", "VB": "are"}[do_tag]
    bare = answer.split()[0].lower() in {"a", "an", "the"} or answer[:1].isupper()
    lead = answer if bare else f"{_article(answer)} {answer}"
    return [
        Statement(_sentence([*subject, works, "as", lead]), said, f"{works} as"),
        Statement(_sentence([*subject, be, lead]), said, be),
    ]


def statement_of(question: str, answer: str) -> Statement | None:
    """The sentence stating ``answer`` to ``question`` (the likeliest reading), or None
    for a question of another shape."""
    found = statement_candidates(question, answer)
    return found[0] if found else None


def best_statement(question: str, answer: str, model: LanguageModel) -> Statement | None:
    """The candidate the model reads most fluently: the highest mean log-probability
    per token after :data:`FLUENCY_CONTEXT`."""
    from ..llm import ScoreRequest

    found = statement_candidates(question, answer)
    if len(found) < 2:
        return found[0] if found else None
    scores = model.score([ScoreRequest(FLUENCY_CONTEXT, f" {s.text}") for s in found])
    best = max(range(len(found)), key=lambda i: scores[i].mean_logprob)
    return found[best]


# ----- what a question asks for -------------------------------------------------------

#: Verbs that say nothing about which attribute a question asks for.
_LIGHT_VERBS = frozenset("be do have get use go".split())


@dataclass(frozen=True)
class Attribute:
    """What a question asks about its subject: the wh-phrase's noun ("watch" of "Which
    watch do I wear now?") and the main verbs' lemmas ("wear")."""

    nouns: frozenset[str]
    verbs: frozenset[str]
    #: The prepositions the question leaves at its end ("live with", "live in").
    preps: frozenset[str] = frozenset()

    def same_as(self, other: Attribute) -> bool:
        """Two questions ask for the same attribute: the same kind of thing asked for
        ("Which watch do I wear now?", "What watch do I have?"), unless both name
        different actions ("Which city was Anna born in?", "Which city does Anna live
        in?"); with no noun, the same action ("Where does Anselm live?")."""
        if self.nouns and other.nouns:
            if not self.nouns & other.nouns:
                return False
            return not (self.verbs and other.verbs and not self.verbs & other.verbs)
        return bool(self.verbs & other.verbs)

    def companion_differs(self, other: Attribute) -> bool:
        """One question asks for a companion, the other for a place or an employer
        ("live with", "live in"; "work for" and "work at" are both an employer)."""
        return bool(self.preps and other.preps) and (
            bool(self.preps & COMPANION_PREPOSITIONS) != bool(other.preps & COMPANION_PREPOSITIONS)
        )

    def things(self) -> frozenset[str]:
        """The nouns that say what is asked for, without "kind of", "brand of" and the
        like ("What kind of dog ..." asks for a dog, "What brand is my phone?" for the
        phone)."""
        return self.nouns - KIND_WORDS - IDENTITY_WORDS - {"of"}

    def differs(self, other: Attribute) -> bool:
        """Both questions name what they ask and name different things: other nouns
        ("What make is my van?", "What colour is my van?") or other actions ("Which city
        was Anna born in?", "Which city does Anna live in?"). A question that names
        less ("What is my usual takeaway order?") differs from none."""
        nouns_differ = bool(self.nouns and other.nouns and not self.nouns & other.nouns)
        verbs_differ = bool(self.verbs and other.verbs and not self.verbs & other.verbs)
        return nouns_differ or verbs_differ or self.companion_differs(other)


def attribute_of(question: str) -> Attribute:
    tokens = [t for t in parse(_question_text(question)) if not t.is_punct]
    start = 1 if tokens and tokens[0].tag_ == "IN" else 0
    if len(tokens) <= start or not _is_wh(tokens[start]):
        return Attribute(frozenset(), frozenset())
    end = _wh_phrase_end(tokens, start)
    nouns = frozenset(
        t.lower_ for t in tokens[start + 1 : end] if tokens[start].lower_ != "how"
    ) - {"time"}
    verbs = {_verb_lemma(t) for t in tokens[end:] if _verb_lemma(t)}
    last = tokens[-1] if len(tokens) > end else None
    stranded = {last.lower_} if last is not None and last.tag_ in {"IN", "RP"} else set()
    return Attribute(nouns, frozenset(verbs - _LIGHT_VERBS), frozenset(stranded))


def _verb_lemma(token: Token) -> str | None:
    """A main verb's lemma ("born" -> "bear"): the tagger's verbs, and a participle or
    bare verb it took for another word class after the subject."""
    if token.pos_ == "VERB":
        return token.lemma_.lower()
    if token.tag_ in {"NN", "JJ", "RB"} and not token.is_title and token.i > 0:
        forms = _lemmas(token.text).get("VERB", ())
        if forms and token.doc[token.i - 1].tag_ not in _NOMINAL_BEFORE:
            return forms[0]
    return None


def forget_remembered_text() -> None:
    """Drop the memos of the questions, answers and words seen so far: they may quote
    a fact or a message the user just deleted."""
    statement_candidates.cache_clear()
    _lemmas.cache_clear()
    forget_parses()
