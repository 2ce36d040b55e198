"""A fresh desktop Linux without xcb-cursor: the app and the installer say what to
install instead of Qt's abort."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ui import app
from ui.platform_check import MISSING_XCB_CURSOR, XCB_CURSOR, can_load, missing_window_library

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "window_libraries.sh"
X11 = {"DISPLAY": ":0"}


def loader(found: bool, asked: list[str] | None = None):
    def load(library: str) -> bool:
        if asked is not None:
            asked.append(library)
        return found

    return load


def test_x11_without_xcb_cursor_names_the_package():
    asked = []
    assert missing_window_library("linux", X11, loader(False, asked)) == MISSING_XCB_CURSOR
    assert asked == [XCB_CURSOR]
    assert "sudo apt-get install libxcb-cursor0" in MISSING_XCB_CURSOR


@pytest.mark.parametrize(
    "platform, environ",
    [
        ("linux", {"QT_QPA_PLATFORM": "offscreen"}),  # tests and CI
        ("linux", {"WAYLAND_DISPLAY": "wayland-0"}),  # Qt prefers its Wayland plugin
        ("linux", {"QT_QPA_PLATFORM": "wayland;xcb"}),
        ("darwin", {}),
        ("win32", {}),
    ],
)
def test_nothing_is_needed_where_qt_does_not_start_with_xcb(platform, environ):
    asked = []
    assert missing_window_library(platform, environ, loader(False, asked)) is None
    assert asked == []


@pytest.mark.parametrize(
    "environ", [{}, {"QT_QPA_PLATFORM": "xcb"}, {"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "w"}]
)
def test_xcb_needs_the_library(environ):
    assert missing_window_library("linux", environ, loader(False)) == MISSING_XCB_CURSOR
    assert missing_window_library("linux", environ, loader(True)) is None


def test_the_library_lookup_asks_the_dynamic_loader():
    assert not can_load("libno-such-library-for-the-assistant.so.0")
    if sys.platform.startswith("linux"):
        assert can_load("libc.so.6")


def test_the_app_exits_with_one_line_before_qt_can_abort(monkeypatch, capsys):
    monkeypatch.setattr(app, "missing_window_library", lambda: MISSING_XCB_CURSOR)
    assert app.run_app([]) == 1
    assert capsys.readouterr().err == f"assistant: error: {MISSING_XCB_CURSOR}\n"


def run_installer_check(tmp_path, cache: str, **environ) -> str:
    """The installer's check, with ``cache`` as what ldconfig -p lists."""
    (tmp_path / "ldconfig").write_text(f"#!/bin/sh\nprintf '%s\\n' '{cache}'\n")
    (tmp_path / "ldconfig").chmod(0o755)
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin", **environ}
    result = subprocess.run(
        ["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check is for Linux")
def test_the_installer_says_what_to_install_and_never_fails(tmp_path):
    without = "libc.so.6 (libc6,x86-64) => /lib/libc.so.6"
    said = run_installer_check(tmp_path, without, DISPLAY=":0")
    assert said.count("\n") == 1 and "sudo apt-get install libxcb-cursor0" in said
    assert "dnf install xcb-util-cursor" in said and "pacman -S xcb-util-cursor" in said
    with_library = f"{without}\nlibxcb-cursor.so.0 (libc6,x86-64) => /lib/libxcb-cursor.so.0"
    assert run_installer_check(tmp_path, with_library, DISPLAY=":0") == ""
    assert run_installer_check(tmp_path, without) == ""  # headless
    assert run_installer_check(tmp_path, without, DISPLAY=":0", CI="true") == ""
