#!/bin/sh
# The kiosk's whole graphical session, started at boot by dcp-kiosk.service (as the kiosk user).
#
# 1. A D-Bus session bus of its own, with GNOME Keyring's Secret Service unlocked from the
#    password systemd hands over as a credential (never in the environment or on disk in clear):
#    the kiosk keeps its data key and device token there.
# 2. A display: cage (a Wayland kiosk compositor: one full-screen app, no desktop, no way out),
#    or Xorg through xinit, or Xvfb for trying the session without a screen.
# 3. `dcp-kiosk doctor` into the journal, then `dcp-kiosk run`. When the kiosk exits, the session
#    ends and systemd starts it again (Restart=always).
#
# With arguments, it runs `dcp-kiosk ARGS` inside the same unlocked keyring instead (no display):
#   kiosk-session.sh enrol --portal URL --kiosk-id ID --site ID < token.txt
#   kiosk-session.sh doctor
#
# Settings (environment, usually from the unit):
#   DCP_KIOSK_HOME     where the bundle is (default /opt/dcp-kiosk)
#   DCP_KIOSK_DISPLAY  cage (default) | xorg | xvfb
#   DCP_KIOSK_KEYRING_PASSWORD_FILE  default $CREDENTIALS_DIRECTORY/keyring-password
#   DCP_KIOSK_RUN_ARGS extra arguments for `dcp-kiosk run` (e.g. --training, --exit-after 5 to try it)
set -eu
home=${DCP_KIOSK_HOME:-/opt/dcp-kiosk}
kiosk="$home/dcp-kiosk"
say() { echo "kiosk-session: $*" >&2; }

if [ -z "${_DCP_KIOSK_SESSION_BUS:-}" ]; then
    [ -x "$kiosk" ] || { say "no kiosk at $kiosk (set DCP_KIOSK_HOME)"; exit 1; }
    for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
        command -v "$tool" >/dev/null || { say "$tool is missing: install dbus-daemon dbus-bin gnome-keyring"; exit 1; }
    done
    export _DCP_KIOSK_SESSION_BUS=1
    exec dbus-run-session -- "$0" "$@"
fi

# -- inside the session bus: unlock the keyring ---------------------------------------------
pwfile=${DCP_KIOSK_KEYRING_PASSWORD_FILE:-${CREDENTIALS_DIRECTORY:-/nonexistent}/keyring-password}
if [ ! -r "$pwfile" ]; then
    say "no keyring password at $pwfile: see docs/deployment.md (LoadCredential=keyring-password:...)"
    exit 1
fi
# Creates ~/.local/share/keyrings/login.keyring with this password the first time, unlocks it after.
gnome-keyring-daemon --unlock --components=secrets <"$pwfile" >/dev/null
i=0
until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"; do
    i=$((i + 1))
    [ "$i" -lt 50 ] || { say "the Secret Service did not start"; exit 1; }
    sleep 0.1
done

# -- an administrative command in this keyring, or health into the journal and then the kiosk ---
if [ "$#" -gt 0 ]; then
    exec "$kiosk" "$@"
fi
# Audio for speech (audio mode): the user's PulseAudio, which systemd --user starts on demand on
# Debian 12 (pulseaudio.socket); start one where nothing did. speech-dispatcher is started by the kiosk.
if command -v pactl >/dev/null 2>&1 && ! timeout 5 pactl info >/dev/null 2>&1; then
    if command -v pulseaudio >/dev/null 2>&1 && pulseaudio --start --exit-idle-time=-1 >/dev/null 2>&1; then
        say "started PulseAudio for speech"
    else
        say "no audio server: audio mode will be silent (docs/deployment.md, Speech)"
    fi
fi
"$kiosk" doctor >&2 || say "doctor found problems (above); starting the kiosk anyway, it works offline"

# shellcheck disable=SC2086  # DCP_KIOSK_RUN_ARGS is a list of words
case "${DCP_KIOSK_DISPLAY:-cage}" in
    cage)
        export QT_QPA_PLATFORM="wayland;xcb"
        exec cage -s -- "$kiosk" run ${DCP_KIOSK_RUN_ARGS:-}
        ;;
    xorg)
        export QT_QPA_PLATFORM=xcb
        exec xinit "$kiosk" run ${DCP_KIOSK_RUN_ARGS:-} -- :0 -nolisten tcp -nocursor vt"${XDG_VTNR:-1}"
        ;;
    xvfb)
        export QT_QPA_PLATFORM=xcb
        exec xvfb-run -a -s "-screen 0 1280x1024x24" "$kiosk" run ${DCP_KIOSK_RUN_ARGS:-}
        ;;
    *)
        say "DCP_KIOSK_DISPLAY must be cage, xorg or xvfb"
        exit 1
        ;;
esac
