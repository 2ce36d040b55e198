"""User settings, a small JSON file in the home directory (private, 0600).

Unknown keys are kept (another version of the app may have written them); a corrupt
file falls back to defaults rather than stopping the app.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from .paths import settings_path


@dataclass
class Settings:
    model_path: str | None = None  # None: the embedded default model
    n_gpu_layers: int | str = "auto"
    context_length: int = 4096
    temperature: float = 0.7
    k_relations: int = 5  # K, candidate relations per correction (paper: 5)
    eps: float = 0.6931471805599453  # stop threshold on the mixture loss (ln 2)
    top_n_facts: int = 3  # facts put into an answer's prompt
    incognito: bool = False  # learn and store nothing
    ask_before_saving: bool = False  # show the proposed edit, save only on approval
    # An OpenAI-compatible inference server (e.g. http://gpu-box:8000/v1) to run the
    # model on instead of this machine; None: the model runs here.
    server_url: str | None = None
    server_model: str | None = None  # None: the server's first model
    # The environment variable holding the server's API key: the key itself is never
    # stored in this file.
    server_api_key_env: str = "ASSISTANT_API_KEY"


def with_server(
    settings: Settings,
    url: str | None = None,
    model: str | None = None,
    api_key_env: str | None = None,
) -> Settings:
    """The settings with one run's inference-server options (``--server``,
    ``--server-model``, ``--api-key-env``); an option not given keeps the setting.
    Nothing is saved: a server named on the command line lasts that run."""
    changes = {"server_url": url, "server_model": model, "server_api_key_env": api_key_env}
    return replace(settings, **{k: v for k, v in changes.items() if v})


def load_settings(home: Path) -> Settings:
    data = _read(settings_path(home))
    known = {f.name for f in fields(Settings)}
    return Settings(**{k: v for k, v in data.items() if k in known})


def save_settings(home: Path, settings: Settings) -> None:
    path = settings_path(home)
    data = _read(path)
    data.update(asdict(settings))
    _write_private(path, data)


def update_settings(home: Path, **changes) -> Settings:
    settings = load_settings(home)
    for key, value in changes.items():
        if not hasattr(settings, key):
            raise KeyError(f"unknown setting {key!r}")
        setattr(settings, key, value)
    save_settings(home, settings)
    return settings


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_private(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(".tmp")
    fd = os.open(temp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2)
    os.replace(temp, path)  # atomic: a crash never leaves half a settings file
