"""``kiosk diagnose --json`` against a real virtual printer and reference platform."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest

from devices.sim.printer.tcp_server import VirtualPrinter
from kiosk.diagnostics.diagnose import check_platform
from kiosk.diagnostics.grading import report_schema
from kiosk.platform_link.enrolment import enrol
from kiosk.staff.sign_in import lockout_for, staff_warnings
from sync.outbox.store import Outbox
from sync.server.cli import start_server_thread
from tests.support.clock import FakeClock
from tests.support.kiosk import test_config
from tests.support.platform import PlatformProcess, free_port
from tests.support.staff import with_local_technician

SCHEMA = json.loads(report_schema())


def run_diagnose(tmp_path: Path, platform_url: str, printer_port: int) -> tuple[int, dict]:
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'[kiosk]\ndata_dir = "{tmp_path / "data"}"\n'
        f'[platform]\nurl = "{platform_url}"\n'
        f"[printer]\nport = {printer_port}\ntimeout_seconds = 1.0\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "--config", str(config), "diagnose", "--json"],
        capture_output=True, text=True, timeout=60,
    )
    report = json.loads(done.stdout)
    jsonschema.validate(report, SCHEMA)  # the documented schema (assets/schemas)
    return done.returncode, report


def test_diagnose_reports_reader_printer_outbox_and_platform(
    tmp_path: Path, virtual_printer: VirtualPrinter, reference_platform: PlatformProcess
) -> None:
    code, report = run_diagnose(tmp_path, reference_platform.url, virtual_printer.port)
    assert set(report) >= {"reader", "printer", "outbox", "platform", "ok"}
    assert report["printer"] == {**report["printer"], "ok": True, "health": "ok"}
    assert report["platform"]["reachable"] is True
    assert report["outbox"]["ok"] is True
    assert "detail" in report["reader"]


def test_diagnose_says_what_is_wrong_when_printer_and_platform_are_gone(tmp_path: Path) -> None:
    code, report = run_diagnose(tmp_path, f"http://127.0.0.1:{free_port()}", free_port())
    assert code == 2 and report["health"] == "failing"
    assert report["ok"] is False
    assert report["printer"]["health"] == report["platform"]["health"] == "failing"
    assert report["platform"]["reachable"] is False
    assert report["printer"]["ok"] is False
    assert report["printer"]["status"] in ("offline", "unknown")


def test_diagnose_reports_paper_out(
    tmp_path: Path, virtual_printer: VirtualPrinter, reference_platform: PlatformProcess
) -> None:
    virtual_printer.set_fault("paper_out")
    _, report = run_diagnose(tmp_path, reference_platform.url, virtual_printer.port)
    assert report["printer"]["status"] == "paper_out"
    assert "paper" in report["printer"]["detail"]


@pytest.mark.pcsc
def test_diagnose_finds_the_vpcd_reader_and_warns_it_is_for_demos(
    tmp_path: Path, pcscd: object, virtual_printer: VirtualPrinter,
    reference_platform: PlatformProcess,
) -> None:
    code, report = run_diagnose(tmp_path, reference_platform.url, virtual_printer.port)
    assert report["reader"]["ok"] is True
    assert any(name.startswith("Virtual PCD 00 00") for name in report["reader"]["readers"])
    assert any("vpcd" in w for w in report["reader"]["warnings"])
    # A demo reader works but needs a technician's eye on a production kiosk.
    assert report["reader"]["health"] == "attention"
    assert code == 1 and report["ok"] is True and report["health"] == "attention"


def test_diagnose_reports_a_recovered_outbox(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "outbox.sqlite").write_bytes(b"this is not a database" * 100)
    Outbox(data / "outbox.sqlite").close()  # a kiosk start finds the damage and recovers
    _, report = run_diagnose(tmp_path, f"http://127.0.0.1:{free_port()}", free_port())
    assert any("recovered from damage" in w for w in report["outbox"]["warnings"])


def test_diagnose_names_a_clock_problem_and_a_revoked_key(tmp_path: Path) -> None:
    """The platform's clock is an hour ahead: the kiosk's signatures are refused as skewed."""
    offset = 3600.0
    server = start_server_thread(
        "127.0.0.1", 0, tmp_path / "platform", require_signatures=True,
        clock=lambda: time.time() + offset,
    )
    try:
        config = test_config(tmp_path / "kiosk").replace("platform", url=server.url)
        enrol_with = server.registry.issue_token(config.kiosk.id)
        offset = 0.0
        enrol(config, enrol_with)
        assert check_platform(config)["ok"] is True
        offset = 3600.0
        report = check_platform(config)
        assert report["ok"] is False and report["auth_problem"] == "clock_skew"
        assert "clock problem" in report["detail"] and "behind" in report["detail"]
        assert abs(report["clock_offset_seconds"] - 3600) < 60
        offset = 0.0
        server.registry.revoke(config.kiosk.id)
        report = check_platform(config)
        assert report["auth_problem"] == "revoked" and "revoked" in report["detail"]
    finally:
        server.stop()


def test_diagnose_reports_a_data_dir_and_outbox_open_to_other_accounts(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    outbox = data / "outbox.sqlite"
    Outbox(outbox).close()
    os.chmod(data, 0o755)
    os.chmod(outbox, 0o644)
    _, report = run_diagnose(tmp_path, f"http://127.0.0.1:{free_port()}", free_port())
    warnings = report["kiosk"]["warnings"]
    assert any(f"{data} is mode 0755" in w for w in warnings), warnings
    assert any(f"{outbox} is mode 0644" in w for w in warnings), warnings
    assert stat.S_IMODE(outbox.stat().st_mode) == 0o644  # diagnose reports, never changes


def test_diagnose_warns_of_missing_staff_credentials_and_of_a_lockout(tmp_path: Path) -> None:
    config = test_config(tmp_path)
    clock = FakeClock()
    assert any("no staff credentials" in w and "kiosk technician set-pin" in w
               for w in staff_warnings(config, clock))
    with_local_technician(config)
    assert staff_warnings(config, clock) == []
    lockout = lockout_for(config, clock)
    for _ in range(5):
        lockout.failed()
    assert any("locked" in w and "kiosk technician unlock" in w
               for w in staff_warnings(config, clock))
