"""A conversation with the model that uses, and learns, the user's facts.

Each user message retrieves the facts of the entity it names. A fact that answers the
question is said as a sentence (chosen with the reasoning prompt that KGT optimised:
small models ignore facts buried in a chat system message); a question about the
user's world that nothing answers gets an honest "I don't know ... yet"; anything else
the model answers as itself, with its own chat template
(:mod:`assistant.answering.reply_choice`). A message that states a fact is answered
with what it states, which the caller then learns (``learn_statement``). ``correct``
turns "that answer was wrong, it is X" into a KGT correction of the last question.

The model's chat history holds only its own exchanges: a reply that came from memory
(a fact said, "I don't know", a statement taken note of) is neither a pattern for it to
copy ("What is the capital of Peru?" -> "Your sister lives in Paris.") nor a way for
a value memory no longer holds, deleted or replaced, to come back. Its replies stop
where they start repeating themselves (:mod:`assistant.language.repetition`).
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field

from .answering.answer import check_fits
from .answering.grounded_reply import stream_reply, word_pieces
from .answering.multi_hop import correction_target
from .answering.reply_choice import Say, answer_plan
from .errors import ContextOverflowError, InputError
from .facts import Fact
from .language.descriptions import first_person_to_second
from .language.prompts import chat_system_prompt
from .language.repetition import until_repetition
from .learning.correction import CorrectionResult, Progress
from .learning.service import Learner, Teaching
from .learning.statements import StatedFact, statement_subject
from .llm import ChatMessage, LanguageModel
from .settings import Settings
from .store.graph_store import GraphStore

# Turns kept verbatim; older ones are dropped first when the context fills up.
MAX_HISTORY_TURNS = 8
#: A sentence said back that starts with "You", "Your", "You've"...: lower-case after
#: "Noted: " (a name such as "Youssef" keeps its capital).
_SECOND_PERSON_START = re.compile(r"^You(?=r\b|\b)")


@dataclass
class Turn:
    question: str
    answer: str = ""
    subject: str | None = None
    facts: list[Fact] = field(default_factory=list)
    #: The chain of facts the reply followed (empty for one hop).
    path: list[Fact] = field(default_factory=list)
    #: The reply came from memory, not from the model: a fact said, an honest "I
    #: don't know", a statement taken note of. Kept out of the model's chat history.
    from_memory: bool = False


@dataclass
class ChatSession:
    model: LanguageModel
    store: GraphStore
    settings: Settings = field(default_factory=Settings)
    max_tokens: int = 256
    turns: list[Turn] = field(default_factory=list)

    def send(self, message: str) -> tuple[Turn, Iterator[str]]:
        """Start a turn; the caller consumes the stream (and may stop early)."""
        message = str(message or "").strip()
        if not message:
            raise InputError("the message is empty")
        check_fits(self.model, message, self.max_tokens)
        stated = None if self.settings.incognito else self.learner().statement_in(message)
        if stated is not None:
            turn, pieces = self._noted(message, stated)
        else:
            turn, pieces = self._answer(message)
        self.turns.append(turn)
        return turn, self._record(turn, pieces)

    def _answer(self, message: str) -> tuple[Turn, Iterator[str]]:
        plan = answer_plan(
            self.model,
            self.store,
            message,
            top_n=self.settings.top_n_facts,
            previous_subject=self._last_subject(),
        )
        used = plan.found
        turn = Turn(
            message,
            subject=used.subject,
            facts=used.facts,
            path=used.path,
            from_memory=plan.say != Say.MODEL,
        )
        if plan.say == Say.FACTS:
            # The fact KGT's scores prefer among those that answer, as a sentence.
            return turn, stream_reply(self.model, self.store, message, used)
        if plan.text:  # what held before, or that memory does not know
            return turn, word_pieces(plan.text)
        pieces = self.model.chat(
            self._messages_for(turn),
            max_tokens=self.max_tokens,
            temperature=self.settings.temperature,
        )
        return turn, until_repetition(pieces)

    def _noted(self, message: str, stated: StatedFact) -> tuple[Turn, Iterator[str]]:
        """A statement's reply says what it states, in the second person ("Noted: your
        sister Anna moved to Porto."): the new value, whatever memory held before."""
        subject = statement_subject(stated, self.store)
        said = first_person_to_second(stated.sentence)
        text = f"Noted: {_SECOND_PERSON_START.sub('you', said)}"
        return Turn(message, subject=subject, from_memory=True), word_pieces(text)

    def _last_subject(self) -> str | None:
        """What the conversation was last about, for "And what does she do?"."""
        return next((t.subject for t in reversed(self.turns) if t.subject), None)

    def _messages_for(self, turn: Turn) -> list[ChatMessage]:
        system = ChatMessage("system", chat_system_prompt(turn.facts))
        history = []
        # Only the model's own exchanges: a reply from memory is a pattern a small model
        # copies ("What is the heaviest bird in the world?" -> "Your daughter Ottilie's
        # favourite animal is the pangolin."), and may hold a value since replaced.
        for past in [t for t in self.turns if not (t.from_memory or t.facts)][-MAX_HISTORY_TURNS:]:
            history += [ChatMessage("user", past.question), ChatMessage("assistant", past.answer)]
        while True:
            messages = [system, *history, ChatMessage("user", turn.question)]
            text = "\n".join(m.content for m in messages)
            try:
                check_fits(self.model, text, self.max_tokens)
                return messages
            except ContextOverflowError:
                if not history:
                    raise
                history = history[2:]  # forget the oldest turn first

    def _record(self, turn: Turn, pieces: Iterator[str]) -> Iterator[str]:
        for piece in pieces:
            turn.answer += piece
            yield piece

    def learner(self) -> Learner:
        return Learner(self.model, self.store, self.settings)

    def learn_statement(self, turn: Turn) -> Generator[Progress, None, CorrectionResult] | None:
        """When the turn's message states a fact ("My sister Anna moved to Porto."), the
        KGT correction that learns it (run it to learn; the UI may ask first); None
        when it states none, or in incognito."""
        if self.settings.incognito:
            return None
        learner = self.learner()
        stated = learner.statement_in(turn.question)
        if stated is None:
            return None
        return learner.learn(Teaching(turn.question, stated=stated))

    def correct(
        self, answer: str, subject: str | None = None
    ) -> Generator[Progress, None, CorrectionResult]:
        """Correct the last answer: KGT learns ``answer`` for the last question (for a
        chained answer, for the link that gave it: :func:`multi_hop.correction_target`)."""
        if not self.turns:
            raise InputError("there is no answer to correct yet")
        if self.settings.incognito:
            raise InputError("incognito is on: nothing is learned")
        last = self.turns[-1]
        question, subject = correction_target(self.store, last.question, last.path, subject)
        teaching = Teaching(
            question, answer, subject=subject or None, model_answer=last.answer.strip()
        )
        return self.learner().learn(teaching)
