"""Downloads against a fake hub on 127.0.0.1: progress, cancel, resume, checksums, offline."""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
import time

import pytest

from assistant.errors import ModelError
from models import download
from models.download import DownloadCancelled, download_file, partial_path
from tests.models.hub_server import FakeHub

REPO = "someone/tiny-GGUF"
NAME = "tiny.Q4_K_M.gguf"
CONTENT = os.urandom(1_000_003)  # not a multiple of the chunk size, so the last chunk is short
SHA256 = hashlib.sha256(CONTENT).hexdigest()
CHUNK = 64 * 1024


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    # The hub client reads 10 MB per chunk; small chunks let a 1 MB file show several
    # progress steps and be cancelled half-way.
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "DOWNLOAD_CHUNK_SIZE", CHUNK)


@pytest.fixture
def hub():
    with FakeHub() as server:
        server.add_file(REPO, NAME, CONTENT)
        yield server


def fetch(hub, dest, **options):
    # token=False: never send a token the developer may have saved to the fake hub.
    return download_file(REPO, NAME, dest, endpoint=hub.url, token=False, **options)


def test_download_reports_progress_up_to_the_total_and_verifies(hub, tmp_path):
    events = []
    path = fetch(hub, tmp_path, on_progress=lambda done, total: events.append((done, total)))
    assert path == tmp_path / NAME
    assert path.read_bytes() == CONTENT
    assert events[0] == (0, len(CONTENT)) and events[-1] == (len(CONTENT), len(CONTENT))
    done = [d for d, _ in events]
    assert done == sorted(done) and len(events) >= len(CONTENT) // CHUNK
    assert list(tmp_path.glob("*.incomplete")) == []


def test_cancel_keeps_the_partial_file_and_the_next_run_resumes_it(hub, tmp_path):
    cancel = threading.Event()

    def cancel_half_way(done, total):
        if done >= total // 2:
            cancel.set()

    with pytest.raises(DownloadCancelled):
        fetch(hub, tmp_path, on_progress=cancel_half_way, cancel=cancel)
    partial = partial_path(tmp_path / NAME, SHA256)
    kept = partial.stat().st_size
    assert len(CONTENT) // 2 <= kept < len(CONTENT)
    assert partial.read_bytes() == CONTENT[:kept]
    assert not (tmp_path / NAME).exists()

    events = []
    path = fetch(hub, tmp_path, on_progress=lambda done, total: events.append(done))
    assert path.read_bytes() == CONTENT
    assert hub.gets()[-1].range == f"bytes={kept}-"
    assert events[0] == kept
    assert not partial.exists()


def test_a_partial_file_left_by_a_crash_is_resumed(hub, tmp_path):
    partial_path(tmp_path / NAME, SHA256).write_bytes(CONTENT[:400_000])
    assert fetch(hub, tmp_path).read_bytes() == CONTENT
    assert [request.range for request in hub.gets()] == ["bytes=400000-"]


def test_a_partial_file_of_another_hub_version_is_discarded(hub, tmp_path):
    stale = partial_path(tmp_path / NAME, "f" * 64)
    stale.write_bytes(b"bytes of an older upload")
    assert fetch(hub, tmp_path).read_bytes() == CONTENT
    assert not stale.exists()
    assert [request.range for request in hub.gets()] == [None]


def test_corrupt_transfer_is_removed_and_reported(hub, tmp_path):
    hub.corrupt_body = True
    with pytest.raises(ModelError, match="corrupt.*removed"):
        fetch(hub, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_catalog_hash_that_the_hub_contradicts_stops_before_downloading(hub, tmp_path):
    with pytest.raises(ModelError, match="not the file this app expects"):
        fetch(hub, tmp_path, expected_sha256="0" * 64)
    assert hub.gets() == []


def test_matching_catalog_hash_is_accepted(hub, tmp_path):
    assert fetch(hub, tmp_path, expected_sha256=SHA256.upper()).read_bytes() == CONTENT


def test_server_down_gives_one_clear_offline_error_quickly(tmp_path):
    server = FakeHub().start()
    endpoint = server.url
    server.stop()
    started = time.monotonic()
    with pytest.raises(ModelError) as caught:
        download_file(REPO, NAME, tmp_path, endpoint=endpoint, token=False)
    message = str(caught.value)
    assert "offline" in message and NAME in message and "\n" not in message
    assert time.monotonic() - started < 5
    assert list(tmp_path.iterdir()) == []


def test_hub_offline_mode_is_reported(hub, tmp_path, monkeypatch):
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    with pytest.raises(ModelError, match="HF_HUB_OFFLINE"):
        fetch(hub, tmp_path)
    assert hub.requests == []


def test_missing_file_on_the_hub_is_reported(hub, tmp_path):
    with pytest.raises(ModelError, match="has no file missing.gguf"):
        download_file(REPO, "missing.gguf", tmp_path, endpoint=hub.url, token=False)


def test_not_enough_disk_space_stops_before_downloading(hub, tmp_path, monkeypatch):
    real_usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(shutil, "disk_usage", lambda path: real_usage._replace(free=1000))
    with pytest.raises(ModelError, match="Not enough disk space"):
        fetch(hub, tmp_path)
    assert hub.gets() == []


def test_hf_endpoint_environment_variable_is_read_at_call_time(hub, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    path = download_file(REPO, NAME, tmp_path, token=False)
    assert path.read_bytes() == CONTENT


def test_a_second_simultaneous_download_of_the_same_file_is_refused(hub, tmp_path):
    from filelock import FileLock

    with (
        FileLock(download.lock_path(tmp_path / NAME)),
        pytest.raises(ModelError, match="already being downloaded"),
    ):
        fetch(hub, tmp_path)
    assert fetch(hub, tmp_path).read_bytes() == CONTENT


def test_an_installed_file_is_returned_without_asking_the_hub(tmp_path):
    (tmp_path / NAME).write_bytes(b"already here")
    path = download_file(REPO, NAME, tmp_path, endpoint="http://127.0.0.1:9", token=False)
    assert path.read_bytes() == b"already here"


def test_progress_bar_class_forwards_and_cancels():
    events, cancel = [], threading.Event()
    bar_class = download.progress_bar_class(lambda d, t: events.append((d, t)), cancel)
    with bar_class(total=10, initial=4, desc="x", unit="B", unit_scale=True) as bar:
        bar.update(3)
        cancel.set()
        with pytest.raises(DownloadCancelled):
            bar.update(3)
    assert events == [(4, 10), (7, 10)]


@pytest.mark.parametrize(
    "count, text", [(999, "999 B"), (4_920_000_000, "4.92 GB"), (98_362_432, "98.36 MB")]
)
def test_format_bytes(count, text):
    assert download.format_bytes(count) == text
