"""The records of the personal knowledge graph: facts, planned edits, corrections."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True)
class Fact:
    """One triple (subject, relation, object) of the user's graph."""

    id: int
    subject: str
    relation: str
    object: str
    created_at: str
    invalid_at: str | None = None
    correction_id: int | None = None
    #: The fact as a sentence in the user's voice ("I drink chamomile in the evening."),
    #: None for a fact that has only its triple (imported, or learned from a cloze).
    sentence: str | None = None
    #: Other relation phrasings KGT scored for the same fact ("home", "city").
    phrasings: tuple[str, ...] = ()

    @property
    def triple(self) -> tuple[str, str, str]:
        return (self.subject, self.relation, self.object)

    @property
    def relations(self) -> tuple[str, ...]:
        """Every phrasing of the fact's relation, its own first."""
        return (self.relation, *(p for p in self.phrasings if p != self.relation))

    def to_json(self, include_invalid_at: bool = False) -> dict:
        data = {
            "id": self.id,
            "subject": self.subject,
            "relation": self.relation,
            "object": self.object,
            "created_at": self.created_at,
            "source": {"correction_id": self.correction_id},
        }
        if self.sentence:
            data["sentence"] = self.sentence
        if include_invalid_at:
            data["invalid_at"] = self.invalid_at
        return data


class EditOp(StrEnum):
    """What one edit-log row did to its fact; the values are the ``edit_log.op`` text."""

    ADD = "add"
    REMOVE = "remove"


@dataclass(frozen=True)
class AddFact:
    """A planned addition of (subject, relation, object), with the scores that chose it."""

    relation: str
    object: str
    reasoning_logprob: float
    retrieval_logprob: float
    sentence: str | None = None
    phrasings: tuple[str, ...] = ()


@dataclass(frozen=True)
class RemoveFact:
    """A planned invalidation of an existing fact: the new fact answers the same
    question about the same subject (``question``, the old fact's own, shown as the
    reason), with its scores."""

    fact_id: int
    reasoning_logprob: float
    retrieval_logprob: float
    question: str = ""


Edit = AddFact | RemoveFact


@dataclass(frozen=True)
class CorrectionInput:
    """What the user told us: the question, the model's answer and the right one."""

    query: str
    user_answer: str
    subject: str
    model_answer: str = ""
    message_id: str | None = None
    aliases: tuple[str, ...] = ()


def conversation_message(message_id: str | None) -> int | None:
    """The chat message a correction came from, when it came from one: the CLI's
    corrections have no message id, or a free-form tag."""
    return int(message_id) if (message_id or "").isdigit() else None


@dataclass(frozen=True)
class CorrectionRecord:
    id: int
    query: str
    model_answer: str
    user_answer: str
    subject: str
    created_at: str
    undone_at: str | None
    message_id: str | None
    loss_before: float | None
    loss_after: float | None


@dataclass
class AppliedCorrection:
    """What one correction changed in the graph."""

    correction_id: int
    subject: str
    added: list[Fact] = field(default_factory=list)
    removed: list[Fact] = field(default_factory=list)
    #: Why each removed fact went, by its id: the question it and the new fact both
    #: answer (a correction's; an undo's removals have none).
    because: dict[int, str] = field(default_factory=dict)

    def replacements_json(self) -> list[dict]:
        """Each removed fact with the fact that replaced it and the question both answer."""
        new = self.added[0].to_json() if self.added else None
        return [
            {"old": fact.to_json(), "new": new, "question": self.because.get(fact.id, "")}
            for fact in self.removed
        ]


@dataclass(frozen=True)
class Edge:
    """Facts linking an entity to one neighbour, as the knowledge panel draws them."""

    other: str
    relations: tuple[str, ...]
    outgoing: bool  # entity -> other
    other_is_entity: bool
    fact_ids: tuple[int, ...] = ()  # the facts, in the order they were learned


@dataclass(frozen=True)
class FactSource:
    """Where a fact was learned: its correction's question and that message's id."""

    question: str
    message_id: str | None

    @property
    def conversation_message(self) -> int | None:
        return conversation_message(self.message_id)


@dataclass(frozen=True)
class CorrectionHistory:
    """A correction with its edits in the order they were applied."""

    record: CorrectionRecord
    edits: tuple[tuple[EditOp, Fact], ...]
