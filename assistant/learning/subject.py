"""Finding the entity a message is about.

The paper assumes the subject is labelled; a chat app must find it. In order:
1. an explicit subject (``--subject``, the correction editor's field);
2. a known entity or alias named in the message ("my dog" -> Bruno once learned),
   the longest match winning (index lookups of the message's n-grams);
3. proper-noun phrases in the message, the model choosing among several by score;
4. the model's own answer to "which entity is this about?".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

from ..language.descriptions import USER, description_in, mentions_user
from ..language.name_mentions import names_entity
from ..language.prompts import subject_prompt
from ..language.question_statement import statement_of
from ..language.text import STOPWORDS, entity_key, normalize, one_line, words
from ..llm import LanguageModel, ScoreRequest

_PROPER = re.compile(r"[A-Z0-9][\w'’.-]*|[^\W\d_][\w'’-]*", re.UNICODE)
_POSSESSIVE = re.compile(r"['’]s?$")
_CONNECTORS = {"of", "de", "van", "von", "der", "la", "le", "du", "da", "di", "and", "the"}
_ALIAS_BEFORE = re.compile(r"\bmy\s+((?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]*)\s*,?\s+$", re.IGNORECASE)
_ALIAS_AFTER = re.compile(
    r"^\s*,?\s*(?:is\s+)?my\s+([a-z][\w-]*(?:\s+[a-z][\w-]*)?)\b", re.IGNORECASE
)


def proper_noun_phrases(message: str) -> list[str]:
    """Capitalised word runs ("Arun Nehru", "Toko Yasuda"), skipping a capitalised
    first word that is only a question or function word ("What", "The")."""
    phrases, current = [], []
    for word in words(message):
        token = _POSSESSIVE.sub("", word)
        is_name = token[:1].isupper() and token.lower() not in STOPWORDS
        # A number continues a name ("Porsche 911", "Metro 2033") but never starts one.
        continues = current and (token.lower() in _CONNECTORS or token.isdigit())
        if is_name or continues:
            current.append(token)
            if token != word:  # "Macleod's domain": the possessive ends the name
                _flush(current, phrases)
                current = []
            continue
        _flush(current, phrases)
        current = []
    _flush(current, phrases)
    return list(dict.fromkeys(phrases))


def _flush(current: list[str], phrases: list[str]) -> None:
    while current and current[-1].lower() in _CONNECTORS:
        current.pop()
    if current:
        phrases.append(" ".join(current))


def choose_by_model(model: LanguageModel, message: str, candidates: list[str]) -> str:
    prompt = subject_prompt(message)
    scores = model.score([ScoreRequest(prompt, f" {c}") for c in candidates])
    best = max(range(len(candidates)), key=lambda i: scores[i].mean_logprob)
    return candidates[best]


def ask_model(model: LanguageModel, message: str) -> str | None:
    text = ""
    for piece in model.complete(subject_prompt(message), max_tokens=12, stop=["\n"]):
        text += piece
    name = " ".join(words(text))
    if name and normalize(name) in normalize(message):
        return name
    return None


class EntityLookup(Protocol):
    def resolve_entity(self, name: str) -> str | None: ...
    def find_entity_in(
        self,
        message: str,
        *,
        accept: Callable[[str, str, tuple[int, int] | None], bool] | None = None,
    ) -> str | None: ...


_POSSESSIVE_IN_TEXT = re.compile(r"(?<=\w)['’]s(?=\W|$)|(?<=s)['’](?=\W|$)")


def without_possessives(text: str, mark: str = "") -> str:
    """ "Michel Denisot's mother tongue" -> "Michel Denisot mother tongue" ("O'Keefe" kept);
    ``mark`` takes each possessive's place."""
    return _POSSESSIVE_IN_TEXT.sub(mark, text)


