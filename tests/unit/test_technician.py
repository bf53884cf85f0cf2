"""Staff access on the kiosk: PIN policy and hashes, roles, sign-in, and the persisted lock-out."""

from __future__ import annotations

import io
import json
import logging
import os
import stat
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.config import Config
from kiosk.staff.lockout import MAX_LOCKOUT_SECONDS, Lockout
from kiosk.staff.sign_in import ACTIONS, ROLE_ACTIONS, authorize, lockout_for, staff_gate
from kiosk.staff.store import LOCAL_FILE, staff_dir
from sync.staff_credentials import (
    Person,
    PinPolicyError,
    StaffDocumentError,
    check_hash,
    check_pin,
    hash_pin,
    read_new_pin,
    verify_pin,
)
from tests.support.clock import FakeClock
from tests.support.staff import TECHNICIAN_ID, TECHNICIAN_PIN, with_local_technician


def kiosk_config(tmp_path: Path) -> Config:
    return Config().replace("kiosk", data_dir=str(tmp_path))


# -- PINs and hashes ---------------------------------------------------------------------------


@pytest.mark.parametrize("pin", ["", "48291", "48291a", "４８２９１３", "482 913", "0000000",
                                 "123456", "987654", "1234567890123"])
def test_pins_shorter_than_six_digits_or_trivial_are_refused(pin: str) -> None:
    with pytest.raises(PinPolicyError):
        check_pin(pin)


def test_a_pin_is_stored_only_as_a_salted_argon2id_hash() -> None:
    first, second = hash_pin(TECHNICIAN_PIN), hash_pin(TECHNICIAN_PIN)
    assert first.startswith("$argon2id$") and "m=65536,t=2,p=2" in first
    assert first != second  # salted
    assert TECHNICIAN_PIN not in first
    assert verify_pin(first, TECHNICIAN_PIN) and not verify_pin(first, "482914")
    check_hash(first)


def test_weak_or_foreign_hashes_are_refused() -> None:
    from argon2 import PasswordHasher, Type

    weak = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1, type=Type.ID)
    argon2i = PasswordHasher(type=Type.I)
    for pin_hash in (weak.hash(TECHNICIAN_PIN), argon2i.hash(TECHNICIAN_PIN),
                     "5f4dcc3b5aa765d61d8327deb882cf99", "$argon2id$garbage"):
        with pytest.raises(StaffDocumentError):
            check_hash(pin_hash)


def test_a_new_pin_is_asked_twice_at_a_hidden_prompt_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    asked: list[str] = []

    def prompt(text: str) -> str:
        asked.append(text)
        return TECHNICIAN_PIN

    assert read_new_pin(Terminal(), prompt) == TECHNICIAN_PIN and len(asked) == 2
    assert read_new_pin(io.StringIO(f"{TECHNICIAN_PIN}\n{TECHNICIAN_PIN}\n")) == TECHNICIAN_PIN
    with pytest.raises(PinPolicyError, match="differ"):
        read_new_pin(io.StringIO(f"{TECHNICIAN_PIN}\n"))


# -- roles -------------------------------------------------------------------------------------


def test_roles_allow_their_own_actions_only() -> None:
    staff = Person("1001", "Hall helper", "staff", "")
    tech = Person("4711", "Technician", "technician", "")
    for action in ("open_panel", "print_test_page", "reprint", "export", "quit"):
        assert authorize(tech, action) and not authorize(staff, action)
    for action in ("clear_call", "confirm_identification"):
        assert authorize(staff, action) and not authorize(tech, action)
    assert not any(authorize(None, action) for action in ACTIONS)
    assert not authorize(Person("1", "x", "visitor", ""), "open_panel")
    assert set(ROLE_ACTIONS) == {"staff", "technician"}
    with pytest.raises(ValueError):
        authorize(tech, "open_pannel")  # a typo is a bug, not a refusal


# -- sign-in -----------------------------------------------------------------------------------


