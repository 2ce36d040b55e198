"""Download a GGUF from the Hugging Face Hub: progress, cancel, resume, disk check, sha256.

Why not ``hf_hub_download``: in huggingface_hub 2.x it writes to a temporary file with a
per-process random name and deletes it on any failure, so an interrupted or cancelled
download always restarts from byte 0 (a real cost for a 5 GB model). We use the same
library's building blocks instead: ``get_hf_file_metadata`` (HEAD on the resolve URL:
size, sha256 ETag, redirect location, ``HF_ENDPOINT``, tokens, ``HF_HUB_OFFLINE``) and
``http_get`` (streaming GET with Range resume, retries and a ``tqdm_class`` hook), writing
to a partial file whose name is stable across runs, so the next run resumes it.

The partial file is ``<filename>.<etag prefix>.incomplete`` next to the destination: a new
upload on the hub (new ETag) never resumes from bytes of the old one. Progress reaches the
caller as ``on_progress(done_bytes, total_bytes)``; a set ``cancel`` event makes the next
progress update raise :class:`DownloadCancelled` and keeps the partial file for a resume.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import threading
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from assistant.errors import AssistantError, ModelError

#: Receives (bytes done, total bytes or None when the server does not say).
ProgressCallback = Callable[[int, "int | None"], None]

_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
_HASH_BLOCK = 4 * 1024 * 1024
#: Kept free beyond the file itself, so a download never fills the disk to the last byte.
DISK_HEADROOM_BYTES = 256 * 1024 * 1024


class DownloadCancelled(AssistantError):
    """The user cancelled a download; its partial file is kept so the next run resumes."""


def download_file(
    repo_id: str,
    filename: str,
    dest_dir: Path,
    *,
    expected_sha256: str | None = None,
    revision: str = "main",
    endpoint: str | None = None,
    token: str | bool | None = None,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """Fetch ``repo_id/filename`` into ``dest_dir`` and return the verified file's path.

    A file already at the destination is returned as is. ``endpoint`` defaults to
    ``$HF_ENDPOINT`` read at call time, then to huggingface.co.
    """
    destination = Path(dest_dir) / filename
    if destination.is_file():
        return destination
    destination.parent.mkdir(parents=True, exist_ok=True)
    endpoint = endpoint or os.environ.get("HF_ENDPOINT") or None
    headers = _hub_headers(token)
    resolve_url, metadata = _fetch_metadata(repo_id, filename, revision, endpoint, headers)
    headers = _without_auth_off_hub(resolve_url, metadata.location, headers)
    hub_sha256 = _sha256_of_etag(metadata.etag)
    _check_catalog_matches_hub(filename, expected_sha256, hub_sha256)
    partial = partial_path(destination, metadata.etag)
    with _exclusive_download(destination):
        _remove_stale_partials(destination, keep=partial)
        resume_from = _usable_partial_size(partial, metadata.size)
        ensure_free_space(destination.parent, (metadata.size or 0) - resume_from, filename)
        _stream_to_partial(metadata, partial, resume_from, headers, filename, on_progress, cancel)
        verify_sha256(partial, expected_sha256 or hub_sha256, filename)
        os.replace(partial, destination)
    return destination


def lock_path(destination: Path) -> Path:
    return destination.with_name(f"{destination.name}.lock")


def partial_path(destination: Path, etag: str | None) -> Path:
    """Where the bytes of an unfinished download of ``destination`` are kept."""
    tag = (etag or "unknown")[:16]
    return destination.with_name(f"{destination.name}.{tag}.incomplete")


def partial_files(destination: Path) -> list[Path]:
    """Every partial download of ``destination``, whatever hub version it came from."""
    return sorted(destination.parent.glob(f"{glob_escape(destination.name)}.*.incomplete"))


def glob_escape(name: str) -> str:
    return re.sub(r"([\[\]*?])", r"[\1]", name)


def ensure_free_space(directory: Path, needed_bytes: int, filename: str) -> None:
    """Raise ModelError before downloading when ``directory``'s disk cannot hold the file."""
    free = shutil.disk_usage(directory).free
    if needed_bytes > 0 and free < needed_bytes + DISK_HEADROOM_BYTES:
        raise ModelError(
            f"Not enough disk space to download {filename}: it needs {format_bytes(needed_bytes)} "
            f"(plus {format_bytes(DISK_HEADROOM_BYTES)} to spare) and {directory} has "
            f"{format_bytes(free)} free."
        )


