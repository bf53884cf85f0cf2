"""VERIFY through the real pcscd and vpcd: the virtual card checks its PIN and blocks it."""

from __future__ import annotations

import pytest

from devices.cards.base import CardReaderError
from devices.cards.pcsc.reader import PcscCardReader
from devices.sim.card.vcard import DEFAULT_PIN, VirtualCard
from tests.support.pcsc import EventRecorder  # noqa: F401  (fixtures)

pytestmark = pytest.mark.pcsc
SECONDS = 5.0


def test_pin_checked_by_the_card_and_blocked_after_three_wrong(
    reader: PcscCardReader, events: EventRecorder, virtual_card: VirtualCard
) -> None:
    virtual_card.insert()
    events.wait_for("card_did_read", SECONDS)
    assert reader.checks_pins
    assert reader.verify_pin(DEFAULT_PIN).ok
    wrong = [reader.verify_pin("000000") for _ in range(3)]
    assert [(w.tries_left, w.blocked) for w in wrong] == [(2, False), (1, False), (0, True)]
    assert reader.verify_pin(DEFAULT_PIN).blocked  # the right PIN no longer opens it
    assert virtual_card.pin_blocked
    virtual_card.remove()
    events.wait_for("card_did_remove", SECONDS)
    with pytest.raises(CardReaderError) as caught:
        reader.verify_pin(DEFAULT_PIN)
    assert caught.value.reason == "removed"
