"""Chatting in the real window with the fake model: streaming, stop, responsiveness,
conversations kept in SQLite, Enter / Shift+Enter, copy, Markdown."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication

from assistant.paths import database_path
from assistant.store.conversations import ConversationStore
from assistant.store.database import open_database
from models.fake import FakeLanguageModel

from .conftest import WAIT_MS, HeldAnswers, ask, type_and_send, wait_for_answer

NOT_SURE = "I am not sure. If I am wrong, tell me with thumbs-down."


def stored(home):
    return ConversationStore(open_database(database_path(home)))


def test_a_message_gets_a_streamed_answer_piece_by_piece(qtbot, open_window, private_home):
    window = open_window()
    pieces = []
    window.engine.worker.answer_piece.connect(lambda _id, piece: pieces.append(piece))
    card = ask(qtbot, window, "Hello there")
    assert len(pieces) > 3 and "".join(pieces) == NOT_SURE
    assert card.text == NOT_SURE and card.finished and not card.stopped
    conversation = stored(private_home).conversations()[0]
    messages = stored(private_home).messages(conversation.id)
    assert [(m.role, m.content) for m in messages] == [
        ("user", "Hello there"),
        ("assistant", NOT_SURE),
    ]
    assert card.message_id == messages[1].id
    assert window.sidebar.list.count() == 1 and conversation.title == "Hello there"


def test_stop_ends_a_generation_midway(qtbot, open_window):
    model = HeldAnswers(shown=2)
    window = open_window(model)
    type_and_send(qtbot, window, "Hello")
    card = window.chat.answers()[-1]
    qtbot.waitUntil(lambda: len(card.text.split()) >= 2, timeout=WAIT_MS)
    assert window.composer.button.text() == "Stop"
    qtbot.mouseClick(window.composer.button, Qt.MouseButton.LeftButton)
    model.gate.open()  # the rest of the answer comes after Stop
    wait_for_answer(qtbot, window)
    assert card.stopped and card.status.text() == "Stopped"
    assert 2 <= len(card.text.split()) < len(NOT_SURE.split())
    assert window.composer.button.text() == "Send"
    assert ask(qtbot, window, "Again?").text == NOT_SURE  # the app goes on


def test_the_window_stays_responsive_while_the_model_generates(qtbot, open_window):
    model = HeldAnswers(shown=2)
    window = open_window(model)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(window.chat.answers()[-1].text))
    type_and_send(qtbot, window, "Hello")
    timer.start(10)
    qtbot.waitUntil(model.gate.reached.is_set, timeout=WAIT_MS)
    # The model is held mid-answer in its thread: the UI thread goes on running its
    # timer and shows the pieces so far (were it generating, it would be stuck here).
    held_at = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) >= held_at + 5, timeout=WAIT_MS)
    assert ticks[-1] == "I am"
    model.gate.open()
    wait_for_answer(qtbot, window)
    timer.stop()
    assert window.chat.answers()[-1].text == NOT_SURE


def test_enter_sends_and_shift_enter_makes_a_new_line(qtbot, open_window):
    window = open_window()
    box = window.composer.input
    qtbot.keyClicks(box, "first line")
    qtbot.keyClick(box, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(box, "second line")
    assert box.toPlainText() == "first line\nsecond line" and not window.chat.answers()
    qtbot.keyClick(box, Qt.Key.Key_Return)
    wait_for_answer(qtbot, window)
    assert box.toPlainText() == ""
    assert window.chat.message_widgets()[0].text == "first line\nsecond line"


def test_copy_puts_the_answer_on_the_clipboard(qtbot, open_window):
    window = open_window()
    card = ask(qtbot, window, "Hello")
    qtbot.mouseClick(card.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == NOT_SURE


def test_answers_render_markdown(qtbot, open_window):
    class MarkdownModel(FakeLanguageModel):
        def chat(self, messages, *, max_tokens, temperature=0.7):
            return self._stream("Use **bold** and `code`:\n\n- one\n- two", max_tokens)

    window = open_window(MarkdownModel())
    card = ask(qtbot, window, "Format something")
    assert card.body.textFormat() == Qt.TextFormat.MarkdownText
    html = card.body.text()
    assert "**bold**" in html  # the source is Markdown, Qt renders it
    rendered = _rendered_text(card.body)
    assert "bold" in rendered and "**" not in rendered


def _rendered_text(label) -> str:
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    document.setMarkdown(label.text())
    return document.toPlainText()


def test_conversations_new_rename_delete_and_reopen(qtbot, open_window, private_home, monkeypatch):
    window = open_window()
    ask(qtbot, window, "About Bruno")
    first = window.conversation_id
    window.new_chat()
    assert window.chat.answers() == [] and window.conversation_id is None
    ask(qtbot, window, "About Anna")
    assert window.sidebar.list.count() == 2
    window.rename_conversation(first, "Bruno chat")
    assert stored(private_home).conversation(first).title == "Bruno chat"
    window.open_conversation(first)
    assert [w.text for w in window.chat.message_widgets()] == ["About Bruno", NOT_SURE]
    assert window.title.text() == "Bruno chat"

    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(
        QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Yes
    )
    window.sidebar.confirm_delete(first, "Bruno chat")
    assert [c.id for c in stored(private_home).conversations()] != [first]
    assert window.sidebar.list.count() == 1 and window.conversation_id is None


def test_the_history_is_sent_with_the_next_question(qtbot, open_window):
    seen = []

    class Recording(FakeLanguageModel):
        def chat(self, messages, *, max_tokens, temperature=0.7):
            seen.append([(m.role, m.content) for m in messages])
            return super().chat(messages, max_tokens=max_tokens, temperature=temperature)

    window = open_window(Recording())
    ask(qtbot, window, "First question")
    ask(qtbot, window, "Second question")
    assert seen[1][1:] == [
        ("user", "First question"),
        ("assistant", NOT_SURE),
        ("user", "Second question"),
    ]


def test_conversations_survive_a_restart(qtbot, open_window):
    window = open_window()
    ask(qtbot, window, "Remember this chat")
    window.close()
    again = open_window()
    assert again.sidebar.list.count() == 1
    again.open_conversation(again.sidebar.list.item(0).data(Qt.ItemDataRole.UserRole))
    assert [w.text for w in again.chat.message_widgets()] == ["Remember this chat", NOT_SURE]
