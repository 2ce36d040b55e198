"""Forgetting for good: facts or a whole entity, and, when the user asks, the chat
messages that state them.

Deleting a fact removes it from the graph (:meth:`GraphStore.delete_facts`); the
conversations may still say it ("My sister Anna moved to Porto."). The functions here
find those messages and delete them in the same transaction as the facts, then empty
the write-ahead log, so nothing of the fact is left in the database's files.

Which messages state a fact (:func:`messages_stating`):

1. **Where it was learned.** The message its correction was made on (the answer that
   got the thumbs-down, or the reply to a statement) and the user's message that answer
   answered (the question corrected, or the statement itself). A fact learned outside
   the chat (the CLI, an import) has no such message.
2. **Where it is said.** Any message whose text contains the fact's object as whole
   words, ignoring case ("porto" in "They moved to Porto!"), and that is about the
   fact's subject:

   - its text names the subject, by its name or one of its aliases, as whole words
     ignoring case ("Anna", "my sister"; kin words folded, so "my mum" finds "my
     mother"); the assistant's "your sister" counts for the user's "my sister";
   - or, for the user's own facts, the user speaks of themself ("I", "my") or the
     assistant speaks to them ("you", "your");
   - or it is an answer that had the fact in its prompt, or whose subject was the
     fact's subject (the answer "She lives in Porto." about Anna).
3. **The answers to those.** A user's message found goes with the assistant's answer
   to it: kept alone, that answer would read as the answer to the question before.
   (A question whose answer states the fact stays: it does not say it.)

An entity's messages (:func:`messages_stating_entity`) are those stating any of its
facts, replaced ones too, plus the messages of every correction about it. Outside
the exchange a fact was learned from, a message that only names the subject or only
the object ("Where does Bruno sleep?", "Porto is lovely") states nothing and stays:
deleting it would not make the fact any more gone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..errors import NotFoundError
from ..facts import Fact, conversation_message
from ..language.descriptions import USER, fold_variants, mentions_user
from ..language.text import entity_key
from ..llm import Role
from .conversations import ConversationStore, DeletedMessages, Message
from .database import erase_deleted_text, write_transaction
from .graph_store import GraphStore

_WORD = re.compile(r"\w+")
_SPOKEN_TO = re.compile(r"\b(?:you|your|yours|yourself)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Forgotten:
    """What a forget deleted: the facts, and the messages when they were asked for."""

    facts: list[Fact]
    messages: DeletedMessages = field(default_factory=DeletedMessages)


def _words(text: str) -> str:
    """``text`` as space-padded, case-folded words with kin words folded: a phrase
    is said in a text when its words stand, in order, among the text's words."""
    return " " + " ".join(fold_variants(_WORD.findall(text.casefold()))) + " "


@dataclass(frozen=True)
class _Said:
    """A message's text, ready to look phrases up in."""

    message: Message
    folded: str  # case-folded
    words: str  # see _words

    @classmethod
    def of(cls, message: Message) -> _Said:
        return cls(message, message.content.casefold(), _words(message.content))


@dataclass(frozen=True)
class _Phrase:
    """A name or an object, looked up as whole words ignoring case; one without word
    characters (an emoji) as its own text."""

    words: str
    folded: str

    @classmethod
    def of(cls, phrase: str) -> _Phrase:
        return cls(_words(phrase), phrase.strip().casefold())

    def said_in(self, said: _Said) -> bool:
        if self.words.strip():
            return self.words in said.words
        return bool(self.folded) and self.folded in said.folded


@dataclass(frozen=True)
class _Subject:
    """The ways a message can be about one entity."""

    names: tuple[_Phrase, ...]
    keys: frozenset[str]
    is_user: bool

    @classmethod
    def of(cls, store: GraphStore, name: str) -> _Subject:
        names = store.names_of(name) or [name]
        # The assistant says back "your sister" for the user's "my sister".
        spoken = [f"your {n[3:]}" for n in names if n.lower().startswith("my ")]
        return cls(
            tuple(_Phrase.of(n) for n in [*names, *spoken] if n != USER),
            frozenset(entity_key(n) for n in names),
            entity_key(names[0]) == entity_key(USER),
        )

    def named_in(self, said: _Said) -> bool:
        message = said.message
        if message.subject and entity_key(message.subject) in self.keys:
            return True
        if self.is_user:
            speaks = mentions_user if message.role == Role.USER else _SPOKEN_TO.search
            if speaks(message.content):
                return True
        return any(name.said_in(said) for name in self.names)


