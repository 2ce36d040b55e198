"""Who someone is to the user: a relative, a role in their life, a pet.

People and animals the user describes instead of naming ("my brother", "my GP", "my
cat") are matched by what they are, never by closeness of meaning: in any embedding
"brother" sits next to "sister", "aunt" next to "uncle" and "dog" next to "cat",
precisely because they are different members of one family of words. So the word is
read against this closed vocabulary: words for one kind of person or animal are folded
together ("mum", "mom" and "mother"; "GP" and "doctor"; "pup" and "dog"), a word for a
group covers its members ("my kid" may be a son or a daughter, "my pet" any animal),
and two different kinds are two different people. Things and places ("my skating
club", "the ice rink") are not in it: they are still found by meaning.
"""

from __future__ import annotations

import re

#: Each kind of person or animal, by its own word, with the words that mean the same.
_KINDS: dict[str, str] = {
    # family
    "mother": "mum mom mam mummy mommy ma mama mother",
    "father": "dad daddy papa pa father",
    "sister": "sis sister",
    "brother": "bro brother",
    "son": "son boy lad",
    "daughter": "daughter girl",
    "grandmother": "gran granny grandma grandmother nan nana nanna",
    "grandfather": "grandad granddad grandpa gramps granda grandfather",
    "grandson": "grandson",
    "granddaughter": "granddaughter",
    "aunt": "aunt auntie aunty",
    "uncle": "uncle",
    "niece": "niece",
    "nephew": "nephew",
    "cousin": "cousin",
    "husband": "husband hubby",
    "wife": "wife missus",
    "boyfriend": "boyfriend bf",
    "girlfriend": "girlfriend gf",
    "fiance": "fiance fiancé",
    "fiancee": "fiancee fiancée",
    "mother-in-law": "mother-in-law",
    "father-in-law": "father-in-law",
    "sister-in-law": "sister-in-law",
    "brother-in-law": "brother-in-law",
    "son-in-law": "son-in-law",
    "daughter-in-law": "daughter-in-law",
    "stepmother": "stepmother stepmum stepmom step-mother step-mum",
    "stepfather": "stepfather stepdad step-father step-dad",
    "stepson": "stepson step-son",
    "stepdaughter": "stepdaughter step-daughter",
    "stepbrother": "stepbrother step-brother",
    "stepsister": "stepsister step-sister",
    "godmother": "godmother",
    "godfather": "godfather",
    "godson": "godson",
    "goddaughter": "goddaughter",
    # people in the user's life
    "friend": "friend mate pal buddy",
    "neighbour": "neighbour neighbor",
    "colleague": "colleague coworker co-worker workmate",
    "manager": "manager boss supervisor",
    "flatmate": "flatmate roommate housemate",
    "landlord": "landlord landlady",
    "doctor": "doctor gp physician doc",
    "dentist": "dentist",
    "hygienist": "hygienist",
    "vet": "vet veterinarian",
    "hairdresser": "hairdresser barber hairstylist stylist",
    "teacher": "teacher tutor instructor",
    "coach": "coach",
    "trainer": "trainer",
    "therapist": "therapist counsellor counselor",
    "physio": "physio physiotherapist",
    "nurse": "nurse",
    "midwife": "midwife",
    "lawyer": "lawyer solicitor attorney",
    "accountant": "accountant",
    "mechanic": "mechanic",
    "plumber": "plumber",
    "electrician": "electrician",
    "cleaner": "cleaner",
    "babysitter": "babysitter nanny childminder",
    "optician": "optician optometrist",
    "pharmacist": "pharmacist chemist",
    # animals
    "dog": "dog doggy doggie pup puppy pooch hound",
    "cat": "cat kitty kitten",
    "rabbit": "rabbit bunny",
    "hamster": "hamster",
    "guinea-pig": "guinea-pig",
    "gerbil": "gerbil",
    "mouse": "mouse",
    "rat": "rat",
    "ferret": "ferret",
    "tortoise": "tortoise turtle terrapin",
    "parrot": "parrot",
    "budgie": "budgie budgerigar parakeet",
    "canary": "canary",
    "goldfish": "goldfish",
    "snake": "snake",
    "lizard": "lizard gecko",
    "horse": "horse pony",
    "chicken": "chicken hen",
}
#: Words for a group, and the kinds they cover ("my kid" is a son or a daughter).
_GROUPS: dict[str, str] = {
    "parent": "mother father stepmother stepfather",
    "sibling": "sister brother stepbrother stepsister",
    "child": "son daughter stepson stepdaughter",
    "kid": "son daughter stepson stepdaughter",
    "grandparent": "grandmother grandfather",
    "grandchild": "grandson granddaughter",
    "godparent": "godmother godfather",
    "godchild": "godson goddaughter",
    "partner": "husband wife boyfriend girlfriend fiance fiancee",
    "spouse": "husband wife",
    "in-law": "mother-in-law father-in-law sister-in-law brother-in-law son-in-law daughter-in-law",
    "pet": "dog cat rabbit hamster guinea-pig gerbil mouse rat ferret tortoise parrot budgie "
    "canary goldfish snake lizard horse chicken",
    "bird": "parrot budgie canary chicken",
    "fish": "goldfish",
}

_KIND_OF: dict[str, frozenset[str]] = {
    **{word: frozenset({kind}) for kind, synonyms in _KINDS.items() for word in synonyms.split()},
    **{group: frozenset(kinds.split()) for group, kinds in _GROUPS.items()},
}
_PLURAL = {"children": "child", "kids": "kid", "parents": "parent", "grandparents": "grandparent"}
_WORD = re.compile(r"[\w'’é-]+")


def kinds_of_word(word: str) -> frozenset[str]:
    """The kinds of person or animal one word can mean: one for "mum", several for
    "kid"; none for any other word."""
    w = word.lower().replace("’", "'").removesuffix("'s").removesuffix("'")
    w = _PLURAL.get(w, w)
    if w not in _KIND_OF and w.endswith("s") and w[:-1] in _KIND_OF:
        w = w[:-1]  # "sisters", "cats"
    return _KIND_OF.get(w, frozenset())


def head_kinds(phrase: str) -> frozenset[str]:
    """What the phrase's last word says someone is: "my little boy" is a son, "my
    family doctor" a doctor; none for "my skating club" or "my dog walker" (a walker,
    whatever the dog is)."""
    found = _WORD.findall(phrase.lower().replace("guinea pig", "guinea-pig"))
    return kinds_of_word(found[-1]) if found else frozenset()


def word_kinds(phrase: str) -> frozenset[str]:
    """Every kind any word of the phrase says: "my GP surgery" is a doctor's."""
    found = _WORD.findall(phrase.lower().replace("guinea pig", "guinea-pig"))
    return frozenset().union(*(kinds_of_word(w) for w in found))


def same_someone(asked: frozenset[str], known: frozenset[str]) -> bool:
    """Whether someone asked about as ``asked`` can be someone known as ``known``."""
    return bool(asked & known)
