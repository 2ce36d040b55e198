"""A question and its answer, turned into the sentence a person would write.

"Which city does my sister Anna live in?" + "Lisbon" -> "My sister Anna lives in
Lisbon." This is how a learned fact reads in the notice, the knowledge panel and
the answer prompt: one readable sentence instead of KGT's relation phrasings.

English questions put the asked-for part first (the wh-phrase) and, with "do",
leave the verb bare; the statement moves the answer back where it belongs and puts
the verb's ending back. Only the common shapes are handled, each with a rule:
- "WH [N] do/does/did SUBJ VERB [REST]": "Walter drinks Talisker at Christmas";
- "WH [N] be SUBJ [PARTICIPLE/PREP]": "My manager is based in Rotterdam",
  "My car's colour is burgundy", "Freya's teacher this year is Mrs. Whitlock";
- "WH VERB [REST]" (the wh-word is the subject): "Dunmore Motors services my car".
Anything else returns None, and the caller writes the fact plainly. Word classes
come from lemminflect's lexicon (a verb's base form, its -s form), which ships its
data inside the package: nothing is downloaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .text import one_line

WH_WORDS = {"what", "which", "who", "whom", "whose", "where", "when", "how"}
DO_FORMS = {"do": "present", "does": "present", "did": "past"}
BE_FORMS = {"is", "are", "was", "were", "am"}
HAVE_FORMS = {"has", "have", "had"}
PRONOUNS = {"i", "you", "we", "they", "he", "she", "it"}
DETERMINERS = {"my", "our", "your", "his", "her", "their", "the", "a", "an", "this", "that"}
PREPOSITIONS = {
    "in", "on", "at", "to", "from", "for", "with", "by", "of", "into", "about", "near",
    "after", "before", "during", "under", "over", "through", "like",
}  # fmt: skip
#: How far / how old ...: the answer stands alone after the verb ("Gus is 52").
HOW_WORDS = {"far", "old", "much", "many", "long", "often", "tall", "big", "late", "early"}
#: Wh-words that ask for a time or place: the answer takes a preposition when the
#: question has none ("Where was Walter born?" -> "born in Aberdeen").
ADVERBIAL_PREPOSITION = {"where": "in", "when": "on", "time": "at"}
#: Actions done *at* a place, not in it: "Anna works at Google", "Jonah plays at the
#: Crown" (but "Anna lives in Lisbon").
AT_PLACE_VERBS = frozenset(
    """work study train shop volunteer teach eat park meet swim exercise practise practice
    play perform sing dance climb bank worship""".split()
)
#: A clock time takes "at" ("at 8 pm"), a month, season or year "in"; other times (a
#: day, a date) keep "on".
_CLOCK_TIME = re.compile(r"^\d{1,2}([:.]\d{2})?\s*([ap]\.?m\.?)?$|^(noon|midnight)$", re.I)
_IN_TIMES = frozenset(
    """january february march april may june july august september october november
    december spring summer autumn fall winter""".split()
)
_STREETS = frozenset("road street avenue lane drive way boulevard rd st ave".split())
#: Words that say when, which close a sentence after its place or time: "Anna lives in
#: Lisbon now", not "Anna lives now in Lisbon".
TRAILING_TIME_WORDS = frozenset(
    "now nowadays currently today tonight tomorrow yesterday lately these days".split()
)
CONTRACTIONS = {"what's": "what is", "who's": "who is", "where's": "where is",
                "when's": "when is", "how's": "how is", "which's": "which is"}  # fmt: skip

_WORD = re.compile(r"[^\s]+")
_EDGE_PUNCTUATION = re.compile(r"^[\"“(]+|[\"”),;:!?]+$|(?<=\w{4})\.$")


@dataclass(frozen=True)
class Statement:
    """A question rewritten as a sentence that states its answer."""

    text: str  # "My sister Anna lives in Lisbon."
    subject: str  # "my sister Anna": the words that name what the fact is about
    predicate: str  # "lives in": the sentence without its subject and the answer


@lru_cache(maxsize=4096)
def _lemmas(word: str) -> dict:
    from lemminflect import getAllLemmas

    return getAllLemmas(word.lower())


def word_classes(word: str) -> dict[str, tuple[str, ...]]:
    """The word's lemmas by word class: "diet" -> {"NOUN": ("diet",), "VERB": ("diet",)}."""
    return _lemmas(word)


def is_base_verb(word: str) -> bool:
    """A verb in its bare form ("live", "play"), as "do" leaves it."""
    forms = _lemmas(word).get("VERB", ())
    return word.lower() in forms


