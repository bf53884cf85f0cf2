"""The core hears the printer: a paper-near-end warning reaches the app's events and the log."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from devices.printers.receipt import Receipt
from devices.sim.card.inprocess_reader import SimulatedCardReader
from devices.sim.printer.tcp_server import VirtualPrinter
from kiosk import events as ev
from kiosk.assembly import assemble_kiosk, build_printer
from kiosk.config import ConfigError
from tests.support.kiosk import test_config


def test_paper_near_end_is_published_and_logged_for_technicians(
    tmp_path: Path, virtual_printer: VirtualPrinter, caplog: pytest.LogCaptureFixture
) -> None:
    config = test_config(tmp_path).replace("printer", port=virtual_printer.port)
    core = assemble_kiosk(config, readers=SimulatedCardReader())
    seen: list[ev.Event] = []
    core.events.subscribe(seen.append)
    try:
        assert core.printer.status().value == "ok"
        virtual_printer.set_fault("paper_near_end")
        assert core.printer.status().value == "paper_near_end"
    finally:
        core.stop()
    statuses = [e.status for e in seen if isinstance(e, ev.PrinterDidChangeStatus)]
    assert statuses == ["ok", "paper_near_end"]
    assert "paper roll is nearly used up" in caplog.text


def test_unknown_printer_backend_is_a_config_error_naming_the_setting(tmp_path: Path) -> None:
    config = test_config(tmp_path).replace("printer", backend="lpt9")
    with pytest.raises(ConfigError, match=r"\[printer\] backend"):
        build_printer(config)


def test_printer_settings_from_config_name_what_is_wrong(tmp_path: Path) -> None:
    config = test_config(tmp_path)
    with pytest.raises(ConfigError, match=r"\[printer\] colour: unknown setting"):
        config.replace("printer", colour=True)
    with pytest.raises(ConfigError, match=r"\[printer\] unsupported paper width 76 mm"):
        build_printer(config.replace("printer", width_mm=76))
    with pytest.raises(ConfigError) as refused:
        build_printer(config.replace("printer", backend="lpt9"))
    assert str(refused.value) == (
        "[printer] backend: unknown value 'lpt9' (network, serial, usb, file, win32raw)"
    )


def test_file_printer_from_config_prints_without_status(tmp_path: Path) -> None:
    out = tmp_path / "spool.bin"
    config = test_config(tmp_path).replace("printer", backend="file", path=str(out))
    printer = build_printer(config)
    assert not printer.reports_status
    printer.print_receipt(Receipt(
        title="老年优待证申领", lines=(("受理编号", "K0451-20261121-0001-5"),),
        tracking_number="K0451-20261121-0001-5", qr_payload="http://x/1", notes=(),
        printed_at=datetime(2026, 11, 21, 9, 0, tzinfo=UTC), kiosk_id="k",
    ))
    assert "老年优待证申领".encode("gb18030") in out.read_bytes()
