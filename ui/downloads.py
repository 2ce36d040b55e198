"""Installing a catalog model in the background, with progress and cancel.

A download is network and disk work, not a model call, so it runs in its own thread
beside the model thread (the app stays usable meanwhile). Cancelling sets an event
that :mod:`models.download` checks between chunks; the partial file stays for a resume.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QThread, Signal

from models.download import DownloadCancelled
from models.management import download_model

from .errors import describe


class DownloadJob(QThread):
    progress = Signal(object, object)  # bytes done, total bytes (or None)
    succeeded = Signal(str)  # installed path
    failed = Signal(object)  # ui.errors.Problem
    cancelled = Signal()

    def __init__(self, home: Path, model_name: str, endpoint: str | None = None, parent=None):
        super().__init__(parent)
        self.home = home
        self.model_name = model_name
        self.endpoint = endpoint
        self._cancel = threading.Event()
        self._last_percent = -1

    def cancel(self) -> None:
        self._cancel.set()

    def _report(self, done: int, total: int | None) -> None:
        # The hub reports every chunk; the progress bar only needs whole percents.
        percent = int(done * 100 / total) if total else done // (1 << 20)
        if percent != self._last_percent:
            self._last_percent = percent
            self.progress.emit(done, total)

    def run(self) -> None:
        try:
            path = download_model(
                self.home,
                self.model_name,
                on_progress=self._report,
                cancel=self._cancel,
                endpoint=self.endpoint,
            )
        except DownloadCancelled:
            self.cancelled.emit()
        except Exception as error:  # shown in the dialog; the app carries on
            self.failed.emit(describe(error))
        else:
            self.succeeded.emit(str(path))
