"""The platform's per-user folders for the data and the caches, and their overrides."""

import sys
from pathlib import Path

import pytest

from assistant.paths import default_cache, default_home

HOME = Path("/home/ana")
BASES = ("APPDATA", "LOCALAPPDATA", "XDG_DATA_HOME", "XDG_CACHE_HOME")


@pytest.fixture
def user(monkeypatch):
    """A user with no overrides and no base-folder variables, home at HOME."""
    for name in ("ASSISTANT_HOME", "ASSISTANT_CACHE", *BASES):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: HOME))
    return monkeypatch


@pytest.mark.parametrize(
    "platform, data, cache",
    [
        ("linux", ".local/share/assistant", ".cache/assistant"),
        ("darwin", "Library/Application Support/assistant", "Library/Caches/assistant"),
        ("win32", "AppData/Roaming/assistant", "AppData/Local/assistant/cache"),
    ],
)
def test_each_platform_has_its_folders_under_the_users_home(user, platform, data, cache):
    user.setattr(sys, "platform", platform)
    assert (default_home(), default_cache()) == (HOME / data, HOME / cache)


@pytest.mark.parametrize(
    "platform, variables, data, cache",
    [
        ("linux", {"XDG_DATA_HOME": "/d", "XDG_CACHE_HOME": "/c"}, "/d/assistant", "/c/assistant"),
        ("win32", {"APPDATA": "/r", "LOCALAPPDATA": "/l"}, "/r/assistant", "/l/assistant/cache"),
        (
            "darwin",
            {"XDG_DATA_HOME": "/d"},
            str(HOME / "Library/Application Support/assistant"),
            None,
        ),
    ],
)
def test_the_platforms_base_folder_variables_are_followed(user, platform, variables, data, cache):
    user.setattr(sys, "platform", platform)
    for name, value in variables.items():
        user.setenv(name, value)
    assert default_home() == Path(data)
    if cache:
        assert default_cache() == Path(cache)


def test_the_assistants_own_variables_win(user):
    user.setenv("XDG_DATA_HOME", "/d")
    user.setenv("ASSISTANT_HOME", "~/notes")
    user.setenv("ASSISTANT_CACHE", "/tmp/models")
    assert default_home() == Path("~/notes").expanduser()
    assert default_cache() == Path("/tmp/models")
