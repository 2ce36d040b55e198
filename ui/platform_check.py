"""Whether Qt can open a window here, checked before Qt is imported.

PySide6's X11 platform plugin (xcb) and the Qt libraries under it link against some
two dozen system libraries (xcb-cursor, xcb-icccm, xkbcommon-x11, EGL, fontconfig...),
and a fresh desktop Linux often lacks a few of them. Qt then aborts with "Could not
load the Qt platform plugin xcb" (or Python fails to import Qt at all), which names
neither the library nor its package; checking first lets the app name every missing
library and the one command that installs them all.

The list, each library with its Debian/Ubuntu package, is ``resources/window-libraries.txt``,
which the installer's check (``scripts/window_libraries.sh``) reads too.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

LIBRARIES_FILE = Path(__file__).with_name("resources") / "window-libraries.txt"


@dataclass(frozen=True)
class SystemLibrary:
    soname: str  # what the dynamic loader looks for: "libxcb-cursor.so.0"
    package: str  # the Debian/Ubuntu package that installs it: "libxcb-cursor0"


def window_libraries(path: Path = LIBRARIES_FILE) -> list[SystemLibrary]:
    """Every system library the window needs, in the list's order."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("#", 1)[0].split()
        if fields:
            soname, package = fields
            found.append(SystemLibrary(soname, package))
    return found


def can_load(library: str) -> bool:
    """Whether the dynamic loader finds ``library``, as it will for Qt's plugin."""
    try:
        ctypes.CDLL(library)
    except OSError:
        return False
    return True


def uses_xcb(environ: Mapping[str, str]) -> bool:
    """Whether Qt will try the xcb plugin first: QT_QPA_PLATFORM names it first, or is
    unset outside a Wayland session (where Qt prefers its Wayland plugin)."""
    requested = environ.get("QT_QPA_PLATFORM", "").strip()
    if requested:
        return requested.split(";")[0].split(":")[0] == "xcb"
    return not environ.get("WAYLAND_DISPLAY")


def install_command(missing: Iterable[SystemLibrary]) -> str:
    """The one apt-get line that installs every package of ``missing``."""
    packages = dict.fromkeys(library.package for library in missing)
    return "sudo apt-get install " + " ".join(packages)


def describe_missing(missing: list[SystemLibrary]) -> str:
    """One line: which libraries are missing and how to install them all."""
    noun = "library" if len(missing) == 1 else "libraries"
    names = ", ".join(library.soname for library in missing)
    return (
        f"the window needs the missing system {noun} {names} "
        f"(Debian/Ubuntu: {install_command(missing)})"
    )


def missing_window_library(
    platform: str = sys.platform,
    environ: Mapping[str, str] = os.environ,
    load: Callable[[str], bool] = can_load,
) -> str | None:
    """Why no window can open (one line, what to install), or None when it can."""
    if not (platform.startswith("linux") and uses_xcb(environ)):
        return None
    missing = [library for library in window_libraries() if not load(library.soname)]
    return describe_missing(missing) if missing else None
