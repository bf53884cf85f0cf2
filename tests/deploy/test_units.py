"""deploy/systemd: every unit passes systemd-analyze verify with no warning (issue 13, item 6)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

UNITS = Path(__file__).resolve().parents[2] / "deploy" / "systemd"

pytestmark = pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                                reason="systemd-analyze missing: bash .ci/system-deps")


def verify(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["systemd-analyze", "verify", *map(str, paths)],
                          capture_output=True, text=True, timeout=60)


def test_every_unit_verifies_without_a_warning() -> None:
    units = sorted(p for p in UNITS.iterdir() if p.suffix in (".service", ".timer"))
    assert {p.name for p in units} >= {"kiosk.service", "kiosk-out-of-order.service",
                                       "kiosk-retry.timer", "kiosk-retry.service"}
    done = verify(*units)
    assert done.returncode == 0 and done.stderr == "", done.stderr


def test_verify_sees_a_mistyped_key(tmp_path: Path) -> None:
    """The check above can fail: a wrong key name is a warning we would see."""
    for p in UNITS.iterdir():
        shutil.copy(p, tmp_path / p.name)
    unit = tmp_path / "kiosk.service"
    unit.write_text(unit.read_text().replace("WatchdogSec=", "WatchdogSek="))
    done = verify(unit)
    assert "WatchdogSek" in done.stderr


def test_the_kiosk_unit_restarts_and_feeds_a_watchdog() -> None:
    text = (UNITS / "kiosk.service").read_text()
    for line in ("Type=notify", "NotifyAccess=all", "Restart=always", "PAMName=kiosk",
                 "OnFailure=kiosk-out-of-order.service", "Environment=QT_QPA_PLATFORM=wayland"):
        assert line in text.splitlines()
    assert any(ln.startswith("WatchdogSec=") for ln in text.splitlines())


@pytest.mark.parametrize("broken", [False, True], ids=["config", "broken-config"])
def test_the_out_of_order_screen_shows_and_leaves(tmp_path: Path, broken: bool) -> None:
    """kiosk-out-of-order.service's command: it needs no devices, outbox or platform, and
    shows even when the configuration (maybe why the kiosk is down) cannot be read."""
    import os
    import sys

    kiosk = str(Path(sys.executable).with_name("kiosk"))
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text("[kiosk\n" if broken else f'[kiosk]\ndata_dir = "{tmp_path / "data"}"\n',
                   "utf-8")
    done = subprocess.run([kiosk, "--config", str(cfg), "out-of-order", "--exit-after", "0.5"],
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_the_out_of_order_screen_says_so_in_chinese_with_the_hotline(qtbot: QtBot) -> None:
    from ui.launch import ensure_app, install_translator, remove_translator
    from ui.out_of_order import out_of_order_window
    from ui.qt import QLabel

    app = ensure_app()
    install_translator(app, "zh_CN")
    try:
        window = out_of_order_window()
    finally:
        remove_translator(app)
    qtbot.addWidget(window)
    texts = [label.text() for label in window.findChildren(QLabel)]
    assert texts[:2] == ["暂停服务", "Out of order"]
    assert any("12345" in t and "热线" in t for t in texts)


def test_the_kiosk_user_file_parses(tmp_path: Path) -> None:
    """systemd-sysusers reads deploy/sysusers.d in an empty root and would create the user."""
    (tmp_path / "etc").mkdir()
    conf = UNITS.parent / "sysusers.d" / "kiosk.conf"
    assert "/usr/sbin/nologin" in conf.read_text()
    done = subprocess.run(["systemd-sysusers", "--dry-run", f"--root={tmp_path}", str(conf)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    out = done.stdout + done.stderr
    assert "Creating user 'kiosk'" in out and "ignoring" not in out.lower(), out


@pytest.mark.parametrize("name", ["kiosk.service", "kiosk-out-of-order.service"])
def test_the_units_run_the_current_release(name: str) -> None:
    """Releases live in /opt/kiosk/releases/<version>; /opt/kiosk/current names the one that
    runs (set by the Debian package's postinst, switched by self-updates)."""
    execs = [ln for ln in (UNITS / name).read_text().splitlines() if ln.startswith("ExecStart=")]
    assert len(execs) == 1 and execs[0].startswith(
        "ExecStart=/usr/bin/cage -d -- /opt/kiosk/current/bin/kiosk "), execs
