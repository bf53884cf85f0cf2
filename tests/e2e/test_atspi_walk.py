"""A whole application through the Linux accessibility bus (issue 12, item 2): the kiosk in
its own process under Xvfb, with a session bus and the AT-SPI bus; an AT-SPI client (what
Orca is) under Debian's /usr/bin/python3 walks home → service → guide → privacy → the ID card
on the pad → form → confirm → submit → receipt → rating by accessibility actions alone
(doAction(0): Press, or Toggle on a choice; the phone number by the keypad's buttons), and
checks on every screen that each control has a name, a role and states that say what it is.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SYSTEM_PYTHON = "/usr/bin/python3"
BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
APP = "kiosk-atspi"
PHONE = "13800138000"
ROLES = {"push button", "check box", "toggle button", "radio button", "text", "entry"}


def _missing() -> str:
    for tool in ("Xvfb", "dbus-launch"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (.ci/system-deps installs it)"
    if not Path(BUS_LAUNCHER).exists():
        return "at-spi2-core's bus launcher is not installed (.ci/system-deps installs it)"
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True)
    if probe.returncode:
        return "python3-pyatspi is not installed for /usr/bin/python3 (.ci/system-deps)"
    return ""


class Walker:
    def __init__(self, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [SYSTEM_PYTHON, str(ROOT / "tests" / "support" / "atspi_walk.py")], env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")

    def ask(self, **req: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps({"app": APP, **req}) + "\n")
        self.proc.stdin.flush()
        reply: dict[str, Any] = json.loads(self.proc.stdout.readline())
        return reply

    def controls(self) -> list[dict[str, Any]]:
        reply = self.ask(cmd="controls")
        return list(reply.get("controls", []))

    def wait_for(self, name: str, timeout: float = 15.0) -> list[dict[str, Any]]:
        """The controls of the screen that shows the control whose object name is ``name``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.controls()
            if any(ident(c) == name for c in shown):
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{name} never showed on the accessibility bus")

    def act(self, name: str) -> dict[str, Any]:
        shown = self.wait_for(name)
        check_screen(shown)
        (control,) = [c for c in shown if ident(c) == name]
        reply = self.ask(cmd="act", id=control["id"])
        assert "done" in reply, reply
        return control


def ident(control: dict[str, Any]) -> str:
    return str(control["id"]).rsplit(".", 1)[-1]


def check_screen(shown: list[dict[str, Any]]) -> None:
    """What a screen reader would say of each control is enough to use it."""
    for c in shown:
        assert c["role"] in ROLES, c
        assert c["name"].strip(), f"{ident(c)} has no accessible name"
        assert c["name"] != ident(c), c
        if "enabled" not in c["states"]:  # a greyed key (no earlier page): said, not usable
            assert not c["actions"] or c["actions"] == ["SetFocus"], c
            continue
        assert "focusable" in c["states"], c
        assert c["actions"], c
        if "checkable" in c["states"]:
            assert c["role"] == "check box" and c["actions"][0] == "Toggle", c
        elif c["role"] == "push button":
            assert c["actions"][0] == "Press", c


@pytest.fixture
def bus(tmp_path: Path) -> Iterator[dict[str, str]]:
    reason = _missing()
    if reason:
        pytest.skip(reason)
    display = f":{90 + os.getpid() % 800}"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1920x1080x24", "-nolisten",
                             "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out = subprocess.run(["dbus-launch", "--sh-syntax"], capture_output=True, text=True,
                         check=True).stdout
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_QPA")}
    for line in out.splitlines():
        if "=" in line and line.split("=", 1)[0] in ("DBUS_SESSION_BUS_ADDRESS",
                                                      "DBUS_SESSION_BUS_PID"):
            key, value = line.split("=", 1)
            env[key] = value.strip().rstrip(";").strip("'")
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1")
    launcher = subprocess.Popen([BUS_LAUNCHER, "--launch-immediately"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield env
    finally:
        launcher.terminate()
        launcher.wait(timeout=5)
        os.kill(int(env["DBUS_SESSION_BUS_PID"]), 15)
        xvfb.terminate()
        xvfb.wait(timeout=5)


def test_a_whole_application_by_accessibility_actions_alone(
    bus: dict[str, str], tmp_path: Path
) -> None:
    kiosk = subprocess.Popen(
        [sys.executable, "-m", "tests.support.atspi_kiosk", str(tmp_path / "data")], cwd=ROOT,
        env=bus, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")
    walker = Walker(bus)
    try:
        assert kiosk.stdout is not None and kiosk.stdin is not None
        assert kiosk.stdout.readline().strip() == "ready"
        service = walker.act("service-elderly-card-apply")
        assert service["name"] == "老年优待证申领"
        for name in ("guide-start", "privacy-accept", "demo-place-id-card"):
            walker.act(name)
        pickup = walker.act("choice-delivery-pickup")
        assert "checked" not in pickup["states"]
        shown = walker.wait_for("choice-delivery-pickup")
        (now,) = [c for c in shown if ident(c) == "choice-delivery-pickup"]
        assert "checked" in now["states"]  # and said so: "已选中"
        for digit in PHONE:
            assert walker.act(f"key-{digit}")["name"].startswith(digit)
        walker.act("form-next")
        walker.wait_for("confirm-submit")
        said = " ".join(t["name"] + " " + t["text"] for t in walker.ask(cmd="texts")["texts"])
        assert pickup["name"] in said  # the choice pressed by its action is the form's answer
        walker.act("confirm-submit")
        walker.act("receipt-done")
        walker.act("rate-5")
        walker.act("farewell-home")
        walker.wait_for("service-elderly-card-apply")
        kiosk.stdin.close()
        left = json.loads(kiosk.stdout.readline())
        assert sum(left["outbox"].values()) == 1
        assert any("老年优待证申领" in r for r in left["receipts"])
    finally:
        assert walker.proc.stdin is not None
        walker.proc.stdin.close()
        walker.proc.wait(timeout=10)
        if kiosk.poll() is None:
            kiosk.terminate()
            kiosk.wait(timeout=15)