def is_superlative(word: str) -> bool:
    """ "largest", "best", "most": an adjective's superlative (lemminflect gives its
    base, "large"), not a word that only ends so ("west", "honest", "forest")."""
    lower = word.lower()
    return lower.endswith("st") and any(base != lower for base in _lemmas(lower).get("ADJ", ()))


def is_participle_or_adjective(word: str) -> bool:
    """Words that follow "is" in a statement: "based", "born", "called", "singing",
    "allergic" (not "is" + noun, which stays inside the subject)."""
    lower = word.lower()
    lemmas = _lemmas(lower)
    verb_forms = lemmas.get("VERB", ())
    if verb_forms and lower not in verb_forms and not lower.endswith("s"):
        return True  # a participle: "based", "born", "singing"
    return "ADJ" in lemmas and "NOUN" not in lemmas and "VERB" not in lemmas


def third_person(verb: str) -> str:
    from lemminflect import getInflection

    forms = getInflection(verb.lower(), tag="VBZ")
    return forms[0] if forms else verb + "s"


def past_tense(verb: str) -> str:
    from lemminflect import getInflection

    forms = getInflection(verb.lower(), tag="VBD")
    return forms[0] if forms else verb + "ed"


def _words(question: str) -> list[str]:
    words = []
    for raw in _WORD.findall(question.strip()):
        word = _EDGE_PUNCTUATION.sub("", raw)
        if word:
            words.extend(CONTRACTIONS.get(word.lower(), word).split())
    return words


def _is_name(word: str) -> bool:
    return word[:1].isupper() and word.lower() not in PRONOUNS | DETERMINERS


@lru_cache(maxsize=1024)  # a correction asks for its subject, its sentence and its relation
def statement_of(question: str, answer: str) -> Statement | None:
    """The sentence stating ``answer`` to ``question``, or None for a question shape
    the rules do not cover (the caller then writes the fact plainly)."""
    words = _words(question)
    answer = one_line(answer).rstrip(".")
    if len(words) < 2 or not answer:
        return None
    fronted = None
    if words[0].lower() in PREPOSITIONS and len(words) > 2 and words[1].lower() in WH_WORDS:
        fronted, words = words[0].lower(), words[1:]  # "In which city was Walter born?"
    if words[0].lower() not in WH_WORDS:
        return None
    wh_end = _wh_phrase_end(words)
    wh, rest = words[:wh_end], words[wh_end:]
    if not rest:
        return None
    lead = _answer_with_preposition(wh, answer, fronted)
    aux = rest[0].lower()
    if aux in DO_FORMS:
        return _from_do_question(wh, rest[1:], aux, lead)
    if aux in BE_FORMS:
        return _from_be_question(wh, rest[1:], aux, lead, answer)
    if _is_finite_verb(rest[0]):
        # "Which garage services my car?": the wh-phrase is the subject.
        text = _sentence([answer, *rest])
        return Statement(text, " ".join(rest[1:]), rest[0])
    return None


def _is_finite_verb(word: str) -> bool:
    """ "services", "cuts", "opened": a verb with its ending, as after a subject."""
    forms = _lemmas(word).get("VERB", ())
    return bool(forms) and word.lower() not in forms


def _wh_phrase_end(words: list[str]) -> int:
    """Where the wh-phrase ends: "What" / "Which city" / "How far" / "What time"."""
    first = words[0].lower()
    if first == "how" and len(words) > 1 and words[1].lower() in HOW_WORDS:
        end = 2
        if words[1].lower() in {"much", "many"}:
            while end < len(words) and not _is_auxiliary(words[end]):
                end += 1
        return end
    end = 1
    if first in {"what", "which", "whose"}:
        # Up to four words: "Which city", "What kind of music" | does ...
        while end < len(words) and end < 5:
            if _is_auxiliary(words[end]) or _is_finite_verb(words[end]):
                return end  # "Which city | does", "Which garage | services"
            end += 1
        return 1  # no verb close by: the wh-word stands alone
    return end


def _is_auxiliary(word: str) -> bool:
    return word.lower() in DO_FORMS.keys() | BE_FORMS | HAVE_FORMS


def _answer_with_preposition(wh: list[str], answer: str, fronted: str | None) -> str:
    if fronted:
        return f"{fronted} {answer}"
    head = wh[-1].lower()
    preposition = ADVERBIAL_PREPOSITION.get(head)
    if head == "when":
        preposition = _time_preposition(answer)
    elif head == "where" and answer.split() and answer.split()[-1].lower() in _STREETS:
        preposition = "on"  # "on Harcourt Road"
    if head == "time" or (len(wh) == 1 and preposition):
        return f"{preposition} {answer}"
    return answer


