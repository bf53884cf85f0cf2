"""The A4 printer in ``kiosk diagnose``, against a real private cupsd whose queue's backend is
the A4 simulator (devices/sim/a4): a fault is a job the simulator holds with its
printer-state-reasons set, as a real printer's IPP backend does."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from devices.printers.cups_a4 import A4State, CupsA4Printer
from devices.sim.a4.cupsd import QUEUE, PrivateCupsd
from kiosk.config import Config
from kiosk.diagnostics.diagnose import check_a4_printer, render_text
from kiosk.diagnostics.grading import exit_code, grade, report_schema
from tests.support.a4 import a4_settings
from tests.support.kiosk import test_config
from tests.support.platform import free_port

SCHEMA = json.loads(report_schema())


def a4_config(tmp_path: Path, cupsd: PrivateCupsd, queue: str = QUEUE) -> Config:
    return test_config(tmp_path).replace("a4_printer", queue=queue, server=cupsd.server)


def graded(part: dict[str, Any]) -> dict[str, Any]:
    """A report of this one part, graded as diagnose grades it."""
    return grade({"kiosk": {"warnings": []}, "a4_printer": part}, ["a4_printer"])


def hold_a_job_with(cupsd: PrivateCupsd, fault: str, state: A4State) -> None:
    """A job the simulator holds with ``fault`` (until the cupsd stops)."""
    cupsd.set_fault(fault)
    subprocess.run(["lp", "-h", cupsd.server, "-d", QUEUE, "-t", "probe", "-"],
                   input=b"%PDF-1.4\n" + b"x" * 8192, capture_output=True, check=True,
                   timeout=10)
    printer = CupsA4Printer(a4_settings(cupsd))
    deadline = time.monotonic() + 15
    while printer.status().state is not state:
        assert time.monotonic() < deadline, printer.status()
        time.sleep(0.05)


def diagnose_cli(tmp_path: Path, cupsd: PrivateCupsd) -> tuple[int, dict[str, Any]]:
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'[kiosk]\ndata_dir = "{tmp_path / "data"}"\n'
        f'[platform]\nurl = "http://127.0.0.1:{free_port()}"\n'
        f"[printer]\nport = {free_port()}\ntimeout_seconds = 0.5\n"
        f'[a4_printer]\nqueue = "{QUEUE}"\nserver = "{cupsd.server}"\n'
    )
    done = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "--config", str(config), "diagnose", "--json"],
        capture_output=True, text=True, timeout=60,
    )
    report = json.loads(done.stdout)
    jsonschema.validate(report, SCHEMA)
    return done.returncode, report


def test_a_ready_queue_is_ok(tmp_path: Path, private_cupsd: PrivateCupsd) -> None:
    part = check_a4_printer(a4_config(tmp_path, private_cupsd))
    report = graded(part)
    assert part["ok"] is True and part["status"] == "ready" and part["health"] == "ok"
    assert part["detail"].startswith("ready; CUPS queue 'kiosk-a4' on 127.0.0.1:")
    assert isinstance(part["reasons"], list) and exit_code(report) == 0
    assert "[OK  ] a4_printer: ready" in render_text({**report, "kiosk": {"id": "k", "code": "K"}})


@pytest.mark.parametrize(("fault", "state", "words", "reason"), [
    ("paper_out", A4State.PAPER_OUT, "out of paper", "media-empty-error"),
    ("jam", A4State.JAM, "paper jam", "media-jam-error"),
])
def test_paper_out_and_a_jam_are_failing_in_words(
    tmp_path: Path, private_cupsd: PrivateCupsd, fault: str, state: A4State, words: str,
    reason: str,
) -> None:
    hold_a_job_with(private_cupsd, fault, state)
    code, report = diagnose_cli(tmp_path, private_cupsd)
    part = report["a4_printer"]
    assert part["status"] == state.value and part["detail"].startswith(words)
    assert reason in part["reasons"]
    assert part["ok"] is False and part["health"] == "failing"
    assert code == 2 and report["health"] == "failing"
    assert exit_code(graded(check_a4_printer(a4_config(tmp_path, private_cupsd)))) == 2
    assert f"[FAIL] a4_printer: {words}" in render_text(report)


def test_a_missing_queue_and_a_stopped_cupsd_are_failing_in_words(
    tmp_path: Path, private_cupsd: PrivateCupsd,
) -> None:
    missing = graded(check_a4_printer(a4_config(tmp_path, private_cupsd, "no-such-queue")))
    part = missing["a4_printer"]
    assert part["status"] == "not_configured" and part["health"] == "failing"
    assert "no such queue" in part["detail"] and "'no-such-queue'" in part["detail"]
    private_cupsd.stop()
    stopped = graded(check_a4_printer(a4_config(tmp_path, private_cupsd)))
    part = stopped["a4_printer"]
    assert part["status"] == "offline" and part["health"] == "failing"
    assert part["detail"].startswith("CUPS is not running")
    assert exit_code(stopped) == 2


def test_no_a4_printer_configured_means_no_part(tmp_path: Path) -> None:
    from kiosk.diagnostics.diagnose import diagnose

    config = test_config(tmp_path).replace("printer", backend="file",
                                           path=str(tmp_path / "receipts.bin"))
    report = diagnose(config.replace("platform", url=f"http://127.0.0.1:{free_port()}"))
    assert "a4_printer" not in report
    jsonschema.validate(report, SCHEMA)


def test_a_fault_left_from_a_cancelled_job_needs_attention(
    tmp_path: Path, private_cupsd: PrivateCupsd,
) -> None:
    hold_a_job_with(private_cupsd, "paper_out", A4State.PAPER_OUT)
    subprocess.run(["cancel", "-h", private_cupsd.server, "-a", QUEUE], check=True, timeout=10)
    printer = CupsA4Printer(a4_settings(private_cupsd))
    deadline = time.monotonic() + 15
    while printer.status().state is not A4State.READY:
        assert time.monotonic() < deadline, printer.status()
        time.sleep(0.05)
    part = graded(check_a4_printer(a4_config(tmp_path, private_cupsd)))["a4_printer"]
    assert part["status"] == "ready" and part["ok"] is True and part["health"] == "attention"
    assert part["reasons"] == ["media-empty-error"]
    assert any("last reported out of paper" in w for w in part["warnings"])


def test_the_technician_panel_s_live_report_has_the_a4_printer(
    tmp_path: Path, private_cupsd: PrivateCupsd,
) -> None:
    from devices.printers.network import NetworkReceiptPrinter
    from devices.sim.card.inprocess_reader import SimulatedCardReader
    from kiosk.assembly import assemble_kiosk

    core = assemble_kiosk(a4_config(tmp_path / "k", private_cupsd), readers=SimulatedCardReader(),
                          printer=NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3))
    core.start()
    try:
        hold_a_job_with(private_cupsd, "jam", A4State.JAM)
        report = core.health_report().result(timeout=20)
    finally:
        core.stop()
    assert report["a4_printer"]["status"] == "jam" and report["a4_printer"]["health"] == "failing"
    assert "[FAIL] a4_printer: paper jam" in render_text(report)
    jsonschema.validate(report, SCHEMA)
