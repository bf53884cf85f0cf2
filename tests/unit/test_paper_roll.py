"""Counting the receipt roll: paper estimated from the layout, counters kept, length checked."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from devices.printers.paper import job_length_mm, line_dots
from devices.printers.receipt import Line, layout_receipt
from devices.printers.settings import PrinterSettings
from kiosk.paper_roll import (
    FILE_NAME,
    PaperRoll,
    PaperRollError,
    RollCounters,
    estimate,
    open_roll,
    paper_part,
    roll_length_mm,
)
from tests.integration.test_printer import make_receipt

NOW = datetime(2026, 11, 21, 6, 30, tzinfo=UTC)


def test_line_heights_follow_the_escpos_layout() -> None:
    plain, tall = Line(text="受理编号"), Line(text="A001", double_height=True, scale=2)
    assert line_dots(plain, 58) == 30  # the default line spacing
    assert line_dots(tall, 58) == 30 + 24 * 3  # GS ! height 4
    qr = Line(text="https://gov.example/s/K0451-20261121-0042-7", kind="qr")
    assert line_dots(qr, 80) > line_dots(qr, 58) > 25 * 6  # module size per paper width
    # ten plain lines: 300 dots, the cut's six-line feed 180 dots, 12 mm head to cutter
    assert job_length_mm([plain] * 10, 58) == pytest.approx(300 / 8 + 180 / 8 + 12)


def test_a_submission_receipt_is_about_a_hand_long() -> None:
    length = job_length_mm(layout_receipt(make_receipt(), 58), 58)
    assert 100 < length < 250


def test_counters_persist_and_predict_then_reset_with_the_technician(tmp_path: Path) -> None:
    roll = PaperRoll(tmp_path, roll_mm=10_000)
    assert not roll.estimate().known  # no roll change recorded: nothing predicted
    roll.new_roll("20001", NOW)
    for _ in range(4):
        roll.record(250.0)
    again = PaperRoll(tmp_path, roll_mm=10_000).estimate()  # read back from the file
    assert (again.jobs, again.fed_mm, again.left_mm) == (4, 1000.0, 9000.0)
    assert again.receipts_left == 36 and not again.attention
    assert "about 36 receipt(s) left" in again.words()
    for _ in range(33):
        roll.record(250.0)
    low = roll.estimate()
    assert low.receipts_left == 3 and low.attention
    after = roll.new_roll("20002", NOW)
    assert (after.jobs, after.fed_mm, after.fitted_by) == (0, 0.0, "20002")
    saved = json.loads((tmp_path / FILE_NAME).read_text())
    assert saved["fitted_by"] == "20002" and saved["fitted_at"].startswith("2026-11-21T06:30")
    with pytest.raises(PaperRollError, match="technician's id"):
        roll.new_roll("  ", NOW)


def test_an_unreadable_counter_file_is_said_in_words_and_printing_goes_on(tmp_path: Path) -> None:
    (tmp_path / FILE_NAME).write_text("{half a file")
    roll = PaperRoll(tmp_path, roll_mm=80_000)
    roll.record(120.0)  # never raises: the receipt matters more than the count
    assert roll.counters().jobs == 1
    (tmp_path / FILE_NAME).write_text("[]")
    paper, warnings = paper_part(tmp_path, PrinterSettings())
    assert warnings and "paper counters" in warnings[0]
    assert not paper["known"]


def test_estimate_before_any_receipt_uses_a_typical_receipt() -> None:
    fresh = estimate(RollCounters(fitted_at="2026-11-21T06:30:00+00:00", fitted_by="20001"),
                     80_000)
    assert fresh.receipts_left == 533 and fresh.fraction_left == 1.0


@pytest.mark.parametrize("value, words", [
    (0, "between 5 and 500 metres"), (900, "not 900"), ("long", "a number of metres"),
    (float("nan"), "a number of metres"), (True, "a number of metres"),
])
def test_roll_length_is_checked_in_words(value: object, words: str, tmp_path: Path) -> None:
    with pytest.raises(PaperRollError, match=words):
        open_roll(tmp_path, PrinterSettings(roll_length_m=value))  # type: ignore[arg-type]


def test_roll_length_default_is_80_m(tmp_path: Path) -> None:
    assert roll_length_mm(PrinterSettings()) == 80_000
    paper, warnings = paper_part(tmp_path, PrinterSettings(roll_length_m=1))
    assert warnings == [paper["detail"]] and "roll_length_m" in paper["detail"]


def test_kiosk_technician_new_roll_records_who_and_refuses_a_bad_staff_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk.cli.technician import new_roll
    from sync.clock import SystemClock
    from tests.support.kiosk import test_config

    config = test_config(tmp_path)
    assert new_roll(config, "x1", SystemClock()) == 2
    assert "staff number is 3 to 12 digits" in capsys.readouterr().err
    assert not (config.data_dir / FILE_NAME).exists()
    assert new_roll(config, "4711", SystemClock()) == 0
    assert "new paper roll recorded: about 533 receipt(s) left" in capsys.readouterr().out
    assert open_roll(config.data_dir, config.printer).counters().fitted_by == "4711"
