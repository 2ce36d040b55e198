"""Downloading the recommended model from the settings dialog, against a local fake hub:
the progress bar fills, the model becomes selectable; Cancel stops and keeps the part."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt

from assistant.paths import models_dir
from models import catalog
from tests.models.hub_server import FakeHub
from ui.model_chooser import ModelChooser

CONTENT = os.urandom(700_001)
RECOMMENDED = catalog.get_model(catalog.RECOMMENDED_MODEL)


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "DOWNLOAD_CHUNK_SIZE", 64 * 1024)


@pytest.fixture
def hub(monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "")  # never send a developer's token to the fake hub
    with FakeHub() as server:
        server.add_file(RECOMMENDED.repo_id, RECOMMENDED.filename, CONTENT)
        yield server


def test_download_shows_progress_and_makes_the_model_selectable(qtbot, private_home, hub):
    chooser = ModelChooser(private_home, None)
    qtbot.addWidget(chooser)
    radio = chooser.radios[RECOMMENDED.name]
    assert not radio.isEnabled() and RECOMMENDED.name in chooser.download_buttons
    seen = []
    job = chooser.start_download(RECOMMENDED.name, endpoint=hub.url)
    job.progress.connect(lambda done, total: seen.append(chooser.progress.value()))
    with qtbot.waitSignal(chooser.download_finished, timeout=20_000):
        pass
    assert seen and seen[-1] == 1000 and seen == sorted(seen)
    installed = models_dir(private_home) / RECOMMENDED.filename
    assert installed.read_bytes() == CONTENT
    assert radio.isEnabled() and radio.isChecked() and "installed" in radio.text()
    assert chooser.model_path() == str(installed)


def test_cancel_stops_the_download_and_keeps_the_partial_file(qtbot, private_home, hub):
    chooser = ModelChooser(private_home, None)
    qtbot.addWidget(chooser)
    job = chooser.start_download(RECOMMENDED.name, endpoint=hub.url)
    # Cancel from the download thread itself at the first bytes: deterministic.
    job.progress.connect(
        lambda done, total: done and job.cancel(), Qt.ConnectionType.DirectConnection
    )
    qtbot.waitUntil(lambda: chooser.job is None, timeout=20_000)
    assert "Cancelled" in chooser.progress_label.text()
    assert not (models_dir(private_home) / RECOMMENDED.filename).exists()
    partial = list(models_dir(private_home).glob("*.incomplete"))
    assert partial and 0 < partial[0].stat().st_size < len(CONTENT)
    assert chooser.download_buttons[RECOMMENDED.name].isEnabled()  # can resume
