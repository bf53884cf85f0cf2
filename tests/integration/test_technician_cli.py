"""``kiosk technician set-pin|unlock``, as root types them on the kiosk, and refused otherwise."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import main as cli
from kiosk.cli import technician as technician_cli
from kiosk.config import Config
from kiosk.staff.sign_in import lockout_for, staff_gate
from kiosk.staff.store import LOCAL_FILE, staff_dir
from tests.support.clock import FakeClock

ROOT = Path(__file__).resolve().parents[2]


def write_config(tmp_path: Path) -> tuple[Path, Config]:
    path = tmp_path / "kiosk.toml"
    path.write_text(f'[kiosk]\ndata_dir = "{tmp_path / "data"}"\nid = "kiosk-0451"\n')
    return path, Config().replace("kiosk", data_dir=str(tmp_path / "data"), id="kiosk-0451")


def kiosk(config_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "--config", str(config_path), "technician", *args],
        input=stdin, capture_output=True, text=True, timeout=60, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.mark.skipif(os.geteuid() != 0, reason="the command itself requires root")
def test_set_pin_reads_the_pin_twice_from_stdin_and_keeps_only_a_hash(tmp_path: Path) -> None:
    config_path, config = write_config(tmp_path)
    done = kiosk(config_path, "set-pin", "--id", "4711", "--name", "Li Lei",
                 stdin="482913\n482913\n")
    assert done.returncode == 0, done.stderr
    assert "4711" in done.stdout
    path = staff_dir(config) / LOCAL_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "482913" not in path.read_text()
    assert "482913" not in done.stdout + done.stderr
    assert staff_gate(config, FakeClock()).sign_in("4711", "482913").ok


@pytest.mark.skipif(os.geteuid() != 0, reason="the command itself requires root")
@pytest.mark.parametrize(("stdin", "why"), [
    ("482913\n482931\n", "differ"),
    ("4829\n4829\n", "6 to 12 digits"),
    ("111111\n111111\n", "repeated"),
])
def test_set_pin_refuses_mismatched_or_weak_pins(tmp_path: Path, stdin: str, why: str) -> None:
    config_path, config = write_config(tmp_path)
    done = kiosk(config_path, "set-pin", "--id", "4711", stdin=stdin)
    assert done.returncode == 2 and why in done.stderr
    assert not (staff_dir(config) / LOCAL_FILE).exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="the command itself requires root")
def test_unlock_ends_a_lockout_the_kiosk_persisted(tmp_path: Path) -> None:
    config_path, config = write_config(tmp_path)
    lockout = lockout_for(config, FakeClock())
    for _ in range(5):
        lockout.failed()
    assert lockout.remaining() > 0
    done = kiosk(config_path, "unlock")
    assert done.returncode == 0 and "unlocked" in done.stdout
    assert lockout.remaining() == 0


@pytest.mark.parametrize("action", [["set-pin", "--id", "4711"], ["unlock"]])
def test_both_commands_refuse_unless_run_as_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    action: list[str],
) -> None:
    config_path, config = write_config(tmp_path)
    lockout = lockout_for(config, FakeClock())
    for _ in range(5):
        lockout.failed()
    monkeypatch.setattr(technician_cli.os, "geteuid", lambda: 1000)
    assert cli.main(["--config", str(config_path), "technician", *action]) == 1
    assert "must be run as root" in capsys.readouterr().err
    assert lockout.remaining() > 0
    assert not (staff_dir(config) / LOCAL_FILE).exists()
