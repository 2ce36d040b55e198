"""Where the assistant keeps its data (the home directory, created private, 0700) and
its caches, in the platform's per-user folders."""

import os
import sys
from pathlib import Path

APP_NAME = "assistant"

# Per kind of folder and platform: (the environment variable naming the base folder,
# the base under the user's home when it is unset, what follows the app's name).
_PLATFORM_FOLDERS = {
    "data": {
        "darwin": (None, "Library/Application Support", ""),
        "win32": ("APPDATA", "AppData/Roaming", ""),
        "other": ("XDG_DATA_HOME", ".local/share", ""),
    },
    "cache": {
        "darwin": (None, "Library/Caches", ""),
        "win32": ("LOCALAPPDATA", "AppData/Local", "cache"),
        "other": ("XDG_CACHE_HOME", ".cache", ""),
    },
}


def _platform_folder(kind: str, override_variable: str) -> Path:
    override = os.environ.get(override_variable)
    if override:
        return Path(override).expanduser()
    platform = sys.platform if sys.platform in ("darwin", "win32") else "other"
    variable, fallback, below = _PLATFORM_FOLDERS[kind][platform]
    base = (variable and os.environ.get(variable)) or Path.home() / fallback
    return Path(base) / APP_NAME / below


def default_home() -> Path:
    """The platform's per-user data directory, or ``$ASSISTANT_HOME`` when set."""
    return _platform_folder("data", "ASSISTANT_HOME")


def default_cache() -> Path:
    """The platform's per-user cache directory, or ``$ASSISTANT_CACHE`` when set:
    what can be made again (the embedded model's CPU-fast copy)."""
    return _platform_folder("cache", "ASSISTANT_CACHE")


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` readable by the user only; tighten it if it already exists."""
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def database_path(home: Path) -> Path:
    return home / "assistant.db"


def settings_path(home: Path) -> Path:
    return home / "settings.json"


def models_dir(home: Path) -> Path:
    return home / "models"
