"""Whether Qt can open a window here, checked before the QApplication exists.

PySide6 6.5 and later load the X11 platform plugin (xcb) only when the system library
xcb-cursor is installed, and a fresh desktop Linux often lacks it. Qt then aborts with
"Could not load the Qt platform plugin xcb", which names neither the library nor its
package; checking first lets the app say exactly what to install.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

XCB_CURSOR = "libxcb-cursor.so.0"
MISSING_XCB_CURSOR = (
    "the window needs the system library xcb-cursor "
    "(Debian/Ubuntu: sudo apt-get install libxcb-cursor0)"
)


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


def missing_window_library(
    platform: str = sys.platform,
    environ: Mapping[str, str] = os.environ,
    load: Callable[[str], bool] = can_load,
) -> str | None:
    """Why no window can open (one line, what to install), or None when it can."""
    if platform.startswith("linux") and uses_xcb(environ) and not load(XCB_CURSOR):
        return MISSING_XCB_CURSOR
    return None
