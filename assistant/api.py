"""The core's front door: everything the window, the evaluation and other callers use.

Import from here, not from the rooms behind it (``assistant.store``, ``assistant.learning``
...), which may move; an import-linter contract in pyproject.toml keeps the window to this
module. Grouped as a caller meets them: a memory on disk, the model interface, a chat
session, learning, answering, forgetting, wording a fact for the user, and errors.
"""

from .answering.answer import answer_question
from .answering.multi_hop import asks_for_link, correction_target, link_to_correct, stored_path
from .chat import ChatSession, Turn
from .errors import (
    AssistantError,
    ContextOverflowError,
    InputError,
    ModelError,
    NotFoundError,
)
from .facts import (
    AppliedCorrection,
    CorrectionHistory,
    Edge,
    EditOp,
    Fact,
    FactSource,
    conversation_message,
)
from .language.fact_wording import path_said_to_user, replacement_said_to_user, said_to_user
from .language.question_statement import forget_remembered_text
from .language.text import counted, one_line
from .learning.correction import (
    CorrectionResult,
    Progress,
    ProposedCorrection,
    Stage,
    apply_proposal,
    drain,
)
from .learning.correction_warmup import warm_up_correction
from .learning.service import Learner, Teaching, tuning_config
from .learning.statements import StatedFact, stated_fact
from .learning.subject import correction_subject
from .llm import ChatMessage, LanguageModel, Role, Score, ScoreRequest
from .paths import database_path, default_home, ensure_private_dir
from .preload import load_language_data
from .settings import Settings, load_settings, save_settings, update_settings, with_server
from .store.conversations import Conversation, ConversationStore, DeletedMessages, Message
from .store.database import open_database
from .store.forgetting import (
    Forgotten,
    forget_entity,
    forget_facts,
    messages_stating,
    messages_stating_entity,
)
from .store.graph_store import GraphStore

__all__ = [
    # a memory on disk
    "open_database",
    "GraphStore",
    "ConversationStore",
    "Conversation",
    "Message",
    "DeletedMessages",
    "default_home",
    "database_path",
    "ensure_private_dir",
    "Settings",
    "load_settings",
    "save_settings",
    "update_settings",
    "with_server",
    # the records
    "Fact",
    "FactSource",
    "Edge",
    "EditOp",
    "AppliedCorrection",
    "CorrectionHistory",
    "conversation_message",
    # the model interface
    "LanguageModel",
    "ChatMessage",
    "Role",
    "Score",
    "ScoreRequest",
    "load_language_data",
    # a chat session
    "ChatSession",
    "Turn",
    # learning
    "Learner",
    "Teaching",
    "tuning_config",
    "StatedFact",
    "stated_fact",
    "Progress",
    "Stage",
    "ProposedCorrection",
    "CorrectionResult",
    "apply_proposal",
    "drain",
    "warm_up_correction",
    "correction_subject",
    "correction_target",
    "asks_for_link",
    "link_to_correct",
    # answering
    "answer_question",
    "stored_path",
    # forgetting
    "Forgotten",
    "forget_entity",
    "forget_facts",
    "messages_stating",
    "messages_stating_entity",
    "forget_remembered_text",
    # wording for the user
    "said_to_user",
    "replacement_said_to_user",
    "path_said_to_user",
    "counted",
    "one_line",
    # errors
    "AssistantError",
    "ContextOverflowError",
    "InputError",
    "ModelError",
    "NotFoundError",
]
