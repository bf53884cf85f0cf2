"""The core's door to 我的办件 (what the screen calls, on the GUI thread; never blocks).

The work runs on the core's device job thread (:mod:`kiosk.records.jobs`); the state is the
session's :class:`~kiosk.records.visit.RecordsVisit`, so it ends with the session.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import TYPE_CHECKING

from .. import events as ev

if TYPE_CHECKING:
    from sync.staff_credentials import Person

    from ..core import KioskCore
    from .visit import RecordsVisit


class RecordsDesk:
    def __init__(self, core: KioskCore) -> None:
        self._core = core
        # Identified by a card read or an electronic code alike: the read is reported as
        # CardDidRead, and the transactions are gathered once.
        core.events.subscribe(self._heard)

    def _heard(self, event: ev.Event) -> None:
        if isinstance(event, ev.CardDidRead) and self._core.flow.step.value == "records":
            self.identified()

    @property
    def visit(self) -> RecordsVisit | None:
        return self._core.flow.session.records

    def _changed(self, visit: RecordsVisit, message: str = "") -> None:
        self._core.events.publish(ev.RecordsDidChange(visit.stage.value, message))

    def open(self) -> None:
        """Home → 我的办件: the citizen identifies first (a card already in the slot is read)."""
        self._core.flow.open_records()
        self._core.start_identify()

    def identified(self) -> None:
        """A card read identified the citizen (reader thread): gather their transactions."""
        visit = self.visit
        if visit is not None and visit.claim_loading():
            from .jobs import load_overview

            self._changed(visit)
            self._core._work.submit(load_overview, self._core, visit)

    def ask(self) -> str | None:
        """The citizen asks for their records: the second factor's stage (pin or staff), the
        records themselves if already open, or None (blocked, offline: ``closed_reason``)."""
        visit = self.visit
        if visit is None:
            return None
        from .visit import RecordsStage  # with the visit's module: not before the first paint

        stage = visit.ask_records()
        self._changed(visit, visit.closed_reason)
        if stage is RecordsStage.CHECKING:  # a typed number staff confirmed: records at once
            from .jobs import load_records

            self._core._work.submit(load_records, self._core, visit)
        return stage.value if stage is not None else None

    def verify_pin(self, pin: str) -> Future[None] | None:
        """The card checks the PIN typed on the keypad, then the platform is asked; off the
        GUI thread. A second tap while checking returns None."""
        visit = self.visit
        if visit is None or not visit.begin_check():
            return None
        from .jobs import check_pin_and_load

        self._changed(visit)
        return self._core._work.submit(check_pin_and_load, self._core, visit, pin)

    def confirm_by_staff(self, person: Person) -> Future[None] | None:
        """A member of staff signed in with their own credential confirms the citizen (a
        resident ID card has no PIN). Only the ``staff`` role may, and it is audited."""
        from kiosk.staff.sign_in import authorize

        from .jobs import load_records

        visit = self.visit
        if visit is None or not authorize(person, "confirm_identification"):
            return None
        if not visit.begin_check() or not visit.staff_confirmed(person.person_id):
            return None
        self._changed(visit)
        return self._core._work.submit(load_records, self._core, visit)

    def cancel_factor(self) -> None:
        """Back from the PIN, the staff page or the records to the overview."""
        visit = self.visit
        if visit is not None and visit.back_to_overview():
            self._changed(visit)