def find_known_entity(message: str, known: EntityLookup) -> str | None:
    """A known entity named in ``message``, also in the possessive ("Bruno's food"):
    the exact text first, so a name that has an apostrophe ("McDonald's") still matches.
    A name the message writes as an everyday word or as the start of a longer name is
    not taken for the entity (assistant/name_mentions.py)."""

    def is_known(word: str) -> bool:
        return known.resolve_entity(word) is not None

    def named_in(text: str) -> Callable[[str, str, tuple[int, int] | None], bool]:
        def named(entity: str, key: str, span: tuple[int, int] | None) -> bool:
            if span is None:
                return True  # a description the lookup added ("the choir" for "my choir")
            # The everyday-word reading needs the name's own capitals: the entity's name
            # when the words matched it; an alias matched is read as written.
            name = entity if entity_key(entity) == key else text[span[0] : span[1]]
            return names_entity(text, name, span, is_known)

        return named

    found = known.find_entity_in(message, accept=named_in(message))
    if found is None:
        # The possessive becomes a comma: the name's words alone, and a name it ended
        # ("Anna's Toyota") not read as continued by the next word.
        stripped = without_possessives(message, mark=",")
        if stripped != message:
            found = known.find_entity_in(stripped, accept=named_in(stripped))
    return found


def find_subject(
    message: str,
    known: EntityLookup,
    model: LanguageModel | None = None,
    explicit: str | None = None,
) -> str | None:
    """The entity ``message`` is about, or None when nothing names one."""
    if explicit and explicit.strip():
        explicit = one_line(explicit)
        return known.resolve_entity(explicit) or explicit
    found = find_known_entity(message, known)
    if found or model is None:
        return found
    phrases = proper_noun_phrases(message)
    if len(phrases) == 1:
        return phrases[0]
    if phrases:
        return choose_by_model(model, message, phrases)
    return ask_model(model, message)


def aliases_in(message: str, subject: str) -> list[str]:
    """Descriptions the user gives the subject, to recognise it later: "my dog Bruno"
    or "Bruno, my dog" teach the alias "my dog"."""
    index = message.lower().find(subject.lower())
    if index < 0:
        return []
    found = []
    before = _ALIAS_BEFORE.search(message[:index])
    after = _ALIAS_AFTER.search(message[index + len(subject) :])
    for match in (before, after):
        if match:
            found.append(f"my {match.group(1).lower()}")
    return found


def correction_subject(
    query: str,
    answer: str,
    known: EntityLookup,
    model: LanguageModel | None = None,
    explicit: str | None = None,
) -> str | None:
    """What a correction is about, found in the part of the question that names it.

    The question's statement form says which words are its subject ("Who is the
    receptionist at my optician?" -> "the receptionist at my optician"); in them, in order:
    a known entity, alias or description; a name ("my tortoise Shelby's favourite food" ->
    Shelby); a description of the user's ("my optician", "my GP practice"); the user
    ("I"). A question of another shape is searched whole, as a chat message is.
    """
    if explicit and explicit.strip():
        return find_subject(query, known, model, explicit)
    statement = statement_of(query, answer)
    phrase = statement.subject if statement else query
    found = find_known_entity(phrase, known)
    if found and not _named_now(phrase, found):
        return found
    description = description_in(phrase)
    # "GP" of "my GP practice", "TV" of "my dad's favourite TV channel" are not names.
    names = [
        p
        for p in proper_noun_phrases(phrase)
        if not (description and (p in description.split() or p.isupper()))
    ]
    if names:
        return (
            names[0] if len(names) == 1 or model is None else choose_by_model(model, query, names)
        )
    if description:
        return description
    if mentions_user(phrase):
        return USER
    return find_subject(query, known, model)


def _named_now(phrase: str, found: str) -> bool:
    """The phrase gives a described entity its name: "my father Jorge" when "my father"
    is known only by its description (the graph then merges the two)."""
    if not found.startswith("my "):
        return False
    return any(w[:1].isupper() and not w.isupper() for w in phrase.split()[len(found.split()) :])
