"""Diagnostics read the kiosk's own devices: live inside the kiosk, from its published health
snapshot beside it, and the hardware itself only when no kiosk runs."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import time
from pathlib import Path

from devices.cards.gat467.reader import Gat467CardReader
from devices.sim.card.inprocess_reader import SimulatedCardReader
from devices.sim.idreader.emulator import VirtualIdReader
from devices.sim.printer.tcp_server import VirtualPrinter
from kiosk.assembly import assemble_kiosk
from kiosk.config import Config
from kiosk.diagnostics.diagnose import check_outbox, diagnose
from kiosk.diagnostics.health import read_snapshot, snapshot_path, write_snapshot
from kiosk.outbox_settings import backlog_limits
from sync.outbox.store import Outbox
from tests.support.clock import FakeClock
from tests.support.headless_kiosk import apply_through_the_flow
from tests.support.kiosk import test_config
from tests.support.pcsc import wait_until


def kiosk_toml(config: Config, path: Path) -> Path:
    """The same kiosk, as a second process reads it from a file."""
    path.write_text(
        f'[kiosk]\ndata_dir = "{config.data_dir}"\nhealth_seconds = {config.kiosk.health_seconds}\n'
        f'[platform]\nurl = "{config.platform.url}"\n'
        f'[printer]\nport = {config.printer.port}\ntimeout_seconds = 1.0\n',
        "utf-8",
    )
    return path


def test_diagnose_beside_a_running_kiosk_reads_its_snapshot_and_opens_no_device(
    tmp_path: Path, virtual_printer: VirtualPrinter
) -> None:
    # One publication at start, then none for an hour: every later printer connection
    # would be diagnose's own.
    config = test_config(tmp_path / "data", health_seconds=3600.0).replace(
        "printer", port=virtual_printer.port)
    core = assemble_kiosk(config, readers=SimulatedCardReader())
    core.start()
    try:
        assert wait_until(lambda: snapshot_path(config).exists(), 10)
        assert stat.S_IMODE(os.stat(snapshot_path(config)).st_mode) == 0o600
        connections = virtual_printer.accepted_total
        done = subprocess.run(
            [sys.executable, "-m", "kiosk.cli", "--config",
             str(kiosk_toml(config, tmp_path / "kiosk.toml")), "diagnose", "--json"],
            capture_output=True, text=True, timeout=60,
        )
        report = json.loads(done.stdout)
        assert virtual_printer.accepted_total == connections  # the printer was not opened
    finally:
        core.stop()
    assert report["source"] == f"running kiosk (pid {os.getpid()})"
    assert report["printer"]["status"] == "ok"
    assert "as the running kiosk saw it" in report["printer"]["detail"]
    assert "Simulated card reader" in report["reader"]["detail"]
    assert report["sync"]["ok"] is True
    assert not snapshot_path(config).exists()  # a stopped kiosk leaves no snapshot behind


def test_a_running_kiosk_with_a_stale_snapshot_is_reported_as_possibly_hung(
    tmp_path: Path,
) -> None:
    config = test_config(tmp_path)
    with Outbox(config.outbox_path, FakeClock()):  # the kiosk's lock is held
        write_snapshot(config, {"reader": {"ok": True, "detail": "fine"}}, time.time() - 600)
        report = diagnose(config)
    assert report["source"].startswith("running kiosk")
    assert report["reader"]["ok"] is False
    assert "may be hung" in report["reader"]["detail"]
    assert re.search(r"last published its health 60\d s ago", report["reader"]["detail"])
    assert report["ok"] is False


def test_live_report_shows_the_workers_last_error_and_the_id_card_reader(
    tmp_path: Path, virtual_printer: VirtualPrinter, virtual_id_reader: VirtualIdReader
) -> None:
    config = test_config(tmp_path).replace("printer", port=virtual_printer.port)
    readers = [SimulatedCardReader(), Gat467CardReader(virtual_id_reader.path)]
    core = assemble_kiosk(config, readers=readers)
    core.start()
    try:
        apply_through_the_flow(core)
        # Nothing listens at the platform's address: the upload fails, and says why.
        assert wait_until(lambda: core.worker.health().last_error is not None, 10)
        assert wait_until(lambda: readers[1].status().present, 10)
        report = core.health_report().result(timeout=10)
    finally:
        core.stop()
    assert report["source"] == "live"
    assert report["sync"]["ok"] is False
    assert report["sync"]["last_error_kind"] == "unreachable"
    assert "uploads failing" in report["sync"]["detail"]
    backends = [r["backend"] for r in report["reader"]["readers"]]
    assert backends == ["simulated", "gat467"]
    assert "SAM" in report["reader"]["detail"]
    assert report["printer"]["status"] == "ok"
    assert report["outbox"]["counts"]["pending"] + report["outbox"]["counts"]["sending"] == 1


def test_diagnose_probes_the_id_card_reader_when_no_kiosk_runs(
    tmp_path: Path, virtual_id_reader: VirtualIdReader
) -> None:
    config = test_config(tmp_path).replace(
        "reader", backend="simulated", gat467_port=str(virtual_id_reader.path))
    report = diagnose(config)
    assert report["source"] == "probed"
    assert "SAM" in report["reader"]["detail"]
    assert str(virtual_id_reader.path) in report["reader"]["readers"]
    assert report["reader"]["ok"] is True


def test_diagnose_and_the_outbox_agree_on_when_the_backlog_deserves_a_warning(
    tmp_path: Path,
) -> None:
    config = test_config(tmp_path).replace("sync", backlog_warn_count=2)
    with Outbox(config.outbox_path, FakeClock(), backlog=backlog_limits(config)) as outbox:
        for n in range(3):
            outbox.enqueue(f"tx-{n}", "svc", b"sealed", {}, daily_key="20261121")
            inside = outbox.backlog_status().warnings
            outside = check_outbox(config)["warnings"]
            assert ("count" in inside) == any("warning threshold" in w for w in outside), n
        assert "count" in inside  # three records are over a warning threshold of two
    assert read_snapshot(config) is None
