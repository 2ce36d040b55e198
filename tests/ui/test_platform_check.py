"""A fresh desktop Linux without some of the system libraries Qt's X11 window needs: the
app and the installer name every missing one and the one command that installs them."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ui import launcher, platform_check
from ui.platform_check import (
    can_load,
    describe_missing,
    install_command,
    missing_window_library,
    window_libraries,
)

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "window_libraries.sh"
X11 = {"DISPLAY": ":0"}
#: Libraries every Python process already has loaded; the list leaves them out.
C_RUNTIME = re.compile(r"^(ld-linux|libc\.|libm\.|libdl\.|libpthread\.|libgcc_s|libstdc\+\+)")
#: What the window loads from the PySide6 wheel: the xcb platform plugin, the Python
#: modules the app imports and the SVG plugins its icons use.
WINDOW_PARTS = (
    "Qt/plugins/platforms/libqxcb.so",
    "QtCore.abi3.so",
    "QtGui.abi3.so",
    "QtWidgets.abi3.so",
    "QtSvg.abi3.so",
    "Qt/plugins/imageformats/libqsvg.so",
    "Qt/plugins/iconengines/libqsvgicon.so",
)


def loader(missing: set[str], asked: list[str] | None = None):
    """A dynamic loader that finds every library but ``missing``."""

    def load(library: str) -> bool:
        if asked is not None:
            asked.append(library)
        return library not in missing

    return load


def everything() -> set[str]:
    return {library.soname for library in window_libraries()}


def test_the_list_pairs_each_library_with_its_package():
    libraries = window_libraries()
    assert len(libraries) == len(everything()) > 20
    by_name = {library.soname: library.package for library in libraries}
    assert by_name["libxcb-cursor.so.0"] == "libxcb-cursor0"
    assert by_name["libxkbcommon-x11.so.0"] == "libxkbcommon-x11-0"
    assert by_name["libEGL.so.1"] == "libegl1"


def needed(path: Path) -> list[str]:
    dynamic = subprocess.run(
        ["readelf", "-d", str(path)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return re.findall(r"\(NEEDED\).*\[(.+?)\]", dynamic)


def system_libraries_of(parts: list[Path], bundled: list[Path]) -> set[str]:
    """The libraries ``parts`` need, directly or through the wheel's own, that the
    wheel does not ship."""
    found, seen, todo = set(), set(), list(parts)
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for name in needed(path):
            inside = [folder / name for folder in bundled if (folder / name).exists()]
            if inside:
                todo.append(inside[0])
            elif not C_RUNTIME.match(name):
                found.add(name)
    return found


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or shutil.which("readelf") is None,
    reason="reads the Linux wheel's ELF files with readelf",
)
def test_the_list_is_every_system_library_the_wheels_window_links_against():
    import PySide6
    import shiboken6

    wheel = Path(PySide6.__file__).parent
    bundled = [wheel / "Qt" / "lib", wheel, Path(shiboken6.__file__).parent]
    parts = [wheel / part for part in WINDOW_PARTS]
    assert system_libraries_of(parts, bundled) == everything()


def test_every_missing_library_is_named_with_one_command_for_all():
    asked = []
    missing = {"libxcb-cursor.so.0", "libxcb-icccm.so.4", "libgthread-2.0.so.0"}
    said = missing_window_library("linux", X11, loader(missing, asked))
    assert sorted(asked) == sorted(everything())
    assert "\n" not in said and said.count("apt-get") == 1
    for name in missing:
        assert name in said
    command = "sudo apt-get install libxcb-cursor0 libxcb-icccm4 libglib2.0-0"
    assert said.endswith(f"(Debian/Ubuntu: {command})")
    assert "libxcb-image" not in said


def test_the_command_names_each_package_once():
    libraries = window_libraries()
    command = install_command(libraries)
    packages = command.removeprefix("sudo apt-get install ").split()
    assert len(packages) == len(set(packages)) == len({lib.package for lib in libraries})
    assert packages.count("libglib2.0-0") == 1  # for libglib and libgthread
    one = [libraries[0]]
    assert describe_missing(one) == (
        "the window needs the missing system library libxcb-cursor.so.0 "
        "(Debian/Ubuntu: sudo apt-get install libxcb-cursor0)"
    )


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
    assert missing_window_library(platform, environ, loader(everything(), asked)) is None
    assert asked == []


@pytest.mark.parametrize(
    "environ", [{}, {"QT_QPA_PLATFORM": "xcb"}, {"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "w"}]
)
def test_xcb_needs_the_libraries(environ):
    assert "libxcb-cursor.so.0" in missing_window_library(
        "linux", environ, loader({"libxcb-cursor.so.0"})
    )
    assert missing_window_library("linux", environ, loader(set())) is None


def test_the_library_lookup_asks_the_dynamic_loader():
    assert not can_load("libno-such-library-for-the-assistant.so.0")
    if sys.platform.startswith("linux"):
        assert can_load("libc.so.6")


def test_the_window_command_exits_with_one_line_before_qt_can_abort(monkeypatch, capsys):
    problem = describe_missing(window_libraries()[:2])
    monkeypatch.setattr(platform_check, "missing_window_library", lambda: problem)
    assert launcher.main([]) == 1
    assert capsys.readouterr().err == f"assistant: error: {problem}\n"


def test_the_check_runs_before_qt_is_imported():
    """Without its libraries Qt cannot even be imported: the check must come first."""
    program = (
        "import sys\n"
        "from ui import launcher, platform_check\n"
        "platform_check.missing_window_library = lambda: 'missing'\n"
        "assert launcher.main(['gui']) == 1\n"
        "assert not any(name.startswith('PySide6') for name in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == "assistant: error: missing\n"


def test_the_readme_names_every_package_a_fresh_desktop_needs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert install_command(window_libraries()) in readme


def run_installer_check(tmp_path, cache: list[str], **environ) -> str:
    """The installer's check, with ``cache`` as the libraries ldconfig -p lists."""
    lines = "\n".join(f"\t{name} (libc6,x86-64) => /lib/{name}" for name in cache)
    (tmp_path / "cache.txt").write_text(f"{len(cache)} libs found in cache\n{lines}\n")
    (tmp_path / "ldconfig").write_text(f"#!/bin/sh\ncat '{tmp_path / 'cache.txt'}'\n")
    (tmp_path / "ldconfig").chmod(0o755)
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin", **environ}
    result = subprocess.run(
        ["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check is for Linux")
def test_the_installer_names_every_missing_library_and_never_fails(tmp_path):
    missing = ["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxkbcommon-x11.so.0"]
    present = ["libc.so.6", *sorted(everything() - set(missing))]
    said = run_installer_check(tmp_path, present, DISPLAY=":0")
    assert said.count("\n") == 1 and said.count("apt-get") == 1
    assert said == (
        "note: the window needs the missing system libraries libxcb-cursor.so.0, "
        "libxcb-icccm.so.4, libxkbcommon-x11.so.0: sudo apt-get install libxcb-cursor0 "
        "libxcb-icccm4 libxkbcommon-x11-0\n"
    )
    nothing = run_installer_check(tmp_path, ["libc.so.6"], DISPLAY=":0")
    assert nothing.strip().endswith(install_command(window_libraries()))
    assert run_installer_check(tmp_path, sorted(everything()), DISPLAY=":0") == ""
    assert run_installer_check(tmp_path, present) == ""  # headless
    assert run_installer_check(tmp_path, present, DISPLAY=":0", CI="true") == ""
    assert run_installer_check(tmp_path, present, DISPLAY=":0", QT_QPA_PLATFORM="offscreen") == ""
