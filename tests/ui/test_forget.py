"""Forgetting from the knowledge panel, through the real confirmation dialog: it offers
to delete the messages that state the fact or entity, names their conversations, and
the chat, the sidebar and the model's caches follow what was deleted."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from assistant.store.conversations import ConversationStore
from assistant.store.database import open_database
from models.fake import FakeLanguageModel
from ui.forget_dialog import ForgetDialog, where_they_are

from .conftest import WAIT_MS, ask
from .test_correction import QUESTION, learn

PERU = "What is the capital of Peru?"


def answer_the_dialog(qtbot, tick: bool) -> list[dict]:
    """When the confirmation opens (modal: it runs its own event loop), read it, tick
    the box offering to delete the messages or leave it, and press Yes."""
    seen: list[dict] = []

    def respond():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ForgetDialog):
            QTimer.singleShot(10, respond)  # not open yet: look again at its next event
            return
        seen.append(
            {
                "text": dialog.text(),
                "box": dialog.also.text() if dialog.also else None,
                "where": dialog.informativeText(),
            }
        )
        if dialog.also is not None:
            dialog.also.setChecked(tick)
        qtbot.mouseClick(dialog.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, respond)
    return seen


def forget_from_the_graph(qtbot, window, entity: str, tick: bool) -> list[dict]:
    """Show ``entity`` in the knowledge panel's graph and press Forget…, answering yes."""
    window.show_knowledge()
    graph = window.knowledge.graph
    window.knowledge.tabs.setCurrentWidget(graph)
    graph.show_entity(entity)
    seen = answer_the_dialog(qtbot, tick)
    qtbot.mouseClick(graph.forget_button, Qt.MouseButton.LeftButton)
    return seen


def shown(window) -> list[str]:
    return [widget.text for widget in window.chat.message_widgets()]


def all_messages(window) -> list[str]:
    return [m.content for m in window.conversations.all_messages()]


def test_deleting_a_fact_can_delete_the_messages_that_state_it(qtbot, open_window):
    model = FakeLanguageModel()
    window = open_window(model)
    learn(qtbot, window)  # "vegetables", by thumbs-down on the answer to QUESTION
    learned_in = window.conversation_id
    peru = ask(qtbot, window, PERU)
    told = window.conversations.create()
    window.conversations.add_message(told.id, "user", "Bruno loves vegetables.")
    window.conversations.add_message(told.id, "assistant", "Good dog.")
    window.refresh_sidebar()
    window.show_knowledge()
    table = window.knowledge.facts
    table.select_fact(table.visible_fact_ids()[0])

    seen = answer_the_dialog(qtbot, tick=True)
    qtbot.mouseClick(table.delete_button, Qt.MouseButton.LeftButton)

    assert seen[0]["box"] == "Also delete the 4 messages that mention it"
    assert seen[0]["where"] == (
        f"Messages that mention it are in “{QUESTION}” (2 messages) and “Bruno loves "
        "vegetables.” (2 messages); they stay unless you tick the box."
    )
    assert window.store.facts() == []
    assert all_messages(window) == [PERU, peru.text]
    # The chat on screen loses the deleted exchange; the conversation is now named
    # after its first question left, and the one left empty is gone from the sidebar.
    assert window.conversation_id == learned_in and shown(window) == [PERU, peru.text]
    assert window.title.text() == PERU
    assert window.sidebar.list.count() == 1
    qtbot.waitUntil(lambda: model.caches_forgotten >= 1, timeout=WAIT_MS)


def test_forgetting_an_entity_keeps_its_messages_unless_asked(qtbot, open_window):
    model = FakeLanguageModel()
    window = open_window(model)
    card, _ = learn(qtbot, window)
    seen = forget_from_the_graph(qtbot, window, "Bruno", tick=False)
    assert seen[0]["text"].startswith("Forget Bruno for good? Its 1 fact,")
    assert seen[0]["box"] == "Also delete the 2 messages that mention it"
    assert window.store.entity_names() == []
    assert all_messages(window) == [QUESTION, card.text] == shown(window)
    graph = window.knowledge.graph
    assert graph.entity is None and not graph.forget_button.isEnabled()
    qtbot.waitUntil(lambda: model.caches_forgotten >= 1, timeout=WAIT_MS)


def test_forgetting_the_whole_open_conversation_opens_a_new_chat(qtbot, open_window):
    window = open_window()
    learn(qtbot, window)
    forget_from_the_graph(qtbot, window, "Bruno", tick=True)
    assert all_messages(window) == [] and window.conversations.conversations() == []
    assert window.conversation_id is None and shown(window) == []
    assert window.sidebar.list.count() == 0 and window.chat.empty.isVisible()


def test_without_messages_that_state_it_there_is_nothing_more_to_offer(qtbot, open_window):
    window = open_window()
    window.store.add_alias("Bruno", "my dog")
    ask(qtbot, window, "Hello there")
    seen = forget_from_the_graph(qtbot, window, "Bruno", tick=True)
    assert seen[0]["box"] is None and seen[0]["where"] == ""
    assert window.store.entity_names() == [] and len(all_messages(window)) == 2


def test_the_dialog_names_five_conversations_and_counts_the_rest(tmp_path):
    conversations = ConversationStore(open_database(tmp_path / "chats.db"))
    chats = [conversations.create(f"Chat {i}") for i in range(7)]
    messages = [conversations.add_message(c.id, "user", "Bruno eats kale.") for c in chats]
    messages.append(conversations.add_message(chats[0].id, "assistant", "Kale, then."))
    listed = ", ".join(f"“Chat {i}” (1 message)" for i in range(1, 5))
    assert where_they_are(conversations, messages, "them") == (
        f"Messages that mention them are in “Chat 0” (2 messages), {listed} and 2 more "
        "conversations; they stay unless you tick the box."
    )
