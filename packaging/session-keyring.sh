#!/usr/bin/env bash
# Run a command with a usable OS keyring (the kiosk keeps its data key and device token there).
#
# Inside a desktop session that has a keyring, the command runs as it is. Without one (a bare
# machine, an SSH login, a CI runner) the command runs in a private D-Bus session with GNOME
# Keyring's Secret Service, unlocked, its files kept in $DCP_KIOSK_KEYRING_DIR. This is how
# `make demo` runs on a fresh machine; a real kiosk unlocks its login keyring at boot instead
# (see the deployment notes).
set -euo pipefail
py=${PYTHON:-.venv/bin/python}

has_keyring() {
    "$py" - <<'PY' 2>/dev/null
import sys
import keyring
from keyring.backends import fail
sys.exit(1 if isinstance(keyring.get_keyring(), fail.Keyring) else 0)
PY
}

if [ -z "${_DCP_KIOSK_PRIVATE_BUS:-}" ]; then
    if [ -n "${PYTHON_KEYRING_BACKEND:-}" ] || has_keyring; then
        exec "$@"
    fi
    for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
        command -v "$tool" >/dev/null || { echo "session-keyring: $tool is missing: run make system-deps" >&2; exit 1; }
    done
    export _DCP_KIOSK_PRIVATE_BUS=1
    exec dbus-run-session -- "$0" "$@"
fi
dir=${DCP_KIOSK_KEYRING_DIR:?set DCP_KIOSK_KEYRING_DIR to a folder for the keyring files}
mkdir -p "$dir"
chmod 700 "$dir"
# The training keyring's password guards training data only; a live kiosk's keyring is unlocked
# by its session login.
printf '%s' "${DCP_KIOSK_KEYRING_PASSWORD:-dcp-kiosk-training}" \
    | XDG_DATA_HOME="$dir" gnome-keyring-daemon --unlock --components=secrets >/dev/null
# The daemon registers on the bus a moment later; asking before then would start a second,
# locked one that prompts. Wait until the Secret Service name has its owner (5 s at most).
for _ in $(seq 50); do
    owner=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null || true)
    case "$owner" in *"boolean true"*) break ;; esac
    sleep 0.1
done
exec "$@"
