"""A two-hop answer in the window: "via ..." under the reply, and its path highlighted
on the knowledge panel's graph, with the fake model on a store holding a chain."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsLineItem, QMessageBox

from assistant.learning.correction import run_correction
from models.fake import FakeLanguageModel
from ui.correction_widgets import CorrectionEditor, LearnedNotice
from ui.graph_view import PATH_PEN_WIDTH

from .conftest import WAIT_MS, ask
from .test_correction import attached, thumbs_down_and_teach
from .test_knowledge_panel import confirm  # noqa: F401 (a fixture)

CHAIN_QUESTION = "Where does my dog's vet work?"
# The fake model picks among the parse's readings ("works at" / "works in").
VIA = re.compile(r"via (Rex's vet Dr\. Moreau, who works (at|in) Vetcare Lyon)")


def teach_the_vet(window, model):
    """ "my dog" -> Rex; Rex's vet Dr. Moreau; Dr. Moreau works at Vetcare Lyon."""
    run_correction(model, window.store, "What breed is my dog Rex?", "beagle")
    run_correction(model, window.store, "Who is Rex's vet?", "Dr. Moreau")
    run_correction(model, window.store, "Where does Dr. Moreau work?", "Vetcare Lyon")


def ask_about_the_vet(qtbot, open_window):
    """A window whose graph holds the chain, and its answer to the chain's question."""
    model = FakeLanguageModel()
    window = open_window(model)
    teach_the_vet(window, model)
    return window, ask(qtbot, window, CHAIN_QUESTION)


def path_lines(graph) -> list[QGraphicsLineItem]:
    return [
        item
        for item in graph.scene.items()
        if isinstance(item, QGraphicsLineItem) and item.pen().widthF() == PATH_PEN_WIDTH
    ]


def test_a_two_hop_reply_says_its_path_under_it(qtbot, open_window):
    window, card = ask_about_the_vet(qtbot, open_window)
    assert "Vetcare Lyon" in card.text
    assert [f.object for f in card.path] == ["Dr. Moreau", "Vetcare Lyon"]
    assert card.path_line.isVisible() and VIA.search(card.path_line.text())
    one_hop = ask(qtbot, window, "Who is Rex's vet?")
    assert "Dr. Moreau" in one_hop.text
    assert one_hop.path == [] and not one_hop.path_line.isVisible()


def test_clicking_the_path_shows_it_on_the_graph(qtbot, open_window):
    window, card = ask_about_the_vet(qtbot, open_window)
    card.path_line.linkActivated.emit("path")
    graph = window.knowledge.graph
    assert window.knowledge_dock.isVisible()
    assert window.knowledge.tabs.currentWidget() is graph
    assert graph.entity == "Rex" and graph.path == card.path
    assert graph.highlighted == ["Rex", "Dr. Moreau", "Vetcare Lyon"]
    assert {"Rex", "Dr. Moreau", "Vetcare Lyon", "beagle"} <= set(graph.node_names())
    assert len(path_lines(graph)) == 2  # both links, and only they
    shown = VIA.search(card.path_line.text()).group(1)
    assert shown in graph.hint.text()
    graph.view.node_clicked.emit("Dr. Moreau")  # moving on leaves the path
    assert graph.entity == "Dr Moreau" and graph.path == [] and not path_lines(graph)


def test_a_reopened_conversation_shows_the_path_again(qtbot, open_window):
    window, _card = ask_about_the_vet(qtbot, open_window)
    conversation = window.conversation_id
    window.new_chat()
    window.open_conversation(conversation)
    [card] = window.chat.answers()
    assert [f.object for f in card.path] == ["Dr. Moreau", "Vetcare Lyon"]
    assert not card.path_line.isHidden() and VIA.search(card.path_line.text())


def test_deleting_a_fact_of_the_path_takes_the_path_away(qtbot, open_window, confirm):  # noqa: F811
    window, card = ask_about_the_vet(qtbot, open_window)
    card.path_line.linkActivated.emit("path")
    table = window.knowledge.facts
    table.select_fact(card.path[1].id)
    confirm(QMessageBox.StandardButton.Yes)
    table.delete_selected()
    assert card.path == [] and not card.path_line.isVisible()
    assert window.knowledge.graph.path == [] and not path_lines(window.knowledge.graph)


def test_a_thumbs_down_on_a_two_hop_reply_corrects_its_last_link(qtbot, open_window):
    window, card = ask_about_the_vet(qtbot, open_window)
    qtbot.mouseClick(card.thumbs_down, Qt.MouseButton.LeftButton)
    editor = attached(card, CorrectionEditor)[0]
    # About names the link that gave the answer: the vet, not the dog.
    assert window.store.resolve_entity(editor.subject.text()) == window.store.resolve_entity(
        "Dr. Moreau"
    )
    qtbot.mouseClick(editor.cancel, Qt.MouseButton.LeftButton)
    thumbs_down_and_teach(qtbot, card, "PetCare Paris")
    qtbot.waitUntil(lambda: bool(attached(card, LearnedNotice)), timeout=WAIT_MS)
    moreau = window.store.resolve_entity("Dr. Moreau")
    assert [f.object for f in window.store.valid_facts_of(moreau)] == ["PetCare Paris"]
    assert [f.object for f in window.store.valid_facts_of("Rex")] == ["beagle", "Dr. Moreau"]
