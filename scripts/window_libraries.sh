#!/usr/bin/env bash
# Says which system library the desktop window still needs, without failing: PySide6 6.5+
# opens its X11 window only with xcb-cursor, which a fresh desktop Linux often lacks
# (Qt then aborts with "Could not load the Qt platform plugin xcb"). Headless machines
# and CI run the tests offscreen and need nothing, so they are not told anything.
set -uo pipefail
[ "$(uname -s)" = Linux ] || exit 0
[ -z "${CI:-}" ] || exit 0
[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || exit 0
[ "${QT_QPA_PLATFORM:-}" != offscreen ] || exit 0
LDCONFIG=$(command -v ldconfig || echo /sbin/ldconfig)
[ -x "$LDCONFIG" ] || exit 0
# Read the whole cache first: `ldconfig -p | grep -q` fails under pipefail when grep
# stops reading early.
libraries=$("$LDCONFIG" -p 2>/dev/null || true)
case "$libraries" in
*libxcb-cursor.so.0*) ;;
*) echo "note: the window needs the system library xcb-cursor: sudo apt-get install" \
    "libxcb-cursor0 (Fedora: sudo dnf install xcb-util-cursor; Arch: sudo pacman -S xcb-util-cursor)" ;;
esac
exit 0
