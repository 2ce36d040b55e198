"""A conversation with the model that uses, and learns, the user's facts.

Each user message retrieves the facts of the entity it names. With facts, the answer
comes from the reasoning prompt that KGT optimised (small models ignore facts buried in a
chat system message); without, the model chats freely with its own chat template. ``correct``
turns "that answer was wrong, it is X" into a KGT correction of the last question.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass, field

from .answering.answer import check_fits
from .answering.grounded_reply import stream_reply
from .answering.multi_hop import correction_target
from .answering.retrieval import retrieve
from .errors import ContextOverflowError, InputError
from .facts import Fact
from .language.prompts import chat_system_prompt
from .learning.correction import CorrectionResult, Progress
from .learning.service import Learner, Teaching
from .llm import ChatMessage, LanguageModel
from .settings import Settings
from .store.graph_store import GraphStore

# Turns kept verbatim; older ones are dropped first when the context fills up.
MAX_HISTORY_TURNS = 8


@dataclass
class Turn:
    question: str
    answer: str = ""
    subject: str | None = None
    facts: list[Fact] = field(default_factory=list)
    #: The chain of facts the reply followed (empty for one hop).
    path: list[Fact] = field(default_factory=list)


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
        found = retrieve(
            self.model,
            self.store,
            message,
            top_n=self.settings.top_n_facts,
            previous_subject=self._last_subject(),
        )
        turn = Turn(message, subject=found.subject, facts=found.facts, path=found.path)
        if turn.facts:
            # A question about something the user taught: the reply states the fact
            # KGT's scores prefer, as a sentence (grounded_reply).
            pieces = stream_reply(self.model, self.store, turn.question, found)
        else:
            messages = self._messages_for(turn)
            pieces = self.model.chat(
                messages, max_tokens=self.max_tokens, temperature=self.settings.temperature
            )
        self.turns.append(turn)
        return turn, self._record(turn, pieces)

    def _last_subject(self) -> str | None:
        """What the conversation was last about, for "And what does she do?"."""
        return next((t.subject for t in reversed(self.turns) if t.subject), None)

    def _messages_for(self, turn: Turn) -> list[ChatMessage]:
        system = ChatMessage("system", chat_system_prompt(turn.facts))
        history = []
        # A reply that stated a learned fact stays out of a question about something
        # else: a small model repeats it instead of answering ("What is the largest
        # animal on Earth?" -> "Your daughter Freya's favourite animal is the axolotl.").
        for past in [t for t in self.turns if not t.facts][-MAX_HISTORY_TURNS:]:
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
