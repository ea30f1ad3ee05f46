"""Read a running kiosk's accessibility tree over AT-SPI, as a screen reader does.

Run with Debian's system Python (python3-pyatspi), in the same D-Bus session as the kiosk.
Usage: atspi_reader.py APP_NAME [PRESS_NAME [AFTER_NAME]]
Prints JSON: {"before": [[role, name], ...], "after": [[role, name], ...]}.
"""

import json
import sys
import time

import pyatspi


def find_app(name, seconds=30.0):
    deadline = time.time() + seconds
    while time.time() < deadline:
        desktop = pyatspi.Registry.getDesktop(0)
        for i in range(desktop.childCount):
            app = desktop.getChildAtIndex(i)
            if app is not None and app.name == name:
                return app
        time.sleep(0.3)
    raise SystemExit(f"no application called {name!r} on the accessibility bus")


def walk(node, depth=0, out=None):
    out = [] if out is None else out
    if node is None or depth > 40:
        return out
    try:
        state = node.getState()
        showing = state.contains(pyatspi.STATE_SHOWING)
        out.append((node.getRoleName(), node.name or "", node, showing))
        for i in range(node.childCount):
            walk(node.getChildAtIndex(i), depth + 1, out)
    except Exception:  # a node that went away while we read it
        pass
    return out


def controls(app):
    return [(role, name) for role, name, _, showing in walk(app) if showing and name]


def main():
    app = find_app(sys.argv[1])
    deadline = time.time() + 20
    before = controls(app)
    while not any(role == "push button" for role, _ in before) and time.time() < deadline:
        time.sleep(0.3)
        before = controls(app)
    result = {"before": before, "after": []}
    if len(sys.argv) > 2:
        target = next(n for r, name, n, showing in walk(app) if showing and name == sys.argv[2] and r == "push button")
        action = target.queryAction()
        action.doAction(0)
        while time.time() < deadline:
            time.sleep(0.3)
            result["after"] = controls(app)
            if len(sys.argv) < 4 or any(name == sys.argv[3] for _, name in result["after"]):
                break
    print(json.dumps(result))


main()