def verify_sha256(path: Path, expected: str | None, filename: str) -> None:
    """Remove ``path`` and raise ModelError when its sha256 is not ``expected``.

    With no expected hash (neither the catalog nor the hub's ETag gives one) there is
    nothing to verify against and the file is accepted.
    """
    if expected is None:
        return
    actual = sha256_of_file(path)
    if actual != expected.lower():
        path.unlink(missing_ok=True)
        raise ModelError(
            f"The download of {filename} is corrupt (sha256 {actual[:12]}..., expected "
            f"{expected[:12]}...); the file was removed, run the download again."
        )


def sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(_HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def format_bytes(count: float) -> str:
    """Decimal units, as the hub and model cards print sizes (4.92 GB)."""
    if abs(count) < 1000:
        return f"{count:.0f} B"
    for unit in ("KB", "MB", "GB"):
        count /= 1000
        if abs(count) < 1000 or unit == "GB":
            return f"{count:.2f} {unit}"


def progress_bar_class(
    on_progress: ProgressCallback | None, cancel: threading.Event | None
) -> type:
    """A ``tqdm_class`` for huggingface_hub that forwards (done, total) and checks ``cancel``.

    The hub calls ``update(n)`` before writing each chunk, so raising there leaves the
    partial file holding exactly the bytes received before the cancel.
    """

    class ForwardingProgressBar:
        def __init__(self, *args, total=None, initial=0, **ignored_tqdm_options):
            self.total = total
            self.n = initial
            self._report()

        def update(self, n=1):
            if cancel is not None and cancel.is_set():
                raise DownloadCancelled("Download cancelled; run it again to resume.")
            self.n += n
            self._report()

        def _report(self):
            if on_progress is not None:
                on_progress(self.n, self.total)

        def close(self):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc_info):
            return False

    return ForwardingProgressBar


def _hub_headers(token: str | bool | None) -> dict[str, str]:
    from huggingface_hub.utils import build_hf_headers

    return build_hf_headers(token=token, library_name="assistant")


def _fetch_metadata(repo_id, filename, revision, endpoint, headers):
    """HEAD the file on the hub; every failure becomes one clear ModelError."""
    from huggingface_hub import get_hf_file_metadata, hf_hub_url

    url = hf_hub_url(repo_id, filename, revision=revision, endpoint=endpoint)
    try:
        metadata = get_hf_file_metadata(url, headers=dict(headers), endpoint=endpoint)
    except Exception as error:  # classified below; anything unknown is re-raised as a bug
        raise _as_model_error(error, repo_id, filename, endpoint) from error
    if metadata.etag is None or metadata.commit_hash is None:
        raise ModelError(
            f"{_endpoint_name(endpoint)} did not answer like a Hugging Face hub "
            f"for {repo_id}/{filename} (no ETag or commit header)."
        )
    return url, metadata


