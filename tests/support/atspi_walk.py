"""The AT-SPI side of the accessibility walk: what a screen reader (Orca) sees of the kiosk.

Runs under Debian's own /usr/bin/python3 (python3-pyatspi imports only there): standard
library and pyatspi only, no project imports. Talks JSON lines over stdin/stdout, one answer
per command:

- ``{"cmd": "controls", "app": NAME}``: every showing push button, check box, radio button,
  toggle button and text of the application's active window: id, name, role, states and
  action names.
- ``{"cmd": "act", "app": NAME, "id": ID}`` (or ``"name"``): the control's default action,
  ``doAction(0)``.
- ``{"cmd": "texts", "app": NAME}``: the names and text of every showing label.
"""

from __future__ import annotations

import json
import sys

import pyatspi

CONTROLS = {"push button", "toggle button", "check box", "radio button", "text",
            "entry", "password text"}


def find_app(name: str):
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        if app is not None and name in (app.name or ""):
            return app
    raise LookupError(f"no application {name!r} on the accessibility bus")


def walk(node, out: list, depth: int = 0) -> None:
    if node is None or depth > 60:
        return
    try:
        states = node.getState()
        if not states.contains(pyatspi.STATE_SHOWING):
            return
        out.append(node)
        for i in range(node.childCount):
            walk(node.getChildAtIndex(i), out, depth + 1)
    except Exception:  # a widget deleted while we walk: it is gone from the screen too
        return


def describe(node) -> dict:
    states = node.getState()
    try:
        action = node.queryAction()
        actions = [action.getName(i) for i in range(action.nActions)]
    except NotImplementedError:
        actions = []
    try:
        ident = node.accessibleId
    except Exception:
        ident = ""
    text = ""
    try:
        t = node.queryText()
        text = t.getText(0, t.characterCount)
    except NotImplementedError:
        pass
    return {
        "id": ident or "",
        "name": node.name or "",
        "role": node.getRoleName(),
        "text": text,
        "actions": actions,
        "states": sorted(pyatspi.stateToString(s) for s in states.getStates()),
    }


def showing(app_name: str) -> list:
    app = find_app(app_name)
    nodes: list = []
    for i in range(app.childCount):
        window = app.getChildAtIndex(i)
        walk(window, nodes)
    return nodes


def answer(req: dict) -> dict:
    cmd = req["cmd"]
    if cmd == "apps":
        desktop = pyatspi.Registry.getDesktop(0)
        return {"apps": [desktop.getChildAtIndex(i).name for i in range(desktop.childCount)]}
    nodes = showing(req["app"])
    if cmd == "controls":
        return {"controls": [describe(n) for n in nodes if n.getRoleName() in CONTROLS]}
    if cmd == "texts":
        return {"texts": [describe(n) for n in nodes if n.getRoleName() == "label"]}
    if cmd == "act":
        for n in nodes:
            d = describe(n)
            if d["role"] in CONTROLS and (d["id"] == req.get("id") or (
                    "name" in req and d["name"] == req["name"])):
                n.queryAction().doAction(0)
                return {"done": d}
        return {"error": f"no showing control {req.get('id') or req.get('name')!r}"}
    return {"error": f"unknown command {cmd!r}"}


def main() -> int:
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            reply = answer(json.loads(line))
        except Exception as exc:  # said to the test, which fails with it
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(reply, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
