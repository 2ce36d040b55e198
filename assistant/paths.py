"""Where the assistant keeps its data: the home directory, created private (0700)."""

import os
import sys
from pathlib import Path

APP_NAME = "assistant"


def default_home() -> Path:
    """The platform's per-user data directory, or ``$ASSISTANT_HOME`` when set."""
    override = os.environ.get("ASSISTANT_HOME")
    if override:
        return Path(override).expanduser()
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_NAME
    if sys.platform == "win32":
        base = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
        return Path(base) / APP_NAME
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_NAME


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