def _time_preposition(answer: str) -> str:
    if _CLOCK_TIME.match(answer.strip()):
        return "at"
    first = answer.split()[0].lower() if answer.split() else ""
    if first in _IN_TIMES or (first.isdigit() and len(first) == 4):
        return "in"
    return "on"


def _at_a_place(wh: list[str], lead: str, verb: str) -> str:
    """ "in Google" becomes "at Google" after a verb done at a place ("Where does Anna
    work?")."""
    if [w.lower() for w in wh] != ["where"] or not lead.startswith("in "):
        return lead
    if AT_PLACE_VERBS & set(_lemmas(verb).get("VERB", ())):
        return "at " + lead[3:]
    return lead


def _split_trailing_time(after: list[str]) -> tuple[list[str], list[str]]:
    """(the words before, the time words that close the question: "now", "these days")."""
    end = len(after)
    while end > 0 and after[end - 1].lower() in TRAILING_TIME_WORDS:
        end -= 1
    return after[:end], after[end:]


def _subject_end(words: list[str]) -> int:
    """Where the subject after an auxiliary ends: a pronoun, a name, or a determiner
    and nouns (and a name: "my nephew Oskar"), up to the bare verb."""
    if not words:
        return 0
    if words[0].lower() in PRONOUNS:
        return 1
    end = 1  # the first word always belongs to the subject ("my", "Anna", "Walter's")
    if words[0].lower() in DETERMINERS and len(words) > 1:
        end = 2
    while end < len(words):
        word = words[end]
        if _is_name(word) or word.lower().endswith(("'s", "’s")):
            end += 1
            continue
        if is_base_verb(word):
            return end
        end += 1
    return end


def _from_do_question(wh: list[str], words: list[str], aux: str, lead: str) -> Statement | None:
    end = _subject_end(words)
    if end >= len(words):
        return None
    subject, verb, after = words[:end], words[end], words[end + 1 :]
    if not is_base_verb(verb):
        return None
    if verb.lower() == "do":
        return _what_someone_does(subject, after, aux, lead)
    # "do" already says the subject is plural or I / you: "The Night Owls play".
    inflected = verb.lower() if aux == "do" else _agree(verb, subject, DO_FORMS[aux])
    chain = [inflected]
    while len(after) >= 2 and after[0].lower() == "to" and is_base_verb(after[1]):
        chain += after[:2]  # "likes to eat parsnips"
        after = after[2:]
    lead = _at_a_place(wh, lead, chain[-1])
    core, when = _split_trailing_time(after)
    if lead != _bare(lead) or (core and core[-1].lower() in PREPOSITIONS):
        # A time or place ("at 7:30"), or a stranded preposition ("live in"): the
        # answer closes the sentence, before a closing "now".
        body = [*subject, *chain, *core, lead, *when]
    else:
        body = [*subject, *chain, lead, *after]
    predicate = " ".join([*chain, *after])
    return Statement(_sentence(body), " ".join(subject), predicate)


def _what_someone_does(
    subject: list[str], after: list[str], aux: str, lead: str
) -> Statement | None:
    """ "What does Ingrid do for work?" asks for a job: "Ingrid works as a pharmacist."
    Other "do" questions have no one shape: the caller writes them plainly."""
    if not {"work", "living", "job"} & {w.lower() for w in after}:
        return None
    verb = _agree("work", subject, DO_FORMS[aux])
    article = "" if _is_name(lead) else ("an" if lead[:1].lower() in "aeiou" else "a")
    body = [*subject, verb, "as", article, lead]
    return Statement(_sentence(body), " ".join(subject), f"{verb} as")


def _bare(lead: str) -> str:
    first, _, rest = lead.partition(" ")
    return rest if first in PREPOSITIONS and rest else lead


def _agree(verb: str, subject: list[str], tense: str) -> str:
    if tense == "past":
        return past_tense(verb)
    if len(subject) == 1 and subject[0].lower() in {"i", "you", "we", "they"}:
        return verb.lower()
    return third_person(verb)


