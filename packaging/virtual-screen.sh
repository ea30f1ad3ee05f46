#!/usr/bin/env bash
# Run a command on a virtual screen (Xvfb), for a machine with no display: `packaging/virtual-screen.sh make demo`.
#
# Unlike `xvfb-run`, the X server runs in a session of its own, so Ctrl+C in the terminal reaches only the
# command: the kiosk closes cleanly while its screen is still there, and the screen is stopped afterwards.
# (Under `xvfb-run`, Ctrl+C also reaches Xvfb, which dies first: "The X11 connection broke".)
#
#   SCREEN_SIZE=1280x1024x24 (the default) sets the screen; the demo window fills it.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }
command -v Xvfb >/dev/null || { echo "virtual-screen: Xvfb is missing: run make system-deps" >&2; exit 1; }
size=${SCREEN_SIZE:-1280x1024x24}

fifo=$(mktemp -u /tmp/virtual-screen.XXXXXX)
mkfifo -m 600 "$fifo"
# -displayfd: the server picks a free display and writes its number when it is ready for clients.
setsid Xvfb -displayfd 3 -screen 0 "$size" -nolisten tcp 3>"$fifo" </dev/null >/dev/null 2>&1 &
xvfb=$!
stop() {
    kill "$xvfb" 2>/dev/null || true
    wait "$xvfb" 2>/dev/null || true
    rm -f "$fifo"
}
trap stop EXIT
display=""
read -r -t 20 display <"$fifo" || true
[ -n "$display" ] || { echo "virtual-screen: Xvfb did not start" >&2; exit 1; }
echo "virtual-screen: display :$display ($size); Ctrl+C stops the command, then the screen" >&2

# The command gets Ctrl+C (it shares the terminal's process group). This script only notes it (a handler, not
# "ignore", so that the command does not inherit an ignored SIGINT), waits for the command to finish, then stops
# the screen.
trap ':' INT
set +e
DISPLAY=":$display" "$@"
exit $?
