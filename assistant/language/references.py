"""The words a question points at one particular thing with: "the ice rink", "my pup".

A question that names nothing the graph knows may still mean something it knows, by
other words than its name or aliases: "How late is the ice rink open on a
Saturday?" means "my skating club". What it points with is a definite noun phrase,
"the X" or "my X" ("our X"), in plain lower-case words. A question about the world
at large points otherwise, and none of these is taken: at kinds ("Which horse breed is
the strongest?", "What do wombats eat?"), by a superlative ("the heaviest bird in
the world"), at a part of something else ("the capital of Portugal", "the boiling point
of water": the phrase before "of"), or by a name or a number ("the Corvette car", "the
747 jumbo jet": a named thing the graph does not know is not the user's).
"My X" is the user's by its grammar, whatever the rest of the question asks, unless a
name follows it ("my brother Ambrose": a name no name or alias found is someone new).
"""

from __future__ import annotations

from dataclasses import dataclass

from .question_statement import (
    DO_FORMS,
    is_base_verb,
    is_participle_or_adjective,
    is_superlative,
)

DETERMINERS = frozenset({"the", "my", "our"})
#: A reference is short: "the bouldering gym", "my little boy".
MAX_WORDS = 3
_MODALS = frozenset("can could will would should must may might shall".split())
_ENDS = frozenset(
    """a an the my our your his her their its this that these those is are was were am
    be been do does did has have had will would can could should must may might and or
    but to at in on for from of with by about as into over under near after before
    during than who which what when where why how whose whom i me we us you he him she
    it they them there here not""".split()
)
_PUNCTUATION = ',.;:!?"()“”'


@dataclass(frozen=True)
class Reference:
    words: str  # without the determiner: "ice rink"
    mine: bool  # "my X" / "our X": the user's, whatever it is


def referring_phrases(question: str) -> list[Reference]:
    """The phrases that ``question`` points at particular things with, in order:
    "How late is the ice rink open on a Saturday?" -> "ice rink open";
    "What does my little boy read?" -> "little boy", mine."""
    tokens = question.replace("’", "'").split()
    found = []
    for i, token in enumerate(tokens):
        if token.strip(_PUNCTUATION).lower() not in DETERMINERS:
            continue
        after_auxiliary = i > 0 and tokens[i - 1].lower() in DO_FORMS.keys() | _MODALS
        mine = token.strip(_PUNCTUATION).lower() != "the"
        words, end = _phrase(tokens[i + 1 :], after_auxiliary, mine)
        if words and not _defined_elsewhere(tokens[i + 1 + end :]):
            found.append(Reference(" ".join(words), mine))
    return list(dict.fromkeys(found))


def _phrase(tokens: list[str], is_subject: bool, mine: bool) -> tuple[list[str], int]:
    """The reference's words and how many tokens they took. "the" with a name, a
    number or a superlative is no particular thing of the user's (no words); "my"
    always is ("my best mate"), unless a name follows: "my daughter Rosalind" names her,
    and a name that no name or alias found is someone the graph does not know yet, not
    whoever else is close to "daughter" ("my son Teddy")."""
    words: list[str] = []
    for taken, token in enumerate(tokens[:MAX_WORDS], start=1):
        bare = token.strip(_PUNCTUATION)
        possessive = bare.lower().endswith("'s")
        bare = bare[:-2] if possessive else bare
        lower = bare.lower()
        if not bare or lower in _ENDS:
            return words, taken - 1
        if _is_name(bare):
            return [], taken
        if not bare.replace("-", "").isalpha():
            return (words, taken - 1) if mine else ([], taken)
        if is_superlative(bare) and not mine:
            return [], taken
        # "When does the gym close?": the subject of "does" ends at its verb (not at
        # "coach" of "does the hockey coach play": a verb follows); "What film is my
        # daughter watching?": a phrase ends at a participle or adjective after its first word.
        verb = is_subject and is_base_verb(bare) and not _verb_follows(tokens, taken)
        if words and (is_participle_or_adjective(bare) or verb):
            return words, taken - 1
        words.append(bare if bare.isupper() else lower)
        if possessive or bare != token:  # "the hamster's name", "my car,"
            return words, taken
    return words, min(len(tokens), MAX_WORDS)


def _verb_follows(tokens: list[str], taken: int) -> bool:
    following = tokens[taken].strip(_PUNCTUATION) if taken < len(tokens) else ""
    return bool(following) and is_base_verb(following)


def _is_name(word: str) -> bool:
    """A capitalised word that names something ("Corvette"), not an acronym ("GP")."""
    return word[:1].isupper() and not word.isupper()


def _defined_elsewhere(rest: list[str]) -> bool:
    """ "the capital of Portugal": the phrase is a part of what follows "of"."""
    return bool(rest) and rest[0].lower() == "of"
