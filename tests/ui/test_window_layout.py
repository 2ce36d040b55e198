"""What a newcomer sees first: the model named as people name it, and the window's
parts laid out without overlapping or needing sideways scrolling."""

from __future__ import annotations

from models.catalog import get_model
from models.fake import FakeLanguageModel


def fake_named(name: str) -> FakeLanguageModel:
    model = FakeLanguageModel()
    model.name = name
    return model


def test_the_sidebar_names_a_catalog_model_by_its_title(open_window):
    copy = "SmolLM2-135M-Instruct.Q4_1-as-Q8_0.gguf"  # what the loader runs on a CPU
    window = open_window(fake_named(copy))
    status = window.model_status.text()
    assert status.startswith(f"Model: {get_model('smollm2-135m').title}\n")
    assert ".gguf" not in status
    assert copy in window.model_status.toolTip()  # the file is still at hand


def test_the_sidebar_names_any_other_file_by_its_stem(open_window):
    window = open_window(fake_named("Mistral-7B-Instruct-v0.3.Q4_K_M.gguf"))
    assert window.model_status.text().startswith("Model: Mistral-7B-Instruct-v0.3.Q4_K_M\n")


LONG_TITLE = "What does my dog Bruno eat on weekdays, and what on Sundays when we visit my mother?"


def test_the_chat_title_never_runs_under_the_knowledge_button(qtbot, open_window):
    window = open_window()
    window.title.setText(LONG_TITLE)
    window.show_knowledge()
    default_width = window.width()
    for width in (default_width, window.minimumSizeHint().width()):  # as narrow as it goes
        window.resize(width, window.height())
        qtbot.waitUntil(lambda w=width: window.width() == w)
        title, button = window.title, window.knowledge_button
        assert window.knowledge_dock.isVisible() and title.isVisible()
        assert title.parentWidget() is button.parentWidget()
        assert not title.geometry().intersects(button.geometry()), width
        assert title.geometry().right() < button.geometry().left()
        shown = title.shown_text()
        assert shown.endswith("…") and LONG_TITLE.startswith(shown[:-1])
        assert title.fontMetrics().horizontalAdvance(shown) <= title.contentsRect().width()
    assert window.title.text() == window.title.toolTip() == LONG_TITLE


def test_a_short_title_is_shown_whole(open_window):
    window = open_window()
    window.title.setText("Bruno")
    assert window.title.shown_text() == "Bruno"
