"""呼叫工作人员: a call for staff that belongs to the kiosk, not to the citizen who raised it.

A call is raised from any screen, shown on the kiosk while it lasts, and carried to the
platform as messages through the outbox (raised, cancelled, cleared), so it reaches the
staff's list (``kiosk server calls``) once the network is back. It outlives the citizen's
session and a restart of the kiosk (it is kept in the outbox file). It ends in one of two
ways:

- the citizen who raised it cancels it (no credentials: ``closed_by = "citizen"``), which is
  possible only until their visit ends (the flow next returns to the home screen);
- a member of hall staff clears it, at the kiosk after signing in (``clear_call``) or on the
  platform (``kiosk server calls --clear``); a platform acknowledgement ("staff have seen
  your call") or clearing reaches the kiosk at its next look (:meth:`CallDesk.refresh`).

At most one call is open at a time: a second tap on 呼叫工作人员 shows the call already open.
No personal data: only where in the flow the citizen was and which service they chose.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from kiosk.staff.sign_in import authorize
from sync.clock import Clock
from sync.outbox.messages_schema import OPEN_CALL_STATES
from sync.outbox.store import Outbox
from sync.platform.errors import PlatformError
from sync.platform.protocol import CITIZEN, call_body
from sync.staff_credentials import Person
from sync.uuid7 import uuid7

if TYPE_CHECKING:
    from sync.platform.client import PlatformClient

log = logging.getLogger(__name__)
audit = logging.getLogger("kiosk.audit")


@dataclass(frozen=True)
class StaffCall:
    """One call, as the kiosk keeps it. Times are UTC."""

    call_id: str
    state: str  # raised | acknowledged | cleared | cancelled
    raised_at: datetime
    step: str | None = None
    service_code: str | None = None
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    closed_at: datetime | None = None
    closed_by: str | None = None  # "citizen" or a staff number
    closed_where: str | None = None  # kiosk | platform

    @property
    def open(self) -> bool:
        return self.state in OPEN_CALL_STATES

    def document(self) -> dict[str, Any]:
        doc = asdict(self)
        for key in ("raised_at", "acknowledged_at", "closed_at"):
            doc[key] = None if doc[key] is None else doc[key].isoformat()
        return doc

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> StaffCall:
        def when(text: str | None) -> datetime | None:
            return None if text is None else datetime.fromisoformat(text)

        raised = when(doc["raised_at"])
        assert raised is not None
        return cls(
            call_id=doc["call_id"], state=doc["state"], raised_at=raised,
            step=doc.get("step"), service_code=doc.get("service_code"),
            acknowledged_at=when(doc.get("acknowledged_at")),
            acknowledged_by=doc.get("acknowledged_by"),
            closed_at=when(doc.get("closed_at")), closed_by=doc.get("closed_by"),
            closed_where=doc.get("closed_where"),
        )


class CallDesk:
    """The kiosk's calls. Thread-safe: the GUI raises and cancels, the poller thread
    refreshes from the platform. ``on_change`` gets every changed call (any thread)."""

    def __init__(
        self,
        outbox: Outbox,
        kiosk_id: str,
        clock: Clock,
        on_change: Callable[[StaffCall], None] | None = None,
        new_id: Callable[[], str] = lambda: str(uuid7()),
    ) -> None:
        self.outbox = outbox
        self.kiosk_id = kiosk_id
        self.clock = clock
        self._on_change = on_change or (lambda call: None)
        self._new_id = new_id
        self._lock = threading.RLock()
        self._cancellable: str | None = None  # the call this visit raised
        # Kept in memory too: the screen asks often, and may ask after the outbox closed.
        opened = self.open_calls()
        self._open: StaffCall | None = opened[0] if opened else None

    # -- reading -------------------------------------------------------------------------------

    def open_calls(self) -> list[StaffCall]:
        return [StaffCall.from_document(d) for d in self.outbox.messages.open_calls()]

    def current(self) -> StaffCall | None:
        """The open call, if any (there is at most one: a second tap returns it)."""
        with self._lock:
            return self._open

    def get(self, call_id: str) -> StaffCall | None:
        doc = self.outbox.messages.get_call(call_id)
        return None if doc is None else StaffCall.from_document(doc)

    def citizen_may_cancel(self, call: StaffCall | None = None) -> bool:
        """True while the visit that raised the open call lasts."""
        call = call or self.current()
        return call is not None and call.open and call.call_id == self._cancellable

    def delivered(self, call: StaffCall) -> bool:
        """The platform has taken the call's ``raised`` message."""
        message = self.outbox.messages.get(self._message_id(call.call_id, "raised"))
        return message is None or message.state == "acked"

    # -- the citizen and staff at the kiosk ----------------------------------------------------

    def raise_call(self, step: str | None = None, service_code: str | None = None) -> StaffCall:
        """Raise a call (durably, with its message to the platform); the open one if any."""
        with self._lock:
            current = self.current()
            if current is not None:
                return current
            now = self.clock.now().astimezone(UTC)
            call = StaffCall(self._new_id(), "raised", now, step=step,
                             service_code=service_code)
            message = call_body(call.call_id, "raised", self.kiosk_id, now, now, step=step,
                                service_code=service_code)
            raised = (self._message_id(call.call_id, "raised"), message)
            self.outbox.messages.save_call(call.document(), raised, expect=(None,))
            self._cancellable = call.call_id
            self._open = call
        log.info("staff call %s raised at step %s", call.call_id, step)
        self._on_change(call)
        return call

    def visit_ended(self) -> None:
        """The citizen's visit is over: from now on only staff end the call."""
        with self._lock:
            self._cancellable = None

    def cancel(self) -> StaffCall | None:
        """The citizen who raised the open call takes it back; None if they cannot."""
        with self._lock:
            call = self.current()
            if call is None or not self.citizen_may_cancel(call):
                return None
            closed = self._close(call, CITIZEN, "cancelled")
            self._cancellable = None
            if closed is not None:
                self._open = None
        if closed is not None:
            log.info("staff call %s cancelled by the citizen", call.call_id)
            self._on_change(closed)
        return closed

    def clear(self, person: Person) -> StaffCall | None:
        """A signed-in member of hall staff clears the open call; None if none is open.

        Raises PermissionError when the person's role does not allow ``clear_call``.
        """
        if not authorize(person, "clear_call"):
            raise PermissionError(f"{person.person_id} ({person.role}) may not clear calls")
        with self._lock:
            call = self.current()
            if call is None:
                return None
            closed = self._close(call, person.person_id, "cleared")
            if closed is not None:
                self._open = None
        if closed is not None:
            audit.info("staff call %s cleared by %s (%s) at %s", call.call_id, person.person_id,
                       person.role, self.kiosk_id)
            self._on_change(closed)
        return closed

    def _close(self, call: StaffCall, by: str, state: str) -> StaffCall | None:
        now = self.clock.now().astimezone(UTC)
        closed = replace(call, state=state, closed_at=now, closed_by=by, closed_where="kiosk")
        event = "cancelled" if state == "cancelled" else "cleared"
        message = call_body(call.call_id, event, self.kiosk_id, call.raised_at, now, by=by,
                            step=call.step, service_code=call.service_code)
        saved = self.outbox.messages.save_call(closed.document(),
                                               (self._message_id(call.call_id, event), message),
                                               expect=OPEN_CALL_STATES)
        return closed if saved else None

    @staticmethod
    def _message_id(call_id: str, event: str) -> str:
        """One message per event of a call; derived, so it is the same on every retry."""
        return str(uuid.uuid5(uuid.UUID(call_id), event))

    # -- what the platform says ----------------------------------------------------------------

    def refresh(self, client: PlatformClient) -> int:
        """Ask the platform about each open call it has taken; apply what staff did there.

        Never raises for the network; returns how many calls changed.
        """
        changed = 0
        for call in self.open_calls():
            if not self.delivered(call):
                continue  # the platform does not know it yet
            try:
                remote = client.call_state(call.call_id)
            except PlatformError as exc:
                log.info("staff call %s: platform not asked (%s)", call.call_id, exc)
                return changed
            if remote is not None and self.apply_platform(call.call_id, remote):
                changed += 1
        return changed

    def apply_platform(self, call_id: str, remote: dict[str, Any]) -> bool:
        """Take the platform's acknowledgement or close of a call (no message goes back)."""
        with self._lock:
            call = self.get(call_id)
            if call is None or not call.open:
                return False
            state = remote.get("state")
            if state == "acknowledged" and call.state == "raised":
                moved = replace(call, state="acknowledged",
                                acknowledged_at=_from_epoch(remote.get("acknowledged_at")),
                                acknowledged_by=remote.get("acknowledged_by"))
            elif state in ("cleared", "cancelled"):
                moved = replace(call, state=str(state),
                                closed_at=_from_epoch(remote.get("closed_at")),
                                closed_by=remote.get("closed_by"),
                                closed_where=remote.get("closed_where") or "platform",
                                acknowledged_by=call.acknowledged_by
                                or remote.get("acknowledged_by"))
            else:
                return False
            if not self.outbox.messages.save_call(moved.document(), expect=(call.state,)):
                return False
            if not moved.open and moved.call_id == self._cancellable:
                self._cancellable = None
            if self._open is not None and self._open.call_id == call_id:
                self._open = moved if moved.open else None
        log.info("staff call %s is now %s (platform)", call_id, moved.state)
        self._on_change(moved)
        return True


def _from_epoch(value: object) -> datetime | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    return None
