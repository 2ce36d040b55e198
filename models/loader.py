"""Loading the model the user chose, with clear errors for bad files.

The file is checked before llama.cpp sees it (llama.cpp may abort the process on a
broken file instead of raising): it must exist, be readable, start with the GGUF magic
and a supported version, and be longer than its header.
"""

from __future__ import annotations

import struct
from pathlib import Path

from assistant.errors import ModelError
from assistant.llm import LanguageModel
from assistant.settings import Settings

from .embedded import default_model_path

GGUF_MAGIC = b"GGUF"
SUPPORTED_GGUF_VERSIONS = (2, 3)
MIN_GGUF_BYTES = 1024


def check_gguf_file(path: Path) -> None:
    """Raise :class:`ModelError` with one clear line unless ``path`` looks like a GGUF."""
    if not path.exists():
        raise ModelError(f"model file not found: {path}")
    if not path.is_file():
        raise ModelError(f"model path is not a file: {path}")
    try:
        with path.open("rb") as handle:
            header = handle.read(8)
        size = path.stat().st_size
    except OSError as error:
        raise ModelError(f"cannot read model file {path}: {error.strerror}") from None
    if header[:4] != GGUF_MAGIC:
        raise ModelError(f"not a GGUF model file: {path}")
    version = struct.unpack("<I", header[4:8])[0] if len(header) == 8 else 0
    if version not in SUPPORTED_GGUF_VERSIONS:
        raise ModelError(f"unsupported GGUF version {version} in {path}")
    if size < MIN_GGUF_BYTES:
        raise ModelError(f"model file is truncated: {path} ({size} bytes)")


def resolve_model_path(settings: Settings, override: str | None = None) -> Path:
    chosen = override or settings.model_path
    return Path(chosen).expanduser() if chosen else default_model_path()


def load_model(settings: Settings, override: str | None = None) -> LanguageModel:
    """The model from --model, else the settings, else the embedded default (on a
    CPU, its faster copy: :mod:`models.cpu_format`)."""
    from .cpu_format import fast_cpu_copy
    from .gpu import auto_gpu_layers
    from .llama_backend import LlamaLanguageModel

    path = resolve_model_path(settings, override)
    check_gguf_file(path)
    gpu_layers = auto_gpu_layers(settings.n_gpu_layers)
    if not (override or settings.model_path) and gpu_layers == 0:
        path = fast_cpu_copy(path)
    return LlamaLanguageModel(
        str(path),
        context_length=settings.context_length,
        n_gpu_layers=gpu_layers,
    )
