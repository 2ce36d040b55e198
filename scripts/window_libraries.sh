#!/usr/bin/env bash
# Says which system libraries the desktop window still needs, without failing: PySide6's
# X11 window links against some two dozen system libraries (xcb-cursor, xcb-icccm,
# xkbcommon-x11, EGL...) that a fresh desktop Linux may lack (Qt then aborts with "Could
# not load the Qt platform plugin xcb"). Prints one line naming every missing library and
# the one apt-get command that installs them all. The list is ui/resources/
# window-libraries.txt, which the app's own check reads too. Headless machines and CI run
# the tests offscreen and need none of them, so they are not told anything.
set -uo pipefail
[ "$(uname -s)" = Linux ] || exit 0
[ -z "${CI:-}" ] || exit 0
[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || exit 0
[ "${QT_QPA_PLATFORM:-}" != offscreen ] || exit 0
LIST="$(dirname "$0")/../ui/resources/window-libraries.txt"
[ -r "$LIST" ] || exit 0
LDCONFIG=$(command -v ldconfig || echo /sbin/ldconfig)
[ -x "$LDCONFIG" ] || exit 0
# The libraries the loader knows, one name a line. The cache is read whole first: with
# pipefail, `ldconfig -p | grep -q` fails when grep stops reading early.
cache=$("$LDCONFIG" -p 2>/dev/null || true)
known=$'\n'$(printf '%s\n' "$cache" | awk '{print $1}')$'\n'
missing=()
packages=()
while read -r soname package _; do
    case "$soname" in "" | \#*) continue ;; esac
    case "$known" in *$'\n'"$soname"$'\n'*) continue ;; esac
    missing+=("$soname")
    case " ${packages[*]} " in *" $package "*) ;; *) packages+=("$package") ;; esac
done <"$LIST"
[ ${#missing[@]} -eq 0 ] && exit 0
names=$(printf '%s, ' "${missing[@]}")
echo "note: the window needs the missing system libraries ${names%, }:" \
    "sudo apt-get install ${packages[*]}"
exit 0
