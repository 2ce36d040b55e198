"""The window end to end on the real llama.cpp backend and the embedded SmolLM2 model:
loaded by models.loader in the model thread, a streamed answer stopped midway (the
tiny model rambles; stopping also checks that llama.cpp's stream closes cleanly), a
correction learned inline, and the next answer using it."""

from __future__ import annotations

import pytest

from assistant.settings import update_settings
from models.loader import load_model
from ui.correction_widgets import LearnedNotice

from .test_correction import QUESTION, attached, thumbs_down_and_teach

REAL_MODEL_MS = 180_000


def ask_and_stop(qtbot, window, question, pieces, enough=4):
    pieces.clear()
    window.composer.input.setPlainText(question)
    window.composer.input.submitted.emit()
    qtbot.waitUntil(
        lambda: len(pieces) >= enough or window.active_request is None, timeout=REAL_MODEL_MS
    )
    window.stop()
    qtbot.waitUntil(lambda: window.active_request is None, timeout=REAL_MODEL_MS)
    return window.chat.answers()[-1]


@pytest.mark.real_model
def test_chat_and_learn_with_the_real_model(qtbot, open_window, private_home, embedded_model_path):
    update_settings(private_home, temperature=0.0, context_length=2048)
    window = open_window(
        factory=lambda settings: load_model(settings, embedded_model_path), wait_ready=False
    )
    qtbot.waitUntil(lambda: window.model_name is not None, timeout=REAL_MODEL_MS)
    assert window.model_name.endswith(".gguf") and "CPU" in window.model_status.text()
    pieces = []
    window.engine.worker.answer_piece.connect(lambda _id, piece: pieces.append(piece))
    # Stop is tried on a reply the model writes at length: a question about the user's
    # world it cannot answer gets one honest line, whole, before Stop could matter.
    story = ask_and_stop(qtbot, window, "Tell me a long story about a dog.", pieces)
    assert len(pieces) >= 4 and story.text == "".join(pieces) and story.text.strip()
    assert story.stopped
    assert not window.banner.isVisible()
    card = ask_and_stop(qtbot, window, QUESTION, pieces)
    assert card.text.strip()

    thumbs_down_and_teach(qtbot, card, "vegetables")
    qtbot.waitUntil(lambda: bool(attached(card, LearnedNotice)), timeout=REAL_MODEL_MS)
    learned = window.store.facts("Bruno")
    assert learned and all(f.object == "vegetables" for f in learned)
    assert window.store.correction(learned[0].correction_id).message_id == str(card.message_id)

    second = ask_and_stop(qtbot, window, "What food does Bruno like?", pieces)
    assert second.subject == "Bruno"
    assert {f.id for f in second.facts} <= {f.id for f in learned} and second.facts