def _from_be_question(
    wh: list[str], words: list[str], aux: str, lead: str, answer: str
) -> Statement | None:
    words, when = _split_trailing_time(words)  # "Where is Anna now?": "now" closes it
    if not words:
        return None
    split = _be_split(words)
    stranded = words[-1].lower() in PREPOSITIONS
    if split is None and stranded:
        split = len(words) - 1
    if split is not None:
        subject, tail = words[:split], words[split:]
        if tail[-1].lower() in PREPOSITIONS or lead != answer:
            body = [*subject, aux, *tail, lead]
        else:
            body = [*subject, aux, tail[0], lead, *tail[1:]]
        return Statement(_sentence([*body, *when]), " ".join(subject), " ".join([aux, *tail]))
    noun = " ".join(wh[1:]).lower()
    if wh[0].lower() == "how":
        body = [*words, aux, answer]
        if wh[1].lower() == "old" and answer.isdigit():
            body.append("years old")
        return Statement(_sentence([*body, *when]), " ".join(words), aux)
    if noun and noun not in {"time"}:
        # "What colour is my car?" -> "My car's colour is burgundy."
        owner = " ".join(words)
        possessive = f"{owner}'" if owner.endswith("s") else f"{owner}'s"
        body = [possessive, noun, aux, lead, *when]
        return Statement(_sentence(body), owner, f"{noun} {aux}")
    return Statement(_sentence([*words, aux, lead, *when]), " ".join(words), aux)


def _be_split(words: list[str]) -> int | None:
    """Where "is" goes back into the statement: before the first participle or
    adjective ("my manager | based in"), after a pronoun subject ("I | allergic to");
    never inside a clause of the subject ("Walter's job before he retired")."""
    if words[0].lower() in PRONOUNS and len(words) > 1:
        return 1
    for i in range(1, len(words)):
        if words[i - 1].lower() in PRONOUNS:
            return None  # "before he retired": a clause, not the statement's verb
        if _is_name(words[i]):
            continue  # part of a name: "Bean There", "Little Italy"
        if is_participle_or_adjective(words[i]):
            return i
    return None


def _sentence(words: list[str]) -> str:
    text = " ".join(w for w in words if w)
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


#: Verbs that say nothing about which attribute a question asks for.
_LIGHT_VERBS = frozenset("be do have get use go".split())


@dataclass(frozen=True)
class Attribute:
    """What a question asks about its subject: the wh-phrase's noun ("phone" of "Which
    phone do I use now?") and the main verbs' lemmas ("use")."""

    nouns: frozenset[str]
    verbs: frozenset[str]

    def same_as(self, other: Attribute) -> bool:
        """Two questions ask for the same attribute: the same kind of thing asked for
        ("Which phone do I use now?", "What phone do I have?"), unless both name
        different actions ("Which city was Anna born in?", "Which city does Anna live
        in?"); with no noun, the same action ("Where does Tobias live?")."""
        if self.nouns and other.nouns:
            if not self.nouns & other.nouns:
                return False
            return not (self.verbs and other.verbs and not self.verbs & other.verbs)
        if self.nouns or other.nouns:
            # "Where does Tobias live?" against "Which city does Tobias live in?"
            return bool(self.verbs & other.verbs)
        return bool(self.verbs & other.verbs)

    def differs(self, other: Attribute) -> bool:
        """Both questions name what they ask and name different things: other nouns
        ("What make is my car?", "What colour is my car?") or other actions ("Which city
        was Anna born in?", "Which city does Anna live in?"). A question that names
        less ("What is my usual takeaway order?") differs from none."""
        nouns_differ = bool(self.nouns and other.nouns and not self.nouns & other.nouns)
        verbs_differ = bool(self.verbs and other.verbs and not self.verbs & other.verbs)
        return nouns_differ or verbs_differ


def attribute_of(question: str) -> Attribute:
    words = _words(question)
    if words and words[0].lower() in PREPOSITIONS:
        words = words[1:]
    if not words or words[0].lower() not in WH_WORDS:
        return Attribute(frozenset(), frozenset())
    end = _wh_phrase_end(words)
    # "where" and "what time" ask for a place or time of an action: the verb says
    # which ("Where does Tobias live?" and "Which city does Tobias live in?").
    nouns = frozenset(w.lower() for w in words[1:end] if words[0].lower() != "how") - {"time"}
    statement = statement_of(question, "X")
    verbs = set()
    for word in (statement.predicate if statement else "").split():
        lemmas = _lemmas(word).get("VERB", ())
        if lemmas and not _is_auxiliary(word):
            verbs.update(lemmas)
    return Attribute(nouns, frozenset(verbs - _LIGHT_VERBS))


def forget_remembered_text() -> None:
    """Drop the memos of the questions, answers and words seen so far: they may quote
    a fact or a message the user just deleted."""
    statement_of.cache_clear()
    _lemmas.cache_clear()
