"""Models and settings: the model, how it runs, how it learns, and privacy switches.

The dialog edits a copy of :class:`assistant.settings.Settings`; the window saves it
(``save_settings``) and reloads the model only when a setting that needs it changed.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from assistant.api import Settings

from .model_chooser import ModelChooser

#: Settings read when the model is loaded: changing one means loading it again.
MODEL_SETTINGS = (
    "model_path",
    "n_gpu_layers",
    "context_length",
    "server_url",
    "server_model",
    "server_api_key_env",
)
#: What the privacy group says, with and without an inference server.
LOCAL_ONLY = "Nothing ever leaves this computer."
WITH_SERVER = (
    "With a server, prompts (your question and the facts retrieved for it) go to it; "
    "the graph and the corrections stay on this computer."
)


def needs_reload(old: Settings, new: Settings) -> bool:
    return any(getattr(old, name) != getattr(new, name) for name in MODEL_SETTINGS)


def _spin(low: int, high: int, value: int, step: int = 1) -> QSpinBox:
    box = QSpinBox(minimum=low, maximum=high, singleStep=step)
    box.setValue(int(value))
    return box


def _real(low: float, high: float, value: float, step: float, decimals: int) -> QDoubleSpinBox:
    box = QDoubleSpinBox(minimum=low, maximum=high, singleStep=step, decimals=decimals)
    box.setValue(float(value))
    return box


class SettingsDialog(QDialog):
    def __init__(self, home: Path, settings: Settings, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Models and settings")
        self.setMinimumWidth(640)
        self.original = settings
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        self.models = ModelChooser(home, settings.model_path)
        # Three pages, not one column of five groups: that was taller than a laptop's
        # 768-pixel screen.
        self.tabs = QTabWidget()
        self.tabs.addTab(self._page(self._group("Model", self.models)), "Model")
        self.tabs.addTab(
            self._page(
                self._group("Running the model", self._running(settings)),
                self._group("Inference server", self._server(settings)),
            ),
            "Running",
        )
        self.tabs.addTab(
            self._page(
                self._group("Learning", self._learning(settings)),
                self._group("Privacy", self._privacy(settings)),
            ),
            "Learning and privacy",
        )
        layout.addWidget(self.tabs)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _page(*groups: QGroupBox) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setSpacing(12)
        for group in groups:
            column.addWidget(group)
        column.addStretch(1)
        return page

    @staticmethod
    def _group(title: str, content: QWidget) -> QGroupBox:
        group = QGroupBox(title)
        box = QVBoxLayout(group)
        box.addWidget(content)
        return group

    def _running(self, s: Settings) -> QWidget:
        form_widget = QWidget()
        form = QFormLayout(form_widget)
        self.gpu_auto = QCheckBox("automatic (all layers when a GPU is usable)")
        self.gpu_layers = _spin(-1, 999, -1 if s.n_gpu_layers == "auto" else s.n_gpu_layers)
        self.gpu_layers.setSpecialValueText("all")
        self.gpu_auto.toggled.connect(lambda on: self.gpu_layers.setEnabled(not on))
        self.gpu_auto.setChecked(s.n_gpu_layers == "auto")
        self.gpu_layers.setEnabled(s.n_gpu_layers != "auto")
        gpu_row = QHBoxLayout()
        gpu_row.addWidget(self.gpu_layers)
        gpu_row.addWidget(self.gpu_auto, 1)
        form.addRow("GPU layers:", gpu_row)
        self.context_length = _spin(512, 131072, s.context_length, 512)
        self.context_length.setSuffix(" tokens")
        form.addRow("Context size:", self.context_length)
        self.temperature = _real(0.0, 2.0, s.temperature, 0.1, 2)
        form.addRow("Temperature:", self.temperature)
        return form_widget

    def _server(self, s: Settings) -> QWidget:
        form_widget = QWidget()
        form = QFormLayout(form_widget)
        self.server_url = QLineEdit(s.server_url or "")
        self.server_url.setPlaceholderText(
            "empty: run the model here (e.g. http://gpu-box:8000/v1)"
        )
        self.server_url.setToolTip(
            "An OpenAI-compatible server that returns prompt log-probabilities: "
            "the llama-cpp-python server or vLLM. Use https or an SSH tunnel across networks."
        )
        form.addRow("Server address:", self.server_url)
        self.server_model = QLineEdit(s.server_model or "")
        self.server_model.setPlaceholderText("empty: the server's first model")
        form.addRow("Model name:", self.server_model)
        self.server_key_env = QLineEdit(s.server_api_key_env)
        self.server_key_env.setToolTip(
            "The environment variable that holds the API key; the key is never saved"
        )
        form.addRow("API key variable:", self.server_key_env)
        return form_widget

    def _learning(self, s: Settings) -> QWidget:
        form_widget = QWidget()
        form = QFormLayout(form_widget)
        self.k_relations = _spin(1, 10, s.k_relations)
        self.k_relations.setToolTip("Candidate relations the model names per correction (K)")
        form.addRow("Candidate relations (K):", self.k_relations)
        self.eps = _real(0.01, 5.0, s.eps, 0.05, 3)
        self.eps.setToolTip("Stop adding and removing facts once the answer's loss is below this")
        form.addRow("Stop threshold (eps):", self.eps)
        self.top_n = _spin(1, 10, s.top_n_facts)
        form.addRow("Facts per answer:", self.top_n)
        return form_widget

    def _privacy(self, s: Settings) -> QWidget:
        widget = QWidget()
        column = QVBoxLayout(widget)
        column.setContentsMargins(0, 0, 0, 0)
        self.incognito = QCheckBox("Incognito: learn nothing and store no conversation")
        self.incognito.setChecked(s.incognito)
        self.ask_before_saving = QCheckBox("Ask before saving what a correction learns")
        self.ask_before_saving.setChecked(s.ask_before_saving)
        column.addWidget(self.incognito)
        column.addWidget(self.ask_before_saving)
        self.privacy_note = QLabel(objectName="Muted", wordWrap=True)
        self.server_url.textChanged.connect(self._update_privacy_note)
        self._update_privacy_note()
        column.addWidget(self.privacy_note)
        return widget

    def _update_privacy_note(self) -> None:
        self.privacy_note.setText(WITH_SERVER if self.server_url.text().strip() else LOCAL_ONLY)

    def settings(self) -> Settings:
        """The settings as edited (unknown to the dialog: kept as they were)."""
        return replace(
            self.original,
            model_path=self.models.model_path(),
            n_gpu_layers="auto" if self.gpu_auto.isChecked() else self.gpu_layers.value(),
            context_length=self.context_length.value(),
            temperature=round(self.temperature.value(), 2),
            k_relations=self.k_relations.value(),
            eps=self.eps.value()
            if abs(self.eps.value() - round(self.original.eps, 3)) > 1e-9
            else self.original.eps,
            top_n_facts=self.top_n.value(),
            incognito=self.incognito.isChecked(),
            ask_before_saving=self.ask_before_saving.isChecked(),
            server_url=self.server_url.text().strip() or None,
            server_model=self.server_model.text().strip() or None,
            server_api_key_env=self.server_key_env.text().strip() or "ASSISTANT_API_KEY",
        )

    def done(self, result: int) -> None:
        self.models.cancel_download()
        if self.models.job is not None:
            self.models.job.wait()
        super().done(result)
