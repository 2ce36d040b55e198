"""Settings persist and reload the model when needed; problems show as messages in
the window (missing or corrupt model, context too long, out of memory), never a crash."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QPoint, QRect

from assistant.errors import ContextOverflowError, ModelError
from assistant.settings import load_settings
from models.fake import FakeLanguageModel
from models.loader import load_model
from ui.settings_dialog import LOCAL_ONLY, WITH_SERVER, SettingsDialog, needs_reload

from .conftest import WAIT_MS, ask, type_and_send


def test_settings_from_the_dialog_persist(qtbot, open_window, private_home):
    window = open_window()
    dialog = SettingsDialog(window.home, window.settings, window)
    qtbot.addWidget(dialog)
    dialog.temperature.setValue(0.2)
    dialog.k_relations.setValue(3)
    dialog.gpu_auto.setChecked(False)
    dialog.gpu_layers.setValue(12)
    dialog.ask_before_saving.setChecked(True)
    window.apply_settings(dialog.settings())
    saved = load_settings(private_home)
    assert (saved.temperature, saved.k_relations, saved.n_gpu_layers, saved.ask_before_saving) == (
        0.2,
        3,
        12,
        True,
    )
    assert saved.eps == window.settings.eps  # untouched settings keep their exact value
    again = open_window()
    assert again.settings.temperature == 0.2 and again.settings.k_relations == 3


def test_changing_the_model_reloads_it_but_other_settings_do_not(qtbot, open_window):
    loads = []

    def factory(settings):
        loads.append(settings.context_length)
        return FakeLanguageModel()

    window = open_window(factory=factory)
    window.apply_settings(replace(window.settings, temperature=0.1))
    assert loads == [4096]
    window.apply_settings(replace(window.settings, context_length=2048))
    qtbot.waitUntil(lambda: len(loads) == 2 and window.model_name is not None, timeout=WAIT_MS)
    assert loads == [4096, 2048]


def test_the_dialog_shows_the_device_and_the_catalog(qtbot, open_window):
    window = open_window()
    dialog = SettingsDialog(window.home, window.settings, window)
    qtbot.addWidget(dialog)
    assert dialog.models.device.text().startswith("Runs on: CPU")
    assert "Llama 3 8B" in dialog.models.radios["llama-3-8b-instruct"].text()
    assert dialog.models.model_path() is None  # the embedded model is the default
    dialog.models.local_path.setText("/models/x.gguf")
    dialog.models.local_radio.setChecked(True)
    assert dialog.settings().model_path == "/models/x.gguf"


def test_the_dialog_fits_a_laptop_screen_with_every_setting_on_a_tab(qtbot, open_window):
    window = open_window()
    dialog = SettingsDialog(window.home, window.settings, window)
    qtbot.addWidget(dialog)
    assert dialog.sizeHint().height() <= 700  # a 768-pixel screen, less its panel and title
    dialog.resize(dialog.sizeHint())
    dialog.show()
    qtbot.waitExposed(dialog)
    controls = [
        dialog.models,
        dialog.gpu_layers,
        dialog.context_length,
        dialog.temperature,
        dialog.server_url,
        dialog.k_relations,
        dialog.eps,
        dialog.top_n,
        dialog.incognito,
        dialog.ask_before_saving,
    ]
    shown = set()
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        for control in controls:
            if control.isVisible():
                where = QRect(control.mapTo(dialog, QPoint(0, 0)), control.size())
                assert dialog.rect().contains(where), control
                shown.add(id(control))
    assert len(shown) == len(controls)


def test_a_missing_model_file_is_a_clear_message(qtbot, open_window, tmp_path):
    window = open_window(
        factory=lambda settings: load_model(settings, str(tmp_path / "gone.gguf")), wait_ready=False
    )
    qtbot.waitUntil(window.banner.isVisible, timeout=WAIT_MS)
    assert "model file not found" in window.banner.text()
    assert window.banner.settings_button.isVisible()
    assert window.model_status.text() == "No model loaded"
    assert not window.composer.button.isEnabled()


def test_a_corrupt_model_file_is_a_clear_message(qtbot, open_window, tmp_path):
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"not a model at all" * 100)
    window = open_window(
        factory=lambda settings: load_model(settings, str(broken)), wait_ready=False
    )
    qtbot.waitUntil(window.banner.isVisible, timeout=WAIT_MS)
    assert "not a GGUF model file" in window.banner.text()


def test_running_out_of_memory_while_loading_is_a_clear_message(qtbot, open_window):
    def factory(settings):
        raise MemoryError()

    window = open_window(factory=factory, wait_ready=False)
    qtbot.waitUntil(window.banner.isVisible, timeout=WAIT_MS)
    assert window.banner.text().startswith("Out of memory")


def test_a_message_too_long_for_the_context_is_a_clear_message(qtbot, open_window):
    window = open_window(FakeLanguageModel(context_length=300))
    type_and_send(qtbot, window, "word " * 400)
    qtbot.waitUntil(lambda: window.active_request is None, timeout=WAIT_MS)
    assert window.banner.isVisible() and "Too long for the model" in window.banner.text()
    assert window.chat.answers()[-1].status.text() == "Failed"
    assert ask(qtbot, window, "short one").text  # and the chat goes on


def test_a_model_failing_mid_answer_is_shown_not_raised(qtbot, open_window):
    class Failing(FakeLanguageModel):
        def chat(self, messages, *, max_tokens, temperature=0.7):
            yield "Partial"
            raise ModelError("llama.cpp failed to evaluate a prompt")

    window = open_window(Failing())
    type_and_send(qtbot, window, "Hello")
    qtbot.waitUntil(lambda: window.active_request is None, timeout=WAIT_MS)
    assert "Model problem: llama.cpp failed" in window.banner.text()


def test_a_context_error_during_learning_shows_in_the_editor(qtbot, open_window):
    class NoRoom(FakeLanguageModel):
        def score(self, requests):
            raise ContextOverflowError("a prompt of 9000 tokens is too long to score")

    from .test_correction import QUESTION, thumbs_down_and_teach

    window = open_window(NoRoom())
    card = ask(qtbot, window, QUESTION)
    editor = thumbs_down_and_teach(qtbot, card, "vegetables")
    qtbot.waitUntil(lambda: not editor.error.isHidden(), timeout=WAIT_MS)
    assert "too long to score" in editor.error.text()
    assert window.store.facts() == []


def test_the_dialog_sets_an_inference_server_and_says_what_leaves(qtbot, open_window):
    window = open_window()
    dialog = SettingsDialog(window.home, window.settings, window)
    qtbot.addWidget(dialog)
    assert dialog.privacy_note.text() == LOCAL_ONLY
    dialog.server_url.setText(" http://gpu-box:8000/v1 ")
    dialog.server_key_env.setText("GPU_BOX_KEY")
    assert dialog.privacy_note.text() == WITH_SERVER
    chosen = dialog.settings()
    assert (chosen.server_url, chosen.server_model, chosen.server_api_key_env) == (
        "http://gpu-box:8000/v1",
        None,
        "GPU_BOX_KEY",
    )
    assert needs_reload(window.settings, chosen)
