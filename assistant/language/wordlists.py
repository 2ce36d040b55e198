"""The English word lists the parse readers use, in one place.

The grammar (which words are a question's subject, its verb, its wh-phrase; which are
a statement's subject and value) comes from the parse (:mod:`.parse`). What a parse
cannot say is which preposition a place or a time takes, which verbs leave a value
behind, and the like: those are these lists, each tested with sentences written
from it.
"""

from __future__ import annotations

import re

#: Question words, by their text (the tagger's WDT / WP / WP$ / WRB say the same).
WH_WORDS = frozenset({"what", "which", "who", "whom", "whose", "where", "when", "how"})
#: Nouns after "what / which" that ask for a time, with the preposition their answer
#: takes: "What time ..." -> "at 7", "Which day ..." -> "on Friday".
TIME_NOUNS = {
    "time": "at", "hour": "at", "day": "on", "date": "on", "night": "on", "weekday": "on",
    "month": "in", "year": "in", "season": "in",
}  # fmt: skip
#: Verbs done at a place rather than in it: "works at Google", "lives in Lisbon".
AT_PLACE_VERBS = frozenset(
    """work study train shop volunteer teach eat park meet swim exercise practise practice
    play perform sing dance climb bank worship""".split()
)
#: A place ending in one of these takes "on": "on Mercer Street".
STREET_WORDS = frozenset("road street avenue lane drive way boulevard rd st ave".split())
#: A clock time takes "at"; a month, season or year "in"; another time (a day) "on".
CLOCK_TIME = re.compile(r"^\d{1,2}([:.]\d{2})?\s*([ap]\.?m\.?)?$|^(noon|midnight)$", re.I)
IN_TIME_WORDS = frozenset(
    """january february march april may june july august september october november
    december spring summer autumn fall winter""".split()
)
#: Words that close a sentence after its place or time: "lives in Lisbon now".
CLOSING_WORDS = frozenset("now nowadays currently today tonight lately".split())
#: An answer that starts with one of these already says how it attaches ("by bus",
#: "every Sunday"): no preposition is added.
ATTACHED_ANSWER_WORDS = frozenset(
    "in on at by for since from to with every once twice until till near".split()
)
#: "What does X do for work / for a living?" asks for a job.
JOB_WORDS = frozenset({"work", "living", "job"})
#: "What kind of music ..." asks for a kind: "reggae" is the answer as it stands
#: (not "a reggae kind of music", as "Which diet ..." + "vegetarian" reads "a
#: vegetarian diet").
KIND_WORDS = frozenset({"kind", "sort", "type", "style", "genre"})
#: "How far / much / fast ..." asks for a measure, which follows the verb ("I run 18 km
#: on Sundays"); "how often / long" ask when, which closes the sentence.
HOW_MEASURES = frozenset({"far", "much", "fast", "high", "heavy", "tall", "big"})

# -- statements (:mod:`.told`) ---------------------------------------------------------

#: A message opening with one of these is small talk, not a fact ("Thanks, that's great").
SMALL_TALK_WORDS = frozenset(
    "hi hello hey thanks thank ok okay cool great nice lol sure yes no bye please".split()
)
#: Verbs that change one thing for another: the thing changed to is their value ("I
#: switched my phone plan to Lumen Mobile", "Keiko changed her surname to Tanaka").
CHANGE_VERBS = frozenset("switch change move swap replace upgrade transfer trade convert".split())
#: Verbs (with their particle, or None for any) whose object is what no longer holds:
#: "has gone off salmon", "gave up Hungarian", "quit smoking".
LEAVING_VERBS = frozenset(
    {("go", "off"), ("give", "up"), ("quit", None), ("stop", None), ("leave", None),
     ("retire", None), ("drop", None), ("move", "out"), ("sell", None),
     ("finish", None), ("complete", None), ("lose", None)}
)  # fmt: skip
#: Words that only say a description is the current one: "my new landlord" is "my
#: landlord".
CURRENT_WORDS = frozenset({"new", "current", "latest"})
#: A change and the states it may lead to, in the words a question about that state
#: uses: whoever "moved to" a town now "lives in" it; a player who "signed for" a club
#: now "plays for" it.
STATE_AFTER_CHANGE = {
    ("move", "to"): ("live in",), ("move", "into"): ("live in",),
    ("relocate", "to"): ("live in",), ("emigrate", "to"): ("live in",),
    ("sign", "for"): ("play for",), ("sign", "with"): ("play for",),
    # Whoever "started at" or "transferred to" a place now works, studies or plays
    # there: each is compared, the old fact's own words decide which.
    ("start", "at"): ("work at", "go to", "study at"),
    ("transfer", "to"): ("go to", "study at", "work at", "play for"),
}  # fmt: skip
#: Words that say a statement tells of a change ("is a paramedic now", "no longer",
#: "instead of", "has left", "joined", "upped"): only such a statement replaces a fact
#: it reads only loosely like; one that says no change adds beside the others unless it
#: reads much like one of them (docs/METHOD.md §5).
CHANGE_ADVERBS = frozenset("now nowadays anymore instead longer since".split())
CHANGE_MARKING_VERBS = frozenset(
    """move relocate emigrate switch change swap replace upgrade downgrade transfer trade
    convert sign join start begin leave quit retire retrain become up increase raise
    reduce cut drop stop give go""".split()
)
#: A question ending in one of these asks for a companion, not a place: "Who does Anselm
#: live with?" is another attribute than "Which city does he live in?".
COMPANION_PREPOSITIONS = frozenset({"with", "alongside"})
#: Phrases that date a value as well as single adverbs do ("My karaoke song these days
#: is Valerie.").
CHANGE_PHRASES = ("these days", "from now on", "any more", "from next", "as of")
#: Nouns that ask which one a thing is, as "kind" does: "What brand is my phone?" asks
#: for the phone, the thing "Which phone do I use?" asks for too.
IDENTITY_WORDS = frozenset({"brand", "make", "model", "name"})
