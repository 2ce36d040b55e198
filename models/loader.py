"""Loading the model the user chose, with clear errors for bad files.

The file is checked before llama.cpp sees it (:mod:`models.gguf_file`): llama.cpp may
abort the process on a broken file instead of raising. A configured inference server
(``server_url``) takes the place of a local file, unless a file is named explicitly.
"""

from __future__ import annotations

import os
from pathlib import Path

from assistant.llm import LanguageModel
from assistant.settings import Settings

from .embedded import default_model_path
from .gguf_file import check_gguf_file


def resolve_model_path(settings: Settings, override: str | None = None) -> Path:
    chosen = override or settings.model_path
    return Path(chosen).expanduser() if chosen else default_model_path()


def load_model(settings: Settings, override: str | None = None) -> LanguageModel:
    """The model from --model, else the configured server, else the settings' file,
    else the embedded default (on a CPU, its faster copy: :mod:`models.cpu_format`)."""
    if settings.server_url and not override:
        return load_remote_model(settings)
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


def load_remote_model(settings: Settings) -> LanguageModel:
    """The model on the inference server; its API key from the environment variable
    the settings name (an empty or unset variable: no key)."""
    from .remote_backend import RemoteLanguageModel

    key_env = settings.server_api_key_env or "ASSISTANT_API_KEY"
    return RemoteLanguageModel(
        settings.server_url,
        model=settings.server_model,
        api_key=os.environ.get(key_env) or None,
        api_key_env=key_env,
        context_length=settings.context_length,
    )
