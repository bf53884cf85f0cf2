"""deploy/systemd: every unit passes systemd-analyze verify with no warning (issue 13, item 6)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

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
