"""The knowledge panel on a real store: search, sort, delete (confirmed), jump to the
source message, history with undo, and the graph of an entity."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsSimpleTextItem, QMessageBox

from assistant.facts import AddFact, CorrectionInput, Fact, RemoveFact
from models.fake import FakeLanguageModel
from ui.fact_text import edge_label
from ui.facts_table import FACT, LEARNED, OBJECT, RELATION, SOURCE, SUBJECT
from ui.forget_dialog import ForgetDialog
from ui.graph_view import _Node

from .conftest import ask
from .test_correction import QUESTION, learn


@pytest.fixture
def confirm(monkeypatch):
    """Answer the confirmation dialog without showing it (the box offering to delete
    the messages too is left unticked); records what it asked."""
    asked = []

    def answer(choice):
        def exec_(dialog):
            asked.append(dialog.text())
            return choice

        monkeypatch.setattr(ForgetDialog, "exec", exec_)
        return asked

    return answer


def teach_directly(store, subject, relation, obj, query="typed in the CLI"):
    return store.apply_correction(
        CorrectionInput(query, obj, subject), [AddFact(relation, obj, -0.5, -1.0)]
    )


def column(table, which: int, role=Qt.ItemDataRole.DisplayRole) -> list[str]:
    return [table.proxy.index(row, which).data(role) for row in range(table.proxy.rowCount())]


def test_the_table_lists_facts_with_their_source_and_filters(qtbot, open_window):
    window = open_window()
    learn(qtbot, window)
    teach_directly(window.store, "Anna", "works at", "Google")
    window.show_knowledge()
    table = window.knowledge.facts
    assert table.proxy.rowCount() == len(window.store.facts())
    assert set(column(table, SUBJECT)) == {"Bruno", "Anna"} and all(column(table, LEARNED))
    assert QUESTION in column(table, SOURCE)
    qtbot.keyClicks(table.search, "google")  # found by its object, in a hidden column
    assert column(table, OBJECT) == ["Google"] and table.table.isColumnHidden(OBJECT)
    table.search.clear()
    table.table.sortByColumn(SUBJECT, Qt.SortOrder.AscendingOrder)
    assert column(table, SUBJECT) == ["Anna", "Bruno"]
    table.table.sortByColumn(SUBJECT, Qt.SortOrder.DescendingOrder)
    assert column(table, SUBJECT) == ["Bruno", "Anna"]


def test_each_fact_reads_as_one_sentence_with_its_triple_at_hand(qtbot, open_window):
    window = open_window()
    learn(qtbot, window)  # "Your dog Bruno eats vegetables."
    teach_directly(window.store, "Anna", "works at", "Google")  # a fact with no sentence
    tea = AddFact("drink", "rooibos", -0.5, -1.0, sentence="I drink rooibos in the evening.")
    window.store.apply_correction(
        CorrectionInput("What tea do I drink in the evening?", "rooibos", "You"), [tea]
    )
    window.show_knowledge()
    table = window.knowledge.facts
    assert table.model.headerData(FACT, Qt.Orientation.Horizontal) == "Fact"
    table.table.sortByColumn(FACT, Qt.SortOrder.AscendingOrder)
    assert column(table, FACT) == [
        "Anna works at Google.",
        "You drink rooibos in the evening.",  # the user's own fact, said to them
        "Your dog Bruno eats vegetables.",
    ]
    assert "You" in column(table, SUBJECT) and "@user" not in column(table, SUBJECT)
    tips = column(table, FACT, Qt.ItemDataRole.ToolTipRole)
    assert (
        tips[0] == "Anna works at Google.\n(Anna, works at, Google)\nLearned from: typed in the CLI"
    )
    assert tips[2].endswith(f"\nLearned from: {QUESTION}")
    # Relation, Object and the question are shown from the header's menu.
    header = table.table.horizontalHeader()
    shown = {action.text(): action for action in header.actions()}
    assert set(shown) == {"About", "Relation", "Object", "Learned on", "From message"}
    for name, which in (("Relation", RELATION), ("Object", OBJECT), ("From message", SOURCE)):
        assert not shown[name].isChecked() and table.table.isColumnHidden(which)
    assert shown["About"].isChecked() and not table.table.isColumnHidden(SUBJECT)
    shown["Relation"].trigger()
    assert not table.table.isColumnHidden(RELATION)
    assert "works at" in column(table, RELATION)


def test_deleting_selected_facts_removes_them_everywhere(qtbot, open_window, confirm):
    model = FakeLanguageModel()
    window = open_window(model)
    learn(qtbot, window)
    window.show_knowledge()
    table = window.knowledge.facts
    doomed = table.visible_fact_ids()
    for fact_id in doomed:
        table.select_fact(fact_id, add=True)
    asked = confirm(QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(table.delete_button, Qt.MouseButton.LeftButton)
    assert asked and "for good" in asked[0]
    assert window.store.facts(include_invalid=True) == []
    assert table.proxy.rowCount() == 0
    # The model thread drops every cached prompt that may still hold the facts' text.
    qtbot.waitUntil(lambda: model.caches_forgotten >= 1, timeout=5000)
    # The next answer no longer uses them, and the earlier answer no longer lists them.
    assert "vegetables" not in ask(qtbot, window, QUESTION).text
    assert not window.chat.answers()[0].facts


def test_an_empty_table_says_how_facts_get_there(qtbot, open_window, confirm):
    window = open_window()
    window.show_knowledge()
    table = window.knowledge.facts
    assert table.empty_hint.isVisible()
    assert table.empty_hint.text() == (
        "Nothing learned yet. Thumbs-down a wrong answer and type the right one, "
        "or just tell me a fact."
    )
    assert table.table.viewport().isAncestorOf(table.empty_hint)  # over the rows' area
    learn(qtbot, window)
    assert table.proxy.rowCount() == 1 and not table.empty_hint.isVisible()
    table.select_fact(table.visible_fact_ids()[0])
    confirm(QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(table.delete_button, Qt.MouseButton.LeftButton)
    assert table.proxy.rowCount() == 0 and table.empty_hint.isVisible()


def test_declining_the_confirmation_deletes_nothing(qtbot, open_window, confirm):
    window = open_window()
    learn(qtbot, window)
    window.show_knowledge()
    table = window.knowledge.facts
    table.select_fact(table.visible_fact_ids()[0])
    confirm(QMessageBox.StandardButton.No)
    qtbot.mouseClick(table.delete_button, Qt.MouseButton.LeftButton)
    assert len(window.store.facts()) == table.proxy.rowCount() > 0


def test_a_fact_leads_back_to_the_message_it_came_from(qtbot, open_window):
    window = open_window()
    card, _notice = learn(qtbot, window)
    source_conversation = window.conversation_id
    window.new_chat()
    ask(qtbot, window, "Something else")
    window.show_knowledge()
    table = window.knowledge.facts
    table.select_fact(table.visible_fact_ids()[0])
    qtbot.mouseClick(table.source_button, Qt.MouseButton.LeftButton)
    assert window.conversation_id == source_conversation
    target = window.chat.widget_for_message(card.message_id)
    assert target is not None and target.property("highlighted") is True
    assert target.question == QUESTION


def test_reopening_a_conversation_shows_what_was_learned_there(qtbot, open_window):
    window = open_window()
    learn(qtbot, window)
    conversation = window.conversation_id
    window.new_chat()
    window.open_conversation(conversation)
    from ui.correction_widgets import LearnedNotice

    notices = window.chat.answers()[0].findChildren(LearnedNotice)
    assert len(notices) == 1 and "Bruno" in notices[0].title.text()


def test_history_shows_replaced_facts_and_undoes_a_correction(qtbot, open_window):
    window = open_window()
    learn(qtbot, window, "vegetables")
    card = ask(qtbot, window, QUESTION)
    from ui.correction_widgets import LearnedNotice

    from .test_correction import attached, thumbs_down_and_teach

    thumbs_down_and_teach(qtbot, card, "fish")
    qtbot.waitUntil(lambda: bool(attached(card, LearnedNotice)), timeout=10_000)
    window.show_knowledge()
    history = window.knowledge.history
    assert history.replaced.rowCount() >= 1
    assert history.replaced.item(0, 0).text() == "Your dog Bruno eats vegetables."
    assert history.replaced.item(0, 0).toolTip().endswith(", vegetables)")  # the triple
    edits = history.corrections.topLevelItem(0)
    assert [edits.child(i).text(2) for i in range(edits.childCount())] == [
        "Your dog Bruno eats fish.",
        "Your dog Bruno eats vegetables.",
    ]
    latest = history.correction_ids()[0]
    history.select_correction(latest)
    assert history.undo_button.isEnabled()
    qtbot.mouseClick(history.undo_button, Qt.MouseButton.LeftButton)
    assert {f.object for f in window.store.facts("Bruno")} == {"vegetables"}
    assert history.replaced.rowCount() == 0
    assert "undone" in history.corrections.topLevelItem(0).text(3)
    assert "Undone" in attached(card, LearnedNotice)[0].title.text()  # and in the chat


def test_history_fits_the_panel_without_sideways_scrolling(qtbot, open_window):
    window = open_window()
    long_question = (
        "Where does my sister Anna work these days, now that she has left the bakery "
        "on the corner of the market square?"
    )
    teach_directly(window.store, "Anna", "works at", "the bakery on the market square")
    bakery = window.store.facts("Anna")[0]
    window.store.apply_correction(
        CorrectionInput(long_question, "Microsoft Research Cambridge", "Anna"),
        [
            RemoveFact(bakery.id, -2.0, -1.0),
            AddFact("works at", "Microsoft Research Cambridge", -0.5, -1.0),
        ],
    )
    teach_directly(window.store, "Mrs. Alexandra Konstantinopoulou", "teaches", "piano and violin")
    window.show_knowledge()  # at the panel's default width
    history = window.knowledge.history
    window.knowledge.tabs.setCurrentWidget(history)
    qtbot.waitUntil(lambda: history.corrections.viewport().width() > 0)
    assert history.replaced.rowCount() == 1  # the bakery, replaced
    for view in (history.corrections, history.replaced):
        assert view.horizontalScrollBar().maximum() == 0, view
    cut = history.corrections.topLevelItem(1)  # Anna's second correction, newest first
    assert cut.toolTip(2).startswith(long_question)  # said whole where it is cut


def test_drawing_the_graph_reads_its_facts_once_however_many_edges(qtbot, open_window):
    window = open_window()
    store = window.store
    graph = window.knowledge.graph

    def selects_drawing_bruno():
        statements = []
        store.db.conn.set_trace_callback(statements.append)
        try:
            graph.show_entity("Bruno")
        finally:
            store.db.conn.set_trace_callback(None)
        return [s for s in statements if s.lstrip().upper().startswith("SELECT")]

    teach_directly(store, "Bruno", "owner", "Anna")
    few = selects_drawing_bruno()
    for i in range(10):
        teach_directly(store, "Bruno", f"toy {i}", f"ball {i}")
    many = selects_drawing_bruno()
    assert len(graph.node_names()) == 12
    assert len(many) == len(few)


def test_the_graph_shows_an_entity_and_its_neighbours(qtbot, open_window):
    window = open_window()
    store = window.store
    teach_directly(store, "Bruno", "owner", "Anna")
    teach_directly(store, "Bruno", "diet", "vegetables")
    teach_directly(store, "Anna", "works at", "Google")
    window.show_knowledge()
    graph = window.knowledge.graph
    window.knowledge.tabs.setCurrentWidget(graph)
    graph.show_entity("Bruno")
    assert sorted(graph.node_names()) == ["Anna", "Bruno", "vegetables"]
    tips = {item.toolTip() for item in graph.scene.items() if item.toolTip()}
    assert {"Bruno's owner is Anna.", "Bruno's diet is vegetables."} <= tips  # sentences
    graph.view.node_clicked.emit("Anna")
    assert graph.entity == "Anna"
    assert sorted(graph.node_names()) == ["Anna", "Bruno", "Google"]


def edge_labels(graph) -> list[str]:
    """The texts drawn on edges (a node's name is a child of its node)."""
    return sorted(
        item.text()
        for item in graph.scene.items()
        if isinstance(item, QGraphicsSimpleTextItem) and not isinstance(item.parentItem(), _Node)
    )


def test_an_edge_reads_as_its_facts_sentence_says_not_as_the_raw_relation(qtbot, open_window):
    window = open_window()
    moved = AddFact("moved to", "Munich", -0.5, -1.0, sentence="My friend Tobias lives in Munich.")
    window.store.apply_correction(
        CorrectionInput("Tobias has moved to Munich.", "Munich", "Tobias"), [moved]
    )
    teach_directly(window.store, "Tobias", "owner of", "Rex")  # no sentence: its relation
    window.show_knowledge()
    graph = window.knowledge.graph
    window.knowledge.tabs.setCurrentWidget(graph)
    graph.show_entity("Tobias")
    assert edge_labels(graph) == ["lives in", "owner of"]
    tips = {item.toolTip() for item in graph.scene.items()}
    assert "Your friend Tobias lives in Munich." in tips  # the whole sentence on hover


@pytest.mark.parametrize(
    ("triple", "sentence", "label"),
    [
        (("Tobias", "moved to", "Munich"), "My friend Tobias lives in Munich.", "lives in"),
        (("Rex", "vet", "Dr. Moreau"), "Rex's vet is Dr. Moreau.", "vet"),
        (("You", "tea", "rooibos"), "I drink rooibos in the evening.", "drink"),
        (("Anna", "is a dog", "Bruno"), "The name of my sister Anna's dog is Bruno.", "dog"),
        (("Anna", "works at", "Google"), None, "works at"),
        # The sentence does not name the subject before the object: the relation.
        (("Anna", "works at", "Google"), "Google hired my sister.", "works at"),
        (("Anna", "drinks", "tea"), "Anna, as everyone in the family knows, likes tea.", "drinks"),
    ],
)
def test_an_edge_label_is_the_sentences_link_or_the_relation(triple, sentence, label):
    fact = Fact(1, *triple, created_at="2025-01-01T00:00:00+00:00", sentence=sentence)
    assert edge_label(fact) == label