@dataclass(frozen=True)
class _Statement:
    """One fact, as a message would state it."""

    fact_id: int
    object: _Phrase
    subject: _Subject

    def in_(self, said: _Said) -> bool:
        if not self.object.said_in(said):
            return False
        return self.fact_id in said.message.fact_ids or self.subject.named_in(said)


def _exchange(conversations: ConversationStore, message_id: str | None) -> list[Message]:
    """The message a correction was made on and the user's message before it."""
    found = conversation_message(message_id)
    if found is None:
        return []
    try:
        message = conversations.message(found)
    except NotFoundError:
        return []  # deleted since
    question = conversations.question_before(message)
    return [message] if question is None else [question, message]


def _find(store: GraphStore, facts: list[Fact], correction_ids: Iterable[int]) -> list[Message]:
    conversations = ConversationStore(store.db)
    found: dict[int, Message] = {}
    for correction_id in dict.fromkeys(correction_ids):
        record = store.correction(correction_id)
        found.update((m.id, m) for m in _exchange(conversations, record.message_id))
    subjects = {name: _Subject.of(store, name) for name in {f.subject for f in facts}}
    statements = [_Statement(f.id, _Phrase.of(f.object), subjects[f.subject]) for f in facts]
    for message in conversations.all_messages():
        if message.id in found:
            continue
        said = _Said.of(message)
        if any(statement.in_(said) for statement in statements):
            found[message.id] = message
    answers = [conversations.answer_to(m) for m in found.values()]
    found.update((a.id, a) for a in answers if a is not None)
    return sorted(found.values(), key=lambda m: m.id)


def messages_stating(store: GraphStore, fact_ids: Iterable[int]) -> list[Message]:
    """The chat messages that state these facts (the rule is the module's), by id."""
    facts = [store.fact(fact_id) for fact_id in dict.fromkeys(fact_ids)]
    return _find(store, facts, [f.correction_id for f in facts if f.correction_id])


def messages_stating_entity(store: GraphStore, name: str) -> list[Message]:
    """The chat messages that state any fact of the entity, replaced ones too, and
    those of every correction about it, by id; empty for an unknown entity."""
    canonical = store.resolve_entity(name)
    if canonical is None:
        return []
    facts = store.facts(canonical, include_invalid=True)
    corrections = [c.id for c in store.corrections_about(canonical)]
    corrections += [f.correction_id for f in facts if f.correction_id]
    return _find(store, facts, corrections)


def forget_facts(
    store: GraphStore, fact_ids: Iterable[int], *, with_messages: bool = False
) -> Forgotten:
    """Delete facts for good (:meth:`GraphStore.delete_facts`) and, ``with_messages``,
    the messages that state them, in one transaction; then empty the write-ahead log."""
    fact_ids = list(dict.fromkeys(fact_ids))
    with write_transaction(store.db):
        stating = messages_stating(store, fact_ids) if with_messages else []
        facts = store.remove_facts(fact_ids)
        messages = ConversationStore(store.db).remove_messages(m.id for m in stating)
    erase_deleted_text(store.db)
    return Forgotten(facts, messages)


def forget_entity(store: GraphStore, name: str, *, with_messages: bool = False) -> Forgotten:
    """Delete an entity with everything about it (:meth:`GraphStore.forget_entity`)
    and, ``with_messages``, the messages that state its facts, in one transaction;
    then empty the write-ahead log."""
    with write_transaction(store.db):
        canonical = store.resolve_entity(name) or name
        facts = store.facts(canonical, include_invalid=True)
        stating = messages_stating_entity(store, canonical) if with_messages else []
        store.remove_entity(name)
        messages = ConversationStore(store.db).remove_messages(m.id for m in stating)
    erase_deleted_text(store.db)
    return Forgotten(facts, messages)
