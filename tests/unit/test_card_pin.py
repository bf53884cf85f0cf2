"""The social-security card's PIN: the virtual card checks it and counts wrong ones itself."""

from __future__ import annotations

import pytest

from devices.cards.base import CardReaderError
from devices.cards.pcsc.ssse import SELECT_SSSE, verify_pin, verify_pin_apdu
from devices.sim.card.vcard import DEFAULT_PIN, VirtualCard


def test_the_right_pin_passes_and_resets_the_counter() -> None:
    card = VirtualCard(pin="246810")
    assert verify_pin(card.process_apdu, "111111").tries_left == 2
    verdict = verify_pin(card.process_apdu, "246810")
    assert verdict.ok and not verdict.blocked
    assert card.pin_tries_left == 3 and card.pin_verified


def test_three_wrong_pins_block_the_card_even_for_the_right_one() -> None:
    card = VirtualCard()
    answers = [verify_pin(card.process_apdu, "000000") for _ in range(3)]
    assert [(a.ok, a.tries_left, a.blocked) for a in answers] == [
        (False, 2, False), (False, 1, False), (False, 0, True)]
    card.remove()
    card.power(0x00)  # out of the reader and powered off: the counter stays on the card
    blocked = verify_pin(card.process_apdu, DEFAULT_PIN)
    assert (blocked.ok, blocked.blocked) == (False, True)
    assert card.process_apdu(SELECT_SSSE) == b"\x90\x00"
    assert card.process_apdu(verify_pin_apdu(DEFAULT_PIN)) == b"\x69\x83"
    assert card.pin_blocked and not card.pin_verified
    card.unblock_pin()
    assert verify_pin(card.process_apdu, DEFAULT_PIN).ok


def test_status_words_as_real_cards_give_them() -> None:
    card = VirtualCard()
    assert card.process_apdu(verify_pin_apdu(DEFAULT_PIN)) == b"\x69\x82"  # no application yet
    card.process_apdu(SELECT_SSSE)
    assert card.process_apdu(bytes([0x00, 0x20, 0x00, 0x00])) == b"\x63\xc3"  # tries left
    assert card.process_apdu(verify_pin_apdu("999999")) == b"\x63\xc2"
    assert card.pin_tries_left == 2


def test_the_pin_never_reaches_the_apdu_log() -> None:
    card = VirtualCard()
    verify_pin(card.process_apdu, "135790")
    assert all(bytes.fromhex("135790") not in apdu for apdu in card.apdu_log)
    assert card.apdu_log[-1] == bytes([0x00, 0x20, 0x00, 0x00, 0x03])


@pytest.mark.parametrize("pin", ["12345", "1234567", "12a456", "１２３４５６", ""])
def test_a_pin_of_the_wrong_form_is_refused_before_the_card(pin: str) -> None:
    with pytest.raises(ValueError, match="six digits"):
        verify_pin_apdu(pin)


def test_a_bank_card_has_no_social_security_pin() -> None:
    with pytest.raises(CardReaderError) as caught:
        verify_pin(VirtualCard(profile="bank").process_apdu, DEFAULT_PIN)
    assert caught.value.reason == "not_ssc"