def _as_model_error(
    error: Exception, repo_id: str, filename: str, endpoint: str | None
) -> Exception:
    import httpx2
    from huggingface_hub.errors import (
        GatedRepoError,
        HfHubHTTPError,
        OfflineModeIsEnabled,
        RemoteEntryNotFoundError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    hub = _endpoint_name(endpoint)
    if isinstance(error, OfflineModeIsEnabled):
        return ModelError(
            f"Cannot download {filename}: downloads are disabled (HF_HUB_OFFLINE is set)."
        )
    if isinstance(error, (httpx2.ConnectError, httpx2.TimeoutException)):
        return ModelError(
            f"Cannot reach {hub} to download {filename}: you seem to be offline; "
            "check the network and try again (installed models keep working offline)."
        )
    if isinstance(error, GatedRepoError):
        return ModelError(
            f"{repo_id} is gated on {hub}: accept its licence on the website and log in "
            "with `hf auth login`, then try again."
        )
    if isinstance(error, (RemoteEntryNotFoundError, RevisionNotFoundError)):
        return ModelError(f"{hub} has no file {filename} in {repo_id}.")
    if isinstance(error, RepositoryNotFoundError):
        return ModelError(f"{hub} has no repository {repo_id} (or it is private).")
    if isinstance(error, (HfHubHTTPError, httpx2.HTTPError)):
        return ModelError(f"{hub} refused the download of {filename}: {str(error).splitlines()[0]}")
    return error


def _endpoint_name(endpoint: str | None) -> str:
    from huggingface_hub import constants

    return endpoint or constants.ENDPOINT


def _sha256_of_etag(etag: str | None) -> str | None:
    """The hub's ETag of an LFS file is its sha256; a git blob ETag is not and says nothing."""
    return etag if etag is not None and _SHA256_HEX.match(etag) else None


def _check_catalog_matches_hub(filename: str, expected: str | None, hub_sha256: str | None) -> None:
    # Fail before spending gigabytes when the hub already says the bytes will not match.
    if expected and hub_sha256 and expected.lower() != hub_sha256:
        raise ModelError(
            f"The hub's {filename} (sha256 {hub_sha256[:12]}...) is not the file this "
            f"app expects (sha256 {expected[:12]}...); not downloading it."
        )


@contextmanager
def _exclusive_download(destination: Path):
    """One download per file: two (the CLI and the UI, say) would append to one partial file."""
    from filelock import FileLock, Timeout

    lock = FileLock(lock_path(destination), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise ModelError(
            f"{destination.name} is already being downloaded by another "
            "process; wait for it or stop it first."
        ) from None
    try:
        yield
    finally:
        lock.release()
        # Leave no stray .lock in the models dir; a racing process only recreates it.
        lock_path(destination).unlink(missing_ok=True)


def _remove_stale_partials(destination: Path, keep: Path) -> None:
    for stale in partial_files(destination):
        if stale != keep:
            stale.unlink(missing_ok=True)


def _usable_partial_size(partial: Path, total: int | None) -> int:
    size = partial.stat().st_size if partial.exists() else 0
    if total is not None and size > total:  # cannot be a prefix of this file: start over
        partial.unlink()
        return 0
    return size


def _stream_to_partial(metadata, partial, resume_from, headers, filename, on_progress, cancel):
    import httpx2
    from huggingface_hub.file_download import http_get

    with open(partial, "ab") as handle:
        try:
            http_get(
                metadata.location,
                handle,
                resume_size=resume_from,
                headers=headers,
                expected_size=metadata.size,
                displayed_filename=filename,
                tqdm_class=progress_bar_class(on_progress, cancel),
            )
        except (httpx2.HTTPError, OSError) as error:
            if isinstance(error, OSError) and not _is_network_error(error):
                raise ModelError(f"Cannot write {partial}: {error}") from error
            raise ModelError(
                f"The download of {filename} was interrupted ({_first_line(error)}); "
                "run it again to resume where it stopped."
            ) from error


def _without_auth_off_hub(
    resolve_url: str, location: str, headers: dict[str, str]
) -> dict[str, str]:
    # A redirect to another host (a CDN) carries a signed URL: the hub token must not follow it.
    if urlsplit(location).netloc == urlsplit(resolve_url).netloc:
        return headers
    return {key: value for key, value in headers.items() if key.lower() != "authorization"}


def _is_network_error(error: OSError) -> bool:
    # http_get raises a plain OSError when the body ends short ("Consistency check failed").
    from huggingface_hub.errors import HfHubHTTPError

    return isinstance(error, (HfHubHTTPError, ConnectionError)) or "Consistency check" in str(error)


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
