"""Choosing the model: the catalog's models (download or install them here) or any
local GGUF file; and which device llama.cpp will run it on."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from models import catalog, gpu
from models.download import format_bytes
from models.management import list_models

from .downloads import DownloadJob

LOCAL_FILE = "local-file"


def device_description() -> str:
    """ "CPU", "CUDA: NVIDIA ..." or "Metal: Apple M2": where the model will run."""
    backend = gpu.detect_backend()
    if backend == "cpu":
        return "CPU (this llama.cpp build has no GPU offload, or no GPU was found)"
    gpus = [d for d in gpu.list_devices() if d.is_gpu]
    detail = f": {gpus[0].description}" if gpus else ""
    return f"{backend.upper() if backend == 'cuda' else backend.capitalize()}{detail}"


def _row_text(row: dict) -> str:
    model = catalog.get_model(row["name"])
    size = format_bytes(row["size_bytes"])
    notes = [size]
    if row["recommended"]:
        notes.append("recommended")
    if row["installed"]:
        notes.append("installed")
    elif row["partial_bytes"]:
        notes.append(f"{format_bytes(row['partial_bytes'])} downloaded")
    if row["fits"] is False:
        notes.append("too big for this machine")
    return f"{model.title}  —  {', '.join(notes)}"


class ModelChooser(QWidget):
    download_finished = Signal(str)  # model name

    def __init__(self, home: Path, model_path: str | None, parent=None):
        super().__init__(parent)
        self.home = home
        self.rows = {row["name"]: row for row in list_models(home)}
        self.group = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        self.download_buttons: dict[str, QPushButton] = {}
        self.job: DownloadJob | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        grid = QGridLayout()
        grid.setColumnStretch(0, 1)
        for index, row in enumerate(self.rows.values()):
            self._add_row(grid, index, row)
        layout.addLayout(grid)
        layout.addLayout(self._local_row())
        layout.addWidget(self._progress_row())
        self.device = QLabel(f"Runs on: {device_description()}", objectName="Muted", wordWrap=True)
        layout.addWidget(self.device)
        self._select_initial(model_path)

    def _add_row(self, grid: QGridLayout, index: int, row: dict) -> None:
        radio = QRadioButton(_row_text(row))
        radio.setEnabled(row["installed"])
        self.group.addButton(radio)
        self.radios[row["name"]] = radio
        grid.addWidget(radio, index, 0)
        if not row["installed"]:
            verb = "Download" if catalog.get_model(row["name"]).from_hub else "Install"
            button = QPushButton(verb)
            button.clicked.connect(lambda _=False, name=row["name"]: self.start_download(name))
            self.download_buttons[row["name"]] = button
            grid.addWidget(button, index, 1)

    def _local_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.local_radio = QRadioButton("GGUF file:")
        self.group.addButton(self.local_radio)
        self.radios[LOCAL_FILE] = self.local_radio
        self.local_path = QLineEdit(placeholderText="/path/to/model.gguf")
        self.local_path.textEdited.connect(lambda _text: self.local_radio.setChecked(True))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row.addWidget(self.local_radio)
        row.addWidget(self.local_path, 1)
        row.addWidget(browse)
        return row

    def _progress_row(self) -> QWidget:
        self.progress_box = QWidget()
        row = QHBoxLayout(self.progress_box)
        row.setContentsMargins(0, 0, 0, 0)
        self.progress_label = QLabel(objectName="Muted")
        self.progress = QProgressBar(maximum=1000, textVisible=False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel_download)
        row.addWidget(self.progress_label)
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        self.progress_box.hide()
        return self.progress_box

    def _select_initial(self, model_path: str | None) -> None:
        if model_path is None:
            self.radios[catalog.OFFLINE_DEFAULT_MODEL].setChecked(True)
            return
        for name, row in self.rows.items():
            if (
                row["path"]
                and Path(row["path"]).resolve() == Path(model_path).expanduser().resolve()
            ):
                self.radios[name].setChecked(True)
                return
        self.local_path.setText(model_path)
        self.local_radio.setChecked(True)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose a GGUF model", str(Path.home()), "GGUF models (*.gguf);;All files (*)"
        )
        if path:
            self.local_path.setText(path)
            self.local_radio.setChecked(True)

    def model_path(self) -> str | None:
        """The ``model_path`` setting for the choice: None means the embedded model."""
        for name, radio in self.radios.items():
            if not radio.isChecked():
                continue
            if name == LOCAL_FILE:
                return self.local_path.text().strip() or None
            if name == catalog.OFFLINE_DEFAULT_MODEL:
                return None
            return self.rows[name]["path"]
        return None

    # ----- downloads ------------------------------------------------------------

    def start_download(self, name: str, endpoint: str | None = None) -> DownloadJob:
        if self.job is not None:
            return self.job
        self.job = DownloadJob(self.home, name, endpoint, parent=self)
        self.job.progress.connect(self._on_progress)
        self.job.succeeded.connect(lambda path: self._on_done(name, path))
        self.job.failed.connect(lambda problem: self._on_stopped(problem.message))
        self.job.cancelled.connect(
            lambda: self._on_stopped("Cancelled. Press Download again to resume.")
        )
        for button in self.download_buttons.values():
            button.setEnabled(False)
        self.progress_label.setText(f"Getting {catalog.get_model(name).title}…")
        self.progress.setValue(0)
        self.progress_box.show()
        self.cancel_button.setEnabled(True)
        self.job.start()
        return self.job

    def cancel_download(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)

    def _on_progress(self, done: int, total: int | None) -> None:
        if total:
            self.progress.setValue(int(done * 1000 / total))
            self.progress_label.setText(f"{format_bytes(done)} of {format_bytes(total)}")
        else:
            self.progress.setMaximum(0)  # busy indicator: size unknown
            self.progress_label.setText(format_bytes(done))

    def _on_done(self, name: str, path: str) -> None:
        self.rows[name] = dict(self.rows[name], installed=True, path=path)
        self.radios[name].setText(_row_text(self.rows[name]))
        self.radios[name].setEnabled(True)
        self.radios[name].setChecked(True)
        self.download_buttons.pop(name).hide()
        self._finish_job(f"Installed {catalog.get_model(name).title}.")
        self.download_finished.emit(name)

    def _on_stopped(self, message: str) -> None:
        self._finish_job(message)

    def _finish_job(self, message: str) -> None:
        if self.job is not None:
            self.job.wait()
            self.job = None
        self.progress_label.setText(message)
        self.progress.setMaximum(1000)
        self.cancel_button.setEnabled(False)
        for button in self.download_buttons.values():
            button.setEnabled(True)

    def closeEvent(self, event) -> None:
        self.cancel_download()
        if self.job is not None:
            self.job.wait()
        super().closeEvent(event)