def test_sign_in_needs_the_staff_number_and_that_persons_pin(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    config = kiosk_config(tmp_path)
    with_local_technician(config)
    gate = staff_gate(config, FakeClock())
    unknown = gate.sign_in("9999", TECHNICIAN_PIN)
    wrong = gate.sign_in(TECHNICIAN_ID, "482914")
    assert (unknown.ok, unknown.reason, unknown.tries_left) == (False, "refused", 4)
    assert (wrong.ok, wrong.reason, wrong.tries_left) == (False, "refused", 3)
    good = gate.sign_in(TECHNICIAN_ID, TECHNICIAN_PIN)
    assert good.ok and good.person is not None and good.person.role == "technician"
    assert gate.sign_in(TECHNICIAN_ID, "482914").tries_left == 4  # success reset the count
    assert gate.perform(good.person, "reprint")
    gate.sign_out(good.person, "closed")
    audit = [r.getMessage() for r in caplog.records if r.name == "kiosk.audit"]
    assert any("sign-in:" in m and TECHNICIAN_ID in m and "technician" in m for m in audit)
    assert any("failed" in m and "unknown staff number" in m for m in audit)
    assert any("failed" in m and TECHNICIAN_ID in m for m in audit)
    assert any("reprint" in m and TECHNICIAN_ID in m for m in audit)
    assert any("sign-out" in m and TECHNICIAN_ID in m for m in audit)
    assert not any("9999" in m for m in audit)  # an unknown number may be anything typed
    assert TECHNICIAN_PIN not in caplog.text and "482914" not in caplog.text


def test_no_default_pin_opens_a_kiosk_without_credentials(tmp_path: Path) -> None:
    gate = staff_gate(kiosk_config(tmp_path), FakeClock())
    for person_id, pin in (("0000", "000000"), ("", ""), ("4711", "482913")):
        verdict = gate.sign_in(person_id, pin)
        assert not verdict.ok and verdict.reason == "no_credentials"


def test_the_local_credential_file_holds_no_pin_and_is_private(tmp_path: Path) -> None:
    config = kiosk_config(tmp_path)
    with_local_technician(config)
    path = staff_dir(config) / LOCAL_FILE
    assert TECHNICIAN_PIN not in path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(staff_dir(config).stat().st_mode) == 0o700


# -- lock-out ----------------------------------------------------------------------------------


def fail(lockout: Lockout, times: int) -> float:
    locked = 0.0
    for _ in range(times):
        locked = lockout.failed().locked_for
    return locked


def test_lockout_escalates_and_is_capped_at_fifteen_minutes(tmp_path: Path) -> None:
    clock = FakeClock()
    lockout = Lockout(tmp_path / "lockout.json", "kiosk-1", clock)
    seen = []
    for _ in range(7):
        assert fail(lockout, 4) == 0 and lockout.remaining() == 0
        seen.append(fail(lockout, 1))
        clock.advance(seen[-1] - 1)
        assert lockout.remaining() == 1
        assert lockout.failed().locked_for == 1  # a try while locked changes nothing
        clock.advance(1)
    assert seen == [60, 120, 240, 480, 900, 900, 900]
    assert max(seen) == MAX_LOCKOUT_SECONDS == 15 * 60


def test_lockout_survives_a_restart_of_the_kiosk(tmp_path: Path) -> None:
    config = kiosk_config(tmp_path)
    with_local_technician(config)
    clock = FakeClock()
    gate = staff_gate(config, clock)
    for _ in range(5):
        verdict = gate.sign_in(TECHNICIAN_ID, "111112")
    assert verdict.reason == "locked" and verdict.locked_for == 60
    clock.advance(30)
    after_reboot = staff_gate(config, clock)  # a new process: nothing in memory
    refused = after_reboot.sign_in(TECHNICIAN_ID, TECHNICIAN_PIN)
    assert refused.reason == "locked" and refused.locked_for == 30
    clock.advance(30)
    assert after_reboot.sign_in(TECHNICIAN_ID, TECHNICIAN_PIN).ok
    path = staff_dir(config) / "lockout.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text())["kiosks"] == {}  # the good sign-in reset it


def test_lockout_escalation_continues_after_a_restart(tmp_path: Path) -> None:
    clock = FakeClock()
    path = tmp_path / "lockout.json"
    assert fail(Lockout(path, "kiosk-1", clock), 5) == 60
    clock.advance(60)
    assert fail(Lockout(path, "kiosk-1", clock), 5) == 120


def test_the_file_is_keyed_per_kiosk(tmp_path: Path) -> None:
    clock = FakeClock()
    path = tmp_path / "lockout.json"
    fail(Lockout(path, "kiosk-1", clock), 5)
    assert Lockout(path, "kiosk-2", clock).remaining() == 0
    assert set(json.loads(path.read_text())["kiosks"]) == {"kiosk-1"}


def test_a_clock_moved_backwards_does_not_stretch_the_lockout(tmp_path: Path) -> None:
    clock = FakeClock()
    path = tmp_path / "lockout.json"
    fail(Lockout(path, "kiosk-1", clock), 5)
    clock.advance(20)
    clock.wall -= timedelta(days=400)  # a dead RTC battery: the wall clock jumps back
    fresh = Lockout(path, "kiosk-1", clock)  # after the reboot that caused it
    assert 0 < fresh.remaining() <= 60
    clock.advance(60)
    assert fresh.remaining() == 0


def test_a_clock_moved_forwards_does_not_end_the_lockout_of_a_running_kiosk(
    tmp_path: Path,
) -> None:
    clock = FakeClock()
    lockout = Lockout(tmp_path / "lockout.json", "kiosk-1", clock)
    fail(lockout, 5)
    clock.wall += timedelta(hours=2)  # wall clock only; monotonic time stands still
    assert lockout.remaining() == 60
    clock.advance(60)
    assert lockout.remaining() == 0


def test_a_damaged_lockout_file_locks_rather_than_resets(tmp_path: Path) -> None:
    clock = FakeClock()
    path = tmp_path / "lockout.json"
    path.write_text("{not json")
    assert Lockout(path, "kiosk-1", clock).remaining() == MAX_LOCKOUT_SECONDS
    assert Lockout(path, "kiosk-1", clock).clear()
    assert Lockout(path, "kiosk-1", clock).remaining() == 0


def test_a_quiet_day_forgets_old_failures(tmp_path: Path) -> None:
    clock = FakeClock()
    lockout = Lockout(tmp_path / "lockout.json", "kiosk-1", clock)
    fail(lockout, 4)
    clock.advance(25 * 3600)
    assert lockout.failed().tries_left == 4


def test_clear_ends_a_lockout_for_a_running_gate(tmp_path: Path) -> None:
    config = kiosk_config(tmp_path)
    with_local_technician(config)
    clock = FakeClock()
    gate = staff_gate(config, clock)
    for _ in range(5):
        gate.sign_in(TECHNICIAN_ID, "111112")
    assert gate.sign_in(TECHNICIAN_ID, TECHNICIAN_PIN).reason == "locked"
    assert lockout_for(config, clock).clear()  # what `kiosk technician unlock` does
    assert gate.sign_in(TECHNICIAN_ID, TECHNICIAN_PIN).ok
    assert os.path.exists(staff_dir(config) / "lockout.json")
