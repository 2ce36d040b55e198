"""The command-line interface: ``assistant correct|ask|facts|chat`` and extensions.

The core cannot import the llama.cpp backend (imports only go down), so whoever starts
the CLI hands it a model loader and any extra command groups: see ``ui.launcher``.
"""

from .main import main

__all__ = ["main"]
