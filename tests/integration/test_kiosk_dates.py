"""The kiosk's dates are its own time zone's, read from its injected clock, never the machine's.

Each moment sits near a date line: 15:59 UTC is still the 1st in Shanghai, 16:00 UTC is
already the 2nd, and a machine in Pacific/Kiritimati or Etc/GMT+12 disagrees with both.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from devices.cards.base import CardData, CardKind
from devices.sim.card.inprocess_reader import SimulatedCardReader
from devices.sim.printer.tcp_server import VirtualPrinter
from kiosk.assembly import assemble_kiosk
from kiosk.id_numbers import validate_id_number
from tests.support.clock import FakeClock
from tests.support.headless_kiosk import apply_through_the_flow
from tests.support.kiosk import test_config


def card(valid_to: date | None = None) -> CardData:
    return CardData(
        kind=CardKind.SOCIAL_SECURITY, name="张三丰", gender="男", nation="汉",
        birth_date=date(1949, 12, 31), address="", id_number="11010519491231002X",
        issuing_authority="", valid_from=None, valid_to=valid_to, card_number="A12345678",
        region="110105",
    )


@pytest.mark.parametrize(
    ("utc", "kiosk_day"),
    [
        (datetime(2026, 12, 1, 15, 59, 59, tzinfo=UTC), "20261201"),
        (datetime(2026, 12, 1, 16, 0, 0, tzinfo=UTC), "20261202"),
        (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "20270101"),
    ],
)
def test_tracking_number_carries_the_kiosk_local_date_of_its_clock(
    tmp_path: Path, virtual_printer: VirtualPrinter, utc: datetime, kiosk_day: str
) -> None:
    clock = FakeClock()
    clock.wall = utc
    config = test_config(tmp_path).replace("printer", port=virtual_printer.port)
    core = assemble_kiosk(config, readers=SimulatedCardReader(), clock=clock)
    try:
        tracking = apply_through_the_flow(core, card())
        assert tracking.split("-")[1] == kiosk_day
        record = core.outbox.get(core.flow.session.txid or "")
        assert record.created_at == utc
    finally:
        core.stop()


def test_card_expiring_today_in_the_kiosk_zone_is_still_valid(
    tmp_path: Path, virtual_printer: VirtualPrinter
) -> None:
    """At 16:30 UTC on the 1st it is the 2nd in Shanghai: a card valid to the 1st has expired."""
    clock = FakeClock()
    clock.wall = datetime(2026, 12, 1, 16, 30, tzinfo=UTC)
    config = test_config(tmp_path).replace("printer", port=virtual_printer.port)
    core = assemble_kiosk(config, readers=SimulatedCardReader(), clock=clock)
    try:
        core.flow.choose_service("elderly-card-apply")
        core.flow.accept_guide()
        core.flow.accept_privacy()
        assert core.flow.identify(card(valid_to=date(2026, 12, 1))).reason == "expired"
        assert core.flow.identify(card(valid_to=date(2026, 12, 2))).ok
    finally:
        core.stop()


def test_id_number_check_needs_the_day_it_is_checked_on() -> None:
    """A birth date of tomorrow is impossible; which day is 'today' is the caller's clock."""
    number = "11010520261202001X"  # born 2026-12-02
    assert validate_id_number(number, today=date(2026, 12, 2)).ok
    assert validate_id_number(number, today=date(2026, 12, 1)).reason == "birth_date"


def test_the_machine_zone_is_the_one_make_test_asked_for() -> None:
    """The far-zone runs prove something only if the zone took effect (tzdata installed)."""
    expected = {"Pacific/Kiritimati": "+1400", "Etc/GMT+12": "-1200"}.get(os.environ.get("TZ", ""))
    if expected is None:
        return  # the main run: any machine zone
    time.tzset()
    assert time.strftime("%z", time.localtime(1_796_000_000)) == expected
