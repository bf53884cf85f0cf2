from datetime import date

import pytest

from kiosk.id_numbers import age_on, check_character, validate_id_number
from kiosk.tracking.numbers import (
    is_valid_tracking_number,
    make_tracking_number,
    new_query_code,
    status_link,
)

VALID = "11010519491231002X"  # the standard's published example
TODAY = date(2026, 11, 21)


def test_published_example_id_number_is_valid() -> None:
    assert check_character(VALID[:17]) == "X"
    assert validate_id_number(VALID, today=TODAY).ok


def test_lowercase_x_and_spaces_are_accepted() -> None:
    assert validate_id_number(" 11010519491231002x ", today=TODAY).ok


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("110105194912310021", "check_character"),
        ("1101051949123100", "length"),
        ("01010519491231002X", "form"),
        ("99010519491231002X", "region"),
        ("11010519491331002X", "birth_date"),
        ("11010530491231002X", "birth_date"),
    ],
)
def test_bad_id_numbers_are_refused_with_a_reason(number: str, reason: str) -> None:
    verdict = validate_id_number(number, today=date(2026, 11, 21))
    assert not verdict.ok
    assert verdict.reason == reason
    assert verdict.message


def test_age_counts_birthdays() -> None:
    assert age_on(VALID, date(2026, 12, 30)) == 76
    assert age_on(VALID, date(2026, 12, 31)) == 77


def test_tracking_number_has_the_documented_form_and_checks() -> None:
    number = make_tracking_number("K0451", date(2026, 11, 21), 42)
    assert number.startswith("K0451-20261121-0042-")
    assert is_valid_tracking_number(number)


def test_tracking_check_digit_catches_single_errors_and_swaps() -> None:
    number = make_tracking_number("K0451", date(2026, 11, 21), 42)
    body = number[:-2]
    digits_at = [i for i, c in enumerate(body) if c.isdigit()]
    for i in digits_at:
        for d in "0123456789":
            if d != body[i]:
                wrong = body[:i] + d + body[i + 1 :] + number[-2:]
                assert not is_valid_tracking_number(wrong), wrong
    for i, j in zip(digits_at, digits_at[1:], strict=False):
        if j == i + 1 and body[i] != body[j]:
            swapped = body[:i] + body[j] + body[i] + body[j + 1 :] + number[-2:]
            assert not is_valid_tracking_number(swapped), swapped


def test_query_codes_are_random_digits_and_ride_in_the_status_link() -> None:
    codes = {new_query_code() for _ in range(50)}
    assert all(len(c) == 8 and c.isascii() and c.isdigit() for c in codes)
    assert len(codes) > 45  # 10^8 possibilities: repeats would mean no randomness
    with pytest.raises(ValueError):
        new_query_code(5)
    number = "K0451-20261121-0042-7"
    assert status_link("https://gov.example/t/{tracking}", number, "12345678") == (
        "https://gov.example/t/K0451-20261121-0042-7?code=12345678")
    assert status_link("https://gov.example/t?n={tracking}", number, "12345678") == (
        "https://gov.example/t?n=K0451-20261121-0042-7&code=12345678")
    assert status_link("https://gov.example/t/{tracking}#code={code}", number, "12345678") == (
        "https://gov.example/t/K0451-20261121-0042-7#code=12345678")
