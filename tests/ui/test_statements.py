"""Teaching by telling, in the window: a stated fact gets the same notice and Undo."""

from PySide6.QtWidgets import QLabel

from ui.correction_widgets import LearnedNotice, ProposalReview

from .conftest import WAIT_MS, ask


def attached(card, kind):
    return [w for w in card.findChildren(kind) if not w.isHidden()]


def labels(widget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel)]


def test_a_stated_fact_is_learned_with_a_notice_and_undo(qtbot, open_window):
    window = open_window()
    card = ask(qtbot, window, "My sister Anna moved to Porto.")
    qtbot.waitUntil(lambda: bool(attached(card, LearnedNotice)), timeout=WAIT_MS)
    notice = attached(card, LearnedNotice)[0]
    # A move is learned as where she lives now, the words a later question uses.
    assert "+  Your sister Anna lives in Porto." in labels(notice)
    [fact] = window.store.facts("Anna")
    assert fact.object == "Porto" and fact.sentence == "My sister Anna lives in Porto."
    notice.undo.click()
    assert window.store.facts("Anna") == []


def test_a_question_or_small_talk_teaches_nothing(qtbot, open_window):
    window = open_window()
    for message in ("Where does my sister Anna live?", "Thanks, that's great!"):
        card = ask(qtbot, window, message)
        qtbot.waitUntil(lambda: not window.flow.busy(), timeout=WAIT_MS)
        assert not attached(card, LearnedNotice)
    assert window.store.facts() == []


def test_ask_before_saving_shows_the_statement_for_approval(qtbot, open_window):
    window = open_window()
    window.settings.ask_before_saving = True
    card = ask(qtbot, window, "My sister Anna moved to Porto.")
    qtbot.waitUntil(lambda: bool(attached(card, ProposalReview)), timeout=WAIT_MS)
    assert window.store.facts() == []  # nothing saved before the user approves


def test_incognito_learns_nothing_from_statements(qtbot, open_window):
    window = open_window()
    window.settings.incognito = True
    card = ask(qtbot, window, "My sister Anna moved to Porto.")
    qtbot.waitUntil(lambda: not window.flow.busy(), timeout=WAIT_MS)
    assert not attached(card, LearnedNotice) and window.store.facts() == []
