
from kiosk.technician import PinGate
from tests.support.clock import FakeClock


def test_right_pin_opens_and_wrong_pins_count_down() -> None:
    gate = PinGate("482913", FakeClock(), max_failures=3)
    assert gate.check("000000").tries_left == 2
    assert gate.check("482913").ok
    assert gate.check("111111").tries_left == 2  # success reset the count


def test_lockout_after_too_many_failures_refuses_even_the_right_pin_until_it_ends() -> None:
    clock = FakeClock()
    gate = PinGate("482913", clock, max_failures=3, lockout_seconds=300)
    for _ in range(3):
        verdict = gate.check("000000")
    assert verdict.locked_for == 300
    clock.advance(299)
    assert not gate.check("482913").ok
    clock.advance(2)
    assert gate.check("482913").ok


def test_an_empty_configured_pin_never_opens() -> None:
    assert not PinGate("", FakeClock()).check("").ok
