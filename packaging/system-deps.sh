#!/usr/bin/env bash
# Install the Debian packages listed in packaging/apt-packages.txt that are missing.
# As root: installs them. Otherwise: prints the exact apt-get line to run and exits 1.
# Used by the Makefile (demo, test, screenshots) and by .ci/run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
list="$here/apt-packages.txt"

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "system-deps: not a Debian-based system; install the equivalents of $list by hand" >&2
    exit 0
fi

missing=()
while read -r pkg; do
    pkg=${pkg%%#*}; pkg=${pkg//[[:space:]]/}
    [ -z "$pkg" ] && continue
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$pkg")
done < "$list"

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

line="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    echo "system-deps: these Debian packages are missing: ${missing[*]}" >&2
    echo "Run as root (or with sudo):" >&2
    echo "  apt-get update && $line" >&2
    exit 1
fi
echo "system-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
$line -qq
