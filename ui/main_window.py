"""The main window: conversations, the chat, the composer, the knowledge panel.

It renders state and turns the user's intents into requests to the model thread
(:class:`ui.engine.Engine`); it never waits for the model. Conversations and the
knowledge graph are read and written through the UI thread's own database
connection; in incognito nothing is written at all.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from assistant.api import (
    AppliedCorrection,
    AssistantError,
    ConversationStore,
    DeletedMessages,
    EditOp,
    Fact,
    GraphStore,
    Message,
    NotFoundError,
    Role,
    Settings,
    conversation_message,
    database_path,
    ensure_private_dir,
    load_settings,
    open_database,
    save_settings,
    stored_path,
)
from models.catalog import display_name

from .banner import Banner
from .chat_view import COLUMN_WIDTH, ChatView
from .composer import Composer
from .correction_flow import CorrectionFlow
from .elided_label import ElidedLabel
from .engine import Engine
from .errors import Problem, ProblemKind
from .knowledge_panel import KnowledgePanel
from .message_widgets import AnswerCard
from .settings_dialog import SettingsDialog, needs_reload
from .sidebar import Sidebar
from .worker import AnswerStart, ModelFactory

NEW_CHAT_TITLE = "New chat"
KNOWLEDGE_WIDTH = 560
INCOGNITO_TITLE = "Incognito chat: nothing is stored or learned"


class MainWindow(QMainWindow):
    model_loaded = Signal(str)  # the model's name, once the window shows it as ready
    model_load_failed = Signal(object)  # a Problem, once the window shows it

    def __init__(self, home: Path, model_factory: ModelFactory, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Assistant")
        self.resize(1280, 820)
        self.home = ensure_private_dir(Path(home))
        self.settings = load_settings(self.home)
        db = open_database(database_path(self.home))
        self.store = GraphStore(db)
        self.conversations = ConversationStore(db)
        self.engine = Engine(database_path(self.home), model_factory, self)
        self.conversation_id: int | None = None
        self.incognito_history: list[tuple[str, str, str | None, bool]] = []
        self.answer_cards: dict[int, AnswerCard] = {}
        self.active_request: int | None = None
        self.model_name: str | None = None
        self._build()
        self._connect_worker()
        self.flow = CorrectionFlow(self.engine, self.store, lambda: self.settings, self)
        self.flow.learned.connect(lambda _applied: self.knowledge.refresh())
        self.flow.undone.connect(lambda _id: self.knowledge.refresh())
        self.flow.undone.connect(lambda _id: self.engine.forget_cache())
        self.flow.problem.connect(self.show_problem)
        self.refresh_sidebar()
        self._show_privacy_state()
        self.load_model()

    # ----- layout ---------------------------------------------------------------

    def _build(self) -> None:
        self.sidebar = Sidebar()
        self.sidebar.new_requested.connect(self.new_chat)
        self.sidebar.selected.connect(self.open_conversation)
        self.sidebar.renamed.connect(self.rename_conversation)
        self.sidebar.delete_requested.connect(self.delete_conversation)
        splitter = QSplitter()
        splitter.addWidget(self.sidebar)
        splitter.addWidget(self._chat_page())
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([250, 1030])
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)
        self.knowledge = KnowledgePanel(self.store)
        self.knowledge.jump_requested.connect(self.jump_to_message)
        self.knowledge.changed.connect(self._after_knowledge_change)
        self.knowledge.messages_deleted.connect(self._after_messages_deleted)
        self.knowledge.failed.connect(
            lambda text: self.show_problem(Problem(ProblemKind.INPUT, text))
        )
        self.knowledge.history.undone.connect(lambda cid: self.flow.mark_undone(cid))
        self.knowledge_dock = QDockWidget("Knowledge", self)
        self.knowledge_dock.setObjectName("KnowledgeDock")
        self.knowledge_dock.setWidget(self.knowledge)
        self.knowledge_dock.setMinimumWidth(460)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.knowledge_dock)
        self.knowledge_dock.visibilityChanged.connect(self._on_knowledge_visibility)
        self.knowledge_dock.hide()

    def _chat_page(self) -> QWidget:
        page = QWidget(objectName="ChatPage")
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 12)
        column.setSpacing(0)
        column.addWidget(self._header())
        self.banner = Banner()
        self.banner.settings_requested.connect(self.open_settings)
        banner_row = QHBoxLayout()
        banner_row.setContentsMargins(24, 8, 24, 0)
        banner_row.addWidget(self.banner)
        column.addLayout(banner_row)
        self.chat = ChatView()
        column.addWidget(self.chat, 1)
        self.composer = Composer()
        self.composer.setMaximumWidth(COLUMN_WIDTH)
        self.composer.send_requested.connect(self.send)
        self.composer.stop_requested.connect(self.stop)
        row = QHBoxLayout()
        row.setContentsMargins(24, 0, 24, 0)
        row.addWidget(self.composer)
        column.addLayout(row)
        return page

    def _header(self) -> QWidget:
        header = QWidget()
        row = QHBoxLayout(header)
        row.setContentsMargins(24, 12, 16, 8)
        # A long title neither widens the window nor runs on under the buttons: it
        # ends in "…" where its room ends; the full text is the tooltip.
        self.title = ElidedLabel(NEW_CHAT_TITLE)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() + 2)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setMinimumWidth(60)
        row.addWidget(self.title, 1)
        row.addSpacing(12)
        self.busy = QProgressBar(maximum=0, textVisible=False)
        self.busy.setFixedWidth(80)
        self.busy.hide()
        row.addWidget(self.busy)
        self.model_status = self.sidebar.model_status
        self.knowledge_button = QPushButton("Knowledge", checkable=True)
        self.knowledge_button.toggled.connect(self.show_knowledge)
        self.settings_button = QPushButton("Settings")
        self.settings_button.clicked.connect(self.open_settings)
        row.addWidget(self.knowledge_button)
        row.addWidget(self.settings_button)
        return header

    def _connect_worker(self) -> None:
        worker = self.engine.worker
        worker.model_loading.connect(self._on_model_loading)
        worker.model_ready.connect(self._on_model_ready)
        worker.model_failed.connect(self._on_model_failed)
        worker.answer_started.connect(self._on_answer_started)
        worker.answer_piece.connect(self._on_answer_piece)
        worker.answer_finished.connect(self._on_answer_finished)
        worker.failed.connect(self._on_failed)

    # ----- the model ------------------------------------------------------------

    def load_model(self) -> None:
        self.composer.set_ready(False, "The model is loading")
        self.engine.load_model(self.settings)

    def _on_model_loading(self, what: str) -> None:
        self.model_status.setText(f"Loading {display_name(what)}…")
        self.busy.show()

    def _on_model_ready(self, name: str) -> None:
        from .model_chooser import device_description

        self.model_name = name
        self.busy.hide()
        device = device_description()
        self.model_status.setText(f"Model: {display_name(name)}\nRuns on: {device.split(' (')[0]}")
        self.model_status.setToolTip(f"{name}\n{device}")
        self.composer.set_ready(True)
        self.model_loaded.emit(name)

    def _on_model_failed(self, problem: Problem) -> None:
        self.model_name = None
        self.busy.hide()
        self.model_status.setText("No model loaded")
        self.composer.set_ready(False, "No model is loaded: choose one in Settings")
        self.show_problem(problem)
        self.model_load_failed.emit(problem)

    # ----- chatting -------------------------------------------------------------

    @property
    def incognito(self) -> bool:
        return bool(self.settings.incognito)

    def send(self, text: str) -> int | None:
        """Show the question, store it (unless incognito) and ask the model thread."""
        text = text.strip()
        if not text or self.active_request is not None:
            return None
        self.banner.hide()
        message_id, history = None, list(self.incognito_history)
        if not self.incognito:
            if self.conversation_id is None:
                self.conversation_id = self.conversations.create().id
            history = self._stored_history()
            message_id = self.conversations.add_message(self.conversation_id, Role.USER, text).id
            self.refresh_sidebar()
        self.chat.add_user(text, message_id)
        card = self._new_card(text)
        request_id = self.engine.ask(text, history, self.settings)
        card.request_id = request_id
        self.answer_cards[request_id] = card
        self.active_request = request_id
        self.composer.set_generating(True)
        return request_id

    def _stored_history(self) -> list[tuple[str, str, str | None, bool]]:
        return [
            (q.content, a.content, a.subject, _from_memory(a.subject, a.fact_ids))
            for q, a in self.conversations.exchanges(self.conversation_id)
            if a is not None
        ]

    def _new_card(self, question: str) -> AnswerCard:
        card = self.chat.add_answer(question)
        card.correction_requested.connect(self.flow.open_editor)
        card.path_requested.connect(self.show_path)
        card.set_learning_allowed(not self.incognito, "Incognito: nothing is learned")
        return card

    def stop(self) -> None:
        if self.active_request is not None:
            self.engine.stop(self.active_request)

    def _on_answer_started(self, request_id: int, start: AnswerStart) -> None:
        card = self.answer_cards.get(request_id)
        if card is not None and isValid(card):
            card.set_facts(start.subject, start.facts)
            card.set_path(start.path)

    def _on_answer_piece(self, request_id: int, piece: str) -> None:
        card = self.answer_cards.get(request_id)
        if card is not None and isValid(card):
            card.append(piece)

    def _on_answer_finished(self, request_id: int, text: str, stopped: bool) -> None:
        card = self.answer_cards.pop(request_id, None)
        self._end_request(request_id)
        if card is None or not isValid(card):
            return
        card.finish(text, stopped)
        if self.incognito:
            self.incognito_history.append(
                (card.question, text, card.subject, _from_memory(card.subject, card.facts))
            )
        elif text.strip() and self.conversation_id is not None:
            message = self.conversations.add_message(
                self.conversation_id,
                Role.ASSISTANT,
                text.strip(),
                subject=card.subject,
                fact_ids=[f.id for f in card.facts],
            )
            card.message_id = message.id
            self.refresh_sidebar()
        if not self.incognito and not stopped:
            self.flow.learn_statement(card)  # "My sister Anna moved to Porto."

    def _on_failed(self, request_id: int, problem: Problem) -> None:
        card = self.answer_cards.pop(request_id, None)
        if card is None:
            return  # a correction's failure: the correction flow shows it
        self._end_request(request_id)
        if isValid(card):
            card.fail("No answer: " + problem.message)
        self.show_problem(problem)

    def _end_request(self, request_id: int) -> None:
        if self.active_request == request_id:
            self.active_request = None
            self.composer.set_generating(False)

    def show_problem(self, problem: Problem) -> None:
        self.banner.show_problem(problem)

    # ----- conversations --------------------------------------------------------

    def refresh_sidebar(self) -> None:
        self.sidebar.show_conversations(self.conversations.conversations(), self.conversation_id)
        self._show_title()

    def _show_title(self) -> None:
        if self.incognito:
            self.title.setText(INCOGNITO_TITLE)
        elif self.conversation_id is None:
            self.title.setText(NEW_CHAT_TITLE)
        else:
            self.title.setText(self.conversations.conversation(self.conversation_id).title)

    def new_chat(self) -> None:
        self.stop()
        self.conversation_id = None
        self.incognito_history = []
        self.chat.clear()
        self.refresh_sidebar()
        self.composer.input.setFocus()

    def open_conversation(self, conversation_id: int) -> None:
        if conversation_id == self.conversation_id and self.chat.message_widgets():
            return
        self.stop()
        self.conversation_id = conversation_id
        self.chat.clear()
        notices = self._active_corrections_by_message()
        question = ""
        for message in self.conversations.messages(conversation_id):
            if message.role == Role.USER:
                question = message.content
                self.chat.add_user(message.content, message.id)
            else:
                self._replay_answer(question, message, notices.get(message.id, []))
        self.refresh_sidebar()

    def _replay_answer(
        self, question: str, message: Message, corrections: list[AppliedCorrection]
    ) -> None:
        card = self._new_card(question)
        card.message_id = message.id
        facts = self._facts(message.fact_ids)
        card.set_facts(message.subject, facts)
        card.set_path(stored_path(self.store, facts))
        card.finish(message.content)
        for applied in corrections:
            self.flow.show_notice(card, applied)

    def _facts(self, fact_ids: tuple[int, ...]) -> list[Fact]:
        facts = []
        for fact_id in fact_ids:
            try:
                facts.append(self.store.fact(fact_id))
            except NotFoundError:
                continue  # deleted since: it must not show up anywhere
        return facts

    def _active_corrections_by_message(self) -> dict[int, list[AppliedCorrection]]:
        found: dict[int, list[AppliedCorrection]] = {}
        for correction in self.store.history(include_undone=False):
            record = correction.record
            message_id = conversation_message(record.message_id)
            if message_id is None:
                continue
            applied = AppliedCorrection(record.id, record.subject)
            for op, fact in correction.edits:
                (applied.added if op is EditOp.ADD else applied.removed).append(fact)
            found.setdefault(message_id, []).append(applied)
        return found

    def rename_conversation(self, conversation_id: int, title: str) -> None:
        try:
            self.conversations.rename(conversation_id, title)
        except AssistantError as error:
            self.show_problem(Problem(ProblemKind.INPUT, f"Cannot rename: {error}."))
        self.refresh_sidebar()

    def delete_conversation(self, conversation_id: int) -> None:
        self.conversations.delete(conversation_id)
        if conversation_id == self.conversation_id:
            self.new_chat()
        self.refresh_sidebar()

    # ----- knowledge ------------------------------------------------------------

    def show_knowledge(self, visible: bool = True) -> None:
        self.knowledge_dock.setVisible(visible)
        if visible:
            self.resizeDocks([self.knowledge_dock], [KNOWLEDGE_WIDTH], Qt.Orientation.Horizontal)

    def show_path(self, path: list[Fact]) -> None:
        """A two-hop answer's path ("via ..." clicked): highlighted on the panel's graph."""
        self.show_knowledge()
        self.knowledge.show_path(path)

    def _on_knowledge_visibility(self, visible: bool) -> None:
        self.knowledge_button.setChecked(visible)
        if visible:
            self.knowledge.refresh()

    def jump_to_message(self, message_id: int) -> bool:
        try:
            message = self.conversations.message(message_id)
        except NotFoundError:
            self.show_problem(
                Problem(ProblemKind.INPUT, "The conversation this fact came from was deleted.")
            )
            return False
        if message.conversation_id != self.conversation_id or not self.chat.message_widgets():
            self.open_conversation(message.conversation_id)
        return self.chat.jump_to(message_id)

    def _after_knowledge_change(self) -> None:
        """Facts deleted or a correction undone in the panel: drop them from the answers
        and from the model's caches."""
        self.engine.forget_cache()
        for card in self.chat.answers():
            if card.facts:
                card.set_facts(card.subject, self._facts(tuple(f.id for f in card.facts)))
                card.set_path(stored_path(self.store, card.facts) if card.path else [])

    def _after_messages_deleted(self, deleted: DeletedMessages) -> None:
        """The panel deleted the messages that stated what it forgot: they leave the
        chat on screen, and a conversation left empty (deleted with them) gives way to a
        new chat, as when the user deletes a conversation."""
        if self.conversation_id in deleted.removed:
            self.new_chat()
        else:
            self.chat.remove_messages(set(deleted.ids))
        self.refresh_sidebar()

    # ----- settings -------------------------------------------------------------

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.home, self.settings, self)
        if dialog.exec() == SettingsDialog.DialogCode.Accepted:
            self.apply_settings(dialog.settings())

    def apply_settings(self, new: Settings) -> None:
        """Save the settings; reload the model only when a model setting changed."""
        old, self.settings = self.settings, new
        save_settings(self.home, new)
        if needs_reload(old, new):
            self.load_model()
        if old.incognito != new.incognito:
            self.new_chat()
            self._show_privacy_state()

    def _show_privacy_state(self) -> None:
        self.sidebar.privacy.setText(
            "Incognito: this chat is not stored and nothing is learned."
            if self.incognito
            else "Private: everything stays on this computer."
        )
        self.sidebar.setEnabled(not self.incognito)
        self._show_title()

    def closeEvent(self, event) -> None:
        # No more results from the model thread: the database they would be written
        # to is about to close. Results already queued are dropped too.
        self.engine.worker.blockSignals(True)
        self.engine.close()
        for receiver in (self, self.flow, self.engine):
            QCoreApplication.removePostedEvents(receiver, QEvent.Type.MetaCall)
        self.store.db.conn.close()
        super().closeEvent(event)


def _from_memory(subject: str | None, facts) -> bool:
    """A reply about something memory knows of, with or without a fact (a fact said,
    "I don't know ... yet"): the model's own replies have neither."""
    return subject is not None or bool(facts)
