"""Receipts printed to the virtual ESC/POS printer over TCP count against the paper roll."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest

from devices.printers.paper import job_length_mm
from devices.printers.receipt import layout_receipt
from devices.sim.printer.tcp_server import VirtualPrinter
from kiosk.assembly import build_printer
from kiosk.config import ConfigError
from kiosk.diagnostics.diagnose import add_paper, render_text
from kiosk.diagnostics.grading import report_schema
from kiosk.paper_roll import open_roll
from tests.integration.test_printer import make_receipt
from tests.support.kiosk import test_config
from tests.support.printer import *  # noqa: F403  (virtual_printer fixture)

NOW = datetime(2026, 11, 21, 6, 30, tzinfo=UTC)


def test_receipts_printed_over_tcp_are_counted_predicted_and_reset(
    tmp_path: Path, virtual_printer: VirtualPrinter
) -> None:
    # A short roll, so that a few receipts bring it under 10 %.
    config = test_config(tmp_path).replace("printer", port=virtual_printer.port,
                                           roll_length_m=5)
    roll = open_roll(config.data_dir, config.printer)
    roll.new_roll("20001", NOW)
    printer = build_printer(config)
    receipt = make_receipt()
    one = job_length_mm(layout_receipt(receipt, printer.width_mm), printer.width_mm)
    for _ in range(3):
        printer.print_receipt(receipt)
    assert len(virtual_printer.wait_for_receipts(3, timeout=5)) == 3
    counted = roll.estimate()
    assert counted.jobs == 3 and counted.fed_mm == pytest.approx(3 * one, abs=0.5)
    assert counted.receipts_left == int((5000 - counted.fed_mm) // (counted.fed_mm / 3))
    assert not counted.attention

    part: dict[str, object] = {"ok": True, "detail": "the printer is ready", "warnings": []}
    add_paper(config, part)
    assert f"about {counted.receipts_left} receipt(s) left" in str(part["paper"])
    assert part["warnings"] == []

    left = int(counted.left_mm // one)
    used_up = left - 2  # print until fewer than 10 % of the roll is left
    for _ in range(used_up):
        printer.print_receipt(receipt)
    virtual_printer.wait_for_receipts(3 + used_up, timeout=10)
    low = roll.estimate()
    assert low.attention and low.receipts_left <= 2
    part = {"ok": True, "detail": "the printer is ready", "warnings": []}
    add_paper(config, part)
    assert part["warnings"] and "nearly used up" in part["warnings"][0]  # type: ignore[index]
    schema = json.loads(report_schema())
    jsonschema.validate(part["paper"], {"$defs": schema["$defs"], "$ref": "#/$defs/paper"})
    assert "paper: about" in render_text({"kiosk": {"id": "K", "code": "c"},
                                          "printer": {**part, "health": "attention"}})

    fresh = roll.new_roll("20002", NOW)
    assert (fresh.jobs, fresh.fed_mm, fresh.fitted_by) == (0, 0.0, "20002")
    printer.print_receipt(receipt)
    virtual_printer.wait_for_receipts(4 + used_up, timeout=5)
    assert roll.estimate().jobs == 1


def test_a_bad_roll_length_is_a_config_error_in_words(tmp_path: Path) -> None:
    config = test_config(tmp_path).replace("printer", roll_length_m=0.5)
    with pytest.raises(ConfigError, match=r"roll_length_m must be between 5 and 500 metres"):
        build_printer(config)
