"""The user and the things they describe instead of naming: "I", "my father", "my gym".

Most of what a person teches is about themself or about someone or something they
describe ("my dentist", "my skating club"). The user is one entity (:data:`USER`,
shown as "You"); a description is an entity named by its words until a name joins it
("my father Jorge": the description becomes an alias of Jorge). Descriptions are
compared by a key that folds common variants together ("my mum", "my mom" and "my
mother" are one person), see :func:`description_key`.
"""

from __future__ import annotations

import re

#: The entity every "I / me / my" fact is about. Its key can never be typed as a
#: name, so "Can you help?" never finds it by the word "you".
USER = "You"
USER_KEY = "@user"

#: Variants of one relationship word, folded to one form for keys.
_VARIANTS = {
    "mum": "mother", "mom": "mother", "mummy": "mother", "mommy": "mother",
    "mam": "mother", "ma": "mother",
    "dad": "father", "daddy": "father", "papa": "father", "pa": "father",
    "grandad": "grandfather", "granddad": "grandfather", "grandpa": "grandfather",
    "gramps": "grandfather", "granda": "grandfather",
    "gran": "grandmother", "granny": "grandmother", "grandma": "grandmother",
    "nan": "grandmother", "nana": "grandmother", "nanna": "grandmother",
    "boss": "manager", "hubby": "husband", "missus": "wife",
    "bro": "brother", "sis": "sister", "doc": "doctor", "mate": "friend",
    "pup": "dog", "puppy": "dog", "doggy": "dog", "kitty": "cat", "kitten": "cat",
    "bf": "boyfriend", "gf": "girlfriend",
}  # fmt: skip
#: Words that name a relative on their own ("What year was grandad born?").
KIN_WORDS = frozenset(
    """mother father grandfather grandmother husband wife son daughter brother sister
    uncle aunt nephew niece cousin partner boyfriend girlfriend""".split()
)
_FIRST_PERSON = re.compile(
    r"\b(i|me|my|mine|myself|i'm|i've|i'd|i'll|we|us|our|ours)\b", re.IGNORECASE
)
_POSSESSED = re.compile(
    r"\b(?:my|our)\s+((?:[\w-]+\s+){0,2}?[\w-]+?)(?:['’]s\b|\s*$|(?=[\s,.?!;:]))",
    re.IGNORECASE,
)


_DESCRIPTION_STOP = frozenset(
    """is are was were am be do does did has have had will would can could should
    and or but to at in on for from of with by that who which when where what before
    after""".split()
)


def description_in(text: str, max_words: int = 3) -> str | None:
    """The first "my X" description in ``text`` ("my skating club", "my GP practice",
    "my mum" of "my mum's favourite poem"), up to a name, a possessive, a verb or
    function word, or ``max_words`` words; None when there is none."""
    tokens = text.replace("’", "'").split()
    for i, token in enumerate(tokens):
        if token.lower().strip(',.;:!?"') not in {"my", "our"}:
            continue
        kept = []
        for word in tokens[i + 1 : i + 1 + max_words]:
            bare = word.strip(',.;:!?"')
            possessive = bare.lower().endswith("'s")
            bare = bare[:-2] if possessive else bare
            if not bare or bare.lower() in _DESCRIPTION_STOP or is_name_word(bare):
                break
            kept.append(bare)
            if possessive or bare != word.strip("'"):
                break  # "my mum's ...", "my car," end the description
        if kept:
            return " ".join(["my", *(w if w.isupper() else w.lower() for w in kept)])
    return None


def is_users_own(entity: str) -> bool:
    """The user, or something they describe as theirs ("my dentist"): what an "I / my"
    question's own search covers (:meth:`GraphStore.user_world_facts`)."""
    return entity == USER or entity.lower().startswith("my ")


def is_name_word(word: str) -> bool:
    """A capitalised word that names someone ("Anna"), not an acronym ("GP", "TV")."""
    return word[:1].isupper() and not word.isupper()


def described_as_mine(grams: list[str]) -> list[str]:
    """The user's descriptions that lookups of a message's word n-grams should also
    try: "the choir" and "our choir" may be "my choir", "grandad" alone "my grandad"."""
    extra = []
    for gram in grams:
        first, _, rest = gram.partition(" ")
        if first in {"the", "our"} and rest:
            extra.append(f"my {rest}")
        elif first in KIN_WORDS and not rest:
            extra.append(f"my {gram}")
    return extra


def fold_variants(words: list[str]) -> list[str]:
    return [_VARIANTS.get(w, w) for w in words]


def mentions_user(message: str) -> bool:
    """The message speaks of the user: "I", "me", "my", "mine"."""
    return bool(_FIRST_PERSON.search(message.replace("’", "'")))


def description_key(words: list[str]) -> list[str]:
    """A description's key words, variants folded: "my mum" -> ["my", "mother"]."""
    return fold_variants([w.lower() for w in words])


def first_person_to_second(text: str) -> str:
    """A fact in the user's voice, said back to them: "I drink chamomile" -> "You drink
    chamomile", "my car" -> "your car", "I am" -> "you are"."""
    swaps = {"i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself",
             "am": "are", "i'm": "you're", "i've": "you've", "i'd": "you'd",
             "i'll": "you'll"}  # fmt: skip

    def swap(match: re.Match) -> str:
        word = match.group(0)
        lower = word.lower().replace("’", "'")
        if lower == "am" and not _after_i(text, match.start()):
            return word
        if lower == "was" and _after_i(text, match.start()):
            return "were"
        new = swaps.get(lower, word)
        at_start = not text[: match.start()].strip() or text[: match.start()].rstrip()[-1] in ".!?"
        return new.capitalize() if word[:1].isupper() and at_start else new

    return re.sub(r"\b[\w'’]+\b", swap, text)


def _after_i(text: str, index: int) -> bool:
    before = text[:index].rstrip().split()
    return bool(before) and before[-1].lower() in {"i", "you"}
