"""Staff and technician access: who may do what, signing in, and the audit trail.

People sign in with their staff number and their own PIN (see docs/staff-access.md). The
number picks one credential, so a sign-in costs one Argon2id verification; a number nobody
has costs the same (a decoy hash), so timing does not tell a guesser which numbers exist.
Every sign-in, failure, lock-out, action and sign-out goes to the ``kiosk.audit`` log with
the person's staff number and role, never the PIN; an unknown number is not echoed either
(it may be something else a person typed, such as their phone number).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from kiosk.config import Config
from kiosk.staff.lockout import Lockout
from kiosk.staff.store import LOCKOUT_FILE, Credentials, staff_dir
from sync.clock import Clock
from sync.staff_credentials import MIN_PIN_DIGITS, Person, decoy_hash, verify_pin

audit = logging.getLogger("kiosk.audit")

# What each role may do. Hall staff help citizens; technicians look after the machine.
# Neither includes the other: a technician does not vouch for a citizen's identity.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "staff": frozenset({"clear_call", "confirm_identification"}),
    "technician": frozenset(
        {"open_panel", "diagnose", "print_test_page", "reprint", "new_paper_roll", "export",
         "requeue", "quit", "test_read", "print_a4_test_page", "usb_export", "usb_read_acks",
         "export_logs"}
    ),
}
ACTIONS = frozenset().union(*ROLE_ACTIONS.values())


def authorize(person: Person | None, action: str) -> bool:
    """May ``person`` do ``action``? An unknown action name is a programming error."""
    if action not in ACTIONS:
        raise ValueError(f"unknown staff action {action!r}")
    return person is not None and action in ROLE_ACTIONS.get(person.role, frozenset())


@dataclass(frozen=True)
class SignInVerdict:
    """``reason``: ok | refused (unknown number or wrong PIN, never said which) | locked |
    no_credentials (nobody may sign in at this kiosk yet)."""

    ok: bool
    reason: str
    person: Person | None = None
    locked_for: float = 0.0  # seconds left of a lock-out
    tries_left: int = 0


class AuditTrail(Protocol):
    def record(self, kind: str, actor: str, details: Mapping[str, Any] | None = None) -> None: ...


class StaffGate:
    """Sign-in against the kiosk's credentials, with the persisted lock-out. Thread-safe."""

    def __init__(self, credentials: Credentials, lockout: Lockout, kiosk_id: str,
                 trail: AuditTrail | None = None) -> None:
        self.credentials = credentials
        self.lockout = lockout
        self.trail = trail  # the hash-chained audit trail (docs/audit.md), when the kiosk has one
        self.kiosk_id = kiosk_id
        self._lock = threading.Lock()
        self._decoy: str | None = None

    def _decoy_hash(self) -> str:
        if self._decoy is None:
            self._decoy = decoy_hash()
        return self._decoy

    def sign_in(self, person_id: str, pin: str) -> SignInVerdict:
        """Check one attempt; slow (an Argon2id verification): never on the GUI thread."""
        with self._lock:
            locked = self.lockout.remaining()
            if locked > 0:
                audit.warning("staff sign-in refused at %s: locked for %.0f s more",
                              self.kiosk_id, locked)
                return SignInVerdict(False, "locked", locked_for=locked)
            if not self.credentials.people():
                audit.warning("staff sign-in at %s: no credentials on this kiosk", self.kiosk_id)
                return SignInVerdict(False, "no_credentials")
            decoy = self._decoy_hash()
            person = self.credentials.find(person_id)
            well_formed = pin.isdigit() and len(pin) >= MIN_PIN_DIGITS
            # One verification whatever was typed, so the time taken tells nothing.
            target = person.pin_hash if person is not None and well_formed else decoy
            matched = verify_pin(target, pin) and target is not decoy
            if matched and person is not None:
                self.lockout.succeeded()
                audit.info("staff sign-in: %s (%s) at %s", person.person_id, person.role,
                           self.kiosk_id)
                self._trail("staff.sign_in", person.person_id, {"role": person.role})
                return SignInVerdict(True, "ok", person=person)
            failure = self.lockout.failed()
            who = f"{person.person_id} ({person.role})" if person else "an unknown staff number"
            self._trail("staff.sign_in_refused", person.person_id if person else "unknown",
                        {"locked": bool(failure.locked_for)})
            audit.warning("staff sign-in failed: %s at %s; %s", who, self.kiosk_id,
                          f"{failure.tries_left} tries left" if not failure.locked_for
                          else "sign-in locked")
            if failure.locked_for:
                audit.warning("staff lock-out at %s: sign-in locked for %.0f s",
                              self.kiosk_id, failure.locked_for)
                return SignInVerdict(False, "locked", locked_for=failure.locked_for)
            return SignInVerdict(False, "refused", tries_left=failure.tries_left)

    def perform(self, person: Person | None, action: str) -> bool:
        """Authorise and record one action; False (and logged) when the role does not allow it."""
        if not authorize(person, action):
            who = f"{person.person_id} ({person.role})" if person else "nobody signed in"
            audit.warning("staff action refused: %s for %s at %s", action, who, self.kiosk_id)
            return False
        assert person is not None
        audit.info("staff action: %s by %s (%s) at %s", action, person.person_id, person.role,
                   self.kiosk_id)
        self._trail("staff.action", person.person_id, {"action": action, "role": person.role})
        return True

    def _trail(self, kind: str, actor: str, details: Mapping[str, Any]) -> None:
        if self.trail is not None:
            self.trail.record(kind, actor, details)

    def sign_out(self, person: Person, reason: str) -> None:
        audit.info("staff sign-out: %s (%s) at %s (%s)", person.person_id, person.role,
                   self.kiosk_id, reason)
        self._trail("staff.sign_out", person.person_id, {"reason": reason})


def lockout_for(config: Config, clock: Clock) -> Lockout:
    return Lockout(staff_dir(config) / LOCKOUT_FILE, config.kiosk.id, clock)


def staff_gate(config: Config, clock: Clock, trail: AuditTrail | None = None) -> StaffGate:
    """The gate over this kiosk's credentials and its persisted lock-out."""
    return StaffGate(Credentials(config), lockout_for(config, clock), config.kiosk.id, trail)


def staff_warnings(config: Config, clock: Clock) -> list[str]:
    """What ``kiosk diagnose`` says about staff access (no names, no hashes)."""
    credentials = Credentials(config)
    people = credentials.people()
    warnings = []
    if not people:
        warnings.append(
            "no staff credentials: nobody can open the technician panel. Issue them on the "
            "platform (kiosk server staff add) or, on a kiosk never online, run as root: "
            "kiosk technician set-pin"
        )
    elif not any(p.role == "technician" for p in people):
        warnings.append("no technician among this kiosk's staff credentials")
    locked = lockout_for(config, clock).remaining()
    if locked > 0:
        warnings.append(f"staff sign-in is locked for {locked / 60:.0f} more minute(s) after "
                        "wrong PINs (kiosk technician unlock, as root, clears it)")
    return warnings
